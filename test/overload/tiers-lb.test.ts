/** Retry amplification across tiers, and a load balancer's health checks. */
import { describe, expect, it } from 'vitest';
import { attemptsPerRoot, readRrEvents, rrSeries } from '../../src/timeline/metrics';
import { TestNet } from '../helpers/net';

describe('retry amplification across tiers', () => {
  const tier = (next: string) => `rr-server --workers 64 --queue 1000 --service const:1ms --next ${next} --retry immediate --attempts 3 --timeout 2s`;
  const net = TestNet.fromYaml(
    `
nodes:
  - { id: clients, kind: clients, count: 100, ip: 10.0.1.1/16 }
  - { id: sw, kind: switch }
  - { id: api, kind: server, ip: 10.0.0.2/16 }
  - { id: svc, kind: server, ip: 10.0.0.3/16 }
  - { id: db, kind: server, ip: 10.0.0.4/16 }
links:
  - { a: clients, b: sw }
  - { a: api, b: sw }
  - { a: svc, b: sw }
  - { a: db, b: sw }
run:
  - { on: db, at: 0s, cmd: "rr-server --workers 64 --service const:1ms --error-rate 1" }
  - { on: svc, at: 0s, cmd: "${tier('10.0.0.4')}" }
  - { on: api, at: 0s, cmd: "${tier('10.0.0.3')}" }
  - { on: clients, at: 1ms, cmd: "rr-client 10.0.0.2 --rate 20 --for 500ms --retry immediate --attempts 3 --timeout 5s" }
`,
    { duration: '2s' },
  ).runToEnd();
  const events = readRrEvents(net.trace);

  it('3 tiers x 3 attempts: every failing top-level request reaches the bottom 27 times', () => {
    const top = events.get('clients')!.requests;
    expect(top.id.length).toBeGreaterThan(3);
    expect(top.outcome.every((o) => o === 'error')).toBe(true);
    const perRoot = attemptsPerRoot(events, 'db');
    expect(perRoot.size).toBe(top.id.length);
    for (const n of perRoot.values()) expect(n).toBe(27);
    expect(attemptsPerRoot(events, 'svc').get(top.id[0])).toBe(9);
    expect(attemptsPerRoot(events, 'api').get(top.id[0])).toBe(3);
  });

  it('requests carry their tier: the bottom sees tier-3 requests', () => {
    const db = events.get('db')!;
    expect(new Set(db.recv.time.length ? net.states('db', 'rr.recv').map((r) => r.value.split(' ')[1]) : [])).toEqual(new Set(['3']));
  });
});

describe('load balancer with health checks', () => {
  const scene = (policy: string) => `
nodes:
  - { id: clients, kind: clients, count: 500, ip: 10.0.1.1/16 }
  - { id: sw, kind: switch }
  - { id: lb, kind: server, ip: 10.0.0.2/16 }
  - { id: b1, kind: server, ip: 10.0.0.11/16 }
  - { id: b2, kind: server, ip: 10.0.0.12/16 }
links:
  - { a: clients, b: sw }
  - { a: lb, b: sw }
  - { a: b1, b: sw }
  - { a: b2, b: sw }
run:
  - { on: b1, at: 0s, cmd: "rr-server --workers 8 --service exp:5ms" }
  - { on: b2, at: 0s, cmd: "rr-server --workers 8 --service exp:5ms" }
  - { on: lb, at: 0s, cmd: "rr-lb --backends 10.0.0.11,10.0.0.12 --policy ${policy} --health 100ms --health-timeout 50ms --fall 2 --rise 2" }
  - { on: clients, at: 1ms, cmd: "rr-client 10.0.0.2 --rate 400 --timeout 100ms --retry expo-full --base 10ms --attempts 3" }
  - { on: b1, at: 1500ms, cmd: "rr-server --workers 8 --service exp:5ms" }
faults:
  - { at: 1s, node: b1, set: { up: false } }
  - { at: 1400ms, node: b1, set: { up: true } }
`;

  for (const policy of ['rr', 'least', 'p2c']) {
    it(`${policy}: removes a crashed back end within two probes and takes it back when it answers again`, () => {
      const net = TestNet.fromYaml(scene(policy), { duration: '3s' }).runToEnd();
      const rows = net.states('lb', 'rr.backend 10.0.0.11');
      expect(rows.map((r) => r.value)).toEqual(['up', 'down', 'up']);
      expect(rows[1].time).toBeGreaterThan(1e9);
      expect(rows[1].time).toBeLessThanOrEqual(1.25e9);
      expect(rows[2].time).toBeGreaterThan(1.5e9);
      // While b1 is marked down, every request goes to b2.
      const lb = net.states('lb', 'rr.lb').filter((r) => r.time > rows[1].time && r.time < rows[2].time);
      expect(lb.length).toBeGreaterThan(50);
      expect(lb.every((r) => r.value.endsWith('10.0.0.12'))).toBe(true);
      // Both share the load before the crash and after the return.
      const before = net.states('lb', 'rr.lb').filter((r) => r.time < 1e9);
      expect(before.filter((r) => r.value.endsWith('10.0.0.11')).length).toBeGreaterThan(before.length * 0.3);
      // The users barely notice: goodput stays near the offered rate after the failover.
      const ws = rrSeries(net.trace, { windowNs: 500e6 });
      for (const w of ws.slice(3, 6)) expect(w.goodput).toBeGreaterThan(300);
    });
  }
});
