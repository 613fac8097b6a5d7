/**
 * What the bundled scenes' descriptions say, checked against their traces. Each `describe` is one
 * scene; each `it` is one claim of its description, in its words. (The TCP, QUIC, HTTP, path-MTU and
 * overload scenes are checked in test/wire, test/protocols/quic, test/apps and test/overload.)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScene } from '../../src/scenario/load';
import { simulate } from '../../src/scenario/simulate';
import { readTcpHeader } from '../../src/protocols/tcp/tcp-header';
import { TraceView, type SeenFrame } from '../helpers/net';

function run(name: string): TraceView {
  const r = loadScene(readFileSync(new URL(`../../scenes/${name}.yaml`, import.meta.url), 'utf8'), `${name}.yaml`);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return new TraceView(simulate(r.scene).trace);
}

const MS = 1e6;
const BROADCAST = 'ff:ff:ff:ff:ff:ff';
const isEcho = (type: number) => (f: SeenFrame) => f.icmp?.type === type;

describe('router-ping: what its description says', () => {
  const v = run('router-ping');

  it('h1 first asks with ARP who has its gateway', () => {
    const first = v.frames('h1-sw1', 'a>b')[0];
    expect(first.ethDst).toBe(BROADCAST);
    expect(first.arp).toMatchObject({ op: 1, senderIp: '10.0.0.1', targetIp: '10.0.0.254' });
    // Nothing else left h1 before the gateway answered.
    const reply = v.frames('h1-sw1', 'b>a')[0];
    expect(reply.arp).toMatchObject({ op: 2, senderIp: '10.0.0.254', targetIp: '10.0.0.1' });
    expect(v.frames('h1-sw1', 'a>b')[1].time).toBeGreaterThanOrEqual(reply.arrival);
  });

  it('then its ping crosses r1, which asks with ARP for h2 on the other side', () => {
    const onR1Sw2 = v.frames('r1-sw2', 'a>b');
    expect(onR1Sw2[0].arp).toMatchObject({ op: 1, senderIp: '10.0.1.254', targetIp: '10.0.1.5' });
    // r1 asks only once the first echo request has reached it.
    const firstEcho = v.frames('sw1-r1', 'a>b').find(isEcho(8))!;
    expect(onR1Sw2[0].time).toBeGreaterThanOrEqual(firstEcho.arrival);
    const echoesOut = onR1Sw2.filter(isEcho(8));
    const h2Reply = v.frames('r1-sw2', 'b>a')[0];
    expect(h2Reply.arp).toMatchObject({ op: 2, senderIp: '10.0.1.5', targetIp: '10.0.1.254' });
    expect(echoesOut[0].time).toBeGreaterThanOrEqual(h2Reply.arrival);
    expect(v.logs('h1')).toContain('3 packets transmitted, 3 received, 0% packet loss, time 20ms');
  });

  it('the TTL drops by one at the router', () => {
    const ttls = (link: string, dir: 'a>b' | 'b>a', type: number) => [
      ...new Set(
        v
          .frames(link, dir)
          .filter(isEcho(type))
          .map((f) => f.ip!.ttl),
      ),
    ];
    expect(ttls('h1-sw1', 'a>b', 8)).toEqual([64]);
    expect(ttls('sw1-r1', 'a>b', 8)).toEqual([64]);
    expect(ttls('r1-sw2', 'a>b', 8)).toEqual([63]);
    expect(ttls('sw2-h2', 'a>b', 8)).toEqual([63]);
    expect(ttls('sw2-h2', 'b>a', 0)).toEqual([64]);
    expect(ttls('h1-sw1', 'b>a', 0)).toEqual([63]);
  });

  it('the Ethernet addresses change at the router (the switches pass them unchanged) while the IP addresses stay the same', () => {
    const pairs = (link: string) => [
      ...new Set(
        v
          .frames(link, 'a>b')
          .filter(isEcho(8))
          .map((f) => `${f.ethSrc}>${f.ethDst} ${f.ip!.src}>${f.ip!.dst}`),
      ),
    ];
    const h1Side = pairs('h1-sw1');
    const h2Side = pairs('sw2-h2');
    expect(h1Side).toHaveLength(1);
    expect(pairs('sw1-r1')).toEqual(h1Side);
    expect(pairs('r1-sw2')).toEqual(h2Side);
    expect(h2Side).toHaveLength(1);
    const [macs1, ips1] = h1Side[0].split(' ');
    const [macs2, ips2] = h2Side[0].split(' ');
    expect(ips1).toBe('10.0.0.1>10.0.1.5');
    expect(ips2).toBe(ips1);
    const [src1, dst1] = macs1.split('>');
    const [src2, dst2] = macs2.split('>');
    expect(src2).not.toBe(src1);
    expect(dst2).not.toBe(dst1);
  });
});

describe('traceroute: what its description says', () => {
  const v = run('traceroute');
  const probes = v.frames('h1-r1', 'a>b').filter((f) => f.ip?.protocol === 17);
  const ROUTERS: [string, string][] = [
    ['r1', '10.0.0.254'],
    ['r2', '10.0.1.2'],
    ['r3', '10.0.2.2'],
  ];

  it('traceroute sends UDP probes with TTL 1, 2, 3, ...', () => {
    expect(probes.map((f) => f.ip!.ttl)).toEqual([1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]);
    expect(probes.every((f) => f.ip!.dst === '10.0.3.10')).toBe(true);
  });

  it("each router that decrements a probe's TTL to zero drops it and answers with ICMP Time Exceeded, revealing itself", () => {
    const back = v.frames('h1-r1', 'b>a').filter((f) => f.icmp?.type === 11);
    expect(back.map((f) => f.icmp!.code)).toEqual(Array(9).fill(0));
    ROUTERS.forEach(([router, addr], i) => {
      const drops = v.drops(router).filter((d) => d.reason.startsWith('TTL expired'));
      expect(drops).toHaveLength(3);
      expect(back.slice(3 * i, 3 * i + 3).map((f) => f.ip!.src)).toEqual([addr, addr, addr]);
      // The router is revealed in traceroute's output.
      expect(v.logs('h1')[i + 1]).toMatch(new RegExp(`^ ${i + 1} {2}${addr.replace(/\./g, '\\.')} `));
    });
    // No probe with TTL n gets past router n.
    expect(
      v
        .frames('r3-h2', 'a>b')
        .filter((f) => f.ip?.protocol === 17)
        .map((f) => f.ip!.ttl),
    ).toEqual([1, 1, 1]);
  });

  it('the destination answers with ICMP Port Unreachable, which ends the trace', () => {
    const unreachable = v.frames('h1-r1', 'b>a').filter((f) => f.icmp?.type === 3);
    expect(unreachable).toHaveLength(3);
    unreachable.forEach((f) => expect([f.icmp!.code, f.ip!.src]).toEqual([3, '10.0.3.10']));
    // Ends the trace: the last line is the destination, and no probe follows the last answer.
    expect(v.logs('h1').at(-1)).toMatch(/^ 4 {2}10\.0\.3\.10 /);
    expect(probes.at(-1)!.time).toBeLessThan(unreachable.at(-1)!.time);
    expect(v.logs('h1')).toHaveLength(5);
  });
});

describe('hub-vs-switch: what its description says', () => {
  const v = run('hub-vs-switch');
  const HUB = ['h1', 'h2', 'h3', 'h4'];
  const SW = ['h5', 'h6', 'h7', 'h8'];
  const collisions = (host: string) => v.drops(`${host}-hub1`).filter((d) => d.reason.startsWith('collision'));

  it('at the same moment h1 pings h3 and h2 pings h4', () => {
    expect(v.logRows('h1')[0]).toEqual({ time: 1 * MS, text: 'PING 10.0.1.3 (10.0.1.3) 56(84) bytes of data.' });
    expect(v.logRows('h2')[0]).toEqual({ time: 1 * MS, text: 'PING 10.0.1.4 (10.0.1.4) 56(84) bytes of data.' });
  });

  it('on the hub every frame reaches every port', () => {
    let repeated = 0;
    for (const host of HUB) {
      for (const f of v.frames(`${host}-hub1`, 'a>b')) {
        if (v.drops(`${host}-hub1`).some((d) => d.packetId === f.packetId && d.started === f.time)) continue;
        for (const other of HUB.filter((h) => h !== host)) {
          const copy = v.frames(`${other}-hub1`, 'b>a').find((g) => g.time >= f.time && g.time <= f.end && g.ethSrc === f.ethSrc && g.ethDst === f.ethDst);
          expect(copy, `${host}'s frame at ${f.time} on ${other}'s port`).toBeDefined();
        }
        repeated++;
      }
    }
    expect(repeated).toBeGreaterThan(12);
  });

  it('the two senders share one collision domain: their frames collide and both back off', () => {
    const c1 = collisions('h1');
    const c2 = collisions('h2');
    expect(c1.length).toBeGreaterThan(0);
    expect(c1.map((d) => d.time)).toEqual(c2.map((d) => d.time));
    // Both back off and try again later, and in the end every ping is answered.
    for (const [host, cs] of [
      ['h1', c1],
      ['h2', c2],
    ] as const) {
      for (const d of cs) expect(v.frames(`${host}-hub1`, 'a>b').some((f) => f.time > d.time)).toBe(true);
      expect(v.logs(host)).toContain('3 packets transmitted, 3 received, 0% packet loss, time 10ms');
    }
    expect(collisions('h3').length + collisions('h4').length).toBe(0);
  });

  it('the switch learns where each address lives and forwards each unicast frame only to its port (broadcasts go to every port)', () => {
    const macOf = new Map<string, string>();
    for (const h of SW) macOf.set(v.frames(`${h}-sw1`, 'a>b')[0].ethSrc, h);
    let unicast = 0;
    for (const host of SW) {
      for (const f of v.frames(`${host}-sw1`, 'a>b')) {
        const out = SW.filter((h) => h !== host).filter((h) =>
          v
            .frames(`${h}-sw1`, 'b>a')
            .some(
              (g) =>
                g.time >= f.time &&
                g.time <= f.arrival + MS &&
                g.ethSrc === f.ethSrc &&
                g.ethDst === f.ethDst &&
                g.bytes.length === f.bytes.length &&
                g.bytes.every((b, i) => b === f.bytes[i]),
            ),
        );
        if (f.ethDst === BROADCAST) expect(out).toHaveLength(3);
        else {
          expect(out).toEqual([macOf.get(f.ethDst)]);
          unicast++;
        }
      }
    }
    expect(unicast).toBeGreaterThan(12);
  });

  it('so both conversations run at once', () => {
    expect(SW.flatMap((h) => v.drops(`${h}-sw1`))).toEqual([]);
    const f5 = v.frames('h5-sw1', 'a>b').filter(isEcho(8));
    const f6 = v.frames('h6-sw1', 'a>b').filter(isEcho(8));
    // h5's and h6's echo requests are on their wires at the same time.
    expect(f5.some((a) => f6.some((b) => a.time < b.end && b.time < a.end))).toBe(true);
    for (const h of ['h5', 'h6']) expect(v.logs(h)).toContain('3 packets transmitted, 3 received, 0% packet loss, time 10ms');
  });
});

describe('dns-lookup: what its description says', () => {
  const v = run('dns-lookup');
  const dns = (link: string, dir?: 'a>b' | 'b>a') => v.frames(link, dir).filter((f) => f.ip?.protocol === 17);
  const fromResolver = dns('resolver-sw1', 'a>b');
  const SECOND = 250 * MS;

  it('h1 asks its resolver for example.com twice with dig', () => {
    const asks = dns('h1-sw1', 'a>b');
    expect(asks.map((f) => [f.ip!.dst, f.time])).toEqual([
      ['10.0.0.53', expect.any(Number)],
      ['10.0.0.53', SECOND],
    ]);
    asks.forEach((f) => expect(f.dissected.summary).toMatch(/^Standard query 0x[0-9a-f]{4} A example\.com/));
  });

  it("the first time the resolver asks a root server, which refers it to the com servers; the com server refers it to example.com's own name server, which finally answers with the address", () => {
    const queries = fromResolver.filter((f) => f.time < SECOND && f.ip!.dst !== '10.0.0.10');
    expect(queries.map((f) => f.ip!.dst)).toEqual(['10.0.1.53', '10.0.2.53', '10.0.3.53']);
    const answers = dns('resolver-sw1', 'b>a').filter((f) => f.ip!.src !== '10.0.0.10');
    expect(answers.map((f) => [f.ip!.src, f.dissected.summary.replace(/0x[0-9a-f]{4} /, '')])).toEqual([
      ['10.0.1.53', 'Standard query response A example.com NS a.gtld-servers.net'],
      ['10.0.2.53', 'Standard query response A example.com NS ns1.example.com'],
      ['10.0.3.53', 'Standard query response A example.com A 93.184.216.34'],
    ]);
    // Each question waits for the previous referral.
    for (let i = 1; i < 3; i++) expect(queries[i].time).toBeGreaterThanOrEqual(answers[i - 1].arrival);
    expect(v.logs('h1')).toContain('example.com.            300     IN      A       93.184.216.34');
  });

  it("each referral is cached for its TTL (see the resolver's dns-cache rows)", () => {
    const cache = v.states('resolver', 'dns-cache ').map((r) => `${r.key.slice('dns-cache '.length)} = ${r.value}`);
    expect(cache).toEqual([
      'com NS = a.gtld-servers.net. ttl 172800',
      'a.gtld-servers.net A = 10.0.2.53 ttl 172800',
      'example.com NS = ns1.example.com. ttl 172800',
      'ns1.example.com A = 10.0.3.53 ttl 172800',
      'example.com A = 93.184.216.34 ttl 300',
    ]);
  });

  it('the second dig, a moment later, is answered straight from the cache: no query leaves the resolver, the answer comes back in a few milliseconds, and its TTL has counted down', () => {
    const later = fromResolver.filter((f) => f.time >= SECOND);
    expect(later.map((f) => f.ip!.dst)).toEqual(['10.0.0.10']);
    expect(v.frames('sw1-r1').filter((f) => f.time >= SECOND && f.ip)).toEqual([]);
    const times = v.logs('h1').filter((l) => l.startsWith(';; Query time:'));
    expect(times[1]).toBe(';; Query time: 4 msec');
    const ttls = v
      .logs('h1')
      .filter((l) => l.startsWith('example.com.'))
      .map((l) => Number(l.split(/\s+/)[1]));
    expect(ttls[0]).toBe(300);
    expect(ttls[1]).toBeLessThan(300);
  });
});

/** TLS-over-TCP frames on the one link of the TLS scenes, from `from` on. */
function tlsFrames(v: TraceView, from: number, to: number): SeenFrame[] {
  return v.frames('browser-web').filter((f) => f.time >= from && f.time < to && f.ip?.protocol === 6);
}
const firstByte = (line: string | undefined) => Number(/first byte (\d+\.\d+) s/.exec(line ?? '')![1]);

describe('tls12-vs-tls13: what its description says', () => {
  const v = run('tls12-vs-tls13');
  const RTT = 40 * MS;
  const v12 = tlsFrames(v, 100 * MS, 400 * MS);
  const v13 = tlsFrames(v, 400 * MS, 800 * MS);
  const lines = v.logs('browser');
  const say = (fs: SeenFrame[], s: string) => fs.find((f) => f.dissected.summary.startsWith(s))!;

  it('after the TCP handshake (one round trip: SYN, SYN-ACK), TLS 1.2 needs two more', () => {
    const syn = v12[0];
    expect(syn.dissected.summary).toMatch(/\[SYN\]/);
    expect(v12[1].dissected.summary).toMatch(/\[SYN, ACK\]/);
    expect(v12[1].arrival - syn.time).toBeLessThan(RTT + MS);
    const hello = say(v12, 'Client Hello');
    const flight = say(v12, 'Server Hello');
    expect(flight.dissected.summary).toBe('Server Hello, Certificate, Server Key Exchange, Server Hello Done');
    expect(flight.dir).toBe('b>a');
    const cke = say(v12, 'Client Key Exchange');
    expect(cke.dissected.summary).toBe('Client Key Exchange, Change Cipher Spec, Encrypted Handshake Message');
    expect(cke.time).toBeGreaterThanOrEqual(flight.arrival);
    const fin = v12.find((f) => f.dir === 'b>a' && f.time > cke.time && f.dissected.summary.includes('Change Cipher Spec'))!;
    expect(fin.dissected.summary).toMatch(/Change Cipher Spec, Encrypted Handshake Message$/);
    expect(fin.time).toBeGreaterThanOrEqual(cke.arrival);
    expect(fin.arrival - hello.time).toBeLessThan(2 * RTT + MS);
    expect(lines.find((l) => l.startsWith('TLS 1.2'))).toMatch(/connect 0\.040\d+ s, TLS done 0\.120\d+ s/);
  });

  it('only then can the request leave, and its answer is the fourth round trip: four before the first byte of the response', () => {
    const fin = v12.find((f) => f.dir === 'b>a' && f.dissected.summary.includes('Change Cipher Spec'))!;
    const requestAt = v.logRows('browser').find((r) => r.text === '> GET / HTTP/2' && r.time < 400 * MS)!.time;
    expect(requestAt).toBeGreaterThanOrEqual(fin.arrival);
    const fb = firstByte(lines.find((l) => l.startsWith('TLS 1.2')));
    expect(Math.floor((fb * 1e9) / RTT)).toBe(4);
  });

  it("then it offers TLS 1.3: the client sends its key share in the ClientHello, so the server's first flight (ServerHello, then encrypted records) completes the handshake", () => {
    const hello = say(v13, 'Client Hello');
    expect(hello.field('tls.handshake.extensions_key_share_group')).toBeDefined();
    const flight = say(v13, 'Server Hello');
    expect(flight.dissected.summary).toBe('Server Hello, Application Data');
    // Nothing else from the server before the client's Finished.
    expect(v13.filter((f) => f.dir === 'b>a' && f.time > hello.time && f.time < flight.time).every((f) => f.dissected.summary.includes('[ACK]'))).toBe(true);
    expect(lines.find((l) => l.startsWith('TLS 1.3'))).toMatch(/TLS done 0\.080\d+ s/);
  });

  it("the request leaves together with the client's Finished: three round trips", () => {
    const flight = say(v13, 'Server Hello');
    const next = v13.filter((f) => f.dir === 'a>b' && f.time >= flight.arrival && f.dissected.summary === 'Application Data');
    // Finished and the request go out back to back, the moment the server's flight has arrived.
    expect(next.length).toBeGreaterThanOrEqual(2);
    expect(next[1].time - flight.arrival).toBeLessThan(MS);
    const requestAt = v.logRows('browser').find((r) => r.text === '> GET / HTTP/2' && r.time > 400 * MS)!.time;
    expect(requestAt - flight.arrival).toBeLessThan(MS);
    expect(Math.floor((firstByte(lines.find((l) => l.startsWith('TLS 1.3'))) * 1e9) / RTT)).toBe(3);
  });

  it('TLS 1.3 saves a whole round trip (40 ms on this 20 ms link)', () => {
    const d = firstByte(lines.find((l) => l.startsWith('TLS 1.2'))) - firstByte(lines.find((l) => l.startsWith('TLS 1.3')));
    expect(d).toBeCloseTo(0.04, 3);
  });

  it('the ping first only fills the ARP caches, so neither fetch pays for that', () => {
    expect(v.frames('browser-web').filter((f) => f.arp && f.time >= 100 * MS)).toEqual([]);
    expect(v.frames('browser-web').filter((f) => f.arp).length).toBeGreaterThan(0);
  });

  it('from the ServerHello on, TLS 1.3 encrypts even the certificate', () => {
    expect(v13.some((f) => f.field('tls.handshake.certificate') !== undefined)).toBe(false);
    expect(v12.some((f) => f.field('tls.handshake.certificate') !== undefined)).toBe(true);
  });
});

describe('tls13-0rtt: what its description says', () => {
  const v = run('tls13-0rtt');
  const RTT = 40 * MS;
  const first = tlsFrames(v, 100 * MS, 400 * MS);
  const second = tlsFrames(v, 400 * MS, 700 * MS);
  const lines = v.logs('browser');
  const visit1 = lines.find((l) => l.startsWith('first visit'));
  const visit2 = lines.find((l) => l.startsWith('second visit'));

  it("the first visit is a full TLS 1.3 handshake: TCP, then ClientHello and the server's flight, then the request with the client's Finished (a third) before the first byte", () => {
    const hello = first.find((f) => f.dissected.summary.startsWith('Client Hello'))!;
    expect(hello.field('tls.handshake.extensions.psk.identities')).toBeUndefined();
    expect(first.find((f) => f.dissected.summary.startsWith('Server Hello'))!.dissected.summary).toBe('Server Hello, Application Data');
    expect(Math.floor((firstByte(visit1) * 1e9) / RTT)).toBe(3);
  });

  it('on the second visit the browser offers that ticket (a pre-shared key) in its ClientHello and the HTTP request follows the ClientHello at once (0-RTT early data)', () => {
    const hello = second.find((f) => f.dissected.summary.startsWith('Client Hello'))!;
    expect(hello.field('tls.handshake.extensions.psk.identities')).toBeDefined();
    expect(hello.field('tls.handshake.extensions.early_data')).toBeDefined();
    // The early data rides in the same segment as the ClientHello.
    expect(hello.dissected.summary).toBe('Client Hello (SNI=www.example.test), Application Data');
    const requestAt = v.logRows('browser').find((r) => r.text === '> GET / HTTP/1.1' && r.time > 400 * MS)!.time;
    expect(requestAt).toBeLessThanOrEqual(hello.time);
  });

  it('the server accepts it, answers with its ServerHello and Finished and the response straight after: two round trips instead of three', () => {
    const sh = second.find((f) => f.dissected.summary.startsWith('Server Hello'))!;
    expect(sh.field('tls.handshake.extensions.psk.identity.selected')).toBeDefined();
    const after = second.filter((f) => f.dir === 'b>a' && f.time > sh.time && f.dissected.summary === 'Application Data');
    expect(after[0].time - sh.time).toBeLessThan(MS);
    expect(Math.floor((firstByte(visit2) * 1e9) / RTT)).toBe(2);
    expect(firstByte(visit1) - firstByte(visit2)).toBeCloseTo(0.04, 3);
  });
});

describe('tls-failures: what its description says', () => {
  const v = run('tls-failures');
  const attempts = [tlsFrames(v, 0, 200 * MS), tlsFrames(v, 200 * MS, 400 * MS), tlsFrames(v, 400 * MS, Infinity)];
  const web = v.logs('web');

  it('three HTTPS requests that fail during the TLS handshake, each ending in an alert', () => {
    expect(attempts.map((a) => a.some((f) => f.dissected.summary.startsWith('Client Hello')))).toEqual([true, true, true]);
    expect(web.filter((l) => l.includes('TLS handshake with 10.0.0.1 failed'))).toHaveLength(3);
    expect(v.logs('browser').filter((l) => l.startsWith('curl: ('))).toHaveLength(3);
  });

  it("the server's certificate names only www.example.test: the client checks the name, finds no match and sends a fatal bad_certificate alert", () => {
    expect(attempts[0].find((f) => f.dissected.summary.startsWith('Client Hello'))!.field('tls.handshake.extensions_server_name')).toBe('shop.example.test');
    expect(v.logs('browser')).toContain('* TLSv1.3 (OUT), TLS alert, bad certificate (554):');
    expect(web).toContain('http-server: TLS handshake with 10.0.0.1 failed: received alert bad_certificate');
  });

  it('then it contacts the server on port 8443, whose certificate expired: certificate_expired', () => {
    expect(attempts[1][0].dissected.summary).toMatch(/→ 8443 \[SYN\]/);
    expect(v.logs('browser')).toContain('* TLSv1.3 (OUT), TLS alert, certificate expired (557):');
    expect(web).toContain('http-server: TLS handshake with 10.0.0.1 failed: received alert certificate_expired');
  });

  it('last, it offers only TLS 1.2 to the server on port 443, which speaks only TLS 1.3: the server answers the ClientHello with a protocol_version alert', () => {
    expect(attempts[2][0].dissected.summary).toMatch(/→ 443 \[SYN\]/);
    const fromServer = attempts[2].filter((f) => f.dir === 'b>a' && !/\[(SYN, )?ACK\]|\[FIN|\[RST/.test(f.dissected.summary));
    expect(fromServer.map((f) => f.dissected.summary)).toEqual(['Alert (Fatal, protocol_version)']);
    expect(web.at(-1)).toMatch(/sent alert protocol_version/);
  });

  it('in every case no HTTP request is ever sent', () => {
    expect(v.logs('browser').filter((l) => l.startsWith('> '))).toEqual([]);
    // After its alert the client sends no more TLS records.
    attempts.slice(0, 2).forEach((a) => expect(a.filter((f) => f.dir === 'a>b' && f.dissected.summary === 'Application Data')).toHaveLength(1));
  });

  it('the first two alerts travel encrypted; the last one is in the clear', () => {
    attempts.slice(0, 2).forEach((a) => {
      const alert = a.filter((f) => f.dir === 'a>b' && f.dissected.summary === 'Application Data')[0];
      expect(alert.field('tls.alert_message.desc')).toBeUndefined();
      expect(alert.time).toBeGreaterThan(a.find((f) => f.dissected.summary.startsWith('Server Hello'))!.time);
    });
    expect(attempts[2].find((f) => f.dissected.summary.startsWith('Alert'))!.field('tls.alert_message.desc')).toMatch(/protocol_version|70/);
  });
});

describe('h2-hol-blocking: what its description says', () => {
  const v = run('h2-hol-blocking');
  const H1 = 600 * MS;
  const segs = v
    .frames('browser-web')
    .filter((f) => f.ip?.protocol === 6)
    .map((f) => {
      const h = readTcpHeader(f.bytes, 14 + (f.bytes[14] & 0x0f) * 4);
      return { f, h, len: f.ip!.totalLength - (f.bytes[14] & 0x0f) * 4 - (f.bytes[14 + (f.bytes[14] & 0x0f) * 4 + 12] >> 4) * 4 };
    });
  const h2 = segs.filter((s) => s.f.time < H1);
  const lost = v.drops('browser-web').filter((d) => d.time < H1);
  const lostSeg = h2.find((s) => s.f.packetId === lost[0]?.packetId)!;
  const resent = h2.find((s) => s.f.dir === 'b>a' && s.h.seq === lostSeg.h.seq && s.len > 0 && s.f.time > lostSeg.f.time)!;
  const done = (text: string) => v.logRows('browser').filter((r) => r.time < H1 && r.text.includes(text));

  it('the browser loads a page with six 20 kB images over HTTP/2: one TCP connection carries all six responses', () => {
    const images = done('/img/');
    expect(images).toHaveLength(6);
    images.forEach((r) => expect(r.text).toMatch(/ 200 {2}\/img\/\d\.svg {9}20000 B {2}conn #0 /));
    expect(h2.filter((s) => s.f.dir === 'a>b' && s.h.flags & 0x02)).toHaveLength(1);
  });

  it('one TCP segment from the server is lost on the way (a fault drops it)', () => {
    expect(lost).toHaveLength(1);
    expect(lost[0].reason).toMatch(/^dropped by fault/);
    expect([lostSeg.f.dir, lostSeg.h.srcPort, lostSeg.len > 0]).toEqual(['b>a', 8000, true]);
  });

  it('watch the duplicate ACKs and the fast retransmit', () => {
    const dupAcks = h2.filter((s) => s.f.dir === 'a>b' && s.len === 0 && s.h.ack === lostSeg.h.seq && s.f.time > lostSeg.f.time && s.f.time < resent.f.time);
    // The first ACK of the hole's sequence number acknowledges the data before it; the rest are duplicates.
    expect(dupAcks.length - 1).toBeGreaterThanOrEqual(3);
    // Fast: resent when the third duplicate ACK arrives, not after a retransmission timeout.
    expect(resent.f.time - dupAcks[3].f.arrival).toBeLessThan(MS);
  });

  it('until the missing segment arrives, no image makes progress, although data for all of them keeps arriving', () => {
    expect(done('/img/').every((r) => r.time >= resent.f.arrival)).toBe(true);
    const meanwhile = h2.filter((s) => s.f.dir === 'b>a' && s.len > 0 && s.f.time > lostSeg.f.time && s.f.time < resent.f.time);
    expect(meanwhile.length).toBeGreaterThan(3);
  });

  it('then the browser loads the same page over HTTP/1.1 with six connections and loses one segment again', () => {
    const h1 = segs.filter((s) => s.f.time >= H1);
    expect(h1.filter((s) => s.f.dir === 'a>b' && s.h.flags & 0x02 && !(s.h.flags & 0x10))).toHaveLength(6);
    expect(v.drops('browser-web').filter((d) => d.time >= H1)).toHaveLength(1);
    expect(v.logs('browser').at(-1)).toMatch(/8 requests \(8 ok\), 120489 B, 6 connections/);
  });

  it('only the connection that lost a segment waits; the other five connections carry on', () => {
    const drop = v.drops('browser-web').filter((d) => d.time >= H1)[0];
    const lost1 = segs.find((s) => s.f.packetId === drop.packetId)!;
    const again = segs.find((s) => s.f.dir === 'b>a' && s.h.dstPort === lost1.h.dstPort && s.h.seq === lost1.h.seq && s.f.time > lost1.f.time)!;
    expect(again).toBeDefined();
    const meanwhile = segs.filter((s) => s.f.dir === 'b>a' && s.len > 0 && s.f.time > lost1.f.time && s.f.time < again.f.time);
    // While the lost segment is missing, data for five other connections keeps arriving.
    expect(new Set(meanwhile.map((s) => s.h.dstPort).filter((p) => p !== lost1.h.dstPort)).size).toBe(5);
  });
});
