import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deviceCatalog } from '../../../src/net/device-registry';
import { loadSceneData } from '../../../src/scenario/load';
import {
  addDevice,
  addFault,
  addRun,
  applyCommand,
  connect,
  disconnect,
  duplicateDevice,
  linkId,
  moveDevice,
  removeDevice,
  removeEntry,
  renameDevice,
  setField,
  type EditCommand,
  type SceneData,
} from '../../../src/scenario/edit/commands';
import { BLANK_SCENE_TEXT, checkField, parseSceneDoc, sceneDocData, sceneDocText } from '../../../src/scenario/edit/doc';

const SCENES = fileURLToPath(new URL('../../../scenes/', import.meta.url));
const catalog = deviceCatalog();

const COMMENTED = `# A scene written by hand.
version: 1
title: Commented # the title
seed: 1
duration: 40ms
nodes:
  # the client
  - { id: h1, kind: host, ip: 10.0.0.1/24, gateway: 10.0.0.254 }
  - id: sw1 # block style
    kind: switch
  - { id: r1, kind: router, interfaces: [ 10.0.0.254/24, 10.0.1.254/24 ] }
links:
  - { a: h1, b: sw1, latency: 1ms } # first cable
  - { a: sw1, b: r1 }
run:
  - { on: h1, at: 1ms, cmd: "ping 10.0.0.254 -c 2" }

# trailing comment
`;

/** Applies a command, returning its inverse. */
function apply(text: string, build: (d: SceneData) => EditCommand): { before: string; after: string; undone: string } {
  const doc = parseSceneDoc(text);
  const before = sceneDocText(doc);
  const inverse = applyCommand(doc, build(sceneDocData(doc)));
  const after = sceneDocText(doc);
  applyCommand(doc, inverse);
  return { before, after, undone: sceneDocText(doc) };
}

describe('edit commands', () => {
  it('add device appends a flow-style node with a free id and undo removes it', () => {
    const r = apply(COMMENTED, (d) => addDevice(d, 'host', { position: [2, 3] }));
    expect(r.after).toContain('- { id: h2, kind: host, position: [ 2, 3, 0 ] }');
    expect(r.undone).toBe(r.before);
  });

  it('add device to a blank scene', () => {
    const r = apply(BLANK_SCENE_TEXT, (d) => addDevice(d, 'router', { config: { interfaces: ['10.0.0.254/24'] } }));
    expect(sceneDocData(parseSceneDoc(r.after)).nodes).toEqual([{ id: 'r1', kind: 'router', interfaces: ['10.0.0.254/24'] }]);
    expect(r.undone).toBe(r.before);
  });

  it('remove device takes its links, commands and faults along, and undo puts all back with comments', () => {
    const r = apply(COMMENTED, (d) => removeDevice(d, 'h1'));
    const after = sceneDocData(parseSceneDoc(r.after));
    expect(after.nodes!.map((n) => n.id)).toEqual(['sw1', 'r1']);
    expect(after.links!.map(linkId)).toEqual(['sw1-r1']);
    expect(after.run).toEqual([]);
    expect(r.undone).toBe(r.before);
    expect(r.undone).toContain('# the client');
    expect(r.undone).toContain('# first cable');
  });

  it('move, rename and duplicate are undone exactly', () => {
    for (const build of [
      (d: SceneData) => moveDevice(d, 'sw1', [1, 2]),
      (d: SceneData) => renameDevice(d, 'h1', 'client'),
      (d: SceneData) => duplicateDevice(d, 'h1'),
    ]) {
      const r = apply(COMMENTED, build);
      expect(r.after).not.toBe(r.before);
      expect(r.undone).toBe(r.before);
    }
  });

  it('a scene drawn in 3D (x, z on the floor) is moved on the floor', () => {
    const text = 'version: 1\ntitle: t\nduration: 1ms\nnodes:\n  - { id: a, kind: hub, position: [-4, 0, -3] }\n';
    const r = apply(text, (d) => moveDevice(d, 'a', [1, 2]));
    expect(r.after).toContain('position: [ 1, 0, -2 ]');
    const r2 = apply(text, (d) => addDevice(d, 'host', { position: [1, 2] }));
    expect(r2.after).toContain('{ id: h1, kind: host, position: [ 1, 0, -2 ] }');
  });

  it('rename updates every reference', () => {
    const r = apply(COMMENTED, (d) => renameDevice(d, 'h1', 'client'));
    const after = sceneDocData(parseSceneDoc(r.after));
    expect(after.links![0]).toMatchObject({ a: 'client', b: 'sw1' });
    expect(after.run![0]).toMatchObject({ on: 'client' });
    expect(loadSceneData(after).ok).toBe(true);
  });

  it('duplicate gives the copy the next free address', () => {
    const r = apply(COMMENTED, (d) => duplicateDevice(d, 'h1'));
    const after = sceneDocData(parseSceneDoc(r.after));
    expect(after.nodes![3]).toMatchObject({ id: 'h2', kind: 'host', ip: '10.0.0.2/24', gateway: '10.0.0.254' });
  });

  it('set field changes a value in place, keeping its comment, and a new key goes in scene key order', () => {
    const r = apply(COMMENTED, (d) => setField(d, ['title'], 'Renamed'));
    expect(r.after).toContain('title: Renamed # the title');
    expect(r.undone).toBe(r.before);
    const r2 = apply(COMMENTED, (d) => setField(d, ['description'], 'Hello'));
    expect(r2.after).toMatch(/title: Commented.*\ndescription: Hello\nseed: 1/);
    expect(r2.undone).toBe(r2.before);
    const r3 = apply(COMMENTED, (d) => setField(d, ['links', 1, 'latency'], '2ms'));
    expect(r3.after).toContain('- { a: sw1, b: r1, latency: 2ms }');
    expect(r3.undone).toBe(r3.before);
    const r4 = apply(COMMENTED, (d) => setField(d, ['nodes', 0, 'gateway'], undefined));
    expect(r4.after).toContain('- { id: h1, kind: host, ip: 10.0.0.1/24 }');
    expect(r4.undone).toBe(r4.before);
    const r5 = apply(COMMENTED, (d) => setField(d, ['view', 'camera'], 'top'));
    expect(sceneDocData(parseSceneDoc(r5.after)).view).toEqual({ camera: 'top' });
    expect(r5.undone).toBe(r5.before);
  });

  it('connect picks the router interface whose subnet holds the peer, through switches', () => {
    const text = `version: 1
title: t
duration: 40ms
nodes:
  - { id: h1, kind: host, ip: 10.0.1.5/24, gateway: 10.0.1.254 }
  - { id: sw2, kind: switch }
  - { id: r1, kind: router, interfaces: [10.0.0.254/24, 10.0.1.254/24] }
links:
  - { a: h1, b: sw2 }
`;
    const doc = parseSceneDoc(text);
    const result = connect(catalog, sceneDocData(doc), 'r1', 'sw2');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.command.ops[0]).toMatchObject({ op: 'insert', value: { a: 'r1:eth1', b: 'sw2' } });
    // With the next free interface the right one, no name is written.
    const withHost = COMMENTED.replace('links:', '  - { id: h2, kind: host, ip: 10.0.1.5/24 }\nlinks:');
    const r = apply(withHost, (d) => {
      const c = connect(catalog, d, 'r1', 'h2');
      expect(c.ok && c.command.ops[0]).toMatchObject({ value: { a: 'r1', b: 'h2' } });
      if (!c.ok) throw new Error(c.problem.message);
      return c.command;
    });
    expect(r.undone).toBe(r.before);
  });

  it('connect asks when the interface is ambiguous, and takes an explicit choice', () => {
    const doc = parseSceneDoc(BLANK_SCENE_TEXT);
    applyCommand(doc, addDevice(sceneDocData(doc), 'router', { config: { interfaces: ['10.0.0.254/24', '10.0.1.254/24'] } }));
    applyCommand(doc, addDevice(sceneDocData(doc), 'switch'));
    const ambiguous = connect(catalog, sceneDocData(doc), 'r1', 'sw1');
    expect(ambiguous.ok).toBe(false);
    if (!ambiguous.ok) expect(ambiguous.problem.choices).toEqual(['eth0', 'eth1']);
    const chosen = connect(catalog, sceneDocData(doc), 'r1', 'sw1', { ifaceA: 'eth1' });
    expect(chosen.ok && chosen.command.ops[0]).toMatchObject({ value: { a: 'r1:eth1', b: 'sw1' } });
  });

  it('a second link between the same devices gets its own id', () => {
    const doc = parseSceneDoc(COMMENTED);
    const c = connect(catalog, sceneDocData(doc), 'sw1', 'r1');
    expect(c.ok && c.command.ops[0]).toMatchObject({ value: { id: 'sw1-r1-2', a: 'sw1', b: 'r1' } });
  });

  it('disconnect, run and fault entries are undone exactly', () => {
    for (const build of [
      (d: SceneData) => disconnect(d, 'h1-sw1'),
      (d: SceneData) => addRun(d, 'h1', '5ms', 'ping 10.0.0.254'),
      (d: SceneData) => addFault(d, { at: '20ms', link: 'h1-sw1', set: { up: false } }),
      () => removeEntry('run', 0),
    ]) {
      const r = apply(COMMENTED, build);
      expect(r.after).not.toBe(r.before);
      expect(r.undone).toBe(r.before);
    }
  });

  it('a bad field is refused with the validator message at that field', () => {
    const data = sceneDocData(parseSceneDoc(COMMENTED));
    const errors = checkField(data, ['nodes', 0, 'ip'], '10.0.0.300/24', loadSceneData);
    expect(errors.map((e) => e.message)).toEqual(['"10.0.0.300/24" is not an address with a prefix length, e.g. 10.0.0.1/24']);
    expect(errors[0].path).toBe('nodes[0].ip');
    expect(checkField(data, ['nodes', 0, 'ip'], '10.0.0.7/24', loadSceneData)).toEqual([]);
    expect(checkField(data, ['links', 0, 'latency'], 'fast', loadSceneData)[0].message).toMatch(/not a duration/);
  });

  it('the YAML round trip keeps comments', () => {
    const doc = parseSceneDoc(COMMENTED);
    expect(sceneDocText(doc)).toBe(COMMENTED);
    applyCommand(doc, moveDevice(sceneDocData(doc), 'h1', [-4, 0]));
    const text = sceneDocText(doc);
    for (const c of ['# A scene written by hand.', '# the title', '# the client', '# block style', '# first cable', '# trailing comment']) {
      expect(text).toContain(c);
    }
  });

  it('every bundled scene keeps its data through the document, and its printed text is a fixed point', () => {
    for (const f of readdirSync(SCENES).filter((n) => /\.ya?ml$/.test(n))) {
      const text = readFileSync(SCENES + f, 'utf8');
      const printed = sceneDocText(parseSceneDoc(text));
      expect(sceneDocData(parseSceneDoc(printed)), f).toEqual(sceneDocData(parseSceneDoc(text)));
      expect(sceneDocText(parseSceneDoc(printed)), f).toBe(printed);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Property: any sequence of edits, then as many undos, gives the original scene back exactly.
// ---------------------------------------------------------------------------------------------

const KINDS = ['host', 'server', 'switch', 'hub', 'router'];
type Pick = [number, number, number, number];

/** A command built from the current data and four random numbers, or null when it does not apply. */
function randomCommand(d: SceneData, [k, x, y, z]: Pick): EditCommand | null {
  const nodes = d.nodes ?? [];
  const links = d.links ?? [];
  const node = (n: number) => (nodes.length ? String(nodes[n % nodes.length].id) : undefined);
  switch (k % 12) {
    case 0:
      return addDevice(d, KINDS[x % KINDS.length], { position: [y % 10, z % 10] });
    case 1:
      return node(x) ? removeDevice(d, node(x)!) : null;
    case 2:
      return node(x) ? moveDevice(d, node(x)!, [y - 50, z - 50]) : null;
    case 3:
      return node(x) ? duplicateDevice(d, node(x)!) : null;
    case 4: {
      const a = node(x);
      const b = node(y);
      if (!a || !b || a === b) return null;
      const c = connect(catalog, d, a, b);
      return c.ok ? c.command : null;
    }
    case 5:
      return links.length ? disconnect(d, linkId(links[x % links.length])) : null;
    case 6:
      return setField(d, ['title'], `T${x}`);
    case 7:
      return nodes.length ? setField(d, ['nodes', x % nodes.length, 'label'], y % 3 === 0 ? undefined : `L${y}`) : null;
    case 8:
      return links.length ? setField(d, ['links', x % links.length, 'latency'], y % 2 ? `${y}ms` : undefined) : null;
    case 9:
      return node(x) ? addRun(d, node(x)!, `${y % 40}ms`, 'ping 10.0.0.1 -c 1') : null;
    case 10:
      return links.length
        ? addFault(d, { at: `${y % 40}ms`, link: linkId(links[x % links.length]), set: { up: false } })
        : d.run?.length
          ? removeEntry('run', x % d.run.length)
          : null;
    default:
      return node(x) && !nodes.some((n) => n.id === `n${y}`) ? renameDevice(d, node(x)!, `n${y}`) : null;
  }
}

describe('undo', () => {
  const starts = [COMMENTED, BLANK_SCENE_TEXT, readFileSync(SCENES + 'router-ping.yaml', 'utf8')];
  it('a random sequence of edits then as many undos returns the original scene exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: starts.length - 1 }), fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.nat()), { maxLength: 25 }), (s, picks) => {
        const doc = parseSceneDoc(starts[s]);
        const original = sceneDocText(doc);
        const originalData = sceneDocData(doc);
        const undo: EditCommand[] = [];
        const redo: { cmd: EditCommand; text: string }[] = [];
        for (const p of picks) {
          const cmd = randomCommand(sceneDocData(doc), p);
          if (!cmd) continue;
          undo.push(applyCommand(doc, cmd));
          redo.push({ cmd, text: sceneDocText(doc) });
        }
        const texts: string[] = [];
        while (undo.length) {
          texts.push(sceneDocText(doc));
          applyCommand(doc, undo.pop()!);
        }
        expect(sceneDocText(doc)).toBe(original);
        expect(sceneDocData(doc)).toEqual(originalData);
        // Redo replays to the same texts.
        for (const r of redo) {
          applyCommand(doc, r.cmd);
          expect(sceneDocText(doc)).toBe(r.text);
        }
      }),
      { numRuns: 200 },
    );
  });
});
