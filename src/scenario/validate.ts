/**
 * Scene loading: text (YAML or JSON) -> migrated raw data -> a fully validated `Scene`, or every
 * problem found, each named by its path (`links[2].latency`) and, for text, its line. Nothing is
 * half-loaded. Device fields are checked by the kinds' `DeviceConfigSpec`s from a catalog, so a new
 * device kind needs no change here.
 */
import { z } from 'zod';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import type { DeviceConfigSpec, InterfaceDecl, ReportIssue } from '../net/device-config';
import { deviceCatalog } from '../net/device-registry';
import { mtuSchema } from '../net/devices/host/config';
import { DEFAULT_LINK_PARAMS, linkParamsOf } from '../net/link-params';
import { formatIpv4, formatMac, parseCidr, parseMac } from '../protocols/addr';
import { CURRENT_SCENE_VERSION, migrate, migrations, type SceneMigration } from './migrations';
import type { LinkEnd, Position, Scene, SceneFault, SceneLink, SceneNode, SceneRun, SceneView } from './scene';
import { durationSchema, formatDurationExact, parseDuration } from '../sim/units';
import { faultVariants, type FaultCheckContext, type FaultVariant } from './faults';
import { bandwidthSchema, lossSchema, queueSchema } from './link-schemas';
import { closest, didYouMean, show } from './messages';

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/** One problem in a scene. */
export interface SceneError {
  /** Where, e.g. `links[2].latency`; `''` for the scene as a whole. */
  readonly path: string;
  readonly message: string;
  /** 1-based line and column in the text, when the scene came from text and the place exists. */
  readonly line?: number;
  readonly column?: number;
}

/** `scene.yaml:14:5 links[2].latency: "fast" is not a duration`. */
export function formatSceneError(e: SceneError, fileName = 'scene'): string {
  const where = e.line !== undefined ? `${fileName}:${e.line}:${e.column ?? 1}` : fileName;
  return e.path ? `${where} ${e.path}: ${e.message}` : `${where}: ${e.message}`;
}

/** A path as segments: keys and list indexes. */
type Path = readonly (string | number)[];

/** `['links', 2, 'latency']` -> `links[2].latency`. */
export function formatPath(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

interface RawError {
  path: Path;
  message: string;
  /** Point at the key (unknown keys) rather than the value. */
  atKey?: boolean;
}

type Report = ReportIssue;

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

/** Separates per-key messages of one `unrecognized_keys` issue. */
const KEY_SEP = '\u0000';

const TYPE_NAMES: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping (key: value)',
  array: 'a list',
};

/** Friendly defaults for zod issues; schema-specific messages take precedence. */
function errorMap(extraKeys: readonly string[] = []): z.core.$ZodErrorMap {
  return (iss) => {
    switch (iss.code) {
      case 'invalid_type':
        if (iss.input === undefined) return 'required';
        return `expected ${TYPE_NAMES[iss.expected] ?? iss.expected}, got ${show(iss.input)}`;
      case 'too_small': {
        const min = Number(iss.minimum);
        if (iss.origin === 'array') return `needs at least ${min} entr${min === 1 ? 'y' : 'ies'}`;
        if (iss.origin === 'string') return 'must not be empty';
        return iss.inclusive === false ? `must be greater than ${min}` : `must be at least ${min}`;
      }
      case 'too_big': {
        const max = Number(iss.maximum);
        if (iss.origin === 'array') return `allows at most ${max} entries`;
        return iss.inclusive === false ? `must be less than ${max}` : `must be at most ${max}`;
      }
      case 'invalid_value':
        return `expected ${iss.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${show(iss.input)}`;
      case 'invalid_union':
        return `${show(iss.input)} does not match any allowed form`;
      case 'unrecognized_keys': {
        const shape = (iss.inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
        const allowed = [...Object.keys(shape ?? {}), ...extraKeys];
        return iss.keys
          .map((key) => {
            const hint = closest(key, allowed);
            if (hint) return `unknown key "${key}" (did you mean "${hint}"?)`;
            return allowed.length > 0 ? `unknown key "${key}"; allowed keys: ${allowed.join(', ')}` : `unknown key "${key}"`;
          })
          .join(KEY_SEP);
      }
      default:
        return undefined;
    }
  };
}

const DEFAULT_ERROR_MAP = errorMap();

/** Parses `value` with `schema`, reporting every issue under `prefix`; the data on success. */
function check<T>(
  schema: z.ZodType<T>,
  value: unknown,
  prefix: Path,
  errors: RawError[],
  map: z.core.$ZodErrorMap = DEFAULT_ERROR_MAP,
): { ok: true; data: T } | { ok: false } {
  const result = schema.safeParse(value, { error: map });
  if (result.success) return { ok: true, data: result.data };
  for (const issue of result.error.issues) {
    const path = [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    if (issue.code === 'unrecognized_keys') {
      const messages = issue.message.split(KEY_SEP);
      issue.keys.forEach((key, i) => {
        errors.push({ path: [...path, key], message: messages[i] ?? `unknown key "${key}"`, atKey: true });
      });
    } else {
      errors.push({ path, message: issue.message });
    }
  }
  return { ok: false };
}

// ---------------------------------------------------------------------------------------------
// Schemas
// ---------------------------------------------------------------------------------------------

const ID = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

const idSchema = z.string().regex(ID, {
  error: (iss) => `${show(iss.input)}: ids use letters, digits, ".", "_" and "-" (no spaces or ":")`,
});

const coordinate = z.number().refine(Number.isFinite, 'coordinates must be finite numbers');

const positionSchema = z
  .union([z.tuple([coordinate, coordinate, coordinate]), z.strictObject({ x: coordinate, y: coordinate, z: coordinate.optional() })], {
    error: 'position is [x, y, z] or { x, y }',
  })
  .transform((p): Position => (Array.isArray(p) ? [p[0], p[1], p[2]] : [p.x, p.y, p.z ?? 0]));

/** The keys every node has; the rest belong to the kind's config. */
const NODE_BASE_KEYS = ['id', 'kind', 'label', 'position'] as const;

const nodeBaseSchema = z.looseObject({
  id: idSchema,
  kind: z.string(),
  label: z.string().optional(),
  position: positionSchema.optional(),
});

/** `h1` or `r1:eth1`. */
const endpointSchema = z.string().transform((value, ctx): LinkEnd => {
  const colon = value.indexOf(':');
  const node = colon < 0 ? value : value.slice(0, colon);
  const iface = colon < 0 ? undefined : value.slice(colon + 1);
  if (!ID.test(node) || (iface !== undefined && !/^[A-Za-z][A-Za-z0-9._-]*$/.test(iface))) {
    ctx.addIssue({
      code: 'custom',
      message: `${show(value)} is not a link end: write a node id, optionally with an interface (h1, r1:eth1)`,
      input: value,
    });
    return z.NEVER;
  }
  return iface === undefined ? { node } : { node, iface };
});

const D = DEFAULT_LINK_PARAMS;

const linkSchema = z.strictObject({
  id: idSchema.optional(),
  a: endpointSchema,
  b: endpointSchema,
  latency: durationSchema.default(D.latency),
  bandwidth: bandwidthSchema.default(D.bandwidth),
  loss: lossSchema.default(D.loss),
  jitter: durationSchema.default(D.jitter),
  queue: queueSchema.default(D.queue),
  mtu: mtuSchema.default(D.mtu),
  up: z.boolean().default(D.up),
});

const runSchema = z.strictObject({
  on: idSchema,
  at: durationSchema,
  cmd: z.string().trim().min(1, 'cmd must not be empty'),
});

const viewSchema = z.strictObject({
  camera: z.enum(['top', 'perspective', 'side']).optional(),
  highlight: z.array(z.string()).optional(),
});

const topSchema = z.strictObject({
  version: z.literal(CURRENT_SCENE_VERSION),
  title: z.string().trim().min(1, 'title must not be empty'),
  description: z.string().optional(),
  seed: z.int().min(0, 'seed must be 0 or more').default(1),
  duration: durationSchema.refine((ns) => ns > 0, { error: 'duration must be longer than 0' }),
  nodes: z.array(z.unknown()),
  links: z.array(z.unknown()).default([]),
  run: z.array(z.unknown()).default([]),
  faults: z.array(z.unknown()).default([]),
  view: viewSchema.optional(),
});

// ---------------------------------------------------------------------------------------------
// Fault variants
// ---------------------------------------------------------------------------------------------

type AnyFaultVariant = FaultVariant<string, { at: number }>;

/**
 * Among the variants whose target (first key) `raw` names, the one with most of its keys present
 * (the first on a tie); undefined when `raw` names no target.
 */
function pickFaultVariant(raw: Record<string, unknown>): AnyFaultVariant | undefined {
  let best: AnyFaultVariant | undefined;
  let bestScore = 0;
  for (const v of faultVariants as readonly AnyFaultVariant[]) {
    if (!(v.keys[0] in raw)) continue;
    const score = v.keys.filter((k) => k in raw).length;
    if (score > bestScore) {
      best = v;
      bestScore = score;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

/** Options of `parseScene` and `validateScene`. */
export interface ParseSceneOptions {
  /** Device kinds by `kind`; the device registry's (every kind registered so far) when absent. */
  readonly catalog?: ReadonlyMap<string, DeviceConfigSpec>;
  /** Checks one `run[].cmd`; returns a message when the command is invalid. */
  readonly checkCommand?: (cmd: string) => string | undefined;
  /** Migration registry (tests); the real `migrations` when absent. */
  readonly migrations?: readonly SceneMigration[];
}

/** A fully validated scene, or every problem found. */
export type ParseSceneResult = { ok: true; scene: Scene } | { ok: false; errors: SceneError[] };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}


/** Where a node's declared interface got its value, for pointing at duplicates. */
function findValuePath(value: unknown, match: (v: unknown) => boolean, path: Path = []): Path | undefined {
  if (match(value)) return path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findValuePath(value[i], match, [...path, i]);
      if (found) return found;
    }
  } else if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) {
      const found = findValuePath(v, match, [...path, k]);
      if (found) return found;
    }
  }
  return undefined;
}

interface NodeEntry {
  readonly index: number;
  readonly raw: Record<string, unknown>;
  readonly kind?: string;
  /** Set when the node, its kind and its config are all valid and its id is not a duplicate. */
  valid?: { node: SceneNode; spec: DeviceConfigSpec; config: unknown };
}

interface LinkEntryEnd {
  readonly linkIndex: number;
  readonly side: 'a' | 'b';
  readonly linkId: string;
  readonly iface?: string;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Validates migrated raw scene data; errors carry paths as segments. */
function validateRaw(raw: Record<string, unknown>, options: ParseSceneOptions, errors: RawError[]): Scene | undefined {
  const report: Report = (path, message) => errors.push({ path, message });
  const catalog = options.catalog ?? deviceCatalog();

  const top = check(topSchema, raw, [], errors);
  const durationResult = parseDuration(raw.duration);
  const duration = top.ok ? top.data.duration : durationResult.ok && durationResult.ns > 0 ? durationResult.ns : undefined;
  const list = (key: string): unknown[] => (Array.isArray(raw[key]) ? (raw[key] as unknown[]) : []);

  const checkTime = (at: number, path: Path): void => {
    if (duration !== undefined && at > duration) {
      report(path, `${formatDurationExact(at)} is after the end of the scene (duration ${formatDurationExact(duration)})`);
    }
  };

  // Nodes ---------------------------------------------------------------------------------------
  const nodes = new Map<string, NodeEntry>();
  const nodeOrder: NodeEntry[] = [];
  let nodeIdsComplete = true;
  list('nodes').forEach((rawNode, index) => {
    const prefix = ['nodes', index];
    if (!isRecord(rawNode)) {
      report(prefix, `expected a mapping like { id: h1, kind: host, ... }, got ${show(rawNode)}`);
      nodeIdsComplete = false;
      return;
    }
    const base = check(nodeBaseSchema, rawNode, prefix, errors);
    const id = typeof rawNode.id === 'string' ? rawNode.id : undefined;
    const kind = typeof rawNode.kind === 'string' ? rawNode.kind : undefined;
    if (id === undefined) nodeIdsComplete = false;
    let duplicate = false;
    if (id !== undefined) {
      const first = nodes.get(id);
      if (first) {
        duplicate = true;
        report([...prefix, 'id'], `duplicate node id "${id}" (also nodes[${first.index}])`);
      }
    }
    const entry: NodeEntry = { index, raw: rawNode, kind };
    if (id !== undefined && !duplicate) nodes.set(id, entry);
    nodeOrder.push(entry);
    if (kind === undefined) return;
    const spec = catalog.get(kind);
    if (!spec) {
      const known = [...catalog.keys()];
      report([...prefix, 'kind'], `unknown kind "${kind}"${didYouMean(kind, known)}; known kinds: ${known.join(', ')}`);
      return;
    }
    const configRaw: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(rawNode)) {
      if (!(NODE_BASE_KEYS as readonly string[]).includes(k)) configRaw[k] = v;
    }
    const config = check(spec.config, configRaw, prefix, errors, errorMap(NODE_BASE_KEYS));
    if (!config.ok) return;
    const before = errors.length;
    spec.validate?.(config.data, (path, message) => report([...prefix, ...path], message));
    if (!base.ok || duplicate || errors.length > before) return;
    const b = base.data;
    const node: SceneNode = {
      id: b.id,
      kind: b.kind,
      ...(b.label !== undefined ? { label: b.label } : {}),
      ...(b.position !== undefined ? { position: b.position } : {}),
      config: config.data,
    };
    entry.valid = { node, spec, config: config.data };
  });
  const nodeIds = new Set(nodes.keys());
  const hasNode = (id: string): boolean => nodes.has(id) || !nodeIdsComplete;

  // Addresses -----------------------------------------------------------------------------------
  const decls = new Map<NodeEntry, readonly InterfaceDecl[] | 'per-link'>();
  const ipOwner = new Map<number, string>();
  const macOwner = new Map<number, string>();
  for (const entry of nodeOrder) {
    if (!entry.valid) continue;
    const { node, spec, config } = entry.valid;
    const ifaces = spec.interfaces(config);
    decls.set(entry, ifaces);
    if (ifaces === 'per-link') continue;
    for (const decl of ifaces) {
      const where = `${node.id} (${decl.name})`;
      const cidr = decl.cidr !== undefined ? parseCidr(decl.cidr) : undefined;
      if (cidr) {
        const owner = ipOwner.get(cidr.addr);
        if (owner !== undefined) {
          const path = findValuePath(entry.raw, (v) => v === decl.cidr) ?? [];
          report(['nodes', entry.index, ...path], `${formatIpv4(cidr.addr)} is already used by ${owner}; every address must be unique`);
        } else {
          ipOwner.set(cidr.addr, where);
        }
      }
      const mac = decl.mac !== undefined ? parseMac(decl.mac) : undefined;
      if (mac !== undefined) {
        const owner = macOwner.get(mac);
        if (owner !== undefined) {
          const path = findValuePath(entry.raw, (v) => typeof v === 'string' && parseMac(v) === mac) ?? [];
          report(['nodes', entry.index, ...path], `MAC ${formatMac(mac)} is already used by ${owner}; every MAC must be unique`);
        } else {
          macOwner.set(mac, where);
        }
      }
    }
  }

  // Links ---------------------------------------------------------------------------------------
  const linkIds = new Set<string>();
  let linkIdsComplete = true;
  const linkIdIndex = new Map<string, number>();
  const parsedLinks: { index: number; id: string; link: z.output<typeof linkSchema> }[] = [];
  const ends = new Map<string, LinkEntryEnd[]>();
  const endNode = (v: unknown): string | undefined => (typeof v === 'string' ? v.split(':')[0] : undefined);
  list('links').forEach((rawLink, index) => {
    const prefix = ['links', index];
    if (!isRecord(rawLink)) {
      report(prefix, `expected a mapping like { a: h1, b: sw1 }, got ${show(rawLink)}`);
      linkIdsComplete = false;
      return;
    }
    const a = endNode(rawLink.a);
    const b = endNode(rawLink.b);
    const tentativeId = typeof rawLink.id === 'string' ? rawLink.id : a !== undefined && b !== undefined ? `${a}-${b}` : undefined;
    if (tentativeId !== undefined) linkIds.add(tentativeId);
    else linkIdsComplete = false;
    const parsed = check(linkSchema, rawLink, prefix, errors);
    if (!parsed.ok) return;
    const link = parsed.data;
    const id = link.id ?? `${link.a.node}-${link.b.node}`;
    const first = linkIdIndex.get(id);
    if (first !== undefined) {
      const hint = link.id === undefined ? '; give one of them an id' : '';
      report(link.id === undefined ? prefix : [...prefix, 'id'], `duplicate link id "${id}" (also links[${first}])${hint}`);
      return;
    }
    linkIdIndex.set(id, index);
    let ok = true;
    for (const side of ['a', 'b'] as const) {
      const end = link[side];
      if (!hasNode(end.node)) {
        report([...prefix, side], `no node "${end.node}"${didYouMean(end.node, nodeIds)}`);
        ok = false;
      }
    }
    if (!ok) return;
    if (link.a.node === link.b.node) {
      report(prefix, `a link cannot connect ${link.a.node} to itself`);
      return;
    }
    const kindA = nodes.get(link.a.node)?.kind;
    const kindB = nodes.get(link.b.node)?.kind;
    if (kindA === 'hub' && kindB === 'hub') {
      report(prefix, 'hub-to-hub links are not supported yet; connect hubs through a switch');
      return;
    }
    parsedLinks.push({ index, id, link });
    for (const side of ['a', 'b'] as const) {
      const end = link[side];
      const listForNode = ends.get(end.node) ?? [];
      listForNode.push({ linkIndex: index, side, linkId: id, iface: end.iface });
      ends.set(end.node, listForNode);
    }
  });

  // Interfaces: which link end takes which interface, and limits --------------------------------
  const resolved = new Map<string, string>(); // `${linkIndex}:${side}` -> interface name
  for (const entry of nodeOrder) {
    if (!entry.valid) continue;
    const { node, spec, config } = entry.valid;
    const mine = ends.get(node.id) ?? [];
    const ifaces = decls.get(entry);
    if (ifaces === undefined) continue;
    const max = typeof spec.maxLinks === 'function' ? spec.maxLinks(config) : spec.maxLinks;
    const accepted = max === undefined ? mine : mine.slice(0, max);
    for (const end of mine.slice(accepted.length)) {
      report(['links', end.linkIndex, end.side], `${node.id} accepts at most ${plural(max ?? 0, 'link')}`);
    }
    if (ifaces === 'per-link') {
      for (const end of accepted) {
        if (end.iface !== undefined) {
          report(
            ['links', end.linkIndex, end.side],
            `${node.id} is a ${node.kind} with one port per link and no interface names; write "${node.id}"`,
          );
        }
      }
      continue;
    }
    const names = ifaces.map((d) => d.name);
    const usedBy = new Map<string, string>();
    for (const end of accepted) {
      if (end.iface === undefined) continue;
      if (!names.includes(end.iface)) {
        report(
          ['links', end.linkIndex, end.side],
          `${node.id} has no interface "${end.iface}"${didYouMean(end.iface, names)} (it has ${names.join(', ') || 'none'})`,
        );
      } else if (usedBy.has(end.iface)) {
        report(['links', end.linkIndex, end.side], `${node.id}:${end.iface} is already used by link ${usedBy.get(end.iface)}`);
      } else {
        usedBy.set(end.iface, end.linkId);
        resolved.set(`${end.linkIndex}:${end.side}`, end.iface);
      }
    }
    for (const end of accepted) {
      if (end.iface !== undefined) continue;
      const free = names.find((n) => !usedBy.has(n));
      if (free === undefined) {
        const taken = [...usedBy].map(([n, l]) => `${n} by ${l}`).join(', ');
        report(
          ['links', end.linkIndex, end.side],
          `${node.id} has no free interface for this link (it has ${plural(names.length, 'interface')}: ${taken || 'none'})`,
        );
      } else {
        usedBy.set(free, end.linkId);
        resolved.set(`${end.linkIndex}:${end.side}`, free);
      }
    }
  }

  // Run -----------------------------------------------------------------------------------------
  const runs: SceneRun[] = [];
  list('run').forEach((rawRun, index) => {
    const prefix = ['run', index];
    const parsed = check(runSchema, rawRun, prefix, errors);
    if (!parsed.ok) return;
    const { on, at, cmd } = parsed.data;
    if (!hasNode(on)) report([...prefix, 'on'], `no node "${on}"${didYouMean(on, nodeIds)}`);
    checkTime(at, [...prefix, 'at']);
    const problem = options.checkCommand?.(cmd);
    if (problem !== undefined) report([...prefix, 'cmd'], problem);
    runs.push({ on, at, cmd });
  });

  // Faults --------------------------------------------------------------------------------------
  const faults: SceneFault[] = [];
  const faultCtx: FaultCheckContext = {
    hasNode,
    hasLink: (id) => linkIds.has(id) || !linkIdsComplete,
    nodeIds,
    linkIds,
  };
  list('faults').forEach((rawFault, index) => {
    const prefix = ['faults', index];
    if (!isRecord(rawFault)) {
      report(prefix, `expected a mapping like { at: 20ms, link: h1-sw1, set: { loss: 0.3 } }, got ${show(rawFault)}`);
      return;
    }
    const variant = pickFaultVariant(rawFault);
    if (!variant) {
      const targets = [...new Set((faultVariants as readonly AnyFaultVariant[]).map((v) => v.keys[0]))];
      report(prefix, `a fault needs a target: ${targets.join(' or ')}`);
      return;
    }
    const parsed = check(variant.schema, rawFault, prefix, errors);
    if (!parsed.ok) return;
    checkTime(parsed.data.at, [...prefix, 'at']);
    variant.check?.(parsed.data, faultCtx, (path, message) => report([...prefix, ...path], message));
    faults.push({ kind: variant.kind, ...parsed.data } as unknown as SceneFault);
  });

  // View ----------------------------------------------------------------------------------------
  const view: SceneView | undefined = top.ok ? top.data.view : undefined;
  view?.highlight?.forEach((id, i) => {
    if (!hasNode(id) && !faultCtx.hasLink(id)) {
      report(['view', 'highlight', i], `no node or link "${id}"${didYouMean(id, [...nodeIds, ...linkIds])}`);
    }
  });

  if (errors.length > 0 || !top.ok) return undefined;
  const t = top.data;
  const links: SceneLink[] = parsedLinks.map(({ index, id, link }) => {
    const end = (side: 'a' | 'b'): LinkEnd => {
      const iface = resolved.get(`${index}:${side}`);
      return iface === undefined ? { node: link[side].node } : { node: link[side].node, iface };
    };
    return { id, a: end('a'), b: end('b'), ...linkParamsOf(link) };
  });
  return {
    version: CURRENT_SCENE_VERSION,
    title: t.title,
    ...(t.description !== undefined ? { description: t.description } : {}),
    seed: t.seed,
    duration: t.duration,
    nodes: nodeOrder.map((e) => e.valid?.node).filter((n): n is SceneNode => n !== undefined),
    links,
    run: runs,
    faults,
    ...(view !== undefined ? { view } : {}),
  };
}

/**
 * Shortens a path that runs into a scalar (e.g. `interfaces[1].ip` where the scene wrote the
 * short form `interfaces: [.., 10.0.1.1/24]`) to the scalar itself.
 */
function trimPath(raw: unknown, path: Path): Path {
  let here = raw;
  for (let i = 0; i < path.length; i++) {
    if (Array.isArray(here) || isRecord(here)) {
      here = (here as Record<string | number, unknown>)[path[i]];
    } else {
      return path.slice(0, i);
    }
  }
  return path;
}

function finish(errors: RawError[], raw: unknown, locate?: (e: RawError) => { line: number; column: number } | undefined): SceneError[] {
  const seen = new Set<string>();
  const out: { error: SceneError; order: number }[] = [];
  errors.forEach((e, order) => {
    const trimmed = { ...e, path: trimPath(raw, e.path) };
    const path = formatPath(trimmed.path);
    const key = `${path}\u0000${e.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    const pos = locate?.(trimmed);
    out.push({ error: { path, message: e.message, ...(pos ? { line: pos.line, column: pos.column } : {}) }, order });
  });
  out.sort((x, y) => (x.error.line ?? Infinity) - (y.error.line ?? Infinity) || (x.error.column ?? 0) - (y.error.column ?? 0) || x.order - y.order);
  return out.map((o) => o.error);
}

/**
 * Validates scene data that is already parsed (from the editor or a URL): migrations, schema and
 * every cross-reference. Errors have paths but no lines.
 */
export function validateScene(raw: unknown, options: ParseSceneOptions = {}): ParseSceneResult {
  const migrated = migrate(raw, options.migrations ?? migrations);
  if (!migrated.ok) return { ok: false, errors: [{ path: migrated.path, message: migrated.message }] };
  const errors: RawError[] = [];
  const scene = validateRaw(migrated.raw, options, errors);
  if (scene && errors.length === 0) return { ok: true, scene };
  return { ok: false, errors: finish(errors, migrated.raw) };
}

// ---------------------------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------------------------

/** The YAML node at `path` (or its deepest existing ancestor), and the key node when the path ends at a key. */
function nodeAt(doc: Document, path: Path, atKey: boolean): YamlNode | undefined {
  let here: unknown = doc.contents;
  for (let i = 0; i < path.length; i++) {
    if (isAlias(here)) here = here.resolve(doc);
    const seg = path[i];
    if (isMap(here)) {
      const pair = here.items.find((p) => (isScalar(p.key) ? String(p.key.value) === String(seg) : p.key === seg));
      if (!pair) return here;
      const last = i === path.length - 1;
      if (last && atKey && pair.key && typeof pair.key === 'object') return pair.key as YamlNode;
      if (pair.value === null || pair.value === undefined) return (pair.key as YamlNode) ?? here;
      here = pair.value;
    } else if (isSeq(here)) {
      const item = typeof seg === 'number' ? here.items[seg] : undefined;
      if (item === undefined || item === null) return here;
      here = item;
    } else {
      break;
    }
  }
  return (here ?? undefined) as YamlNode | undefined;
}

/**
 * Parses and validates a scene from text. YAML and JSON are both read as YAML (JSON is a subset),
 * keeping line numbers for errors. `fileName` only tells whether to call syntax errors JSON or YAML.
 */
export function parseScene(text: string, fileName = 'scene', options: ParseSceneOptions = {}): ParseSceneResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const pos = (offset: number): { line: number; column: number } => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: Math.max(1, line), column: Math.max(1, col) };
  };
  if (doc.errors.length > 0) {
    const format = /\.json$/i.test(fileName) || /^\s*[{[]/.test(text) ? 'JSON' : 'YAML';
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        let message = e.message.split('\n')[0];
        if (e.code === 'DUPLICATE_KEY') {
          const key = /^\s*("(?:[^"\\]|\\.)*"|'[^']*'|[^:#\n]*?)\s*:/.exec(text.slice(e.pos[0]))?.[1];
          message = key ? `duplicate key ${key.startsWith('"') || key.startsWith("'") ? key : JSON.stringify(key)}` : 'duplicate key';
        }
        return { path: '', message: `${format} syntax: ${message}`, ...pos(e.pos[0]) };
      }),
    };
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    return { ok: false, errors: [{ path: '', message: e instanceof Error ? e.message : String(e), ...pos(0) }] };
  }
  if (raw === null || raw === undefined) {
    return { ok: false, errors: [{ path: '', message: 'the scene is empty', line: 1, column: 1 }] };
  }
  const locate = (e: RawError) => {
    const node = nodeAt(doc, e.path, e.atKey ?? false);
    return node?.range ? pos(node.range[0]) : undefined;
  };
  const migrated = migrate(raw, options.migrations ?? migrations);
  if (!migrated.ok) {
    const error: RawError = { path: migrated.path ? [migrated.path] : [], message: migrated.message };
    return { ok: false, errors: finish([error], raw, locate) };
  }
  const errors: RawError[] = [];
  const scene = validateRaw(migrated.raw, options, errors);
  if (scene && errors.length === 0) return { ok: true, scene };
  return { ok: false, errors: finish(errors, migrated.raw, locate) };
}
