import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/apps/registry';
import { loadScene } from '../../src/scenario/load';
import { simulate } from '../../src/scenario/simulate';
import { TestNet, TraceView } from '../helpers/net';

const HOP = /^ ?(\d+) {2}(\d+\.\d+\.\d+\.\d+) \((\d+\.\d+\.\d+\.\d+)\)((?: {2}\d+\.\d{3} ms)+)$/;

function sceneRun(): TraceView {
  const r = loadScene(readFileSync('scenes/traceroute.yaml', 'utf8'), 'traceroute.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return new TraceView(simulate(r.scene).trace);
}

describe('traceroute (scenes/traceroute.yaml)', () => {
  it('prints the Linux header, then one line per hop with rising hop numbers, router addresses, and the destination last', () => {
    const out = sceneRun().logs('h1');
    expect(out[0]).toBe('traceroute to 10.0.3.10 (10.0.3.10), 30 hops max, 60 byte packets');
    const hops = out.slice(1).map((l) => HOP.exec(l));
    expect(hops.every((m) => m !== null)).toBe(true);
    expect(hops.map((m) => Number(m![1]))).toEqual([1, 2, 3, 4]);
    // Each router answers from the interface the probe arrived on.
    expect(hops.map((m) => m![2])).toEqual(['10.0.0.254', '10.0.1.2', '10.0.2.2', '10.0.3.10']);
    hops.forEach((m) => expect(m![3]).toBe(m![2]));
    // Three probes per hop.
    hops.forEach((m) => expect(m![4].match(/ms/g)).toHaveLength(3));
  });

  it('probe times grow with distance: the later probes of each hop show the path round trip', () => {
    const out = sceneRun().logs('h1');
    const times = out.slice(1).map((l) => [...l.matchAll(/(\d+\.\d{3}) ms/g)].map((m) => Number(m[1])));
    // Links are 2, 5, 5, 2 ms one way; the 2nd and 3rd probes of a hop need no ARP.
    const expectedRtt = [4, 14, 24, 28];
    times.forEach((t, i) => {
      expect(t[1]).toBeGreaterThanOrEqual(expectedRtt[i]);
      expect(t[1]).toBeLessThan(expectedRtt[i] + 0.5);
      expect(t[2]).toBe(t[1]);
      expect(t[0]).toBeGreaterThanOrEqual(t[1]); // the first may wait for ARP
    });
  });

  it('sends UDP probes with TTL 1, 2, 3, 4 to ports from 33434 up, and the routers answer Time Exceeded', () => {
    const net = sceneRun();
    const probes = net.frames('h1-r1', 'a>b').filter((f) => f.ip?.protocol === 17);
    expect(probes).toHaveLength(12);
    expect(probes.map((p) => p.ip!.ttl)).toEqual([1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]);
    expect(probes.map((p) => Number(p.field('udp.dstport')))).toEqual(Array.from({ length: 12 }, (_, i) => 33434 + i));
    expect(probes.every((p) => p.ip!.totalLength === 60)).toBe(true);
    const answers = net.frames('h1-r1', 'b>a').filter((f) => f.icmp);
    expect(answers.map((a) => a.icmp!.type)).toEqual([11, 11, 11, 11, 11, 11, 11, 11, 11, 3, 3, 3]);
    expect(answers.slice(9).every((a) => a.icmp!.code === 3)).toBe(true); // port unreachable ends it
  });
});

describe('traceroute edge cases', () => {
  it('prints * for a probe with no answer and stops at -m hops', () => {
    const net = TestNet.fromYaml(
      `
nodes:
  - { id: h1, kind: host, ip: 10.0.0.1/24 }
  - { id: h2, kind: host, ip: 10.0.0.2/24 }
links:
  - { a: h1, b: h2 }
run:
  - { on: h1, at: 1ms, cmd: "traceroute 10.0.0.77 -m 3 -q 2 -w 100ms" }
`,
    ).runToEnd();
    expect(net.logs('h1')).toEqual(['traceroute to 10.0.0.77 (10.0.0.77), 3 hops max, 60 byte packets', ' 1  * *', ' 2  * *', ' 3  * *']);
  });

  it('a directly connected destination is hop 1', () => {
    const net = TestNet.fromYaml(
      `
nodes:
  - { id: h1, kind: host, ip: 10.0.0.1/24 }
  - { id: h2, kind: host, ip: 10.0.0.2/24 }
links:
  - { a: h1, b: h2 }
run:
  - { on: h1, at: 1ms, cmd: "traceroute 10.0.0.2 -q 1" }
`,
    ).runToEnd();
    const out = net.logs('h1');
    expect(out).toHaveLength(2);
    expect(out[1]).toMatch(/^ 1 {2}10\.0\.0\.2 \(10\.0\.0\.2\) {2}\d+\.\d{3} ms$/);
  });

  it('a router with no route ends the trace with !N', () => {
    const net = TestNet.fromYaml(
      `
nodes:
  - { id: h1, kind: host, ip: 10.0.0.1/24, gateway: 10.0.0.254 }
  - { id: r1, kind: router, interfaces: [10.0.0.254/24, 10.0.1.254/24] }
links:
  - { a: h1, b: r1 }
run:
  - { on: h1, at: 1ms, cmd: "traceroute 10.9.9.9" }
`,
    ).runToEnd();
    const out = net.logs('h1');
    expect(out.at(-1)).toMatch(/^ ?\d+ {2}10\.0\.0\.254 \(10\.0\.0\.254\)( {2}\d+\.\d{3} ms !N){3}$/);
    expect(out.length).toBeLessThanOrEqual(3); // stopped at the router, not after 30 hops
  });

  it('command errors come back as messages', () => {
    const err = (cmd: string) => {
      const r = parseCommand(cmd);
      return r.ok ? '(parsed)' : r.error;
    };
    expect(err('traceroute')).toMatch(/^traceroute: missing destination; usage: traceroute DESTINATION/);
    expect(err('traceroute 10.0.0.2 -z')).toMatch(/unknown option -z/);
    expect(err('traceroute 10.0.0.2 -m 0')).toMatch(/-m must be 1 to 255/);
    expect(err('traceroute 10.0.0.2 -q 11')).toMatch(/-q must be 1 to 10/);
    expect(err('traceroute 10.0.0.2 -m many')).toMatch(/option -m: "many" is not a whole number/);
    expect(err('traceroute 10.0.0.2 -w 2s')).toBe('(parsed)');
  });
});

describe('traceroute accepts the flags people type', () => {
  it('-n -q 1 -m 10 -w 1: one probe per hop, at most 10 hops', () => {
    const r = parseCommand('traceroute -n -q 1 -m 10 -w 1 10.0.3.10');
    expect(r).toMatchObject({ ok: true, command: { options: { queries: 1, maxHops: 10, waitNs: 1e9 } } });
    const scene = readFileSync('scenes/traceroute.yaml', 'utf8').replace(/cmd: "traceroute[^"]*"/, 'cmd: "traceroute -n -q 1 -m 10 -w 1 10.0.3.10"');
    const loaded = loadScene(scene, 'traceroute.yaml');
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const out = new TraceView(simulate(loaded.scene).trace).logs('h1');
    expect(out[0]).toBe('traceroute to 10.0.3.10 (10.0.3.10), 10 hops max, 60 byte packets');
    expect(out.slice(1).every((l) => (l.match(/ ms/g) ?? []).length === 1)).toBe(true);
  });

  it('refuses the other probe methods by name, as not modelled', () => {
    expect(parseCommand('traceroute -I 10.0.3.10')).toMatchObject({ ok: false, error: expect.stringMatching(/option -I: is not modelled in Packetarium/) });
  });
});
