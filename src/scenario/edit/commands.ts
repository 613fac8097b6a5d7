/**
 * The scene editor's named commands: add a device, connect two, set a field, add a command or a
 * fault... Each is built from the current scene data into a list of primitive edits ({@link EditOp})
 * and applied to the YAML document; applying returns the inverse command, so an undo stack is a
 * list of inverses. There is no second model: the document is the scene.
 */
import type { Document } from 'yaml';
import type { DeviceConfigSpec, InterfaceDecl } from '../../net/device-config';
import { inSubnet, parseCidr, parseIpv4 } from '../../protocols/addr';
import { applyOps, type EditOp, type EditPath } from './ops';
import { addressStyle } from './segments';

/** A named, invertible edit. */
export interface EditCommand {
  /** What it does, for the undo menu ("Add h1", "Connect h1 to sw1"). */
  readonly name: string;
  readonly ops: readonly EditOp[];
}

/** Scene data as the editor reads it (the document's plain JS form). */
export interface SceneData {
  [key: string]: unknown;
  nodes?: Record<string, unknown>[];
  links?: Record<string, unknown>[];
  run?: Record<string, unknown>[];
  faults?: Record<string, unknown>[];
  view?: { highlight?: unknown[] } & Record<string, unknown>;
}

/** Applies a command to the document in place; returns its inverse (named "Undo ..."). */
export function applyCommand(doc: Document, command: EditCommand): EditCommand {
  const inverse = applyOps(doc, command.ops);
  return { name: command.name, ops: inverse };
}

/** Device kinds the commands consult (the device registry's catalog). */
export type Catalog = ReadonlyMap<string, DeviceConfigSpec>;

const TOP_ORDER = ['version', 'title', 'description', 'seed', 'duration', 'nodes', 'links', 'run', 'faults', 'view'];
const NODE_ORDER = ['id', 'kind', 'label', 'position'];
const LINK_ORDER = ['id', 'a', 'b', 'latency', 'bandwidth', 'loss', 'jitter', 'queue', 'mtu', 'up'];

/** Where a new key goes in a mapping, so saved scenes keep a stable key order. */
function keyIndex(existing: readonly string[], key: string, order: readonly string[]): number | undefined {
  const rank = order.indexOf(key);
  if (rank < 0) return undefined;
  let at = 0;
  existing.forEach((k, i) => {
    const r = order.indexOf(k);
    if (r >= 0 && r < rank) at = i + 1;
  });
  return at;
}

function keysAt(data: SceneData, path: EditPath): string[] {
  let here: unknown = data;
  for (const seg of path) here = here && typeof here === 'object' ? (here as Record<string | number, unknown>)[seg] : undefined;
  return here && typeof here === 'object' && !Array.isArray(here) ? Object.keys(here) : [];
}

/** The order new keys follow at `path`'s parent, from the scene format (top, node, link). */
function orderFor(parent: EditPath): readonly string[] {
  if (parent.length === 0) return TOP_ORDER;
  if (parent.length === 2 && parent[0] === 'nodes') return NODE_ORDER;
  if (parent.length === 2 && parent[0] === 'links') return LINK_ORDER;
  return [];
}

/** Sets (or with `undefined`, removes) the value at `path`, e.g. `['nodes', 0, 'ip']`. */
export function setField(data: SceneData, path: EditPath, value: unknown, name?: string): EditCommand {
  const parent = path.slice(0, -1);
  const key = String(path[path.length - 1]);
  const at = keyIndex(keysAt(data, parent), key, orderFor(parent));
  return { name: name ?? `Set ${path.join('.')}`, ops: [{ op: 'set', path, value, ...(at !== undefined ? { at } : {}) }] };
}

function endNode(end: unknown): string {
  return typeof end === 'string' ? end.split(':')[0] : '';
}

function endIface(end: unknown): string | undefined {
  if (typeof end !== 'string') return undefined;
  const c = end.indexOf(':');
  return c < 0 ? undefined : end.slice(c + 1);
}

/** A link's id: its own, or `a-b`. */
export function linkId(link: Record<string, unknown>): string {
  return typeof link.id === 'string' ? link.id : `${endNode(link.a)}-${endNode(link.b)}`;
}

/** Index of the node with `id`, or -1. */
export function nodeIndex(data: SceneData, id: string): number {
  return (data.nodes ?? []).findIndex((n) => n && n.id === id);
}

/** Short id prefixes for new devices; other kinds use their own name. */
const PREFIX: Record<string, string> = { host: 'h', server: 'srv', switch: 'sw', hub: 'hub', router: 'r', 'dns-server': 'dns', clients: 'c' };

/** The first free id `<prefix><n>` for a new device of `kind`. */
function freeNodeId(data: SceneData, kind: string): string {
  const prefix = PREFIX[kind] ?? kind.replace(/[^A-Za-z0-9_.-]/g, '');
  const used = new Set((data.nodes ?? []).map((n) => String(n?.id)));
  for (let n = 1; ; n++) if (!used.has(`${prefix}${n}`)) return `${prefix}${n}`;
}

/** Adds a device of `kind` (id chosen when absent) at `position`, with `config` fields. */
export function addDevice(
  data: SceneData,
  kind: string,
  opts: { id?: string; position?: readonly [number, number]; config?: Record<string, unknown> } = {},
): EditCommand {
  const id = opts.id ?? freeNodeId(data, kind);
  const node: Record<string, unknown> = { id, kind };
  if (opts.position) node.position = planAxes(data) === 'xy' ? [opts.position[0], opts.position[1], 0] : [opts.position[0], 0, -opts.position[1] || 0];
  Object.assign(node, opts.config ?? {});
  const count = data.nodes?.length ?? 0;
  return { name: `Add ${id}`, ops: [{ op: 'insert', path: ['nodes'], index: count, value: node }] };
}

/**
 * How a scene's positions map to the plan seen from above, as the 3D view reads them: `xy` when
 * every position has z = 0 (a 2D plan: y is up the screen), else `xz` (x across, z toward the viewer).
 */
function planAxes(data: SceneData): 'xy' | 'xz' {
  const placed = (data.nodes ?? []).map((n) => n?.position).filter((p): p is unknown[] => Array.isArray(p));
  if (placed.length === 0) return 'xy';
  return placed.every((p) => (p[2] ?? 0) === 0) && (placed.some((p) => p[1] !== 0) || placed.every((p) => p[1] === 0)) ? 'xy' : 'xz';
}

/** A position's place on the plan (x right, y up the screen). */
export function planPoint(data: SceneData, position: readonly unknown[]): [number, number] {
  const [x, y, z] = position.map((v) => (typeof v === 'number' ? v : 0));
  return planAxes(data) === 'xy' ? [x, y] : [x, -(z ?? 0)];
}

/** Moves a device to a point of the plan (x right, y up the screen), keeping its height in 3D. */
export function moveDevice(data: SceneData, id: string, point: readonly [number, number]): EditCommand {
  const i = nodeIndex(data, id);
  if (i < 0) throw new Error(`no device "${id}"`);
  const old = data.nodes![i].position;
  const keep = (k: number) => (Array.isArray(old) && typeof old[k] === 'number' ? (old[k] as number) : 0);
  const position = planAxes(data) === 'xy' ? [point[0], point[1], keep(2)] : [point[0], keep(1), -point[1] || 0];
  return { ...setField(data, ['nodes', i, 'position'], position), name: `Move ${id}` };
}

/**
 * Removes a device and everything that names it: its links, the commands it runs, faults on it or
 * its links, and view highlights.
 */
export function removeDevice(data: SceneData, id: string): EditCommand {
  const i = nodeIndex(data, id);
  if (i < 0) throw new Error(`no device "${id}"`);
  const ops: EditOp[] = [];
  const goneLinks = new Set<string>();
  (data.links ?? []).forEach((l) => {
    if (endNode(l.a) === id || endNode(l.b) === id) goneLinks.add(linkId(l));
  });
  const removeWhere = (key: 'links' | 'run' | 'faults', test: (item: Record<string, unknown>) => boolean): void => {
    const list = data[key] ?? [];
    for (let k = list.length - 1; k >= 0; k--) if (list[k] && test(list[k])) ops.push({ op: 'remove', path: [key], index: k });
  };
  removeWhere('faults', (f) => f.node === id || (typeof f.link === 'string' && goneLinks.has(f.link)));
  removeWhere('run', (r) => r.on === id);
  removeWhere('links', (l) => goneLinks.has(linkId(l)));
  const hl = data.view?.highlight ?? [];
  for (let k = hl.length - 1; k >= 0; k--) {
    if (hl[k] === id || goneLinks.has(String(hl[k]))) ops.push({ op: 'remove', path: ['view', 'highlight'], index: k });
  }
  ops.push({ op: 'remove', path: ['nodes'], index: i });
  return { name: `Delete ${id}`, ops };
}

/** Adds a copy of a device with a new id, offset on the canvas; addresses move to the next free ones. */
export function duplicateDevice(data: SceneData, id: string): EditCommand {
  const i = nodeIndex(data, id);
  if (i < 0) throw new Error(`no device "${id}"`);
  const src = data.nodes![i];
  const kind = String(src.kind);
  const copy: Record<string, unknown> = JSON.parse(JSON.stringify(src)) as Record<string, unknown>;
  delete copy.id;
  delete copy.kind;
  delete copy.position;
  delete copy.label;
  if (typeof copy.ip === 'string') copy.ip = nextFreeAddress(data, copy.ip) ?? copy.ip;
  const pos = Array.isArray(src.position) ? (src.position as number[]) : [0, 0, 0];
  const cmd = addDevice(data, kind, { position: [Number(pos[0]) + 2, Number(pos[1]) - 2], config: copy });
  return { ...cmd, name: `Duplicate ${id}` };
}

/** Every address (without prefix) written anywhere on a device. */
function addressesOf(node: Record<string, unknown>): string[] {
  const out: string[] = [];
  const visit = (v: unknown): void => {
    if (typeof v === 'string' && parseCidr(v)) out.push(v);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (k === 'ip' || k === 'interfaces' || k === 'addresses') visit(x);
  };
  visit(node.ip);
  visit(node.interfaces);
  return out;
}

/** The next address in the same subnet as `cidr` that no device uses, or undefined. */
function nextFreeAddress(data: SceneData, cidr: string): string | undefined {
  const c = parseCidr(cidr);
  if (!c) return undefined;
  const used = new Set<number>();
  for (const n of data.nodes ?? []) for (const a of addressesOf(n)) used.add(parseCidr(a)!.addr);
  for (const g of data.nodes ?? []) if (typeof g.gateway === 'string' && parseIpv4(g.gateway) !== undefined) used.add(parseIpv4(g.gateway)!);
  for (let a = c.network + 1; a < c.broadcast; a++) {
    if (!used.has(a)) return `${formatAddr(a)}/${c.prefix}`;
  }
  return undefined;
}

function formatAddr(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** The declared interfaces of a device from its raw config, or 'per-link', or undefined when the config is invalid. */
function interfacesOf(catalog: Catalog, node: Record<string, unknown>): readonly InterfaceDecl[] | 'per-link' | undefined {
  const spec = catalog.get(String(node.kind));
  if (!spec) return undefined;
  const config: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) if (!['id', 'kind', 'label', 'position'].includes(k)) config[k] = v;
  const parsed = spec.config.safeParse(config);
  return parsed.success ? spec.interfaces(parsed.data) : undefined;
}

/** Interface names of `id` already taken by links (named or implicit, in link order). */
function usedInterfaces(catalog: Catalog, data: SceneData, id: string): Set<string> {
  const i = nodeIndex(data, id);
  const decls = i < 0 ? undefined : interfacesOf(catalog, data.nodes![i]);
  const used = new Set<string>();
  if (!Array.isArray(decls)) return used;
  const names = decls.map((d) => d.name);
  const ends = (data.links ?? []).flatMap((l) => [l.a, l.b]).filter((e) => endNode(e) === id);
  for (const e of ends) if (endIface(e)) used.add(endIface(e)!);
  for (const e of ends) {
    if (endIface(e)) continue;
    const free = names.find((n) => !used.has(n));
    if (free) used.add(free);
  }
  return used;
}

/** Addresses reachable from `from` through per-link devices (switches, hubs), not crossing `exclude`. */
function addressesBehind(catalog: Catalog, data: SceneData, from: string, exclude: string): number[] {
  const out: number[] = [];
  const seen = new Set([exclude, from]);
  const queue = [from];
  while (queue.length > 0) {
    const id = queue.shift()!;
    const i = nodeIndex(data, id);
    if (i < 0) continue;
    const node = data.nodes![i];
    const decls = interfacesOf(catalog, node);
    if (Array.isArray(decls)) {
      for (const d of decls) if (d.cidr) out.push(parseCidr(d.cidr)!.addr);
      continue;
    }
    if (decls !== 'per-link') continue;
    for (const l of data.links ?? []) {
      const a = endNode(l.a);
      const b = endNode(l.b);
      const next = a === id ? b : b === id ? a : undefined;
      if (next !== undefined && !seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return out;
}

/** How one end of a new link attaches. */
export type EndChoice =
  { readonly ok: true; readonly end: string } | { readonly ok: false; readonly node: string; readonly choices: readonly string[]; readonly message: string };

/**
 * Picks the interface of `id` for a link to `peer`: none for per-link devices; else a free
 * interface whose subnet holds an address of the peer (or of a device behind the peer's switches),
 * else the only free one. Written only when it differs from the one the scene would take anyway
 * (the next free one in link order). Ambiguous or full: the choices and why.
 */
function chooseEnd(catalog: Catalog, data: SceneData, id: string, peer: string, iface?: string, newInterface = false): EndChoice {
  const i = nodeIndex(data, id);
  if (i < 0) return { ok: false, node: id, choices: [], message: `no device "${id}"` };
  const decls = interfacesOf(catalog, data.nodes![i]);
  if (decls === 'per-link' || decls === undefined) return { ok: true, end: id };
  const used = usedInterfaces(catalog, data, id);
  const free = decls.filter((d) => !used.has(d.name));
  const implicit = free[0]?.name;
  const endFor = (name: string): EndChoice => ({ ok: true, end: name === implicit ? id : `${id}:${name}` });
  if (iface !== undefined) {
    if (!free.some((d) => d.name === iface)) {
      return { ok: false, node: id, choices: free.map((d) => d.name), message: `${id}:${iface} is not a free interface` };
    }
    return endFor(iface);
  }
  if (free.length === 0) {
    // The cable may bring its own interface, added when the segment is addressed.
    if (newInterface && addressStyle(catalog, String(data.nodes![i].kind)) === 'interfaces') return { ok: true, end: id };
    return { ok: false, node: id, choices: [], message: `${id} has no free interface` };
  }
  const peerAddrs = addressesBehind(catalog, data, peer, id);
  const matching = free.filter((d) => {
    const c = d.cidr ? parseCidr(d.cidr) : undefined;
    return c !== undefined && peerAddrs.some((a) => inSubnet(a, c.network, c.prefix));
  });
  if (matching.length === 1) return endFor(matching[0].name);
  if (free.length === 1) return endFor(free[0].name);
  return {
    ok: false,
    node: id,
    choices: (matching.length > 1 ? matching : free).map((d) => d.name),
    message: `which interface of ${id}? ${(matching.length > 1 ? matching : free).map((d) => `${d.name}${d.cidr ? ` (${d.cidr})` : ''}`).join(', ')}`,
  };
}

/**
 * Connects two devices with a link (parameters: `params`, e.g. `{ latency: '1ms' }`). With
 * `newInterface`, a router whose interfaces are all cabled takes the link anyway, for
 * auto-addressing to give it a new interface.
 */
export function connect(
  catalog: Catalog,
  data: SceneData,
  a: string,
  b: string,
  opts: { ifaceA?: string; ifaceB?: string; params?: Record<string, unknown>; newInterface?: boolean } = {},
): { ok: true; command: EditCommand } | { ok: false; problem: Extract<EndChoice, { ok: false }> } {
  const ea = chooseEnd(catalog, data, a, b, opts.ifaceA, opts.newInterface);
  if (!ea.ok) return { ok: false, problem: ea };
  const eb = chooseEnd(catalog, data, b, a, opts.ifaceB, opts.newInterface);
  if (!eb.ok) return { ok: false, problem: eb };
  const link: Record<string, unknown> = { a: ea.end, b: eb.end, ...(opts.params ?? {}) };
  const ids = new Set((data.links ?? []).map(linkId));
  if (ids.has(`${a}-${b}`)) {
    let n = 2;
    while (ids.has(`${a}-${b}-${n}`)) n++;
    link.id = `${a}-${b}-${n}`;
    const ordered: Record<string, unknown> = { id: link.id };
    for (const [k, v] of Object.entries(link)) if (k !== 'id') ordered[k] = v;
    return { ok: true, command: { name: `Connect ${a} to ${b}`, ops: [{ op: 'insert', path: ['links'], index: data.links?.length ?? 0, value: ordered }] } };
  }
  return { ok: true, command: { name: `Connect ${a} to ${b}`, ops: [{ op: 'insert', path: ['links'], index: data.links?.length ?? 0, value: link }] } };
}

/** Removes a link and the faults and highlights that name it. */
export function disconnect(data: SceneData, id: string): EditCommand {
  const i = (data.links ?? []).findIndex((l) => linkId(l) === id);
  if (i < 0) throw new Error(`no link "${id}"`);
  const ops: EditOp[] = [];
  const faults = data.faults ?? [];
  for (let k = faults.length - 1; k >= 0; k--) if (faults[k]?.link === id) ops.push({ op: 'remove', path: ['faults'], index: k });
  const hl = data.view?.highlight ?? [];
  for (let k = hl.length - 1; k >= 0; k--) if (hl[k] === id) ops.push({ op: 'remove', path: ['view', 'highlight'], index: k });
  ops.push({ op: 'remove', path: ['links'], index: i });
  return { name: `Delete link ${id}`, ops };
}

/** Adds a command a device runs at a time, e.g. `('h1', '1ms', 'ping 10.0.1.5 -c 3')`. */
export function addRun(data: SceneData, on: string, at: string, cmd: string): EditCommand {
  return { name: `Run "${cmd}" on ${on}`, ops: [{ op: 'insert', path: ['run'], index: data.run?.length ?? 0, value: { on, at, cmd } }] };
}

/** Adds a fault, e.g. `{ at: '40ms', link: 'h1-sw1', set: { up: false } }`. */
export function addFault(data: SceneData, fault: Record<string, unknown>): EditCommand {
  const target = typeof fault.link === 'string' ? fault.link : String(fault.node);
  return { name: `Fault on ${target} at ${String(fault.at)}`, ops: [{ op: 'insert', path: ['faults'], index: data.faults?.length ?? 0, value: fault }] };
}

/** Removes entry `index` of `run` or `faults`. */
export function removeEntry(key: 'run' | 'faults', index: number): EditCommand {
  return { name: key === 'run' ? 'Delete command' : 'Delete fault', ops: [{ op: 'remove', path: [key], index }] };
}

/**
 * Renames a device and every reference to it: link ends, link ids derived from it (made explicit
 * when faults name them), commands, faults and highlights.
 */
export function renameDevice(data: SceneData, id: string, to: string): EditCommand {
  const i = nodeIndex(data, id);
  if (i < 0) throw new Error(`no device "${id}"`);
  const ops: EditOp[] = [{ op: 'set', path: ['nodes', i, 'id'], value: to }];
  const renamedLinks = new Map<string, string>();
  (data.links ?? []).forEach((l, k) => {
    for (const side of ['a', 'b'] as const) {
      if (endNode(l[side]) !== id) continue;
      const iface = endIface(l[side]);
      ops.push({ op: 'set', path: ['links', k, side], value: iface ? `${to}:${iface}` : to });
    }
    if (typeof l.id !== 'string' && (endNode(l.a) === id || endNode(l.b) === id)) {
      const a = endNode(l.a) === id ? to : endNode(l.a);
      const b = endNode(l.b) === id ? to : endNode(l.b);
      renamedLinks.set(linkId(l), `${a}-${b}`);
    }
  });
  (data.run ?? []).forEach((r, k) => {
    if (r.on === id) ops.push({ op: 'set', path: ['run', k, 'on'], value: to });
  });
  (data.faults ?? []).forEach((f, k) => {
    if (f.node === id) ops.push({ op: 'set', path: ['faults', k, 'node'], value: to });
    if (typeof f.link === 'string' && renamedLinks.has(f.link)) ops.push({ op: 'set', path: ['faults', k, 'link'], value: renamedLinks.get(f.link) });
  });
  (data.view?.highlight ?? []).forEach((h, k) => {
    if (h === id) ops.push({ op: 'set', path: ['view', 'highlight', k], value: to });
    else if (typeof h === 'string' && renamedLinks.has(h)) ops.push({ op: 'set', path: ['view', 'highlight', k], value: renamedLinks.get(h) });
  });
  return { name: `Rename ${id} to ${to}`, ops };
}
