/**
 * tracepath as iputils prints it: the local interface MTU first, each hop, the hop where the path
 * MTU drops (with the router's "fragmentation needed"), and the summary line.
 */
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/apps/registry';
import '../../src/apps';
import { TestNet } from '../helpers/net';

/** h1 -- r1 -- r2 -- h2, the r1-r2 link 1400 bytes. */
function path(cmd: string, middleMtu = 1400): TestNet {
  return TestNet.fromYaml(
    `
nodes:
  - { id: h1, kind: host, ip: 10.0.0.1/24, gateway: 10.0.0.254 }
  - { id: r1, kind: router, interfaces: [10.0.0.254/24, 10.0.1.1/24], routes: [{ to: 10.0.2.0/24, via: 10.0.1.2 }] }
  - { id: r2, kind: router, interfaces: [10.0.1.2/24, 10.0.2.254/24], routes: [{ to: 10.0.0.0/24, via: 10.0.1.1 }] }
  - { id: h2, kind: host, ip: 10.0.2.5/24, gateway: 10.0.2.254 }
links:
  - { a: h1, b: r1, latency: 1ms }
  - { a: r1, b: r2, latency: 1ms, mtu: ${middleMtu} }
  - { a: r2, b: h2, latency: 1ms }
run:
  - { on: h1, at: 1ms, cmd: "${cmd}" }
`,
    { duration: '10s' },
  ).runToEnd();
}

describe('tracepath', () => {
  it('prints the local MTU, each hop, the hop where the path MTU drops, and the summary', () => {
    const net = path('tracepath -n 10.0.2.5');
    expect(net.logs('h1').map((l) => l.replace(/ +\d+\.\d{3}ms/, ' T'))).toEqual([
      ' 1?: [LOCALHOST]                      pmtu 1500',
      ' 1:  10.0.0.254 T',
      ' 2:  10.0.0.254 T pmtu 1400',
      ' 2:  10.0.1.2 T',
      ' 3:  10.0.2.5 T reached',
      '     Resume: pmtu 1400 hops 3 back 3',
    ]);
    // Times in iputils' format: right-aligned milliseconds with three decimals.
    expect(net.logs('h1')[1]).toMatch(/^ 1: {2}10\.0\.0\.254 {42} {2}\d\.\d{3}ms$/);
    // The probes: DF set, sized to the path MTU known when sent.
    const probes = net.frames('h1-r1', 'a>b').filter((f) => f.ip?.protocol === 17);
    expect(probes.every((f) => f.ip!.dontFragment)).toBe(true);
    expect(probes.map((f) => f.ip!.totalLength)).toEqual([1500, 1500, 1400, 1400]);
  });

  it('without a smaller hop, the path MTU stays the interface MTU', () => {
    const out = path('tracepath 10.0.2.5', 1500).logs('h1');
    expect(out[0]).toBe(' 1?: [LOCALHOST]                      pmtu 1500');
    expect(out.at(-1)).toBe('     Resume: pmtu 1500 hops 3 back 3');
  });

  it('shows an asymmetric return path as "asymm N" (hops back counted from the reply TTL)', () => {
    // r2 sends its errors back to h1 through r3: three hops back for a probe that went two.
    const out = TestNet.fromYaml(
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
  - { on: h1, at: 1ms, cmd: "tracepath -n 10.0.2.5" }
`,
      { duration: '10s' },
    )
      .runToEnd()
      .logs('h1');
    expect(out[2]).toMatch(/^ 2: {2}10\.0\.4\.2 +\d+\.\d{3}ms asymm {2}3$/);
    expect(out.at(-1)).toBe('     Resume: pmtu 1500 hops 3 back 4');
  });

  it('rejects bad arguments', () => {
    const error = (cmd: string): string => {
      const r = parseCommand(cmd);
      if (r.ok) throw new Error(`"${cmd}" parsed`);
      return r.error;
    };
    expect(error('tracepath')).toMatch(/^tracepath: missing destination; usage: tracepath /);
    expect(error('tracepath 10.0.0.2 -m 0')).toMatch(/-m must be 1 to 255/);
    expect(error('tracepath 10.0.0.2 -l 20')).toMatch(/pktlen must be within/);
  });
});
