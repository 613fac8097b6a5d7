import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { z } from 'zod';
import type { DeviceConfigSpec } from '../../src/net/device-config';
import '../../src/net/devices';
import { deviceCatalog } from '../../src/net/device-registry';
import { DEFAULT_LINK_PARAMS } from '../../src/net/link-params';
import type { Scene } from '../../src/scenario/scene';
import { formatSceneError, parseScene, validateScene, type SceneError } from '../../src/scenario/validate';

type Raw = Record<string, unknown> & {
  nodes: Record<string, unknown>[];
  links: Record<string, unknown>[];
  run: Record<string, unknown>[];
  faults: Record<string, unknown>[];
};

/** A small valid scene: two hosts on two subnets joined by a switch and a router. */
function base(): Raw {
  return {
    version: 1,
    title: 'Two subnets',
    duration: '40ms',
    nodes: [
      { id: 'h1', kind: 'host', ip: '10.0.0.1/24', gateway: '10.0.0.254' },
      { id: 'h2', kind: 'host', ip: '10.0.1.1/24', gateway: '10.0.1.254' },
      { id: 'sw1', kind: 'switch' },
      { id: 'r1', kind: 'router', interfaces: ['10.0.0.254/24', '10.0.1.254/24'] },
    ],
    links: [
      { a: 'h1', b: 'sw1' },
      { a: 'sw1', b: 'r1' },
      { a: 'h2', b: 'r1' },
    ],
    run: [{ on: 'h1', at: '1ms', cmd: 'ping 10.0.1.1 -c 3' }],
    faults: [{ at: '20ms', link: 'h1-sw1', set: { loss: 0.3 } }],
  };
}

function load(raw: unknown, options = {}): { text: string; result: ReturnType<typeof parseScene> } {
  const text = stringify(raw);
  return { text, result: parseScene(text, 'scene.yaml', options) };
}

function errorsOf(raw: unknown, options = {}): { text: string; errors: SceneError[] } {
  const { text, result } = load(raw, options);
  if (result.ok) throw new Error(`expected errors for\n${text}`);
  return { text, errors: result.errors };
}

/**
 * Expects exactly one error, at `path`, whose message matches `message`, on a line of the YAML
 * text that contains `lineHas`.
 */
function expectOneError(raw: unknown, path: string, message: RegExp | string, lineHas?: string, options = {}): SceneError {
  const { text, errors } = errorsOf(raw, options);
  expect(errors.map((e) => formatSceneError(e, 'scene.yaml'))).toHaveLength(1);
  const [e] = errors;
  expect(e.path).toBe(path);
  if (typeof message === 'string') expect(e.message).toBe(message);
  else expect(e.message).toMatch(message);
  expect(e.line, 'every error in a text scene has a line').toBeTypeOf('number');
  if (lineHas !== undefined) expect(text.split('\n')[e.line! - 1]).toContain(lineHas);
  return e;
}

describe('a valid scene', () => {
  it('loads with every default filled in', () => {
    const { result } = load(base());
    if (!result.ok) throw new Error(result.errors.map((e) => formatSceneError(e)).join('\n'));
    const scene = result.scene;
    expect(scene.version).toBe(1);
    expect(scene.seed).toBe(1);
    expect(scene.duration).toBe(40e6);
    expect(scene.nodes.map((n) => n.id)).toEqual(['h1', 'h2', 'sw1', 'r1']);
    expect(scene.nodes[2].config).toEqual({ ageing: 300e9 });
    expect(scene.nodes[3].config).toEqual({
      interfaces: [
        { name: 'eth0', ip: '10.0.0.254/24' },
        { name: 'eth1', ip: '10.0.1.254/24' },
      ],
      routes: [],
    });
    expect(scene.links[0]).toEqual({ id: 'h1-sw1', a: { node: 'h1', iface: 'eth0' }, b: { node: 'sw1' }, ...DEFAULT_LINK_PARAMS });
    expect(scene.links[0]).toMatchObject({ latency: 100_000, bandwidth: 100e6, loss: 0, jitter: 0, queue: 100, mtu: 1500, up: true });
    expect(scene.links.map((l) => [l.id, l.a.iface, l.b.iface])).toEqual([
      ['h1-sw1', 'eth0', undefined],
      ['sw1-r1', undefined, 'eth0'],
      ['h2-r1', 'eth0', 'eth1'],
    ]);
    expect(scene.run).toEqual([{ on: 'h1', at: 1e6, cmd: 'ping 10.0.1.1 -c 3' }]);
    expect(scene.faults).toEqual([{ kind: 'link-set', at: 20e6, link: 'h1-sw1', set: { loss: 0.3 } }]);
  });

  it('loads the example of design.md', () => {
    const text = `version: 1
title: Hub versus switch
seed: 7
duration: 40ms
nodes:
  - { id: h1, kind: host, ip: 10.0.0.1/24, gateway: 10.0.0.254 }
  - { id: sw1, kind: switch }
  - { id: r1, kind: router, interfaces: [10.0.0.254/24, 10.0.1.254/24] }
links:
  - { a: h1, b: sw1, latency: 1ms, bandwidth: 100Mbps }
run:
  - { on: h1, at: 1ms, cmd: "ping 10.0.1.5 -c 3" }
faults:
  - { at: 20ms, link: h1-sw1, set: { loss: 0.3 } }
view: { camera: top, highlight: [sw1] }
`;
    const r = parseScene(text, 'hub-vs-switch.yaml');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.scene.seed).toBe(7);
    expect(r.scene.links[0]).toMatchObject({ latency: 1e6, bandwidth: 100e6 });
    expect(r.scene.view).toEqual({ camera: 'top', highlight: ['sw1'] });
  });

  it('gives the same Scene from YAML, JSON and JSON indented with tabs', () => {
    const raw = {
      ...base(),
      seed: 42,
      description: 'both formats',
      nodes: [
        ...base().nodes.slice(0, 3),
        {
          id: 'r1',
          kind: 'router',
          label: 'Router',
          position: { x: 1, y: 2 },
          interfaces: [{ name: 'lan', ip: '10.0.0.254/24', mac: '02:AA:00:00:00:01' }, '10.0.1.254/24'],
          routes: [
            { to: 'default', via: '10.0.1.1' },
            { to: '192.168.0.0/16', dev: 'lan' },
          ],
        },
      ],
      links: [
        { a: 'h1', b: 'sw1', latency: '1ms', bandwidth: '1Gbps', loss: 0.01, jitter: '50us', queue: 20, mtu: 9000 },
        { id: 'uplink', a: 'sw1', b: 'r1:lan', up: false },
        { a: 'h2', b: 'r1' },
      ],
      faults: [
        { at: '20ms', link: 'uplink', set: { up: true, latency: '2ms', bandwidth: '10Mbps', queue: 5, jitter: 0 } },
        { at: '30ms', node: 'h2', set: { up: false } },
      ],
      view: { camera: 'perspective', highlight: ['sw1', 'uplink'] },
    };
    const yaml = parseScene(stringify(raw), 'scene.yaml');
    const json = parseScene(JSON.stringify(raw, null, 2), 'scene.json');
    const tabs = parseScene(JSON.stringify(raw, null, '\t'), 'scene.json');
    const object = validateScene(raw);
    if (!yaml.ok) throw new Error(yaml.errors.map((e) => formatSceneError(e)).join('\n'));
    expect(json).toEqual(yaml);
    expect(tabs).toEqual(yaml);
    expect(object).toEqual(yaml);
    const scene: Scene = yaml.scene;
    expect(scene.nodes[3]).toEqual({
      id: 'r1',
      kind: 'router',
      label: 'Router',
      position: [1, 2, 0],
      config: {
        interfaces: [
          { name: 'lan', ip: '10.0.0.254/24', mac: '02:aa:00:00:00:01' },
          { name: 'eth1', ip: '10.0.1.254/24' },
        ],
        routes: [
          { to: '0.0.0.0/0', via: '10.0.1.1' },
          { to: '192.168.0.0/16', dev: 'lan' },
        ],
      },
    });
    expect(scene.links[0]).toMatchObject({ latency: 1e6, bandwidth: 1e9, loss: 0.01, jitter: 50_000, queue: 20, mtu: 9000 });
    expect(scene.links[1]).toMatchObject({ id: 'uplink', b: { node: 'r1', iface: 'lan' }, up: false });
    expect(scene.links[2].b).toEqual({ node: 'r1', iface: 'eth1' });
    expect(scene.faults).toEqual([
      { kind: 'link-set', at: 20e6, link: 'uplink', set: { up: true, latency: 2e6, bandwidth: 10e6, queue: 5, jitter: 0 } },
      { kind: 'node-set', at: 30e6, node: 'h2', set: { up: false } },
    ]);
  });

  it('takes positions as [x, y, z] too', () => {
    const raw = base();
    raw.nodes[0].position = [1, 2, 3];
    const { result } = load(raw);
    expect(result.ok && result.scene.nodes[0].position).toEqual([1, 2, 3]);
  });

  it('gives explicit interfaces first, then the one on the subnet across each link', () => {
    const raw = base();
    raw.links = [
      { a: 'h1', b: 'sw1' },
      { a: 'h2', b: 'r1' },
      { a: 'sw1', b: 'r1:eth1' },
    ];
    raw.nodes[0].ip = '10.0.1.5/24';
    raw.nodes[0].gateway = '10.0.1.254';
    raw.nodes[1].ip = '10.0.0.1/24';
    raw.nodes[1].gateway = '10.0.0.254';
    raw.run = [];
    raw.faults = [];
    const { result } = load(raw);
    if (!result.ok) throw new Error(result.errors.map((e) => formatSceneError(e)).join('\n'));
    expect(result.scene.links.map((l) => `${l.a.node}:${l.a.iface ?? '-'} ${l.b.node}:${l.b.iface ?? '-'}`)).toEqual([
      'h1:eth0 sw1:-',
      'h2:eth0 r1:eth0',
      'sw1:- r1:eth1',
    ]);
  });
});

describe('errors name the path and the line', () => {
  it('YAML syntax errors', () => {
    const r = parseScene('version: 1\ntitle: [unclosed\nduration: 1ms\n', 'scene.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0].message).toMatch(/^YAML syntax/);
    expect(r.errors[0].line).toBeTypeOf('number');
    const dup = parseScene('version: 1\ntitle: a\ntitle: b\n', 'scene.yaml');
    expect(!dup.ok && dup.errors[0]).toMatchObject({ path: '', line: 3, message: expect.stringMatching(/duplicate key "title"/) });
  });

  it('JSON syntax errors', () => {
    const r = parseScene('{\n  "version": 1,\n  "title": "x",,\n}', 'scene.json');
    expect(!r.ok && r.errors[0].message).toMatch(/^JSON syntax/);
    expect(!r.ok && r.errors[0].line).toBe(3);
  });

  it('an empty file or a scene that is not a mapping', () => {
    expect(parseScene('')).toMatchObject({ ok: false, errors: [{ message: 'the scene is empty' }] });
    expect(parseScene('- 1\n- 2\n')).toMatchObject({ ok: false, errors: [{ path: '', message: expect.stringMatching(/mapping/) }] });
  });

  it('unknown top-level keys, with a suggestion', () => {
    const raw = { ...base(), titel: 'typo' };
    expectOneError(raw, 'titel', 'unknown key "titel" (did you mean "title"?)', 'titel:');
    expectOneError({ ...base(), colour: 'red' }, 'colour', /unknown key "colour"; allowed keys: version, title/, 'colour:');
  });

  it('unknown keys inside links, nodes, runs, faults and view', () => {
    const raw = base();
    raw.links[0].latncy = '1ms';
    expectOneError(raw, 'links[0].latncy', 'unknown key "latncy" (did you mean "latency"?)', 'latncy');
    const n = base();
    n.nodes[0].gatway = '10.0.0.254';
    expectOneError(n, 'nodes[0].gatway', /did you mean "gateway"/, 'gatway');
    const r = base();
    r.run[0].command = 'x';
    expectOneError(r, 'run[0].command', /unknown key "command"/, 'command');
    const f = base();
    (f.faults[0].set as Record<string, unknown>).los = 0.1;
    expectOneError(f, 'faults[0].set.los', /did you mean "loss"/, 'los');
    expectOneError({ ...base(), view: { camra: 'top' } }, 'view.camra', /did you mean "camera"/, 'camra');
  });

  it('missing required fields', () => {
    const { duration: _d, ...noDuration } = base();
    expectOneError(noDuration, 'duration', 'required');
    const raw = base();
    delete raw.links[0].b;
    expectOneError(raw, 'links[0].b', 'required', '- a: h1');
    const n = base();
    delete n.nodes[0].ip;
    expectOneError(n, 'nodes[0].ip', 'required');
  });

  it('unknown kind lists the known kinds', () => {
    const raw = base();
    raw.nodes[2].kind = 'swich';
    const e = expectOneError(raw, 'nodes[2].kind', /unknown kind "swich" \(did you mean "switch"\?\); known kinds: host, server, switch, hub, router/, 'swich');
    expect(e.message).toContain('host, server, switch, hub, router');
  });

  it('duplicate node id', () => {
    const raw = base();
    raw.nodes.push({ id: 'sw1', kind: 'hub' });
    expectOneError(raw, 'nodes[4].id', 'duplicate node id "sw1" (also nodes[2])');
  });

  it('duplicate link id, default or explicit', () => {
    const raw = base();
    raw.links[1].id = 'h1-sw1';
    expectOneError(raw, 'links[1].id', 'duplicate link id "h1-sw1" (also links[0])', 'id: h1-sw1');
    const d = base();
    d.nodes[2].kind = 'switch';
    d.nodes.push({ id: 'sw2', kind: 'switch' });
    d.links.push({ a: 'sw1', b: 'sw2' }, { a: 'sw1', b: 'sw2' });
    expectOneError(d, 'links[4]', /duplicate link id "sw1-sw2" \(also links\[3\]\); give one of them an id/);
  });

  it('link to a missing node', () => {
    const raw = base();
    raw.links[0].b = 'sw2';
    raw.faults = []; // its link h1-sw1 is now h1-sw2
    expectOneError(raw, 'links[0].b', 'no node "sw2" (did you mean "sw1"?)', 'b: sw2');
  });

  it('link to a missing interface name', () => {
    const raw = base();
    raw.links[2].b = 'r1:eth5';
    expectOneError(raw, 'links[2].b', 'r1 has no interface "eth5" (did you mean "eth0"?) (it has eth0, eth1)', 'r1:eth5');
  });

  it('link naming an interface twice, or naming a port of a switch', () => {
    const raw = base();
    raw.links[1].b = 'r1:eth1';
    raw.links[2].b = 'r1:eth1';
    expectOneError(raw, 'links[2].b', 'r1:eth1 is already used by link sw1-r1');
    const s = base();
    s.links[0].b = 'sw1:eth0';
    s.faults = [];
    expectOneError(s, 'links[0].b', /sw1 is a switch with one port per link/);
  });

  it('self-link', () => {
    const raw = base();
    raw.links.push({ a: 'sw1', b: 'sw1' });
    expectOneError(raw, 'links[3]', 'a link cannot connect sw1 to itself', '- a: sw1');
  });

  it('more links than a host accepts', () => {
    const raw = base();
    raw.links.push({ a: 'h1', b: 'r1', id: 'extra' });
    const { errors } = errorsOf(raw);
    // r1 has one interface on h1's subnet, which sw1-r1 needs too; every end in the way is reported.
    expect(errors.map((e) => [e.path, e.message])).toEqual([
      ['links[1].b', 'r1 has one interface on the subnet of h1 (10.0.0.1), eth0, and link extra needs it too'],
      ['links[3].a', 'h1 accepts at most 1 link'],
      ['links[3].b', 'r1 has one interface on the subnet of h1 (10.0.0.1), eth0, and link sw1-r1 needs it too'],
    ]);
  });

  it("more links than a switch's ports", () => {
    const raw = base();
    raw.nodes[2].ports = 1;
    expectOneError(raw, 'links[1].a', 'sw1 accepts at most 1 link');
  });

  it('hub-to-hub links', () => {
    const raw = base();
    raw.nodes.push({ id: 'hub1', kind: 'hub' }, { id: 'hub2', kind: 'hub' });
    raw.links.push({ a: 'hub1', b: 'hub2' });
    expectOneError(raw, 'links[3]', 'hub-to-hub links are not supported yet; connect hubs through a switch');
  });

  it('duplicate IP address across the scene', () => {
    const raw = base();
    raw.nodes[1].ip = '10.0.0.1/24';
    raw.nodes[1].gateway = '10.0.0.254';
    raw.links[2] = { a: 'h2', b: 'sw1' };
    expectOneError(raw, 'nodes[1].ip', '10.0.0.1 is already used by h1 (eth0); every address must be unique', 'ip: 10.0.0.1/24');
    const r = base();
    r.nodes[1].ip = '10.0.1.254/24';
    r.nodes[1].gateway = '10.0.1.1';
    expectOneError(r, 'nodes[3].interfaces[1]', '10.0.1.254 is already used by h2 (eth0); every address must be unique', '10.0.1.254/24');
  });

  it('duplicate MAC', () => {
    const raw = base();
    raw.nodes[0].mac = '02:00:00:00:00:01';
    raw.nodes[1].mac = '02:00:00:00:00:01';
    expectOneError(raw, 'nodes[1].mac', /MAC 02:00:00:00:00:01 is already used by h1 \(eth0\)/, 'mac');
  });

  it('host address that is the network or broadcast address', () => {
    const raw = base();
    raw.nodes[0].ip = '10.0.0.0/24';
    expectOneError(raw, 'nodes[0].ip', /10.0.0.0\/24 is the network address of its subnet; use an address from 10.0.0.1 to 10.0.0.254/, 'ip: 10.0.0.0/24');
    const b = base();
    b.nodes[0].ip = '10.0.0.255/24';
    expectOneError(b, 'nodes[0].ip', /broadcast address/);
    const r = base();
    r.nodes[3].interfaces = ['10.0.0.0/24', '10.0.1.254/24'];
    r.nodes[0].gateway = '10.0.0.2';
    expectOneError(r, 'nodes[3].interfaces[0]', /network address/);
  });

  it('addresses outside the subnet: gateway and route via', () => {
    const raw = base();
    raw.nodes[0].gateway = '10.0.1.254';
    expectOneError(raw, 'nodes[0].gateway', 'gateway 10.0.1.254 is outside the connected subnet (10.0.0.0/24)', 'gateway');
    const own = base();
    own.nodes[0].gateway = '10.0.0.1';
    expectOneError(own, 'nodes[0].gateway', "gateway 10.0.0.1 is this device's own address");
    const hostRoute = base();
    hostRoute.nodes[0].routes = [{ to: '192.168.0.0/16', via: '172.16.0.1' }];
    expectOneError(hostRoute, 'nodes[0].routes[0].via', /via 172.16.0.1 is outside/, 'via');
    const router = base();
    router.nodes[3].routes = [{ to: '10.9.0.0/16', via: '10.8.0.1' }];
    expectOneError(router, 'nodes[3].routes[0].via', 'via 10.8.0.1 is outside the connected subnets (10.0.0.0/24, 10.0.1.0/24)', 'via');
  });

  it('router route to a non-network address, to a missing dev, and overlapping interfaces', () => {
    const raw = base();
    raw.nodes[3].routes = [{ to: '10.9.0.5/16', via: '10.0.1.1' }];
    expectOneError(raw, 'nodes[3].routes[0].to', /10.9.0.5\/16 is not a network address .*did you mean 10.9.0.0\/16\?/, 'to');
    const dev = base();
    dev.nodes[3].routes = [{ to: '10.9.0.0/16', dev: 'eth7' }];
    expectOneError(dev, 'nodes[3].routes[0].dev', 'no interface eth7 (this router has eth0, eth1)');
    const both = base();
    both.nodes[3].routes = [{ to: '10.9.0.0/16' }];
    expectOneError(both, 'nodes[3].routes[0]', /exactly one of via .* or dev/);
    const overlap = base();
    overlap.nodes[3].interfaces = ['10.0.0.254/24', '10.0.1.254/16'];
    overlap.nodes[1].ip = '10.0.2.1/24';
    overlap.nodes[1].gateway = '10.0.2.2';
    overlap.nodes[1].gateway = undefined;
    delete overlap.nodes[1].gateway;
    expectOneError(overlap, 'nodes[3].interfaces[1]', /subnet 10.0.0.0\/16 of eth1 overlaps 10.0.0.0\/24 of eth0/, '10.0.1.254/16');
  });

  it('short-form router interfaces report the entry itself', () => {
    const raw = base();
    raw.nodes[3].interfaces = ['10.0.0.254/24', '10.0.1.254'];
    expectOneError(raw, 'nodes[3].interfaces[1]', '"10.0.1.254" needs a prefix length, e.g. 10.0.1.254/24', '10.0.1.254');
  });

  it('bad values: durations, rates, loss, mtu, queue, ids, MACs', () => {
    const cases: [string, unknown, string, RegExp | string][] = [
      ['latency', 'fast', 'links[0].latency', '"fast" is not a duration'],
      ['latency', 5, 'links[0].latency', '5 needs a unit, e.g. 1ms'],
      ['jitter', '-1ms', 'links[0].jitter', /cannot be negative/],
      ['bandwidth', '10mbps', 'links[0].bandwidth', /write Mbps/],
      ['bandwidth', '0', 'links[0].bandwidth', 'bandwidth must be greater than 0'],
      ['loss', 1.5, 'links[0].loss', 'loss must be between 0 and 1'],
      ['loss', -0.1, 'links[0].loss', 'loss must be between 0 and 1'],
      ['loss', '5%', 'links[0].loss', /probability from 0 to 1/],
      ['mtu', 40, 'links[0].mtu', /at least 68/],
      ['mtu', 9001, 'links[0].mtu', /at most 9000/],
      ['queue', 0, 'links[0].queue', /at least 1 packet/],
      ['up', 'yes', 'links[0].up', 'expected true or false, got "yes"'],
    ];
    for (const [key, value, path, message] of cases) {
      const raw = base();
      raw.links[0][key] = value;
      expectOneError(raw, path, message, `${key}:`);
    }
    const mac = base();
    mac.nodes[0].mac = '01:00:5e:00:00:01';
    expectOneError(mac, 'nodes[0].mac', /group \(multicast\) address/);
    const id = base();
    id.nodes.push({ id: 'bad id', kind: 'hub' });
    expectOneError(id, 'nodes[4].id', /ids use letters, digits/);
  });

  it('negative times and times beyond the duration', () => {
    const raw = base();
    raw.run[0].at = '-2ms';
    expectOneError(raw, 'run[0].at', /cannot be negative/, 'at:');
    const late = base();
    late.run[0].at = '50ms';
    expectOneError(late, 'run[0].at', '50ms is after the end of the scene (duration 40ms)', 'at: 50ms');
    const lateFault = base();
    lateFault.faults[0].at = '41ms';
    expectOneError(lateFault, 'faults[0].at', '41ms is after the end of the scene (duration 40ms)', 'at: 41ms');
    const atEnd = base();
    atEnd.run[0].at = '40ms';
    expect(load(atEnd).result.ok).toBe(true);
    expectOneError({ ...base(), duration: '0' }, 'duration', 'duration must be longer than 0');
  });

  it('run on an unknown node, and checkCommand', () => {
    const raw = base();
    raw.run[0].on = 'h3';
    expectOneError(raw, 'run[0].on', /no node "h3"/, 'on: h3');
    const cmd = base();
    cmd.run[0].cmd = 'pong 10.0.1.1';
    const checkCommand = (c: string) => (c.startsWith('ping') ? undefined : `unknown command "${c.split(' ')[0]}"`);
    expectOneError(cmd, 'run[0].cmd', 'unknown command "pong"', 'cmd:', { checkCommand });
    expect(load(base(), { checkCommand }).result.ok).toBe(true);
  });

  it('faults on an unknown link or node, or with no target', () => {
    const raw = base();
    raw.faults[0].link = 'h1-sw9';
    expectOneError(raw, 'faults[0].link', /no link "h1-sw9" \(did you mean "h1-sw1"\?\)/, 'link: h1-sw9');
    const node = base();
    node.faults = [{ at: '1ms', node: 'zz', set: { up: false } }];
    expectOneError(node, 'faults[0].node', 'no node "zz"', 'node: zz');
    const none = base();
    none.faults = [{ at: '1ms', set: { up: false } }];
    expectOneError(none, 'faults[0]', 'a fault needs a target: link, node, packet, partition or heal');
    const noSet = base();
    noSet.faults = [{ at: '1ms', link: 'h1-sw1' }];
    expectOneError(noSet, 'faults[0].set', 'required');
    const bare = base();
    bare.faults = [{ at: '1ms' }];
    expectOneError(bare, 'faults[0]', 'a fault needs a target: link, node, packet, partition or heal');
    const empty = base();
    empty.faults[0].set = {};
    expectOneError(empty, 'faults[0].set', /set at least one of/);
    const loss = base();
    (loss.faults[0].set as Record<string, unknown>).loss = 3;
    expectOneError(loss, 'faults[0].set.loss', 'loss must be between 0 and 1', 'loss: 3');
    const nodeSet = base();
    nodeSet.faults = [{ at: '1ms', node: 'h1', set: { loss: 0.1 } }];
    const { errors } = errorsOf(nodeSet);
    expect(errors.map((e) => e.path).sort()).toEqual(['faults[0].set.loss', 'faults[0].set.up']);
  });

  it('view highlights that name nothing', () => {
    expectOneError({ ...base(), view: { highlight: ['sw1', 'sw9'] } }, 'view.highlight[1]', /no node or link "sw9"/, 'sw9');
    expectOneError({ ...base(), view: { camera: 'front' } }, 'view.camera', 'expected "top" or "perspective" or "side", got "front"');
  });

  it('formats errors as file:line:column path: message', () => {
    const text = `version: 1
title: t
duration: 10ms
nodes:
  - { id: h1, kind: host, ip: 10.0.0.1/24 }
  - { id: h2, kind: host, ip: 10.0.0.2/24 }
links:
  - { a: h1, b: h2, latency: fast }
`;
    const r = parseScene(text, 'scene.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => formatSceneError(e, 'scene.yaml'))).toEqual(['scene.yaml:8:30 links[0].latency: "fast" is not a duration']);
    expect(formatSceneError({ path: '', message: 'm' }, 'x.json')).toBe('x.json: m');
    expect(formatSceneError({ path: 'a.b', message: 'm' })).toBe('scene a.b: m');
  });

  it('points at lines in JSON too', () => {
    const raw = base();
    raw.links[1].latency = 'slow';
    const text = JSON.stringify(raw, null, 2);
    const r = parseScene(text, 'scene.json');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].path).toBe('links[1].latency');
    expect(text.split('\n')[r.errors[0].line! - 1]).toContain('"latency": "slow"');
  });
});

describe('all problems together, nothing half-loaded', () => {
  it('a scene with 3 problems reports 3', () => {
    const raw = base();
    raw.links[0].latency = 'fast';
    raw.nodes[2].kind = 'hubb';
    raw.run[0].on = 'nobody';
    const { errors } = errorsOf(raw);
    expect(errors.map((e) => e.path)).toEqual(['nodes[2].kind', 'links[0].latency', 'run[0].on']);
  });

  it('errors of several sections and kinds come together, in file order', () => {
    const raw = base();
    raw.titel = 'x';
    raw.nodes[0].ip = '10.0.0.0/24';
    raw.links[2].loss = 2;
    raw.faults[0].at = '1h';
    raw.run.push({ on: 'h2', at: '99ms', cmd: 'ping 10.0.0.1' });
    const { errors } = errorsOf(raw);
    expect(errors).toHaveLength(5);
    const lines = errors.map((e) => e.line!);
    expect([...lines].sort((a, b) => a - b)).toEqual(lines);
  });

  it('returns no scene at all when anything is wrong', () => {
    const raw = base();
    raw.links[0].latency = 'fast';
    const { result } = load(raw);
    expect(result).toEqual({ ok: false, errors: expect.any(Array) });
    expect('scene' in result).toBe(false);
  });
});

describe('registry-driven kinds', () => {
  it('validates against the catalog it is given', () => {
    const cloud: DeviceConfigSpec<{ region: string }> = {
      kind: 'cloud',
      description: 'the internet',
      config: z.strictObject({ region: z.string() }),
      interfaces: () => [{ name: 'wan', cidr: '203.0.113.1/24' }],
      maxLinks: 1,
      validate: (c, report) => {
        if (c.region === 'mars') report(['region'], 'too far');
      },
    };
    const catalog = new Map<string, DeviceConfigSpec>([...deviceCatalog(), ['cloud', cloud]]);
    const raw = base();
    raw.nodes.push({ id: 'c1', kind: 'cloud', region: 'eu' });
    raw.links.push({ a: 'c1', b: 'sw1' });
    const ok = load(raw, { catalog }).result;
    expect(ok.ok && ok.scene.nodes[4]).toEqual({ id: 'c1', kind: 'cloud', config: { region: 'eu' } });
    expect(ok.ok && ok.scene.links[3].a).toEqual({ node: 'c1', iface: 'wan' });
    raw.nodes[4].region = 'mars';
    expectOneError(raw, 'nodes[4].region', 'too far', 'region', { catalog });
    const onlyHosts = new Map<string, DeviceConfigSpec>([['host', deviceCatalog().get('host')!]]);
    const { errors } = errorsOf(base(), { catalog: onlyHosts });
    expect(errors.find((e) => e.path === 'nodes[2].kind')?.message).toBe('unknown kind "switch"; known kinds: host');
  });

  it("a kind's cannotLinkTo refuses a direct link from either end, with the kind's reason", () => {
    const bridge: DeviceConfigSpec<Record<string, never>> = {
      kind: 'bridge',
      description: 'a radio bridge',
      config: z.strictObject({}),
      interfaces: () => 'per-link',
      cannotLinkTo: { switch: 'a radio bridge needs a router across it' },
    };
    const catalog = new Map<string, DeviceConfigSpec>([...deviceCatalog(), ['bridge', bridge]]);
    const raw = base();
    raw.nodes.push({ id: 'b1', kind: 'bridge' });
    raw.links.push({ a: 'sw1', b: 'b1' });
    expectOneError(raw, 'links[3]', 'a radio bridge needs a router across it', undefined, { catalog });
    raw.links[3] = { a: 'b1', b: 'sw1' };
    expectOneError(raw, 'links[3]', 'a radio bridge needs a router across it', undefined, { catalog });
    raw.nodes.push({ id: 'b2', kind: 'bridge' });
    raw.links[3] = { a: 'b1', b: 'b2' };
    expect(load(raw, { catalog }).result.ok).toBe(true);
  });

  it('the default catalog is the device registry: every registered kind, in registration order', () => {
    expect([...deviceCatalog().keys()]).toEqual(['host', 'server', 'switch', 'hub', 'router', 'clients', 'dns-server']);
    const raw = base();
    raw.nodes[1].kind = 'server';
    const { result } = load(raw);
    expect(result.ok && result.scene.nodes[1]).toMatchObject({ kind: 'server', config: { ip: '10.0.1.1/24' } });
  });
});
