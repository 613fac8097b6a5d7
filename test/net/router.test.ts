import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RoutingTable, type Route } from '../../src/net/ip/routing-table';
import { prefixToMask } from '../../src/protocols/addr';
import { TestNet } from '../helpers/net';

const MS = 1_000_000;
const SEC = 1_000_000_000;

// Default MACs: 02:00:00:00:<node ordinal>:<interface number>.
const H1_MAC = '02:00:00:00:01:01';
const R1_ETH0 = '02:00:00:00:02:01';
const R1_ETH1 = '02:00:00:00:02:02';
const H2_MAC = '02:00:00:00:03:01';

/** h1 (10.0.0.1) -- r1 -- h2 (10.0.1.5). */
function oneRouter(cmd: string, opts: { links?: [string, string]; duration?: string; r1Routes?: string } = {}): TestNet {
  const [l1, l2] = opts.links ?? ['latency: 1ms', 'latency: 1ms'];
  return TestNet.fromYaml(
    `
nodes:
  - { id: h1, kind: host, ip: 10.0.0.1/24, gateway: 10.0.0.254 }
  - { id: r1, kind: router, interfaces: [10.0.0.254/24, 10.0.1.254/24]${opts.r1Routes ? `, routes: ${opts.r1Routes}` : ''} }
  - { id: h2, kind: host, ip: 10.0.1.5/24, gateway: 10.0.1.254 }
links:
  - { a: h1, b: r1, ${l1} }
  - { a: r1, b: h2, ${l2} }
run:
  - { on: h1, at: 1ms, cmd: "${cmd}" }
`,
    { duration: opts.duration ?? '1s' },
  ).runToEnd();
}

describe('router: forwarding a ping', () => {
  it('h1 first asks with ARP for its gateway, and r1 answers for its own interface', () => {
    const net = oneRouter('ping 10.0.1.5 -c 1');
    const [req, rep] = net.frames('h1-r1');
    expect(req.dir).toBe('a>b');
    expect(req.arp).toMatchObject({ op: 1, senderIp: '10.0.0.1', targetIp: '10.0.0.254', senderMac: H1_MAC });
    expect(req.ethDst).toBe('ff:ff:ff:ff:ff:ff');
    expect(req.dissected.summary).toBe('Who has 10.0.0.254? Tell 10.0.0.1');
    expect(rep.dir).toBe('b>a');
    expect(rep.arp).toMatchObject({ op: 2, senderIp: '10.0.0.254', senderMac: R1_ETH0, targetIp: '10.0.0.1', targetMac: H1_MAC });
    expect(net.stateOf('h1', 'arp 10.0.0.254')).toBe(R1_ETH0);
    // r1 then resolves h2 on the other side before forwarding.
    const [req2] = net.frames('r1-h2');
    expect(req2.arp).toMatchObject({ op: 1, senderIp: '10.0.1.254', targetIp: '10.0.1.5', senderMac: R1_ETH1 });
  });

  it('the echo request leaves r1 with TTL 63 and new MACs, the same IP addresses and the same packet', () => {
    const net = oneRouter('ping 10.0.1.5 -c 1');
    const before = net.frames('h1-r1', 'a>b').find((f) => f.icmp?.type === 8)!;
    const after = net.frames('r1-h2', 'a>b').find((f) => f.icmp?.type === 8)!;
    expect(after.packetId).toBe(before.packetId);
    expect(before).toMatchObject({ ethSrc: H1_MAC, ethDst: R1_ETH0 });
    expect(after).toMatchObject({ ethSrc: R1_ETH1, ethDst: H2_MAC });
    expect(before.ip).toMatchObject({ src: '10.0.0.1', dst: '10.0.1.5', ttl: 64 });
    expect(after.ip).toMatchObject({ src: '10.0.0.1', dst: '10.0.1.5', ttl: 63, id: before.ip!.id });
    // The header checksum was updated with the TTL; Wireshark would call it correct.
    expect(after.field('ip.checksum')).toMatch(/correct/);
    expect(after.field('ip.ttl')).toBe('63');
    // The ICMP message itself crosses the router byte for byte.
    expect(after.bytes.subarray(34)).toEqual(before.bytes.subarray(34));
    expect(net.logs('h1').find((l) => l.includes('icmp_seq=1'))).toMatch(/^64 bytes from 10\.0\.1\.5: icmp_seq=1 ttl=63 time=/);
  });

  it('chooses the longest matching prefix: a /24 route beats the default route listed before it', () => {
    const net = TestNet.fromYaml(
      `
nodes:
  - { id: h1, kind: host, ip: 10.0.0.1/24, gateway: 10.0.0.254 }
  - id: r1
    kind: router
    interfaces: [10.0.0.254/24, 10.0.1.1/24, 10.0.3.1/24]
    routes: [{ to: default, via: 10.0.3.2 }, { to: 10.0.2.0/24, via: 10.0.1.2 }]
  - { id: r2, kind: router, interfaces: [10.0.1.2/24, 10.0.2.254/24], routes: [{ to: default, via: 10.0.1.1 }] }
  - { id: r3, kind: router, interfaces: [10.0.3.2/24], routes: [{ to: 10.0.0.0/24, via: 10.0.3.1 }] }
  - { id: h2, kind: host, ip: 10.0.2.5/24, gateway: 10.0.2.254 }
links:
  - { a: h1, b: r1 }
  - { a: r1, b: r2 }
  - { a: r1, b: r3 }
  - { a: r2, b: h2 }
run:
  - { on: h1, at: 1ms, cmd: "ping 10.0.2.5 -c 2 -i 10ms" }
  - { on: h1, at: 100ms, cmd: "ping 10.7.7.7 -c 1" }
`,
    ).runToEnd();
    const viaR2 = net.frames('r1-r2', 'a>b').filter((f) => f.icmp?.type === 8);
    expect(viaR2.map((f) => f.ip!.dst)).toEqual(['10.0.2.5', '10.0.2.5']);
    // The default route is still used for everything else: 10.7.7.7 goes to r3 (which has no route).
    const viaR3 = net.frames('r1-r3', 'a>b').filter((f) => f.icmp?.type === 8);
    expect(viaR3.map((f) => f.ip!.dst)).toEqual(['10.7.7.7']);
    expect(net.logs('h1')).toContain('2 packets transmitted, 2 received, 0% packet loss, time 10ms');
    expect(
      net
        .logs('h1')
        .filter((l) => l.startsWith('64 bytes'))
        .every((l) => l.includes('ttl=62')),
    ).toBe(true);
    expect(net.logs('h1')).toContain('From 10.0.3.2 icmp_seq=1 Destination Net Unreachable');
  });
});

describe('router: errors', () => {
  it('TTL expiry: the router drops the packet and answers Time Exceeded from its interface on the way back to the sender', () => {
    const net = TestNet.fromYaml(
      `
nodes:
  - { id: h1, kind: host, ip: 10.0.0.1/24, gateway: 10.0.0.254 }
  - { id: r1, kind: router, interfaces: [10.0.0.254/24, 10.0.1.1/24], routes: [{ to: 10.0.2.0/24, via: 10.0.1.2 }] }
  - { id: r2, kind: router, interfaces: [10.0.1.2/24, 10.0.2.254/24], routes: [{ to: 10.0.0.0/24, via: 10.0.1.1 }] }
  - { id: h2, kind: host, ip: 10.0.2.5/24, gateway: 10.0.2.254 }
links:
  - { a: h1, b: r1 }
  - { a: r1, b: r2 }
  - { a: r2, b: h2 }
run:
  - { on: h1, at: 1ms, cmd: "ping 10.0.2.5 -c 1 -t 2" }
`,
    ).runToEnd();
    // TTL 2 -> 1 at r1 -> expires at r2, which answers from 10.0.1.2 (its side facing the sender).
    const drop = net.drops('r2');
    expect(drop.map((d) => d.reason)).toEqual(['TTL expired in transit to 10.0.2.5']);
    const te = net.frames('r1-r2', 'b>a').find((f) => f.icmp?.type === 11)!;
    expect(te.icmp).toEqual({ type: 11, code: 0 });
    expect(te.ip).toMatchObject({ src: '10.0.1.2', dst: '10.0.0.1', ttl: 64 });
    // The echo request never got past r2.
    expect(net.frames('r2-h2').filter((f) => f.icmp)).toEqual([]);
    expect(net.logs('h1')).toContain('From 10.0.1.2 icmp_seq=1 Time to live exceeded');
    expect(net.logs('h1')).toContain('1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 0ms');
  });

  it('no route: Destination Net Unreachable from the router, and ping says so', () => {
    const net = oneRouter('ping 10.9.9.9 -c 1');
    expect(net.drops('r1').map((d) => d.reason)).toEqual(['no route to 10.9.9.9']);
    const err = net.frames('h1-r1', 'b>a').find((f) => f.icmp?.type === 3)!;
    expect(err.icmp).toEqual({ type: 3, code: 0 });
    expect(err.ip).toMatchObject({ src: '10.0.0.254', dst: '10.0.0.1' });
    const logs = net.logs('h1');
    expect(logs).toContain('From 10.0.0.254 icmp_seq=1 Destination Net Unreachable');
    expect(logs).toContain('1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 0ms');
  });

  it('ARP failure on the local subnet: three requests 1 s apart, then Destination Host Unreachable', () => {
    const net = oneRouter('ping 10.0.0.99 -c 1', { duration: '5s' });
    const asks = net.frames('h1-r1', 'a>b').filter((f) => f.arp?.op === 1);
    expect(asks.map((f) => f.arp!.targetIp)).toEqual(['10.0.0.99', '10.0.0.99', '10.0.0.99']);
    expect(asks.map((f) => f.time)).toEqual([1 * MS, 1 * MS + SEC, 1 * MS + 2 * SEC]);
    expect(net.stateOf('h1', 'arp 10.0.0.99')).toBe('FAILED');
    const rows = net.logRows('h1');
    const unreachable = rows.find((r) => r.text === 'From 10.0.0.1 icmp_seq=1 Destination Host Unreachable')!;
    expect(unreachable.time).toBe(1 * MS + 3 * SEC);
    expect(net.drops('h1').map((d) => d.reason)).toEqual(['ARP: no reply from 10.0.0.99 after 3 requests']);
    expect(net.logs('h1')).toContain('1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 0ms');
  });

  it('ARP failure behind a router: the router reports Destination Host Unreachable to the sender', () => {
    const net = oneRouter('ping 10.0.1.77 -c 1', { duration: '5s' });
    const asks = net.frames('r1-h2', 'a>b').filter((f) => f.arp?.targetIp === '10.0.1.77');
    expect(asks).toHaveLength(3);
    const err = net.frames('h1-r1', 'b>a').find((f) => f.icmp?.type === 3)!;
    expect(err.icmp).toEqual({ type: 3, code: 1 });
    expect(net.logs('h1')).toContain('From 10.0.0.254 icmp_seq=1 Destination Host Unreachable');
  });
});

describe('router: fragmentation', () => {
  it('fragments a packet bigger than the next link MTU; the destination reassembles and answers', () => {
    // h1's own link carries 9000-byte packets, so only r1 needs to fragment; -M dont clears DF,
    // which Linux ping would set (IP_PMTUDISC_WANT) and r1 would then refuse.
    const net = oneRouter('ping 10.0.1.5 -c 1 -s 3000 -M dont', { links: ['latency: 1ms, mtu: 9000', 'latency: 1ms, mtu: 1500'] });
    const whole = net.frames('h1-r1', 'a>b').filter((f) => f.ip?.protocol === 1);
    expect(whole).toHaveLength(1);
    expect(whole[0].ip!.totalLength).toBe(3028);
    const pieces = net.frames('r1-h2', 'a>b').filter((f) => f.ip?.protocol === 1);
    expect(pieces.map((f) => [f.ip!.fragmentOffset, f.ip!.moreFragments, f.ip!.totalLength])).toEqual([
      [0, true, 1500],
      [1480, true, 1500],
      [2960, false, 68],
    ]);
    for (const p of pieces) {
      expect(p.packetId).toBe(whole[0].packetId);
      expect(p.ip).toMatchObject({ id: whole[0].ip!.id, ttl: 63, src: '10.0.0.1', dst: '10.0.1.5' });
      expect(p.field('ip.checksum')).toMatch(/correct/);
    }
    // The reply (3028 bytes) is fragmented by h2 itself for its 1500-byte link.
    const replyPieces = net.frames('r1-h2', 'b>a').filter((f) => f.ip?.protocol === 1);
    expect(replyPieces).toHaveLength(3);
    expect(net.logs('h1').find((l) => l.includes('icmp_seq=1'))).toMatch(/^3008 bytes from 10\.0\.1\.5: icmp_seq=1 ttl=63 time=/);
    expect(net.logs('h1')).toContain('1 packets transmitted, 1 received, 0% packet loss, time 0ms');
  });

  it('a host fragments its own packet for its link MTU', () => {
    const net = oneRouter('ping 10.0.1.5 -c 1 -s 2000', { links: ['latency: 1ms, mtu: 576', 'latency: 1ms'] });
    const pieces = net.frames('h1-r1', 'a>b').filter((f) => f.ip?.protocol === 1);
    expect(pieces.length).toBe(4); // 2008 bytes of ICMP in 552-byte slices
    for (const p of pieces) expect(p.ip!.totalLength).toBeLessThanOrEqual(576);
    expect(pieces.map((p) => p.ip!.fragmentOffset)).toEqual([0, 552, 1104, 1656]);
    expect(net.logs('h1')).toContain('1 packets transmitted, 1 received, 0% packet loss, time 0ms');
  });
});

describe('RoutingTable longest-prefix match', () => {
  const route = fc.record({
    prefix: fc.integer({ min: 0, max: 32 }),
    addr: fc.integer({ min: 0, max: 0xffff_ffff }),
    metric: fc.integer({ min: 0, max: 3 }),
  });

  it('picks the longest matching prefix, then the lowest metric, then the first added', () => {
    fc.assert(
      fc.property(fc.array(route, { maxLength: 20 }), fc.array(fc.integer({ min: 0, max: 0xffff_ffff }), { minLength: 1, maxLength: 20 }), (specs, dsts) => {
        const table = new RoutingTable();
        const routes: Route[] = specs.map((s, i) => ({
          network: (s.addr & prefixToMask(s.prefix)) >>> 0,
          prefix: s.prefix,
          via: i + 1,
          iface: i,
          metric: s.metric,
          origin: 'static',
        }));
        routes.forEach((r) => table.add(r));
        // Also probe addresses inside each route's network.
        const probes = [...dsts, ...routes.map((r) => (r.network | (dsts[0] & ~prefixToMask(r.prefix))) >>> 0)];
        for (const dst of probes) {
          let best: Route | undefined;
          for (const r of routes) {
            if ((dst & prefixToMask(r.prefix)) >>> 0 !== r.network) continue;
            if (!best || r.prefix > best.prefix || (r.prefix === best.prefix && r.metric < best.metric)) best = r;
          }
          expect(table.lookup(dst)).toBe(best);
        }
      }),
    );
  });
});

describe('router: the source address of ICMP errors', () => {
  /**
   * h1 -- r1 -- r2 -- h2, with the way back from r2 to h1 through r3 (asymmetric routing). Linux's
   * icmp_send (icmp_errors_use_inbound_ifaddr = 0) sources an error from the interface it leaves
   * by, found by a route lookup back to the sender, not from the one the packet came in on.
   */
  it('r2 answers a TTL-expired probe from its interface towards r3, the way back to h1', () => {
    const net = TestNet.fromYaml(
      `
nodes:
  - { id: h1, kind: host, ip: 10.0.0.1/24, gateway: 10.0.0.254 }
  - { id: r1, kind: router, interfaces: [10.0.0.254/24, 10.0.1.1/24, 10.0.3.1/24], routes: [{ to: 10.0.2.0/24, via: 10.0.1.2 }] }
  - { id: r2, kind: router, interfaces: [10.0.1.2/24, 10.0.2.254/24, 10.0.4.2/24], routes: [{ to: 10.0.0.0/24, via: 10.0.4.3 }] }
  - { id: r3, kind: router, interfaces: [10.0.4.3/24, 10.0.3.3/24], routes: [{ to: 10.0.0.0/24, via: 10.0.3.1 }] }
  - { id: h2, kind: host, ip: 10.0.2.5/24, gateway: 10.0.2.254 }
links:
  - { a: h1, b: r1, latency: 1ms }
  - { a: r1, b: r2, latency: 1ms }
  - { a: r2, b: h2, latency: 1ms }
  - { a: r2, b: r3, latency: 1ms }
  - { a: r3, b: r1, latency: 1ms }
run:
  - { on: h1, at: 1ms, cmd: "traceroute 10.0.2.5 -q 1" }
`,
      { duration: '2s' },
    ).runToEnd();
    const lines = net.logs('h1');
    expect(lines[1]).toMatch(/^ 1 {2}10\.0\.0\.254 \(10\.0\.0\.254\)/);
    expect(lines[2]).toMatch(/^ 2 {2}10\.0\.4\.2 \(10\.0\.4\.2\)/);
    expect(lines[3]).toMatch(/^ 3 {2}10\.0\.2\.5 \(10\.0\.2\.5\)/);
    // The Time Exceeded left r2 towards r3, not back over the link the probe came in on.
    const te = net.frames('r2-r3', 'a>b').filter((f) => f.icmp?.type === 11);
    expect(te).toHaveLength(1);
    expect(te[0].ip).toMatchObject({ src: '10.0.4.2', dst: '10.0.0.1' });
  });
});
