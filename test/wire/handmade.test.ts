import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Place, Trace } from '../../src/sim/trace';
import { writePcap, writePcapng } from '../../src/timeline/pcapng';
import { CHECKSUM_PREFS, TSHARK_MISSING, checkWithTshark, decodeFrame, requireTshark, tsharkVersion } from './tshark';

const hex = (s: string): Uint8Array =>
  Uint8Array.from(
    s
      .replace(/\s+/g, '')
      .match(/../g)!
      .map((x) => parseInt(x, 16)),
  );
const cat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

/** The Internet checksum (RFC 1071). */
function checksum(b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < b.length; i += 2) s += (b[i] << 8) | (b[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

const MAC = { h1: '020000000001', h2: '020000000002', r1a: '0200000000fe', r1b: '0200000000fd', bcast: 'ffffffffffff' };
const IP = { h1: '0a000001', r1a: '0a0000fe', r1b: '0a0001fe', h2: '0a000102' };

function eth(dst: string, src: string, type: string, payload: Uint8Array): Uint8Array {
  return cat(hex(dst + src + type), payload);
}

function ipv4(src: string, dst: string, proto: number, ttl: number, id: number, payload: Uint8Array): Uint8Array {
  const h = hex(`4500 0000 0000 4000 0000 0000 ${src} ${dst}`);
  const len = 20 + payload.length;
  h[2] = len >> 8;
  h[3] = len & 0xff;
  h[4] = id >> 8;
  h[5] = id & 0xff;
  h[8] = ttl;
  h[9] = proto;
  const c = checksum(h);
  h[10] = c >> 8;
  h[11] = c & 0xff;
  return cat(h, payload);
}

/** Fills in a UDP (proto 17) or TCP (proto 6) checksum over the pseudo-header. */
function l4(src: string, dst: string, proto: number, seg: Uint8Array, at: number): Uint8Array {
  const pseudo = cat(hex(src + dst), Uint8Array.of(0, proto, seg.length >> 8, seg.length & 0xff), seg);
  const c = checksum(pseudo);
  seg[at] = c >> 8;
  seg[at + 1] = c & 0xff;
  return seg;
}

function udp(src: string, dst: string, sport: number, dport: number, data: Uint8Array): Uint8Array {
  const seg = cat(Uint8Array.of(sport >> 8, sport & 0xff, dport >> 8, dport & 0xff, 0, 8 + data.length, 0, 0), data);
  return l4(src, dst, 17, seg, 6);
}

function tcp(src: string, dst: string, sport: number, dport: number, seq: string, ack: string, flags: number): Uint8Array {
  // 24-byte header: data offset 6 words, one option: MSS 1460.
  const seg = cat(
    Uint8Array.of(sport >> 8, sport & 0xff, dport >> 8, dport & 0xff),
    hex(seq + ack),
    Uint8Array.of(0x60, flags),
    hex('faf0 0000 0000 020405b4'),
  );
  return l4(src, dst, 6, seg, 16);
}

// Written out by hand: ARP for the gateway and its reply, on both subnets.
const ARP_REQ_H1 = hex('ffffffffffff 020000000001 0806  0001 0800 06 04 0001 020000000001 0a000001 000000000000 0a0000fe');
const ARP_REP_R1 = hex('020000000001 0200000000fe 0806  0001 0800 06 04 0002 0200000000fe 0a0000fe 020000000001 0a000001');
const ARP_REQ_R1 = hex('ffffffffffff 0200000000fd 0806  0001 0800 06 04 0001 0200000000fd 0a0001fe 000000000000 0a000102');
const ARP_REP_H2 = hex('0200000000fd 020000000002 0806  0001 0800 06 04 0002 020000000002 0a000102 0200000000fd 0a0001fe');
const PING_DATA = hex('5061636b65746172 69756d2070696e67'); // "Packetarium ping"
const DNS_QUERY = hex('1234 0100 0001 0000 0000 0000 07 6578616d706c65 03 636f6d 00 0001 0001'); // A? example.com

function icmpEcho(type: number, seq: number): Uint8Array {
  const m = cat(Uint8Array.of(type, 0, 0, 0, 0, 1, 0, seq), PING_DATA);
  const c = checksum(m);
  m[2] = c >> 8;
  m[3] = c & 0xff;
  return m;
}

/**
 * h1 (10.0.0.1) --h1-r1-- r1 --r1-h2-- h2 (10.0.1.2): ARP, a routed ping (TTL 64 then 63), a DNS
 * query, and a TCP handshake whose first SYN is lost on h1-r1.
 */
function routedTrace(corrupt?: (label: string, frame: Uint8Array) => Uint8Array): Trace {
  const trace = new Trace();
  const h1 = trace.defineNode('h1', 'host');
  const r1 = trace.defineNode('r1', 'router');
  const h2 = trace.defineNode('h2', 'host');
  const left = trace.defineLink('h1-r1', h1, r1, 'eth0', 'eth0');
  const right = trace.defineLink('r1-h2', r1, h2, 'eth1', 'eth0');
  let t = 1000;
  const send = (label: string, link: number, dir: number, frame: Uint8Array): number => {
    const bytes = corrupt ? corrupt(label, frame) : frame;
    const tx = Math.max(60, bytes.length) * 80; // 100 Mb/s
    const f = trace.frameTx(t, t + tx, t + tx + 1000, link, dir, bytes, null, -1);
    t += tx + 1000;
    return f;
  };
  const toH2 = (ttl: number, id: number, proto: number, p: Uint8Array) => ipv4(IP.h1, IP.h2, proto, ttl, id, p);
  const toH1 = (ttl: number, id: number, proto: number, p: Uint8Array) => ipv4(IP.h2, IP.h1, proto, ttl, id, p);
  const fwd = (label: string, pkt: (ttl: number) => Uint8Array, back = false): void => {
    if (!back) {
      send(label, left, Place.AtoB, eth(MAC.r1a, MAC.h1, '0800', pkt(64)));
      send(`${label}Fwd`, right, Place.AtoB, eth(MAC.h2, MAC.r1b, '0800', pkt(63)));
    } else {
      send(label, right, Place.BtoA, eth(MAC.r1b, MAC.h2, '0800', pkt(64)));
      send(`${label}Fwd`, left, Place.BtoA, eth(MAC.h1, MAC.r1a, '0800', pkt(63)));
    }
  };

  trace.log(0, h1, 'ping 10.0.1.2 -c 1');
  send('arpReq', left, Place.AtoB, ARP_REQ_H1);
  send('arpRep', left, Place.BtoA, ARP_REP_R1);
  send('echo', left, Place.AtoB, eth(MAC.r1a, MAC.h1, '0800', toH2(64, 0x100, 1, icmpEcho(8, 1))));
  send('arpReq2', right, Place.AtoB, ARP_REQ_R1);
  send('arpRep2', right, Place.BtoA, ARP_REP_H2);
  send('echoFwd', right, Place.AtoB, eth(MAC.h2, MAC.r1b, '0800', toH2(63, 0x100, 1, icmpEcho(8, 1))));
  fwd('echoReply', (ttl) => toH1(ttl, 0x200, 1, icmpEcho(0, 1)), true);
  fwd('dns', (ttl) => toH2(ttl, 0x101, 17, udp(IP.h1, IP.h2, 40000, 53, DNS_QUERY)));
  const syn = (ttl: number) => toH2(ttl, 0x102, 6, tcp(IP.h1, IP.h2, 40001, 80, '00000064', '00000000', 0x02));
  const lostAt = t;
  const lost = send('syn', left, Place.AtoB, eth(MAC.r1a, MAC.h1, '0800', syn(64)));
  trace.drop({ time: lostAt + 2000, started: lostAt, place: left, dir: Place.AtoB, reason: 'loss', frameId: lost, packetId: -1 });
  fwd('synAgain', syn);
  fwd('synAck', (ttl) => toH1(ttl, 0x201, 6, tcp(IP.h2, IP.h1, 80, 40001, '000003e8', '00000065', 0x12)), true);
  return trace;
}

describe('tshark', () => {
  it('is installed', () => {
    expect(tsharkVersion(), TSHARK_MISSING).not.toBeNull();
    expect(requireTshark()).toMatch(/^TShark/);
  });
});

describe('checkWithTshark on a hand-made trace', () => {
  it('uses real checksum preferences', () => {
    expect(CHECKSUM_PREFS).toEqual(['ip.check_checksum:TRUE', 'udp.check_checksum:TRUE', 'tcp.check_checksum:TRUE']);
  });

  it('decodes Ethernet addresses and the outer TTL', () => {
    expect(decodeFrame(ARP_REQ_H1)).toEqual({ ethDst: 'ff:ff:ff:ff:ff:ff', ethSrc: '02:00:00:00:00:01', ipTtl: '' });
    const tagged = cat(hex(MAC.h2 + MAC.h1 + '8100 0064 0800'), ipv4(IP.h1, IP.h2, 1, 7, 1, icmpEcho(8, 1)));
    expect(decodeFrame(tagged)).toEqual({ ethDst: '02:00:00:00:00:02', ethSrc: '02:00:00:00:00:01', ipTtl: '7' });
  });

  it('passes the whole network, each device, each interface and each link', () => {
    requireTshark();
    const trace = routedTrace();
    expect(checkWithTshark(writePcapng(trace), trace)).toEqual([]);
    for (const capture of ['all-links', 'h1', 'r1', 'h2', 'r1:eth1', 'h1-r1', 'r1-h2']) {
      expect(checkWithTshark(writePcapng(trace, { capture }), trace, { capture }), capture).toEqual([]);
    }
    const start = 1_234_567_890_123_456_789n;
    expect(checkWithTshark(writePcapng(trace, { startEpochNs: start }), trace, { startEpochNs: start })).toEqual([]);
  });

  it('reads classic pcap too', () => {
    requireTshark();
    const trace = routedTrace();
    // Classic pcap has no interface names or directions, so only compare what it carries.
    const problems = checkWithTshark(writePcap(trace, { capture: 'h2' }), trace, { capture: 'h2', keepFile: 'never' });
    expect(problems.filter((p) => !/interface|direction/.test(p))).toEqual([]);
  });

  it('catches a bad ICMP checksum', () => {
    requireTshark();
    const trace = routedTrace((label, f) => (label === 'echoReply' ? flip(f, 14 + 20 + 2) : f));
    const problems = checkWithTshark(writePcapng(trace, ALL), trace, ALL);
    expect(problems).toEqual([
      // ICMP checksums are always validated; tshark 4.0 rates a bad one a warning of the checksum group.
      expect.stringMatching(/^packet 7 \(trace record \d+, eth:ethertype:ip:icmp:data\): expert info: .*Bad checksum \[should be 0x[0-9a-f]{4}\]/),
      expect.stringMatching(/^capture kept at .*all-links\.pcapng$/),
    ]);
    cleanUp(problems);
  });

  it('catches bad IPv4, UDP and TCP checksums (validation is on)', () => {
    requireTshark();
    const trace = routedTrace((label, f) => {
      if (label === 'dns') return flip(f, 14 + 10); // IPv4 header checksum
      if (label === 'dnsFwd') return flip(f, 14 + 20 + 6); // UDP checksum
      if (label === 'synAgainFwd') return flip(f, 14 + 20 + 16); // TCP checksum
      return f;
    });
    const problems = checkWithTshark(writePcapng(trace, ALL), trace, { ...NO_FILE, ...ALL });
    expect(problems.length).toBe(3);
    expect(problems[0]).toMatch(/\(trace record \d+, eth:ethertype:ip:udp:dns\): expert info: .*Bad checksum/);
    expect(problems[1]).toMatch(/\(trace record \d+, eth:ethertype:ip:udp:dns\): expert info: .*Bad checksum/);
    expect(problems[2]).toMatch(/\(trace record \d+, eth:ethertype:ip:tcp\): expert info: .*Bad checksum/);
  });

  it('catches malformed packets', () => {
    requireTshark();
    // A DNS query cut short: UDP and IP lengths and checksums agree, the DNS question does not.
    const short = DNS_QUERY.subarray(0, 20);
    const trace = routedTrace((label, f) =>
      label === 'dns' ? eth(MAC.r1a, MAC.h1, '0800', ipv4(IP.h1, IP.h2, 17, 64, 0x101, udp(IP.h1, IP.h2, 40000, 53, short))) : f,
    );
    const problems = checkWithTshark(writePcapng(trace, ALL), trace, { ...NO_FILE, ...ALL });
    expect(problems[0]).toMatch(/: malformed: .*Malformed Packet/);
    expect(problems.length).toBe(1);
  });

  it('catches a capture that does not match the trace', () => {
    requireTshark();
    const trace = routedTrace();
    // The h1 capture checked as every link: wrong count.
    const wrong = checkWithTshark(writePcapng(trace, { capture: 'h1' }), trace, { ...NO_FILE, ...ALL });
    expect(wrong).toContain('tshark saw 8 packets, the trace has 15 for this capture');
    // A byte changed after writing: eth.src (and our reader) disagree.
    const bytes = writePcapng(trace, ALL);
    const at = indexOf(bytes, hex(MAC.r1b + MAC.h2 + '0806'));
    bytes[at + 11] ^= 0x10;
    const problems = checkWithTshark(bytes, trace, { ...NO_FILE, ...ALL });
    expect(problems).toContain('our reader: packet 5 bytes differ from the trace');
    expect(problems).toContainEqual(
      expect.stringMatching(/^packet 5 \(trace record \d+, eth:ethertype:arp\): eth\.src 02:00:00:00:00:12 != 02:00:00:00:00:02$/),
    );
    // A wrong epoch shows up in every timestamp.
    const late = checkWithTshark(writePcapng(trace, { ...ALL, startEpochNs: 1_700_000_001_000_000_000 }), trace, { ...NO_FILE, ...ALL });
    expect(late).toHaveLength(15);
    expect(late[0]).toMatch(/frame\.time_epoch 1700000001\.000001000 != 1700000000\.000001000/);
  });
});

/** The checks below corrupt frames on either link: capture every link, so each is in the file. */
const ALL = { capture: 'all-links' } as const;

/** Negative tests expect problems: no need to keep their files. */
const NO_FILE = { keepFile: 'never' } as const;

/** Removes the file a check kept, named in its last problem. */
function cleanUp(problems: string[]): void {
  const m = /^capture kept at (.*)$/.exec(problems[problems.length - 1] ?? '');
  if (m) rmSync(dirname(m[1]), { recursive: true, force: true });
}

function flip(frame: Uint8Array, at: number): Uint8Array {
  const f = frame.slice();
  f[at] ^= 0x5a;
  return f;
}

function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  throw new Error('needle not found');
}
