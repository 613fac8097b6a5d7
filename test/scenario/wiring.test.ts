/**
 * Which interface of a router an unnamed link end takes. A real router port is cabled to one
 * subnet; the scene says which by the addresses on the other side of the cable (the peer's own
 * address, the gateway it uses, or, through a switch or hub, the hosts on that segment), never by
 * the order the links happen to be listed in.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { buildNetwork, SceneBuildError } from '../../src/scenario/build';
import { loadScene } from '../../src/scenario/load';
import type { Scene } from '../../src/scenario/scene';
import { simulate } from '../../src/scenario/simulate';
import { formatSceneError } from '../../src/scenario/validate';
import { TraceView } from '../helpers/net';

type Raw = { links: Record<string, unknown>[]; nodes: Record<string, unknown>[]; [k: string]: unknown };

function load(raw: Raw): ReturnType<typeof loadScene> {
  return loadScene(stringify(raw), 'scene.yaml');
}

function loaded(raw: Raw): Scene {
  const r = load(raw);
  if (!r.ok) throw new Error(r.errors.map((e) => formatSceneError(e, 'scene.yaml')).join('\n'));
  return r.scene;
}

function errors(raw: Raw): string[] {
  const r = load(raw);
  if (r.ok) throw new Error(`expected the scene to be refused:\n${stringify(raw)}`);
  return r.errors.map((e) => `${e.path}: ${e.message}`);
}

/** `link id -> a:iface b:iface`, independent of link order. */
function wiring(scene: Scene): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of scene.links) out[l.id] = `${l.a.node}:${l.a.iface ?? '-'} ${l.b.node}:${l.b.iface ?? '-'}`;
  return out;
}

/** Ping replies each host printed, by host. */
function pingsAnswered(scene: Scene): Record<string, number> {
  const view = new TraceView(simulate(scene).trace);
  const out: Record<string, number> = {};
  for (const run of scene.run) out[run.on] = view.logs(run.on).filter((l) => /^\d+ bytes from /.test(l)).length;
  return out;
}

/** Two subnets behind switches, joined by r1 (the bundled router-ping scene, compacted). */
function routerPing(): Raw {
  return parseYaml(`
version: 1
title: Ping across a router
duration: 40ms
nodes:
  - { id: h1, kind: host, ip: 10.0.0.1/24, gateway: 10.0.0.254 }
  - { id: sw1, kind: switch }
  - { id: r1, kind: router, interfaces: [10.0.0.254/24, 10.0.1.254/24] }
  - { id: sw2, kind: switch }
  - { id: h2, kind: host, ip: 10.0.1.5/24, gateway: 10.0.1.254 }
links:
  - { a: h1, b: sw1, latency: 1ms }
  - { a: sw1, b: r1, latency: 1ms }
  - { a: r1, b: sw2, latency: 1ms }
  - { a: sw2, b: h2, latency: 1ms }
run:
  - { on: h1, at: 1ms, cmd: "ping 10.0.1.5 -c 3 -i 10ms" }
`) as Raw;
}

/**
 * h1 - r1 - r2 - r3 - h2 with point-to-point transfer nets, h3 behind a switch on r2, and pings
 * from both ends (traceroute.yaml's chain plus a LAN).
 */
function chain(): Raw {
  return parseYaml(`
version: 1
title: Three routers
duration: 60ms
nodes:
  - { id: h1, kind: host, ip: 10.0.0.1/24, gateway: 10.0.0.254 }
  - id: r1
    kind: router
    interfaces: [10.0.0.254/24, 10.0.1.1/24]
    routes: [{ to: default, via: 10.0.1.2 }]
  - id: r2
    kind: router
    interfaces: [10.0.1.2/24, 10.0.2.1/24, 10.0.9.254/24]
    routes: [{ to: 10.0.0.0/24, via: 10.0.1.1 }, { to: 10.0.3.0/24, via: 10.0.2.2 }]
  - id: r3
    kind: router
    interfaces: [10.0.3.254/24, 10.0.2.2/24]
    routes: [{ to: default, via: 10.0.2.1 }]
  - { id: h2, kind: host, ip: 10.0.3.10/24, gateway: 10.0.3.254 }
  - { id: sw9, kind: switch }
  - { id: h3, kind: host, ip: 10.0.9.3/24, gateway: 10.0.9.254 }
  - { id: h4, kind: host, ip: 10.0.9.4/24, gateway: 10.0.9.254 }
links:
  - { a: h1, b: r1, latency: 1ms }
  - { a: r1, b: r2, latency: 2ms }
  - { a: r2, b: r3, latency: 2ms }
  - { a: r3, b: h2, latency: 1ms }
  - { a: r2, b: sw9, latency: 1ms }
  - { a: sw9, b: h3, latency: 1ms }
  - { a: h4, b: sw9, latency: 1ms }
run:
  - { on: h1, at: 1ms, cmd: "ping 10.0.3.10 -c 3 -i 10ms" }
  - { on: h2, at: 2ms, cmd: "ping 10.0.9.3 -c 3 -i 10ms" }
  - { on: h4, at: 3ms, cmd: "ping 10.0.0.1 -c 3 -i 10ms" }
`) as Raw;
}

describe('an unnamed router link end takes the interface on the subnet across the cable', () => {
  it('router-ping with its links listed the other way round is wired the same and every ping is answered', () => {
    const raw = routerPing();
    raw.links.reverse();
    const scene = loaded(raw);
    expect(wiring(scene)).toEqual(wiring(loaded(routerPing())));
    expect(wiring(scene)['r1-sw2']).toBe('r1:eth1 sw2:-');
    expect(wiring(scene)['sw1-r1']).toBe('sw1:- r1:eth0');
    expect(pingsAnswered(scene)).toEqual({ h1: 3 });
  });

  it('a host cabled straight to the router: by its address, whatever the link order', () => {
    const raw = routerPing();
    raw.links = [
      { a: 'h2', b: 'r1' },
      { a: 'h1', b: 'r1' },
    ];
    raw.nodes = raw.nodes.filter((n) => n.kind !== 'switch');
    expect(wiring(loaded(raw))).toEqual({ 'h2-r1': 'h2:eth0 r1:eth1', 'h1-r1': 'h1:eth0 r1:eth0' });
  });

  it("the peer's gateway decides when its address alone would fit two interfaces", () => {
    const raw = routerPing();
    // h2 is 10.0.0.5/16: its address lies in eth0's subnet, but the gateway it sends through is
    // eth1's address, which it can only reach (by ARP) if the cable goes to eth1.
    raw.nodes[2].interfaces = ['10.0.0.254/24', '10.0.1.254/24', '10.1.0.254/24'];
    raw.nodes[4].ip = '10.0.0.5/16';
    raw.nodes[4].gateway = '10.0.1.254';
    raw.run = [];
    raw.links.reverse();
    expect(wiring(loaded(raw))['r1-sw2']).toBe('r1:eth1 sw2:-');
  });

  it('router to router: by the next hops of their routes', () => {
    const raw = chain();
    raw.links.reverse();
    const w = wiring(loaded(raw));
    expect(w['r1-r2']).toBe('r1:eth1 r2:eth0');
    expect(w['r2-r3']).toBe('r2:eth1 r3:eth1');
    expect(w['r2-sw9']).toBe('r2:eth2 sw9:-');
    expect(w['r3-h2']).toBe('r3:eth0 h2:eth0');
  });

  it('explicit interface names still win', () => {
    const raw = routerPing();
    raw.links[1].b = 'r1:eth1';
    raw.links[2].a = 'r1:eth0';
    // Deliberately crossed: the scene says so, so it is built that way.
    expect(wiring(loaded(raw))['sw1-r1']).toBe('sw1:- r1:eth1');
  });
});

describe('a scene whose router cannot be wired is refused, naming the link', () => {
  it('a host on a subnet the router has no interface on', () => {
    const raw = routerPing();
    raw.nodes[4].ip = '10.0.5.1/24';
    raw.nodes[4].gateway = '10.0.5.254';
    raw.run = [];
    expect(errors(raw)).toEqual(['links[2].a: r1 has no interface on the subnet of h2 (10.0.5.1)']);
  });

  it('a host cabled straight to it, link listed first', () => {
    const raw = routerPing();
    raw.nodes = raw.nodes.filter((n) => n.kind !== 'switch');
    raw.nodes[2].ip = '10.0.5.1/24';
    raw.nodes[2].gateway = '10.0.5.254';
    raw.links = [
      { a: 'h2', b: 'r1' },
      { a: 'h1', b: 'r1' },
    ];
    raw.run = [];
    expect(errors(raw)).toEqual(['links[0].b: r1 has no interface on the subnet of h2 (10.0.5.1)']);
  });

  it('two links into the same subnet', () => {
    const raw = routerPing();
    raw.nodes[4].ip = '10.0.0.5/24';
    raw.nodes[4].gateway = '10.0.0.254';
    raw.run = [];
    expect(errors(raw)).toEqual([
      'links[1].b: r1 has one interface on the subnet of h1 (10.0.0.1), eth0, and link r1-sw2 needs it too',
      'links[2].a: r1 has one interface on the subnet of h2 (10.0.0.5), eth0, and link sw1-r1 needs it too',
    ]);
  });

  it('a segment whose hosts sit on two of its subnets', () => {
    const raw = routerPing();
    raw.links[3] = { a: 'sw1', b: 'h2' };
    raw.nodes[3] = { id: 'sw2', kind: 'switch' };
    raw.links[2] = { a: 'r1', b: 'sw2' };
    raw.run = [];
    const e = errors(raw);
    expect(e).toContain(
      'links[1].b: r1 could take eth0 (10.0.0.254/24) or eth1 (10.0.1.254/24) for this link (across it: h1 10.0.0.1, h2 10.0.1.5); name one, e.g. r1:eth0',
    );
  });

  it('a cable to an empty switch when two interfaces are free', () => {
    const raw = routerPing();
    raw.nodes.push({ id: 'sw3', kind: 'switch' });
    raw.nodes[2].interfaces = ['10.0.0.254/24', '10.0.1.254/24', '10.0.2.254/24', '10.0.3.254/24'];
    raw.links.push({ a: 'r1', b: 'sw3' });
    raw.nodes.push({ id: 'sw4', kind: 'switch' });
    raw.links.push({ a: 'r1', b: 'sw4' });
    raw.run = [];
    expect(errors(raw)).toEqual([
      'links[4].a: r1 cannot tell which interface this link takes: nothing across it has an address; name one (r1:eth2 or r1:eth3)',
      'links[5].a: r1 cannot tell which interface this link takes: nothing across it has an address; name one (r1:eth2 or r1:eth3)',
    ]);
  });

  it('a cable to an empty switch takes the one interface left', () => {
    const raw = routerPing();
    raw.nodes.push({ id: 'sw3', kind: 'switch' });
    raw.nodes[2].interfaces = ['10.0.0.254/24', '10.0.1.254/24', '10.0.2.254/24'];
    raw.links.unshift({ a: 'r1', b: 'sw3' });
    expect(wiring(loaded(raw))['r1-sw3']).toBe('r1:eth2 sw3:-');
  });
});

describe('link order does not matter (property)', () => {
  const base = loaded(chain());
  const baseWiring = wiring(base);
  const basePings = pingsAnswered(base);

  it('the chain scene answers every ping in its written order', () => {
    expect(basePings).toEqual({ h1: 3, h2: 3, h4: 3 });
  });

  it('shuffling the links gives the same wiring and the same pings answered', () => {
    const n = chain().links.length;
    fc.assert(
      fc.property(fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }), (order) => {
        const raw = chain();
        const links = raw.links;
        raw.links = order.map((i) => links[i]);
        const scene = loaded(raw);
        expect(wiring(scene)).toEqual(baseWiring);
        expect(pingsAnswered(scene)).toEqual(basePings);
      }),
      { numRuns: 40 },
    );
  });
});

describe('building', () => {
  it('refuses a scene that never went through validation rather than wire it in link order', () => {
    const scene = loaded(routerPing());
    const unvalidated: Scene = { ...scene, links: scene.links.map((l) => ({ ...l, a: { node: l.a.node }, b: { node: l.b.node } })) };
    expect(() => buildNetwork(unvalidated)).toThrow(SceneBuildError);
    expect(() => buildNetwork(unvalidated)).toThrow(/links\[1\]\.b: r1 is a router with declared interfaces and this end names none/);
  });

  it('refuses an unvalidated link between two shared media (two hubs) rather than drop it silently', () => {
    const scene = loaded(routerPing());
    const hubs = [
      { id: 'hub1', kind: 'hub', config: {} },
      { id: 'hub2', kind: 'hub', config: {} },
    ];
    const link = { ...scene.links[0], id: 'hub1-hub2', a: { node: 'hub1' }, b: { node: 'hub2' } };
    const unvalidated: Scene = { ...scene, nodes: [...scene.nodes, ...hubs], links: [...scene.links, link] };
    const last = scene.links.length;
    expect(() => buildNetwork(unvalidated)).toThrow(new RegExp(`links\\[${last}\\]: hub1 and hub2 are both shared media`));
  });
});
