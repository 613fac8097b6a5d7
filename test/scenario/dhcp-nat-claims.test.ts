/**
 * What the dhcp-dora and nat-home-router scenes' descriptions say, checked against their traces:
 * each `it` is one claim of the description, in its words.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatIpv4 } from '../../src/protocols/addr';
import { decodeDhcp, DHCP_FLAG_BROADCAST, DhcpType, type DhcpMessage } from '../../src/protocols/dhcp/dhcp';
import { loadScene } from '../../src/scenario/load';
import { simulate } from '../../src/scenario/simulate';
import { TraceView, type SeenFrame } from '../helpers/net';

const MS = 1e6;
const S = 1e9;

function run(name: string): TraceView {
  const r = loadScene(readFileSync(new URL(`../../scenes/${name}.yaml`, import.meta.url), 'utf8'), `${name}.yaml`);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return new TraceView(simulate(r.scene).trace);
}

function dhcp(v: TraceView, link: string, dir: 'a>b' | 'b>a'): { f: SeenFrame; m: DhcpMessage }[] {
  return v
    .frames(link, dir)
    .filter((f) => f.dissected.protocol === 'DHCP')
    .map((f) => {
      const d = decodeDhcp(f.bytes, 42);
      if (!d.ok) throw new Error(d.error);
      return { f, m: d.value };
    });
}

/** The state rows of `node` under `prefix` as they stand at `t`. */
function rowsAt(v: TraceView, node: string, prefix: string, t: number): Map<string, string> {
  const rows = new Map<string, string>();
  for (const s of v.states(node, prefix)) {
    if (s.time > t) break;
    if (s.value === '') rows.delete(s.key);
    else rows.set(s.key, s.value);
  }
  return rows;
}

describe('dhcp-dora: what its description says', () => {
  const v = run('dhcp-dora');
  const hostLinks = { h1: ['h1-sw1', 'a>b'], h2: ['h2-sw1', 'a>b'], h3: ['sw2-h3', 'b>a'], h4: ['sw2-h4', 'b>a'] } as const;
  const back = (d: 'a>b' | 'b>a') => (d === 'a>b' ? 'b>a' : 'a>b');

  it('four hosts boot with no address: each first sends a DISCOVER from 0.0.0.0', () => {
    for (const [host, [link, dir]] of Object.entries(hostLinks)) {
      const first = v.frames(link, dir)[0];
      expect(first.time, host).toBe(0);
      expect(first.ip?.src, host).toBe('0.0.0.0');
      expect(dhcp(v, link, dir)[0].m.options.type, host).toBe(DhcpType.Discover);
    }
  });

  it('on the left LAN, h1 and h2 broadcast DISCOVER to 255.255.255.255 with the broadcast flag; srv broadcasts an OFFER, the host REQUESTs it, srv ACKs', () => {
    for (const host of ['h1', 'h2'] as const) {
      const [link, dir] = hostLinks[host];
      const out = dhcp(v, link, dir).filter((x) => x.f.time < S);
      const answers = dhcp(v, link, back(dir)).filter((x) => x.f.time < S && x.m.chaddr === out[0].m.chaddr);
      expect(out.map((x) => x.m.options.type)).toEqual([DhcpType.Discover, DhcpType.Request]);
      expect(answers.map((x) => x.m.options.type)).toEqual([DhcpType.Offer, DhcpType.Ack]);
      for (const { f, m } of out) {
        expect(f.ip?.dst).toBe('255.255.255.255');
        expect(f.ethDst).toBe('ff:ff:ff:ff:ff:ff');
        expect(m.flags & DHCP_FLAG_BROADCAST).toBe(DHCP_FLAG_BROADCAST);
      }
      for (const { f } of answers) expect(f.ip).toMatchObject({ src: '10.0.0.2', dst: '255.255.255.255' });
      // In that order: each message after the previous one arrived.
      const seq = [out[0], answers[0], out[1], answers[1]];
      for (let i = 1; i < seq.length; i++) expect(seq[i].f.time).toBeGreaterThanOrEqual(seq[i - 1].f.time);
    }
  });

  it("on the right LAN, r1 sends h3's and h4's broadcasts on to srv as unicast with giaddr 10.0.1.254", () => {
    const relayed = dhcp(v, 'sw1-r1', 'b>a').filter((x) => x.m.giaddr !== 0);
    expect(relayed.map((x) => x.m.options.type)).toEqual([DhcpType.Discover, DhcpType.Discover, DhcpType.Request, DhcpType.Request]);
    for (const { f, m } of relayed) {
      expect(f.ip).toMatchObject({ src: '10.0.0.254', dst: '10.0.0.2' });
      expect(formatIpv4(m.giaddr)).toBe('10.0.1.254');
    }
  });

  it('srv picks the pool for that subnet, and r1 broadcasts the replies back', () => {
    const replies = dhcp(v, 'sw1-r1', 'a>b').filter((x) => x.f.ip?.dst === '10.0.1.254');
    expect(replies).toHaveLength(4);
    expect(replies.every((x) => formatIpv4(x.m.yiaddr).startsWith('10.0.1.'))).toBe(true);
    const onRight = dhcp(v, 'r1-sw2', 'a>b').filter((x) => x.f.time < S);
    expect(onRight.map((x) => x.m.options.type)).toEqual([DhcpType.Offer, DhcpType.Offer, DhcpType.Ack, DhcpType.Ack]);
    for (const { f } of onRight) expect(f.ip).toMatchObject({ src: '10.0.1.254', dst: '255.255.255.255' });
    expect(v.stateOf('h3', 'addr eth0')).toBe('10.0.1.100/24');
    expect(v.stateOf('h4', 'addr eth0')).toBe('10.0.1.101/24');
  });

  it('each lease gives the address, the subnet mask, the gateway and the DNS server', () => {
    for (const [host, [link, dir]] of Object.entries(hostLinks)) {
      const ack = dhcp(v, link, back(dir)).find((x) => x.m.options.type === DhcpType.Ack && x.m.chaddr === dhcp(v, link, dir)[0].m.chaddr)!;
      const o = ack.m.options;
      expect(o.subnetMask, host).toBe(0xffffff00);
      expect(o.dns?.map(formatIpv4), host).toEqual(['10.0.0.53']);
      const gw = host === 'h3' || host === 'h4' ? '10.0.1.254' : '10.0.0.254';
      expect(o.routers?.map(formatIpv4), host).toEqual([gw]);
      expect(v.stateOf(host, 'addr eth0'), host).toBe(`${formatIpv4(ack.m.yiaddr)}/24`);
      expect(v.stateOf(host, 'default route'), host).toBe(`via ${gw}`);
    }
  });

  it("h3's ping to h1, started before its lease, waits for it and crosses r1, the gateway its lease gave", () => {
    const logs = v.logRows('h3');
    const bound = logs.find((r) => r.text.startsWith('bound to'))!;
    const ping = logs.find((r) => r.text.startsWith('PING 10.0.0.100'))!;
    expect(ping.time).toBeGreaterThanOrEqual(bound.time);
    expect(bound.time).toBeGreaterThan(1 * MS); // the run entry says 1ms
    const echoes = v.frames('r1-sw2', 'b>a').filter((f) => f.icmp?.type === 8);
    expect(echoes.map((f) => f.ip?.src)).toEqual(['10.0.1.100', '10.0.1.100']);
    expect(v.frames('sw1-r1', 'a>b').filter((f) => f.icmp?.type === 0)).toHaveLength(2);
    expect(v.logs('h3')).toContain('2 packets transmitted, 2 received, 0% packet loss, time 10ms');
  });

  it('leases last 4 s: at T1 (2 s) each host renews with a unicast REQUEST straight to srv, and srv ACKs', () => {
    for (const [host, [link, dir]] of Object.entries(hostLinks)) {
      const bound = v.logRows(host).find((r) => r.text.startsWith('bound to'))!;
      const renew = dhcp(v, link, dir).find((x) => x.f.time >= 2 * S)!;
      expect(renew.m.options.type, host).toBe(DhcpType.Request);
      expect(renew.f.time - bound.time, host).toBeGreaterThanOrEqual(2 * S);
      expect(renew.f.time - bound.time, host).toBeLessThan(2 * S + 10 * MS); // after at most an ARP exchange
      const addr = v.stateOf(host, 'addr eth0')!.split('/')[0];
      expect(renew.f.ip, host).toMatchObject({ src: addr, dst: '10.0.0.2' });
      const ack = dhcp(v, link, back(dir)).find((x) => x.f.time > renew.f.time)!;
      expect(ack.m.options.type, host).toBe(DhcpType.Ack);
      expect(ack.f.ip, host).toMatchObject({ src: '10.0.0.2', dst: addr });
    }
    // Straight to srv: the renewals do not go through the relay.
    expect(dhcp(v, 'sw1-r1', 'b>a').filter((x) => x.f.time >= 2 * S && x.m.giaddr !== 0)).toHaveLength(0);
  });
});

describe('nat-home-router: what its description says', () => {
  const v = run('nat-home-router');
  const devices = [
    ['laptop', 'laptop-sw'],
    ['phone', 'phone-sw'],
    ['tablet', 'tablet-sw'],
  ] as const;
  const addrOf = (host: string) => v.stateOf(host, 'addr eth0')!.split('/')[0];
  const synOf = (frames: SeenFrame[]) => frames.find((f) => f.field('tcp.flags.syn') !== undefined && f.dissected.summary.includes('[SYN]'))!;

  it('the router home hands out addresses by DHCP', () => {
    expect(devices.map(([h]) => addrOf(h)).sort()).toEqual(['192.168.1.100', '192.168.1.101', '192.168.1.102']);
    expect(v.logs('home').filter((l) => l.startsWith('dhcpd: DHCPACK'))).toHaveLength(3);
  });

  it('each connection leaves with the source 203.0.113.2 and a port from the table (the inside port kept when free); the replies are translated back', () => {
    const outside = v.frames('home-isp', 'a>b');
    const inbound = v.frames('home-isp', 'b>a');
    for (const [host, link] of devices) {
      const syn = synOf(v.frames(link, 'a>b'));
      const port = syn.field('tcp.srcport')!;
      const out = outside.find((f) => f.time > syn.time && f.field('tcp.srcport') === port && f.dissected.summary.includes('[SYN]'))!;
      expect(out.ip, host).toMatchObject({ src: '203.0.113.2', dst: '198.51.100.80' });
      expect(rowsAt(v, 'home', 'nat tcp', out.time).get(`nat tcp ${addrOf(host)}:${port}`), host).toBe(`203.0.113.2:${port}`);
      const synAck = inbound.find((f) => f.field('tcp.dstport') === port)!;
      expect(synAck.ip?.dst, host).toBe('203.0.113.2');
      const delivered = v.frames(link, 'b>a').find((f) => f.field('tcp.dstport') === port)!;
      expect(delivered.ip, host).toMatchObject({ src: '198.51.100.80', dst: addrOf(host) });
      expect(v.logs(host), host).toContain('  <h1>Welcome to hello</h1>');
    }
  });

  it("the table fills, one row per device, in home's state", () => {
    const lastSyn = Math.max(...devices.map(([, link]) => synOf(v.frames(link, 'a>b')).time));
    const rows = rowsAt(v, 'home', 'nat tcp', lastSyn + 20 * MS);
    expect([...rows.keys()].map((k) => k.split(' ')[2].split(':')[0]).sort()).toEqual(['192.168.1.100', '192.168.1.101', '192.168.1.102']);
  });

  it('each row goes after 1 s without traffic', () => {
    for (const [host, link] of devices) {
      const port = synOf(v.frames(link, 'a>b')).field('tcp.srcport')!;
      const key = `nat tcp ${addrOf(host)}:${port}`;
      const gone = v.states('home', key).find((s) => s.value === '')!;
      const last = v
        .frames('home-isp')
        .filter((f) => f.field('tcp.srcport') === port || f.field('tcp.dstport') === port)
        .at(-1)!;
      const lastSeenAtHome = last.dir === 'a>b' ? last.time : last.arrival;
      expect(gone.time - lastSeenAtHome, host).toBe(1 * S);
    }
  });

  it('at 300 ms a friend outside tries 203.0.113.2:8080: with no entry the router drops the SYN (see the drop reason) and the connection times out', () => {
    const drops = v.drops('home').filter((d) => d.reason.includes(':8080'));
    expect(drops).toHaveLength(1); // curl gives up after 1 s, before the SYN's first retransmission
    for (const d of drops) {
      expect(d.time).toBeGreaterThanOrEqual(300 * MS);
      expect(d.time).toBeLessThan(1500 * MS);
      expect(d.reason).toMatch(/^NAT: inbound tcp from 198\.51\.100\.7:\d+ to 203\.0\.113\.2:8080: no entry$/);
    }
    expect(v.frames('sw-home', 'b>a').filter((f) => f.time < 1500 * MS && f.ip?.src === '198.51.100.7')).toHaveLength(0);
    expect(v.logs('friend')).toContain('curl: (28) Failed to connect to 203.0.113.2 port 8080 after 1000 ms: Timeout was reached');
  });

  it("at 1.5 s the owner forwards port 8080 to the NAS (192.168.1.5:80), and the friend's second try is let in and answered", () => {
    expect(v.states('home', 'nat tcp 192.168.1.5:80')).toMatchObject([{ time: 1500 * MS, value: '203.0.113.2:8080 (forward)' }]);
    const syn = synOf(v.frames('nas-sw', 'b>a'));
    expect(syn.time).toBeGreaterThan(1500 * MS);
    expect(syn.ip).toMatchObject({ src: '198.51.100.7', dst: '192.168.1.5' });
    expect(syn.field('tcp.dstport')).toBe('80');
    const answer = v.frames('home-isp', 'a>b').find((f) => f.time > 1500 * MS && f.ip?.dst === '198.51.100.7')!;
    expect(answer.ip?.src).toBe('203.0.113.2');
    expect(answer.field('tcp.srcport')).toBe('8080');
    expect(v.logs('friend')).toContain('  <h1>Welcome to hello</h1>');
  });
});
