/**
 * Path-MTU discovery (RFC 1191) across a router hop with a smaller MTU: routers answer ICMP
 * "fragmentation needed" with the next-hop MTU, hosts cache it per destination for 10 minutes, TCP
 * lowers its MSS and resends, and ping's -M modes behave as iputils ping does on Linux.
 */
import { describe, expect, it } from 'vitest';
import { TestNet, type SeenFrame } from '../helpers/net';
import { segments } from '../protocols/tcp/helpers';

const SEC = 1e9;

/** h1 (10.0.0.1) -- r1 -- r2 -- h2 (10.0.2.5), the r1-r2 link with `mtu` (1400 by default). */
function path(runs: string, opts: { duration?: string; h1Link?: string; middle?: string } = {}): TestNet {
  return TestNet.fromYaml(
    `
nodes:
  - { id: h1, kind: host, ip: 10.0.0.1/24, gateway: 10.0.0.254 }
  - { id: r1, kind: router, interfaces: [10.0.0.254/24, 10.0.1.1/24], routes: [{ to: 10.0.2.0/24, via: 10.0.1.2 }] }
  - { id: r2, kind: router, interfaces: [10.0.1.2/24, 10.0.2.254/24], routes: [{ to: 10.0.0.0/24, via: 10.0.1.1 }] }
  - { id: h2, kind: host, ip: 10.0.2.5/24, gateway: 10.0.2.254 }
links:
  - { a: h1, b: r1, latency: 1ms${opts.h1Link ?? ''} }
  - { a: r1, b: r2, latency: 1ms, ${opts.middle ?? 'mtu: 1400'} }
  - { a: r2, b: h2, latency: 1ms }
run:
${runs}
`,
    { duration: opts.duration ?? '5s' },
  ).runToEnd();
}

const fragNeeded = (f: SeenFrame) => f.icmp?.type === 3 && f.icmp.code === 4;

describe('path-MTU discovery for TCP (RFC 1191)', () => {
  it('iperf3 across a 1400-byte hop completes: r1 reports MTU 1400, h1 resends at MSS 1360', () => {
    const net = path(`  - { on: h2, at: 0ms, cmd: "iperf3 -s" }\n  - { on: h1, at: 1ms, cmd: "iperf3 -c 10.0.2.5 -n 200K" }`);
    expect(net.logs('h1').at(-1)).toBe('iperf Done.');
    expect(net.logs('h1').find((l) => l.endsWith('sender'))).toMatch(/ 200 KBytes /);
    // The SYN advertises the MSS of h1's own 1500-byte interface (Linux advmss = MTU − 40).
    const h1Segs = segments(net, 'h1-r1').filter((s) => s.src === '10.0.0.1');
    expect(h1Segs[0].h.options.mss).toBe(1460);
    // r1 drops the first full-sized segment and says why, from its address towards h1.
    const icmp = net.frames('h1-r1', 'b>a').filter(fragNeeded);
    expect(icmp.length).toBeGreaterThan(0);
    expect(icmp[0].ip).toMatchObject({ src: '10.0.0.254', dst: '10.0.0.1' });
    expect(icmp[0].field('icmp.mtu')).toBe('1400');
    expect(net.drops('r1')[0].reason).toBe('needs fragmentation but DF set (MTU 1400)');
    // After the ICMP arrives, every data segment fits: payload ≤ 1400 − 40 = 1360.
    const after = h1Segs.filter((s) => s.len > 0 && s.time >= icmp[0].arrival);
    expect(after.length).toBeGreaterThan(100);
    expect(Math.max(...after.map((s) => s.len))).toBe(1360);
    expect(net.frames('r1-r2', 'a>b').every((f) => !f.ip || f.ip.totalLength <= 1400)).toBe(true);
    // The host caches the path MTU (Linux: `ip route get 10.0.2.5` shows `cache ... mtu 1400`).
    expect(net.stateOf('h1', 'pmtu 10.0.2.5')).toBe('1400');
  });

  it('curl https across the hop: the server learns the path MTU from r2 and the page arrives', () => {
    const net = path(
      `  - { on: h2, at: 0ms, cmd: "http-server -p 443 --tls --site gallery" }\n  - { on: h1, at: 1ms, cmd: "curl -o /dev/null -w '%{http_code}' --resolve www.example.test:443:10.0.2.5 https://www.example.test/img/1.svg" }`,
    );
    const out = net.logs('h1');
    expect(out.at(-1)).toBe('200');
    const icmp = net.frames('r2-h2', 'a>b').filter(fragNeeded);
    expect(icmp.length).toBeGreaterThan(0);
    expect(icmp[0].ip).toMatchObject({ src: '10.0.2.254', dst: '10.0.2.5' });
    expect(icmp[0].field('icmp.mtu')).toBe('1400');
    const after = segments(net, 'r2-h2').filter((s) => s.src === '10.0.2.5' && s.len > 0 && s.time >= icmp[0].arrival);
    // The 20 kB image (TLS records over it) crossed the hop in segments of at most 1360 bytes.
    expect(after.reduce((n, s) => n + s.len, 0)).toBeGreaterThan(20_000);
    expect(Math.max(...after.map((s) => s.len))).toBe(1360);
    expect(net.stateOf('h2', 'pmtu 10.0.0.1')).toBe('1400');
  });

  it('the SYN advertises the outgoing interface MTU − 40, and the peer sends no more', () => {
    const net = path(
      `  - { on: h2, at: 0ms, cmd: "http-server -p 80 --site gallery" }\n  - { on: h1, at: 1ms, cmd: "curl -o /dev/null -w '%{http_code}' http://10.0.2.5/img/1.svg" }`,
      {
        h1Link: ', mtu: 1280',
        middle: 'mtu: 1500',
      },
    );
    expect(net.logs('h1').at(-1)).toBe('200');
    const segs = segments(net, 'h1-r1');
    const syn = segs.find((s) => s.src === '10.0.0.1' && s.h.options.mss !== undefined)!;
    const synAck = segs.find((s) => s.src === '10.0.2.5' && s.h.options.mss !== undefined)!;
    expect(syn.h.options.mss).toBe(1240);
    expect(synAck.h.options.mss).toBe(1460);
    const fromServer = segs.filter((s) => s.src === '10.0.2.5' && s.len > 0);
    expect(Math.max(...fromServer.map((s) => s.len))).toBe(1240);
    expect(net.allFrames().filter(fragNeeded)).toEqual([]);
  });
});

describe('the path-MTU cache', () => {
  it('ages out after 10 minutes (RFC 1191 §6.3, Linux route/mtu_expires = 600 s)', () => {
    const net = path(`  - { on: h1, at: 1ms, cmd: "ping 10.0.2.5 -c 1 -s 1472 -M do" }`, { duration: '700s' });
    const rows = net.states('h1', 'pmtu 10.0.2.5');
    expect(rows.map((r) => r.value)).toEqual(['1400', '']);
    expect(rows[1].time - rows[0].time).toBe(600 * SEC);
  });
});

describe('ping and DF (iputils ping -M)', () => {
  it('sets DF by default on echo requests; replies, as from Linux, carry no DF', () => {
    const net = path(`  - { on: h1, at: 1ms, cmd: "ping 10.0.2.5 -c 1" }`, { middle: 'mtu: 1500' });
    const req = net.frames('h1-r1', 'a>b').find((f) => f.icmp?.type === 8)!;
    const rep = net.frames('h1-r1', 'b>a').find((f) => f.icmp?.type === 0)!;
    expect(req.ip!.dontFragment).toBe(true);
    expect(rep.ip!.dontFragment).toBe(false);
  });

  it('default (-M want): the first too-big echo gets "Frag needed", the next is fragmented by h1 and answered', () => {
    const net = path(`  - { on: h1, at: 1ms, cmd: "ping 10.0.2.5 -c 2 -s 1472" }`);
    const out = net.logs('h1');
    expect(out).toContain('From 10.0.0.254 icmp_seq=1 Frag needed and DF set (mtu = 1400)');
    expect(out.some((l) => /^1480 bytes from 10\.0\.2\.5: icmp_seq=2 ttl=62 /.test(l))).toBe(true);
    const second = net
      .frames('h1-r1', 'a>b')
      .filter((f) => f.ip?.protocol === 1)
      .slice(1);
    expect(second.map((f) => [f.ip!.totalLength, f.ip!.dontFragment, f.ip!.moreFragments])).toEqual([
      [1396, false, true],
      [124, false, false],
    ]);
  });

  it('-M do: the router refuses, then h1 refuses locally with "message too long"', () => {
    const net = path(`  - { on: h1, at: 1ms, cmd: "ping 10.0.2.5 -c 2 -s 1472 -M do" }`);
    const out = net.logs('h1');
    expect(out).toContain('From 10.0.0.254 icmp_seq=1 Frag needed and DF set (mtu = 1400)');
    expect(out).toContain('ping: local error: message too long, mtu=1400');
    expect(out).toContain('2 packets transmitted, 0 received, +2 errors, 100% packet loss, time 1000ms');
    expect(net.frames('h1-r1', 'a>b').filter((f) => f.ip?.protocol === 1)).toHaveLength(1);
  });

  it('-M dont: no DF, so r1 fragments and the echo is answered', () => {
    const net = path(`  - { on: h1, at: 1ms, cmd: "ping 10.0.2.5 -c 1 -s 1472 -M dont" }`);
    expect(net.frames('h1-r1', 'a>b').find((f) => f.icmp?.type === 8)!.ip!.dontFragment).toBe(false);
    expect(
      net
        .frames('r1-r2', 'a>b')
        .filter((f) => f.ip?.protocol === 1)
        .map((f) => f.ip!.totalLength),
    ).toEqual([1396, 124]);
    expect(net.logs('h1')).toContain('1 packets transmitted, 1 received, 0% packet loss, time 0ms');
  });
});
