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
import { endKey, wireUnnamedEnds, type WiringEnd, type WiringLink, type WiringNode } from './wiring';

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

type Checked<T> = { ok: true; data: T } | { ok: false };

/** Parses `value` with `schema`, reporting every issue under `prefix`; the data on success. */
function check<T>(schema: z.ZodType<T>, value: unknown, prefix: Path, errors: RawError[], map: z.core.$ZodErrorMap = DEFAULT_ERROR_MAP): Checked<T> {
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

/**
 * What the sections of `validateRaw` share: the input, where errors go, and what each section found
 * for the ones after it. It is also the `FaultCheckContext` the fault variants check against.
 */
interface ValidateContext extends FaultCheckContext {
  readonly raw: Record<string, unknown>;
  readonly options: ParseSceneOptions;
  readonly catalog: ReadonlyMap<string, DeviceConfigSpec>;
  readonly errors: RawError[];
  readonly report: Report;
  /** The top-level fields, when they parsed. */
  readonly top: Checked<z.output<typeof topSchema>>;
  /** The scene's duration when it is readable (even if other top-level fields are not). */
  readonly duration: number | undefined;
  /** Nodes: first node by each id, every node in scene order, ids seen; false once some node has no readable id. */
  readonly nodes: Map<string, NodeEntry>;
  readonly nodeOrder: NodeEntry[];
  readonly nodeIds: Set<string>;
  nodeIdsComplete: boolean;
  /** Addresses: each valid node's declared interfaces. */
  readonly decls: Map<NodeEntry, readonly InterfaceDecl[] | 'per-link'>;
  /** Links: ids seen (also of links with errors); false once some link has no readable id. */
  readonly linkIds: Set<string>;
  linkIdsComplete: boolean;
  /** Index of the first valid link by each id. */
  readonly parsedLinkIndex: Map<string, number>;
  readonly parsedLinks: ParsedLink[];
  /** Link ends by node id, in link order. */
  readonly ends: Map<string, LinkEntryEnd[]>;
  /** Interfaces: `${linkIndex}:${side}` -> the interface that link end takes. */
  readonly resolved: Map<string, string>;
}

interface ParsedLink {
  readonly index: number;
  readonly id: string;
  readonly link: z.output<typeof linkSchema>;
}

function newContext(raw: Record<string, unknown>, options: ParseSceneOptions, errors: RawError[]): ValidateContext {
  const top = check(topSchema, raw, [], errors);
  const durationResult = parseDuration(raw.duration);
  const ctx: ValidateContext = {
    raw,
    options,
    catalog: options.catalog ?? deviceCatalog(),
    errors,
    report: (path, message) => errors.push({ path, message }),
    top,
    duration: top.ok ? top.data.duration : durationResult.ok && durationResult.ns > 0 ? durationResult.ns : undefined,
    nodes: new Map(),
    nodeOrder: [],
    nodeIds: new Set(),
    nodeIdsComplete: true,
    decls: new Map(),
    linkIds: new Set(),
    linkIdsComplete: true,
    parsedLinkIndex: new Map(),
    parsedLinks: [],
    ends: new Map(),
    resolved: new Map(),
    hasNode: (id) => ctx.nodes.has(id) || !ctx.nodeIdsComplete,
    hasLink: (id) => ctx.linkIds.has(id) || !ctx.linkIdsComplete,
  };
  return ctx;
}

/** `raw[key]` when it is a list, else no entries. */
function listOf(ctx: ValidateContext, key: string): unknown[] {
  const value = ctx.raw[key];
  return Array.isArray(value) ? (value as unknown[]) : [];
}

/** Reports a time after the end of the scene (when the duration is known). */
function checkTime(ctx: ValidateContext, at: number, path: Path): void {
  if (ctx.duration !== undefined && at > ctx.duration) {
    ctx.report(path, `${formatDurationExact(at)} is after the end of the scene (duration ${formatDurationExact(ctx.duration)})`);
  }
}

/** Validates migrated raw scene data; errors carry paths as segments. */
function validateRaw(raw: Record<string, unknown>, options: ParseSceneOptions, errors: RawError[]): Scene | undefined {
  const ctx = newContext(raw, options, errors);
  listOf(ctx, 'nodes').forEach((rawNode, index) => validateNode(ctx, rawNode, index));
  checkAddresses(ctx);
  listOf(ctx, 'links').forEach((rawLink, index) => validateLink(ctx, rawLink, index));
  assignInterfaces(ctx);
  const runs = validateRuns(ctx);
  const faults = validateFaults(ctx);
  const view = validateView(ctx);
  if (errors.length > 0 || !ctx.top.ok) return undefined;
  return assembleScene(ctx, ctx.top.data, runs, faults, view);
}

// Nodes ---------------------------------------------------------------------------------------

/** One `nodes[index]`: its base fields, a unique id, a known kind and the kind's config. */
function validateNode(ctx: ValidateContext, rawNode: unknown, index: number): void {
  const { report, errors } = ctx;
  const prefix = ['nodes', index];
  if (!isRecord(rawNode)) {
    report(prefix, `expected a mapping like { id: h1, kind: host, ... }, got ${show(rawNode)}`);
    ctx.nodeIdsComplete = false;
    return;
  }
  const base = check(nodeBaseSchema, rawNode, prefix, errors);
  const id = typeof rawNode.id === 'string' ? rawNode.id : undefined;
  const kind = typeof rawNode.kind === 'string' ? rawNode.kind : undefined;
  if (id === undefined) ctx.nodeIdsComplete = false;
  let duplicate = false;
  if (id !== undefined) {
    const first = ctx.nodes.get(id);
    if (first) {
      duplicate = true;
      report([...prefix, 'id'], `duplicate node id "${id}" (also nodes[${first.index}])`);
    }
  }
  const entry: NodeEntry = { index, raw: rawNode, kind };
  if (id !== undefined && !duplicate) {
    ctx.nodes.set(id, entry);
    ctx.nodeIds.add(id);
  }
  ctx.nodeOrder.push(entry);
  if (kind === undefined) return;
  const spec = ctx.catalog.get(kind);
  if (!spec) {
    const known = [...ctx.catalog.keys()];
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
}

// Addresses -----------------------------------------------------------------------------------

/** Records each valid node's interfaces and reports an IPv4 address or MAC used twice. */
function checkAddresses(ctx: ValidateContext): void {
  const ipOwner = new Map<number, string>();
  const macOwner = new Map<number, string>();
  for (const entry of ctx.nodeOrder) {
    if (!entry.valid) continue;
    const { node, spec, config } = entry.valid;
    const ifaces = spec.interfaces(config);
    ctx.decls.set(entry, ifaces);
    if (ifaces === 'per-link') continue;
    for (const decl of ifaces) {
      const where = `${node.id} (${decl.name})`;
      const cidr = decl.cidr !== undefined ? parseCidr(decl.cidr) : undefined;
      if (cidr) {
        const owner = ipOwner.get(cidr.addr);
        if (owner !== undefined) {
          const path = findValuePath(entry.raw, (v) => v === decl.cidr) ?? [];
          ctx.report(['nodes', entry.index, ...path], `${formatIpv4(cidr.addr)} is already used by ${owner}; every address must be unique`);
        } else {
          ipOwner.set(cidr.addr, where);
        }
      }
      const mac = decl.mac !== undefined ? parseMac(decl.mac) : undefined;
      if (mac !== undefined) {
        const owner = macOwner.get(mac);
        if (owner !== undefined) {
          const path = findValuePath(entry.raw, (v) => typeof v === 'string' && parseMac(v) === mac) ?? [];
          ctx.report(['nodes', entry.index, ...path], `MAC ${formatMac(mac)} is already used by ${owner}; every MAC must be unique`);
        } else {
          macOwner.set(mac, where);
        }
      }
    }
  }
}

// Links ---------------------------------------------------------------------------------------

function endNode(v: unknown): string | undefined {
  return typeof v === 'string' ? v.split(':')[0] : undefined;
}

/** Why the kinds of `a` and `b` cannot be linked directly (either kind's `cannotLinkTo`), if they cannot. */
function linkRefusal(ctx: ValidateContext, a: string, b: string): string | undefined {
  const kindA = ctx.nodes.get(a)?.kind;
  const kindB = ctx.nodes.get(b)?.kind;
  if (kindA === undefined || kindB === undefined) return undefined;
  const refuses = (kind: string, other: string): string | undefined => {
    const rules = ctx.catalog.get(kind)?.cannotLinkTo;
    return rules && Object.hasOwn(rules, other) ? rules[other] : undefined;
  };
  return refuses(kindA, kindB) ?? refuses(kindB, kindA);
}

/** One `links[index]`: its fields, a unique id, and two different existing nodes as ends. */
function validateLink(ctx: ValidateContext, rawLink: unknown, index: number): void {
  const { report } = ctx;
  const prefix = ['links', index];
  if (!isRecord(rawLink)) {
    report(prefix, `expected a mapping like { a: h1, b: sw1 }, got ${show(rawLink)}`);
    ctx.linkIdsComplete = false;
    return;
  }
  const a = endNode(rawLink.a);
  const b = endNode(rawLink.b);
  const tentativeId = typeof rawLink.id === 'string' ? rawLink.id : a !== undefined && b !== undefined ? `${a}-${b}` : undefined;
  if (tentativeId !== undefined) ctx.linkIds.add(tentativeId);
  else ctx.linkIdsComplete = false;
  const parsed = check(linkSchema, rawLink, prefix, ctx.errors);
  if (!parsed.ok) return;
  const link = parsed.data;
  const id = link.id ?? `${link.a.node}-${link.b.node}`;
  const first = ctx.parsedLinkIndex.get(id);
  if (first !== undefined) {
    const hint = link.id === undefined ? '; give one of them an id' : '';
    report(link.id === undefined ? prefix : [...prefix, 'id'], `duplicate link id "${id}" (also links[${first}])${hint}`);
    return;
  }
  ctx.parsedLinkIndex.set(id, index);
  let ok = true;
  for (const side of ['a', 'b'] as const) {
    const end = link[side];
    if (!ctx.hasNode(end.node)) {
      report([...prefix, side], `no node "${end.node}"${didYouMean(end.node, ctx.nodeIds)}`);
      ok = false;
    }
  }
  if (!ok) return;
  if (link.a.node === link.b.node) {
    report(prefix, `a link cannot connect ${link.a.node} to itself`);
    return;
  }
  const refusal = linkRefusal(ctx, link.a.node, link.b.node);
  if (refusal !== undefined) {
    report(prefix, refusal);
    return;
  }
  ctx.parsedLinks.push({ index, id, link });
  for (const side of ['a', 'b'] as const) {
    const end = link[side];
    const listForNode = ctx.ends.get(end.node) ?? [];
    listForNode.push({ linkIndex: index, side, linkId: id, iface: end.iface });
    ctx.ends.set(end.node, listForNode);
  }
}

// Interfaces: which link end takes which interface, and limits --------------------------------

/** For every valid node: how many links it takes, and which interface each of its link ends gets. */
function assignInterfaces(ctx: ValidateContext): void {
  const toWire: WiringEnd[] = []; // unnamed ends of devices with a choice, wired by subnet below
  for (const entry of ctx.nodeOrder) {
    if (!entry.valid) continue;
    const { node, spec, config } = entry.valid;
    const mine = ctx.ends.get(node.id) ?? [];
    const ifaces = ctx.decls.get(entry);
    if (ifaces === undefined) continue;
    const max = typeof spec.maxLinks === 'function' ? spec.maxLinks(config) : spec.maxLinks;
    const accepted = max === undefined ? mine : mine.slice(0, max);
    for (const end of mine.slice(accepted.length)) {
      ctx.report(['links', end.linkIndex, end.side], `${node.id} accepts at most ${plural(max ?? 0, 'link')}`);
    }
    if (ifaces === 'per-link') {
      for (const end of accepted) {
        if (end.iface !== undefined) {
          ctx.report(['links', end.linkIndex, end.side], `${node.id} is a ${node.kind} with one port per link and no interface names; write "${node.id}"`);
        }
      }
      continue;
    }
    assignNamedInterfaces(ctx, node, ifaces, accepted, toWire);
  }
  const wiringNodes: WiringNode[] = [];
  for (const entry of ctx.nodeOrder) {
    const ifaces = ctx.decls.get(entry);
    if (!entry.valid || ifaces === undefined) continue;
    const { node, spec, config } = entry.valid;
    wiringNodes.push({ id: node.id, interfaces: ifaces, nextHops: spec.nextHops?.(config) ?? [] });
  }
  const wiringLinks: WiringLink[] = ctx.parsedLinks.map(({ index, id, link }) => ({ index, id, a: link.a.node, b: link.b.node }));
  for (const e of wireUnnamedEnds(wiringNodes, wiringLinks, ctx.resolved, toWire)) ctx.report(['links', e.linkIndex, e.side], e.message);
}

/**
 * Link ends that name an interface take it. On a device with one interface the others take it if
 * free; on a device with a choice they go to `toWire`, to be wired by the subnet across each link.
 */
function assignNamedInterfaces(
  ctx: ValidateContext,
  node: SceneNode,
  ifaces: readonly InterfaceDecl[],
  accepted: readonly LinkEntryEnd[],
  toWire: WiringEnd[],
): void {
  const names = ifaces.map((d) => d.name);
  const usedBy = new Map<string, string>();
  for (const end of accepted) {
    if (end.iface === undefined) continue;
    if (!names.includes(end.iface)) {
      ctx.report(
        ['links', end.linkIndex, end.side],
        `${node.id} has no interface "${end.iface}"${didYouMean(end.iface, names)} (it has ${names.join(', ') || 'none'})`,
      );
    } else if (usedBy.has(end.iface)) {
      ctx.report(['links', end.linkIndex, end.side], `${node.id}:${end.iface} is already used by link ${usedBy.get(end.iface)}`);
    } else {
      usedBy.set(end.iface, end.linkId);
      ctx.resolved.set(endKey(end.linkIndex, end.side), end.iface);
    }
  }
  const unnamed = accepted.filter((end) => end.iface === undefined);
  if (names.length >= 2) {
    // A choice to make: by the subnet across each link, once every node's named ends are known.
    for (const end of unnamed) toWire.push({ linkIndex: end.linkIndex, side: end.side, node: node.id });
    return;
  }
  for (const end of unnamed) {
    const free = names.find((n) => !usedBy.has(n));
    if (free === undefined) {
      const taken = [...usedBy].map(([n, l]) => `${n} by ${l}`).join(', ');
      ctx.report(
        ['links', end.linkIndex, end.side],
        `${node.id} has no free interface for this link (it has ${plural(names.length, 'interface')}: ${taken || 'none'})`,
      );
    } else {
      usedBy.set(free, end.linkId);
      ctx.resolved.set(endKey(end.linkIndex, end.side), free);
    }
  }
}

// Run -----------------------------------------------------------------------------------------

/** Every `run[]` entry: an existing node, a time within the scene, a valid command. */
function validateRuns(ctx: ValidateContext): SceneRun[] {
  const runs: SceneRun[] = [];
  listOf(ctx, 'run').forEach((rawRun, index) => {
    const prefix = ['run', index];
    const parsed = check(runSchema, rawRun, prefix, ctx.errors);
    if (!parsed.ok) return;
    const { on, at, cmd } = parsed.data;
    if (!ctx.hasNode(on)) ctx.report([...prefix, 'on'], `no node "${on}"${didYouMean(on, ctx.nodeIds)}`);
    checkTime(ctx, at, [...prefix, 'at']);
    const problem = ctx.options.checkCommand?.(cmd);
    if (problem !== undefined) ctx.report([...prefix, 'cmd'], problem);
    runs.push({ on, at, cmd });
  });
  return runs;
}

// Faults --------------------------------------------------------------------------------------

/** Every `faults[]` entry, checked by the fault variant its keys pick. */
function validateFaults(ctx: ValidateContext): SceneFault[] {
  const faults: SceneFault[] = [];
  listOf(ctx, 'faults').forEach((rawFault, index) => {
    const prefix = ['faults', index];
    if (!isRecord(rawFault)) {
      ctx.report(prefix, `expected a mapping like { at: 20ms, link: h1-sw1, set: { loss: 0.3 } }, got ${show(rawFault)}`);
      return;
    }
    const variant = pickFaultVariant(rawFault);
    if (!variant) {
      const targets = [...new Set((faultVariants as readonly AnyFaultVariant[]).map((v) => v.keys[0]))];
      ctx.report(prefix, `a fault needs a target: ${targets.length > 1 ? `${targets.slice(0, -1).join(', ')} or ${targets[targets.length - 1]}` : targets[0]}`);
      return;
    }
    const parsed = check(variant.schema, rawFault, prefix, ctx.errors);
    if (!parsed.ok) return;
    checkTime(ctx, parsed.data.at, [...prefix, 'at']);
    variant.check?.(parsed.data, ctx, (path, message) => ctx.report([...prefix, ...path], message));
    faults.push({ kind: variant.kind, ...parsed.data } as unknown as SceneFault);
  });
  return faults;
}

// View ----------------------------------------------------------------------------------------

/** The `view` block; every highlighted id must name a node or a link. */
function validateView(ctx: ValidateContext): SceneView | undefined {
  const view: SceneView | undefined = ctx.top.ok ? ctx.top.data.view : undefined;
  view?.highlight?.forEach((id, i) => {
    if (!ctx.hasNode(id) && !ctx.hasLink(id)) {
      ctx.report(['view', 'highlight', i], `no node or link "${id}"${didYouMean(id, [...ctx.nodeIds, ...ctx.linkIds])}`);
    }
  });
  return view;
}

/** The validated scene, from sections that found no errors. */
function assembleScene(ctx: ValidateContext, t: z.output<typeof topSchema>, runs: SceneRun[], faults: SceneFault[], view: SceneView | undefined): Scene {
  const links: SceneLink[] = ctx.parsedLinks.map(({ index, id, link }) => {
    const end = (side: 'a' | 'b'): LinkEnd => {
      const iface = ctx.resolved.get(endKey(index, side));
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
    nodes: ctx.nodeOrder.map((e) => e.valid?.node).filter((n): n is SceneNode => n !== undefined),
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
