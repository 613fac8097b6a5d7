// The editor's network helpers: auto-addressing, default routes for a tree, auto-layout. Each is
// one command; undoing it gives back the scene text exactly.
import { describe, expect, it } from 'vitest';
import { deviceCatalog } from '../../../src/net/device-registry';
import { parseCidr, inSubnet } from '../../../src/protocols/addr';
import { addressSegments } from '../../../src/scenario/edit/addressing';
import { addDevice, addRun, applyCommand, connect, type EditCommand, type SceneData } from '../../../src/scenario/edit/commands';
import { BLANK_SCENE_TEXT, parseSceneDoc, sceneDocData, sceneDocText } from '../../../src/scenario/edit/doc';
import { autoLayout, layeredPositions } from '../../../src/scenario/edit/layout';
import { addDefaultRoutes } from '../../../src/scenario/edit/routes';
import { loadScene } from '../../../src/scenario/load';
import { simulate } from '../../../src/scenario/simulate';
import { RecordKind } from '../../../src/sim/trace';

const catalog = deviceCatalog();

/** A scene under construction, edited the way the editor does: commands on one YAML document. */
class Builder {
  doc = parseSceneDoc(BLANK_SCENE_TEXT);
  get data(): SceneData {
    return sceneDocData(this.doc);
  }
  get text(): string {
    return sceneDocText(this.doc);
  }
  apply(cmd: EditCommand | null): EditCommand | null {
    return cmd ? applyCommand(this.doc, cmd) : null;
  }
  add(kind: string, config: Record<string, unknown> = {}): this {
    this.apply(addDevice(this.data, kind, { config }));
    return this;
  }
  /** Cables two devices and addresses what the cable joined, as the canvas does. */
  cable(a: string, b: string): this {
    const r = connect(catalog, this.data, a, b, { newInterface: true });
    if (!r.ok) throw new Error(r.problem.message);
    this.apply(r.command);
    const links = this.data.links!.length;
    this.apply(addressSegments(catalog, this.data, { links: [links - 1] }));
    return this;
  }
}

function addrOf(data: SceneData, id: string): string[] {
  const n = data.nodes!.find((x) => x.id === id)!;
  if (typeof n.ip === 'string') return [n.ip];
  return ((n.interfaces as unknown[]) ?? []).map(String);
}

describe('auto-addressing', () => {
  it('gives a new segment a free /24: the router .254, hosts from .1; the scene validates', () => {
    const b = new Builder().add('host').add('switch').add('router').add('switch').add('host');
    b.cable('h1', 'sw1').cable('sw1', 'r1').cable('r1', 'sw2').cable('sw2', 'h2');
    expect(addrOf(b.data, 'h1')).toEqual(['10.0.0.1/24']);
    expect(addrOf(b.data, 'r1')).toEqual(['10.0.0.254/24', '10.0.1.254/24']);
    expect(addrOf(b.data, 'h2')).toEqual(['10.0.1.1/24']);
  });

  it('never picks a subnet that overlaps one in the scene, and keeps every address already written', () => {
    const b = new Builder()
      .add('host', { ip: '10.0.0.7/16' })
      .add('host', { ip: '10.1.0.9/24' })
      .add('router', { interfaces: ['192.168.5.1/24'], routes: [{ to: '10.0.2.0/23', via: '192.168.5.2' }] })
      .add('switch')
      .add('host')
      .add('host');
    const before = JSON.stringify(b.data.nodes!.slice(0, 3));
    b.cable('sw1', 'h3').cable('sw1', 'h4');
    const sub = parseCidr(addrOf(b.data, 'h3')[0])!;
    // 10.0.0.0/16 and 10.1.0.0/24 are taken: the first free /24 is 10.1.1.0/24.
    expect(addrOf(b.data, 'h3')[0]).toBe('10.1.1.1/24');
    expect(addrOf(b.data, 'h4')[0]).toBe('10.1.1.2/24');
    for (const used of ['10.0.0.7/16', '10.1.0.9/24', '192.168.5.1/24', '10.0.2.0/23']) {
      const c = parseCidr(used)!;
      expect(inSubnet(sub.network, c.network, Math.min(c.prefix, sub.prefix))).toBe(false);
    }
    expect(JSON.stringify(b.data.nodes!.slice(0, 3))).toBe(before);
  });

  it('joins an addressed segment on its own subnet, skipping addresses in use', () => {
    const b = new Builder().add('host', { ip: '172.16.3.1/24' }).add('host', { ip: '172.16.3.254/24' }).add('switch').add('router').add('host');
    b.cable('h1', 'sw1').cable('h2', 'sw1').cable('sw1', 'r1').cable('h3', 'sw1');
    expect(addrOf(b.data, 'r1')).toEqual(['172.16.3.253/24']);
    expect(addrOf(b.data, 'h3')).toEqual(['172.16.3.2/24']);
  });

  it('is one step: undoing it restores the scene text exactly, comments included', () => {
    const b = new Builder();
    b.doc = parseSceneDoc(
      `${BLANK_SCENE_TEXT.replace('nodes: []', '# my devices\nnodes:\n  - { id: h1, kind: host } # the client\n  - { id: r1, kind: router }')}`,
    );
    const r = connect(catalog, b.data, 'h1', 'r1');
    if (!r.ok) throw new Error(r.problem.message);
    b.apply(r.command);
    const before = b.text;
    const inverse = b.apply(addressSegments(catalog, b.data))!;
    expect(addrOf(b.data, 'h1')).toEqual(['10.0.0.1/24']);
    expect(addrOf(b.data, 'r1')).toEqual(['10.0.0.254/24']);
    b.apply(inverse);
    expect(b.text).toBe(before);
    expect(b.text).toContain('# the client');
  });

  it('does nothing when every device on the segment has its address', () => {
    const b = new Builder().add('host', { ip: '10.0.0.1/24' }).add('switch');
    const r = connect(catalog, b.data, 'h1', 'sw1');
    if (!r.ok) throw new Error(r.problem.message);
    b.apply(r.command);
    expect(addressSegments(catalog, b.data)).toBeNull();
  });
});

/** Runs the scene; the hosts each ping every host after it; true when every ping got its replies. */
function pingsAnswered(b: Builder, hosts: string[]): { answered: string[]; missing: string[] } {
  const pairs: [string, string][] = [];
  hosts.forEach((h, i) => hosts.slice(i + 1).forEach((g) => pairs.push([h, g])));
  pairs.forEach(([h, g], k) => b.apply(addRun(b.data, h, `${1 + k * 20}ms`, `ping ${addrOf(b.data, g)[0].split('/')[0]} -c 2 -i 5ms`)));
  b.apply({ name: 'duration', ops: [{ op: 'set', path: ['duration'], value: `${pairs.length * 20 + 40}ms` }] });
  const loaded = loadScene(b.text, 'built.yaml');
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const { trace } = simulate(loaded.scene);
  const lines: string[] = [];
  for (let i = 0; i < trace.length; i++)
    if (trace.kind[i] === RecordKind.Log) lines.push(`${trace.nodes[trace.place[i]].name}: ${trace.string(trace.code[i])}`);
  const answered: string[] = [];
  const missing: string[] = [];
  for (const [h, g] of pairs) {
    const ip = addrOf(b.data, g)[0].split('/')[0];
    // Linux ping prints one "64 bytes from <addr>: icmp_seq=..." line per echo reply.
    const ok = lines.filter((l) => l.startsWith(`${h}: 64 bytes from ${ip}: icmp_seq=`)).length === 2;
    (ok ? answered : missing).push(`${h}->${g}`);
  }
  return { answered, missing };
}

describe('add default routes', () => {
  it('router-ping built from nothing: with the helpers, h1 and h2 ping each other', () => {
    const b = new Builder().add('host').add('switch').add('router').add('switch').add('host');
    b.cable('h1', 'sw1').cable('sw1', 'r1').cable('r1', 'sw2').cable('sw2', 'h2');
    const r = addDefaultRoutes(catalog, b.data);
    if (!r.ok) throw new Error(r.message);
    b.apply(r.command);
    expect(b.data.nodes!.find((n) => n.id === 'h1')!.gateway).toBe('10.0.0.254');
    expect(b.data.nodes!.find((n) => n.id === 'h2')!.gateway).toBe('10.0.1.254');
    expect(pingsAnswered(b, ['h1', 'h2']).missing).toEqual([]);
  });

  it('a chain of three routers built from nothing: every host pings every host after it', () => {
    // h1 - sw1 - r1 - r2 - sw2 - h2 ; r2 - r3 - sw3 - h3, h4 ; r1 - h5 (a host cabled to a router)
    const b = new Builder();
    for (const k of ['host', 'switch', 'router', 'router', 'switch', 'host', 'router', 'switch', 'host', 'host', 'host']) b.add(k);
    for (const [x, y] of [
      ['h1', 'sw1'],
      ['sw1', 'r1'],
      ['r1', 'r2'],
      ['r2', 'sw2'],
      ['sw2', 'h2'],
      ['r2', 'r3'],
      ['r3', 'sw3'],
      ['sw3', 'h3'],
      ['sw3', 'h4'],
      ['r1', 'h5'],
    ]) {
      b.cable(x, y);
    }
    const r = addDefaultRoutes(catalog, b.data);
    if (!r.ok) throw new Error(r.message);
    const before = b.text;
    const inverse = b.apply(r.command)!;
    const after = b.text;
    // r1 touches h1's and h5's subnets and the r1-r2 link; it routes the other three through r2.
    expect((b.data.nodes!.find((n) => n.id === 'r1')!.routes as unknown[]).length).toBe(3);
    const again = addDefaultRoutes(catalog, b.data);
    expect(again.ok && again.command).toBeNull();
    // One step: undoing it gives back the scene before, exactly.
    b.apply(b.apply(inverse));
    expect(b.text).toBe(after);
    b.apply(inverse);
    expect(b.text).toBe(before);
    b.apply(r.command);
    const { missing, answered } = pingsAnswered(b, ['h1', 'h2', 'h3', 'h4', 'h5']);
    expect(missing).toEqual([]);
    expect(answered).toHaveLength(10);
  });

  it('refuses a network with a loop and says so', () => {
    const b = new Builder().add('router').add('router').add('router');
    b.cable('r1', 'r2').cable('r2', 'r3').cable('r3', 'r1');
    const r = addDefaultRoutes(catalog, b.data);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/r1, r2, r3 .*loop/);
  });

  it('asks for addresses first when a router has none on a segment', () => {
    const b = new Builder().add('router').add('host', { ip: '10.0.0.1/24' });
    const c = connect(catalog, b.data, 'r1', 'h1');
    if (!c.ok) throw new Error(c.problem.message);
    b.apply(c.command);
    const r = addDefaultRoutes(catalog, b.data);
    expect(r).toEqual({ ok: false, message: 'r1 has no address on the segment of link r1-h1: address it first' });
  });
});

describe('auto-layout', () => {
  // Routers in the middle column, top to bottom; each router's segments to its left and right.
  function routerPing(): Builder {
    const b = new Builder().add('host').add('switch').add('router').add('switch').add('host');
    return b.cable('h1', 'sw1').cable('sw1', 'r1').cable('r1', 'sw2').cable('sw2', 'h2');
  }

  it('puts routers in the middle column and each segment in layers beside its router, on the half-unit grid', () => {
    const p = layeredPositions(catalog, routerPing().data);
    expect(p.get('r1')![0]).toBe(0);
    // As router-ping is drawn: h1, sw1 to the left of r1; sw2, h2 to its right; one row.
    expect(p.get('sw1')![0]).toBeLessThan(0);
    expect(p.get('h1')![0]).toBeLessThan(p.get('sw1')![0]);
    expect(p.get('sw2')![0]).toBeGreaterThan(0);
    expect(p.get('h2')![0]).toBeGreaterThan(p.get('sw2')![0]);
    expect(new Set([...p.values()].map(([, y]) => y))).toEqual(new Set([0]));
    for (const [x, y] of p.values()) {
      expect(x * 2).toBe(Math.round(x * 2));
      expect(y * 2).toBe(Math.round(y * 2));
    }
  });

  it('is deterministic, keeps devices apart and is one undoable step', () => {
    const b = new Builder();
    for (const k of ['router', 'router', 'switch', 'switch', 'host', 'host', 'host', 'host', 'hub', 'host']) b.add(k);
    for (const [x, y] of [
      ['r1', 'r2'],
      ['r1', 'sw1'],
      ['r2', 'sw2'],
      ['sw1', 'h1'],
      ['sw1', 'h2'],
      ['sw2', 'h3'],
      ['sw2', 'h4'],
      ['hub1', 'h5'],
    ]) {
      b.cable(x, y);
    }
    const p1 = layeredPositions(catalog, b.data);
    expect([...layeredPositions(catalog, b.data)]).toEqual([...p1]);
    const pts = [...p1.values()];
    for (let i = 0; i < pts.length; i++)
      for (let j = i + 1; j < pts.length; j++) expect(Math.hypot(pts[i][0] - pts[j][0], pts[i][1] - pts[j][1])).toBeGreaterThanOrEqual(2);
    expect(p1.get('r1')![0]).toBe(0);
    expect(p1.get('r2')![0]).toBe(0);
    expect(p1.get('r1')![1]).toBeGreaterThan(p1.get('r2')![1]);
    const before = b.text;
    const inverse = b.apply(autoLayout(catalog, b.data))!;
    expect(autoLayout(catalog, b.data)).toBeNull();
    b.apply(inverse);
    expect(b.text).toBe(before);
  });
});
