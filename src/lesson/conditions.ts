/**
 * Conditions a lesson states about a trace, and their evaluation. The forms (YAML):
 *
 *   "tcp.flags == SYN+ACK and ip.dst == 10.0.0.1"          a frame matching this is sent
 *   { frame: EXPR, on: LINK|NODE, from: NODE, to: NODE, count: N, after: 5ms, before: 20ms }
 *       (after/before bound when it was sent; its moment is its arrival with `to`, else mid-flight)
 *   { drop: EXPR, on: LINK|NODE, reason: TEXT, count: N }   a frame is lost (EXPR may be "any")
 *   { log: TEXT, on: NODE, count: N }                       a program prints a line containing TEXT
 *   { state: KEY, on: NODE, value: TEXT, contains: TEXT }   a device's state KEY (prefix) takes a value
 *   { metric: "goodput < 100 between 3s and 5s on clients-a" }   an overload metric over a window
 *   { at: 12ms }                                            a moment
 *   { all: [...] }, { any: [...] }, { not: COND }
 *
 * EXPR is the match language of the event filter (src/protocols/match). A condition is looked for
 * from a start time on (the previous step's moment, or 0); it is "met" at the first moment it holds.
 */
import { z } from 'zod';
import { compileMatch } from '../protocols/match';
import { parseDuration } from '../sim/units';
import { isLinkDirection, Place, RecordKind } from '../sim/trace';
import type { TimelineIndex } from '../timeline';
import { rrEventsOf, rrSeriesFrom, type RrNodeEvents, type RrWindow } from '../timeline/metrics';

const duration = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const r = parseDuration(v);
  if (!r.ok) {
    ctx.addIssue({ code: 'custom', message: r.error });
    return z.NEVER;
  }
  return r.ns;
});

const matchExpr = z.string().superRefine((v, ctx) => {
  if (v.trim() === 'any') return;
  const r = compileMatch(v);
  if (!r.ok) ctx.addIssue({ code: 'custom', message: `match expression "${v}": ${r.error}` });
});

const window = { after: duration.optional(), before: duration.optional() };

const METRIC_NAMES = [
  'offered',
  'requests',
  'goodput',
  'throughput',
  'concurrency',
  'meanRt',
  'meanRtAll',
  'p50',
  'p90',
  'p99',
  'timeouts',
  'retries',
  'amplification',
  'queue',
  'busy',
] as const;
type MetricName = (typeof METRIC_NAMES)[number];
const RT_METRICS = new Set<MetricName>(['meanRt', 'meanRtAll', 'p50', 'p90', 'p99']);

/** A parsed metric condition: `NAME OP VALUE [between A and B] [on NODE,...]`. */
export interface MetricSpec {
  readonly name: MetricName;
  readonly op: '<' | '>' | '<=' | '>=' | '==' | '!=';
  /** Rates per second; response times in ns (the text may say `200ms`). */
  readonly value: number;
  readonly from?: number;
  readonly to?: number;
  readonly on?: readonly string[];
  readonly text: string;
}

/** Parses `goodput < 100 between 3s and 5s on clients-a`; returns an error message on failure. */
export function parseMetric(text: string): MetricSpec | string {
  const m = /^\s*([A-Za-z0-9]+)\s*(<=|>=|==|!=|<|>)\s*([0-9.]+\s*[a-zµ]*)\s*(?:between\s+(\S+)\s+and\s+(\S+))?\s*(?:on\s+([\w.,\s-]+))?\s*$/.exec(text);
  if (!m) return `metric "${text}": expected NAME OP VALUE [between START and END] [on NODE], e.g. "goodput < 100 between 3s and 5s"`;
  const name = m[1] as MetricName;
  if (!METRIC_NAMES.includes(name)) return `metric "${text}": unknown metric "${m[1]}" (known: ${METRIC_NAMES.join(', ')})`;
  let value: number;
  const raw = m[3].replace(/\s+/g, '');
  if (/^[0-9.]+$/.test(raw)) value = Number(raw);
  else {
    const d = parseDuration(raw);
    if (!d.ok) return `metric "${text}": ${d.error}`;
    value = d.ns;
  }
  if (!Number.isFinite(value)) return `metric "${text}": ${m[3]} is not a number`;
  if (RT_METRICS.has(name) && /^[0-9.]+$/.test(raw) && value !== 0) return `metric "${text}": give ${name} with a unit, e.g. 200ms`;
  let from: number | undefined;
  let to: number | undefined;
  if (m[4] !== undefined) {
    const a = parseDuration(m[4]);
    const b = parseDuration(m[5]);
    if (!a.ok) return `metric "${text}": ${a.error}`;
    if (!b.ok) return `metric "${text}": ${b.error}`;
    if (b.ns <= a.ns) return `metric "${text}": the window must end after it starts`;
    from = a.ns;
    to = b.ns;
  }
  const on = m[6]
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return { name, op: m[2] as MetricSpec['op'], value, from, to, on, text: text.trim() };
}

const metricText = z.string().transform((v, ctx) => {
  const r = parseMetric(v);
  if (typeof r === 'string') {
    ctx.addIssue({ code: 'custom', message: r });
    return z.NEVER;
  }
  return r;
});

export type Condition =
  | { kind: 'frame'; match: string; on?: string; from?: string; to?: string; count: number; after?: number; before?: number }
  | { kind: 'drop'; match: string; on?: string; reason?: string; count: number; after?: number; before?: number }
  | { kind: 'log'; text: string; on?: string; count: number; after?: number; before?: number }
  | { kind: 'state'; key: string; on: string; value?: string; contains?: string; after?: number; before?: number }
  | { kind: 'metric'; metric: MetricSpec }
  | { kind: 'at'; at: number }
  | { kind: 'all' | 'any'; of: Condition[] }
  | { kind: 'not'; of: Condition };

const count = z.number().int().min(1).default(1);

export const conditionSchema: z.ZodType<Condition, unknown> = z.lazy(() =>
  z.union([
    matchExpr.transform((match): Condition => ({ kind: 'frame', match, count: 1 })),
    z
      .strictObject({ frame: matchExpr, on: z.string().optional(), from: z.string().optional(), to: z.string().optional(), count, ...window })
      .transform(({ frame, ...r }): Condition => ({ kind: 'frame', match: frame, ...r })),
    z
      .strictObject({ drop: matchExpr, on: z.string().optional(), reason: z.string().optional(), count, ...window })
      .transform(({ drop, ...r }): Condition => ({ kind: 'drop', match: drop, ...r })),
    z
      .strictObject({ log: z.string().min(1), on: z.string().optional(), count, ...window })
      .transform(({ log, ...r }): Condition => ({ kind: 'log', text: log, ...r })),
    z
      .strictObject({ state: z.string().min(1), on: z.string(), value: z.string().optional(), contains: z.string().optional(), ...window })
      .transform(({ state, ...r }): Condition => ({ kind: 'state', key: state, ...r })),
    z.strictObject({ metric: metricText }).transform(({ metric }): Condition => ({ kind: 'metric', metric })),
    z.strictObject({ at: duration }).transform(({ at }): Condition => ({ kind: 'at', at })),
    z.strictObject({ all: z.array(conditionSchema).min(1) }).transform(({ all }): Condition => ({ kind: 'all', of: all })),
    z.strictObject({ any: z.array(conditionSchema).min(1) }).transform(({ any }): Condition => ({ kind: 'any', of: any })),
    z.strictObject({ not: conditionSchema }).transform(({ not }): Condition => ({ kind: 'not', of: not })),
  ]),
);

/** The outcome of looking for a condition: when it first held, and the row that made it hold. */
export interface ConditionResult {
  readonly met: boolean;
  /** When it first held (ns); for an unmet condition, the start of the search. */
  readonly time: number;
  /** The trace row that met it (a frame, drop, log or state row), or -1. */
  readonly row: number;
  /** A metric's measured value, for feedback. */
  readonly value?: number;
}

/** Node and link names a condition refers to (checked against the scene by the lesson parser). */
function conditionRefs(c: Condition): { nodes: string[]; places: string[] } {
  const nodes: string[] = [];
  const places: string[] = [];
  const walk = (x: Condition) => {
    switch (x.kind) {
      case 'frame':
        if (x.on) places.push(x.on);
        if (x.from) nodes.push(x.from);
        if (x.to) nodes.push(x.to);
        break;
      case 'drop':
        if (x.on) places.push(x.on);
        break;
      case 'log':
        if (x.on) nodes.push(x.on);
        break;
      case 'state':
        nodes.push(x.on);
        break;
      case 'metric':
        nodes.push(...(x.metric.on ?? []));
        break;
      case 'all':
      case 'any':
        x.of.forEach(walk);
        break;
      case 'not':
        walk(x.of);
        break;
      case 'at':
        break;
    }
  };
  walk(c);
  return { nodes, places };
}

/** Per-index caches: match results per expression (frame and drop rows in time order), RR events. */
interface Cache {
  matches: Map<string, Uint8Array>;
  rr: Map<string, RrNodeEvents> | null;
}
const caches = new WeakMap<TimelineIndex, Cache>();
function cacheOf(index: TimelineIndex): Cache {
  let c = caches.get(index);
  if (!c) caches.set(index, (c = { matches: new Map(), rr: null }));
  return c;
}

/** For every position `i` of `index.order`: 1 when that row carries a frame matching `expr`. */
function matchesOf(index: TimelineIndex, expr: string): Uint8Array {
  const cache = cacheOf(index);
  const key = expr.trim();
  let hit = cache.matches.get(key);
  if (hit) return hit;
  const tr = index.trace;
  hit = new Uint8Array(index.order.length);
  if (key === 'any') {
    for (let i = 0; i < index.order.length; i++) if (tr.frame[index.order[i]] >= 0) hit[i] = 1;
  } else {
    const c = compileMatch(key);
    if (!c.ok) throw new Error(`match expression "${expr}": ${c.error}`);
    // A frame crossing several links is one stored frame on several rows: test its bytes once.
    const byFrame = new Int8Array(tr.frameTotal).fill(-1);
    for (let i = 0; i < index.order.length; i++) {
      const r = index.order[i];
      const k = tr.kind[r];
      const f = tr.frame[r];
      if ((k !== RecordKind.FrameTx && k !== RecordKind.Drop) || f < 0) continue;
      if (byFrame[f] < 0) byFrame[f] = c.matcher.test(tr.frameBytes(f)) ? 1 : 0;
      hit[i] = byFrame[f];
    }
  }
  cache.matches.set(key, hit);
  return hit;
}

function nodeId(index: TimelineIndex, name: string): number {
  return index.trace.nodes.findIndex((n) => n.name === name);
}

/** Whether a frame or drop row on a link happened "on" `place` (that link, or a link of that node, or at that node). */
function rowOn(index: TimelineIndex, row: number, place: string): boolean {
  const tr = index.trace;
  const dir = tr.dir[row];
  if (isLinkDirection(dir)) {
    const l = tr.links[tr.place[row]];
    if (!l) return false;
    return l.name === place || tr.nodes[l.a]?.name === place || tr.nodes[l.b]?.name === place;
  }
  if (dir === Place.Node) return tr.nodes[tr.place[row]]?.name === place;
  return tr.links[tr.place[row]]?.name === place;
}

function sender(index: TimelineIndex, row: number): number {
  const l = index.trace.links[index.trace.place[row]];
  return index.trace.dir[row] === Place.AtoB ? l.a : l.b;
}
function receiver(index: TimelineIndex, row: number): number {
  const l = index.trace.links[index.trace.place[row]];
  return index.trace.dir[row] === Place.AtoB ? l.b : l.a;
}

/** Checks that the names a condition uses exist in a trace (a lesson refers to its scene's ids). */
export function unknownNames(c: Condition, nodes: ReadonlySet<string>, links: ReadonlySet<string>): string[] {
  const { nodes: n, places } = conditionRefs(c);
  const bad: string[] = [];
  for (const x of n) if (!nodes.has(x)) bad.push(`no device "${x}" in the scene (devices: ${[...nodes].join(', ')})`);
  for (const x of places) if (!nodes.has(x) && !links.has(x)) bad.push(`no device or link "${x}" in the scene (links: ${[...links].join(', ')})`);
  return bad;
}

/** Evaluates a metric over its window on an index. */
function metricValue(index: TimelineIndex, m: MetricSpec): { value: number; end: number } {
  const cache = cacheOf(index);
  if (!cache.rr) cache.rr = rrEventsOf(index.trace);
  const events = cache.rr;
  const from = m.from ?? 0;
  const to = m.to ?? Math.max(index.endTime, from + 1);
  let clients: string[] | undefined;
  let servers: string[] | undefined;
  for (const name of m.on ?? []) {
    const e = events.get(name);
    if (e && e.recv.time.length > 0) (servers ??= []).push(name);
    else (clients ??= []).push(name);
  }
  const w: RrWindow | undefined = rrSeriesFrom(events, { windowNs: to - from, from, to, clients, servers })[0];
  return { value: w ? w[m.name] : NaN, end: to };
}

function compareNum(a: number, op: MetricSpec['op'], b: number): boolean {
  if (Number.isNaN(a)) return false;
  switch (op) {
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    case '>=':
      return a >= b;
    case '==':
      return a === b;
    default:
      return a !== b;
  }
}

const NOT_MET = (from: number): ConditionResult => ({ met: false, time: from, row: -1 });

/** Looks for the first moment at or after `from` at which `c` holds on the trace of `index`. */
// eslint-disable-next-line max-lines-per-function -- one case per condition kind of the lesson format; each case is short and the switch is the table
export function evaluateCondition(index: TimelineIndex, c: Condition, from = 0): ConditionResult {
  const tr = index.trace;
  switch (c.kind) {
    case 'at':
      return c.at >= from ? { met: true, time: c.at, row: -1 } : { met: true, time: from, row: -1 };
    case 'frame':
    case 'drop': {
      const hits = matchesOf(index, c.match);
      const want = c.kind === 'frame' ? RecordKind.FrameTx : RecordKind.Drop;
      const lo = Math.max(from, c.after ?? 0);
      const hi = c.before ?? Infinity;
      const fromId = c.kind === 'frame' && c.from ? nodeId(index, c.from) : -1;
      const toId = c.kind === 'frame' && c.to ? nodeId(index, c.to) : -1;
      let seen = 0;
      let best: ConditionResult | null = null;
      for (let i = 0; i < index.order.length; i++) {
        if (!hits[i]) continue;
        const r = index.order[i];
        if (tr.kind[r] !== want) continue;
        if (c.on && !rowOn(index, r, c.on)) continue;
        if (c.kind === 'drop' && c.reason && !tr.string(tr.code[r]).includes(c.reason)) continue;
        if (c.kind === 'frame') {
          if (fromId >= 0 && sender(index, r) !== fromId) continue;
          if (toId >= 0 && receiver(index, r) !== toId) continue;
        }
        // When it counts: a frame "to" a node on arrival, any other frame half way across its link.
        const t = c.kind === 'drop' ? tr.time[r] : toId >= 0 ? tr.arrival[r] : Math.round((tr.time[r] + tr.arrival[r]) / 2);
        // `after`/`before` bound when the frame was sent (or lost); the search start bounds the moment.
        if (t < from || tr.time[r] < lo || tr.time[r] > hi) continue;
        seen++;
        if (seen >= c.count) {
          best = { met: true, time: t, row: r };
          break;
        }
      }
      return best ?? NOT_MET(from);
    }
    case 'log': {
      const lo = Math.max(from, c.after ?? 0);
      const hi = c.before ?? Infinity;
      let seen = 0;
      for (let i = 0; i < index.logs.length; i++) {
        const r = index.logs[i];
        const t = tr.time[r];
        if (t < lo || t > hi) continue;
        if (c.on && tr.nodes[tr.place[r]]?.name !== c.on) continue;
        if (!tr.string(tr.code[r]).includes(c.text)) continue;
        if (++seen >= c.count) return { met: true, time: t, row: r };
      }
      return NOT_MET(from);
    }
    case 'state': {
      const id = nodeId(index, c.on);
      const rows = index.nodeStates[id];
      if (!rows) return NOT_MET(from);
      const lo = Math.max(from, c.after ?? 0);
      const hi = c.before ?? Infinity;
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i];
        const t = tr.time[r];
        if (t < lo || t > hi) continue;
        if (!tr.string(tr.code[r]).startsWith(c.key)) continue;
        const v = tr.string(tr.frame[r]);
        if (c.value !== undefined && v !== c.value) continue;
        if (c.contains !== undefined && !v.includes(c.contains)) continue;
        return { met: true, time: t, row: r };
      }
      return NOT_MET(from);
    }
    case 'metric': {
      const { value, end } = metricValue(index, c.metric);
      const met = compareNum(value, c.metric.op, c.metric.value);
      return { met, time: met ? Math.max(end, from) : from, row: -1, value };
    }
    case 'all': {
      let time = from;
      let row = -1;
      for (const x of c.of) {
        const r = evaluateCondition(index, x, from);
        if (!r.met) return NOT_MET(from);
        if (r.time >= time) {
          time = r.time;
          if (r.row >= 0) row = r.row;
        }
      }
      return { met: true, time, row };
    }
    case 'any': {
      let best: ConditionResult | null = null;
      for (const x of c.of) {
        const r = evaluateCondition(index, x, from);
        if (r.met && (!best || r.time < best.time)) best = r;
      }
      return best ?? NOT_MET(from);
    }
    case 'not': {
      const r = evaluateCondition(index, c.of, from);
      return r.met ? NOT_MET(from) : { met: true, time: from, row: -1 };
    }
  }
}

/** A one-line description of a condition, for feedback ("a frame matching … reaches h1"). */
export function describeCondition(c: Condition): string {
  switch (c.kind) {
    case 'frame': {
      let s = `a frame matching \`${c.match}\``;
      if (c.from) s += ` sent by ${c.from}`;
      if (c.to) s += ` arriving at ${c.to}`;
      if (c.on) s += ` on ${c.on}`;
      return c.count > 1 ? `${c.count}× ${s}` : s;
    }
    case 'drop':
      return `a frame ${c.match === 'any' ? '' : `matching \`${c.match}\` `}lost${c.on ? ` on ${c.on}` : ''}${c.reason ? ` (${c.reason})` : ''}`;
    case 'log':
      return `${c.on ?? 'a program'} prints "${c.text}"`;
    case 'state':
      return `${c.on}'s ${c.key}${c.value !== undefined ? ` becomes ${c.value}` : c.contains !== undefined ? ` contains ${c.contains}` : ' changes'}`;
    case 'metric':
      return `\`${c.metric.text}\``;
    case 'at':
      return `time ${c.at / 1e6} ms`;
    case 'all':
      return c.of.map(describeCondition).join(' and ');
    case 'any':
      return c.of.map(describeCondition).join(' or ');
    case 'not':
      return `not (${describeCondition(c.of)})`;
  }
}
