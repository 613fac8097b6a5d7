/**
 * Branch actions: the small language the fault panel, the terminal and `npm run sim -- --act` share.
 * One action is a time and what happens then:
 *
 * ```
 * 20ms link h1-sw1 down            20ms link h1-sw1 up
 * 20ms link r1-h2 loss 30%         (also latency 50ms, jitter 5ms, bandwidth 1Mbps, queue 20;
 *                                   several in one action: loss 10% latency 5ms)
 * 30ms partition h1,h2 | h3       40ms heal (or: 40ms partition off; ends every partition)
 * 25ms node s1 crash               25ms node s1 restart        25ms node s1 slow 3x
 * 50ms node h1 interrupt ping      (Ctrl-C: the newest running ping on h1 prints its summary, stops)
 * 40ms drop packet 17              40ms delay packet 17 5ms    40ms corrupt packet 17
 * 35ms h1 ping 10.0.1.5 -c 2       (any other word: a node, then a command it runs)
 * ```
 *
 * `parseAction` reads one line, `formatAction` prints it back (parse, print, parse gives the same
 * action), and `actionFault` turns it into the scene entry (a fault or a `run` command) that a
 * derived scene carries. Names (nodes, links) and commands are checked against the scene when the
 * branch is derived (src/scenario/branch/derive.ts).
 */
import { splitCommand } from '../../apps/command';
import { formatDurationExact, formatRate, parseDuration, parseRate } from '../../sim/units';

/** Link properties an action may set (bandwidth in bits per second, times in ns, loss 0..1). */
interface LinkChange {
  readonly up?: boolean;
  readonly loss?: number;
  readonly latency?: number;
  readonly jitter?: number;
  readonly bandwidth?: number;
  readonly queue?: number;
}

/** One timed action of a branch; `at` is ns from the start of the run. Plain data (JSON-safe). */
export type BranchAction =
  | { readonly kind: 'link'; readonly at: number; readonly link: string; readonly set: LinkChange }
  | { readonly kind: 'partition'; readonly at: number; readonly groups: readonly (readonly string[])[] }
  | { readonly kind: 'heal'; readonly at: number }
  | { readonly kind: 'node'; readonly at: number; readonly node: string; readonly op: 'crash' | 'restart' }
  | { readonly kind: 'node-slow'; readonly at: number; readonly node: string; readonly factor: number }
  | { readonly kind: 'interrupt'; readonly at: number; readonly node: string; readonly program: string }
  | { readonly kind: 'packet'; readonly at: number; readonly packet: number; readonly op: 'drop' | 'corrupt' }
  | { readonly kind: 'packet-delay'; readonly at: number; readonly packet: number; readonly delay: number }
  | { readonly kind: 'command'; readonly at: number; readonly on: string; readonly cmd: string };

/** A parsed action, or what is wrong with the text (the message names the action). */
export type ParseActionResult = { readonly ok: true; readonly action: BranchAction } | { readonly ok: false; readonly error: string };

/** The link settings, in the order `formatAction` prints them. */
const LINK_KEYS = ['loss', 'latency', 'jitter', 'bandwidth', 'queue'] as const;

const KEYWORDS = 'link, partition, heal, node, drop, delay, corrupt, or a node name and a command';

/** Reads one action, e.g. `20ms link h1-sw1 down`. Errors look like `"20ms link h1-sw1 sideways": ...`. */
export function parseAction(text: string): ParseActionResult {
  const line = text.trim();
  const fail = (why: string): ParseActionResult => ({ ok: false, error: `"${line}": ${why}` });
  const m = /^(\S+)(?:\s+(\S+))?(?:\s+([\s\S]*))?$/.exec(line);
  if (!m) return fail('empty action; write a time and what happens, e.g. "20ms link h1-sw1 down"');
  const time = parseDuration(m[1]);
  if (!time.ok) return fail(`${time.error}; an action starts with its time, e.g. 20ms`);
  const at = time.ns;
  const word = m[2];
  const rest = (m[3] ?? '').trim();
  const args = rest ? rest.split(/\s+/) : [];
  if (word === undefined) return fail(`nothing happens at ${m[1]}; follow the time with ${KEYWORDS}`);
  switch (word) {
    case 'link':
      return parseLink(at, args, fail);
    case 'partition':
      return rest === 'off' ? { ok: true, action: { kind: 'heal', at } } : parsePartition(at, rest, fail);
    case 'heal':
      return rest ? fail(`unexpected "${rest}"; "heal" stands alone and ends every partition`) : { ok: true, action: { kind: 'heal', at } };
    case 'node':
      return parseNode(at, args, fail);
    case 'drop':
    case 'corrupt':
    case 'delay':
      return parsePacket(at, word, args, fail);
    default: {
      if (!/^[A-Za-z0-9._-]+$/.test(word)) return fail(`"${word}" is not an action; use ${KEYWORDS}`);
      if (!rest) return fail(`${word}: which command? e.g. "${m[1]} ${word} ping 10.0.0.2 -c 1"`);
      const split = splitCommand(rest);
      if (!split.ok) return fail(split.error);
      return { ok: true, action: { kind: 'command', at, on: word, cmd: rest } };
    }
  }
}

type Fail = (why: string) => ParseActionResult;

function parseLink(at: number, args: string[], fail: Fail): ParseActionResult {
  const [link, ...words] = args;
  const usage = 'write "link ID down", "link ID up" or "link ID loss 30%" (also latency, jitter, bandwidth, queue)';
  if (!link) return fail(`which link? ${usage}`);
  if (words.length === 0) return fail(`what happens to link ${link}? ${usage}`);
  if (words.length === 1 && (words[0] === 'down' || words[0] === 'up')) {
    return { ok: true, action: { kind: 'link', at, link, set: { up: words[0] === 'up' } } };
  }
  const set: Record<string, number> = {};
  for (let i = 0; i < words.length; i += 2) {
    const key = words[i];
    const value = words[i + 1];
    if (key === 'down' || key === 'up') return fail(`"${key}" stands alone: "link ${link} ${key}"`);
    if (!(LINK_KEYS as readonly string[]).includes(key)) return fail(`unknown link setting "${key}"; ${usage}`);
    if (key in set) return fail(`${key} is given twice`);
    if (value === undefined) return fail(`${key} needs a value, e.g. ${key} ${EXAMPLES[key as (typeof LINK_KEYS)[number]]}`);
    const v = parseLinkValue(key as (typeof LINK_KEYS)[number], value);
    if (typeof v === 'string') return fail(`${key}: ${v}`);
    set[key] = v;
  }
  return { ok: true, action: { kind: 'link', at, link, set } };
}

const EXAMPLES: Record<(typeof LINK_KEYS)[number], string> = { loss: '30%', latency: '50ms', jitter: '5ms', bandwidth: '1Mbps', queue: '20' };

/** The value of a link setting, or a message. */
function parseLinkValue(key: (typeof LINK_KEYS)[number], text: string): number | string {
  switch (key) {
    case 'loss': {
      const pct = /^(\d+(?:\.\d+)?)%$/.exec(text);
      const n = pct ? Number(pct[1]) / 100 : /^\d+(?:\.\d+)?$/.test(text) ? Number(text) : NaN;
      if (!Number.isFinite(n)) return `"${text}" is not a loss rate; write a percentage (30%) or a probability (0.3)`;
      if (n > 1) return `"${text}" is more than 100%`;
      return n;
    }
    case 'latency':
    case 'jitter': {
      const d = parseDuration(text);
      return d.ok ? d.ns : d.error;
    }
    case 'bandwidth': {
      const r = parseRate(text);
      if (!r.ok) return r.error;
      return r.bps > 0 ? r.bps : 'bandwidth must be greater than 0';
    }
    case 'queue':
      return /^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= 1_000_000 ? Number(text) : `"${text}" is not a queue length (1 to 1000000 frames)`;
  }
}

function parsePartition(at: number, rest: string, fail: Fail): ParseActionResult {
  const usage = 'write the groups split by "|", nodes by ",", e.g. "partition h1,h2 | h3"';
  if (!rest.includes('|')) return fail(`a partition needs at least two groups; ${usage}`);
  const groups = rest.split('|').map((g) =>
    g
      .split(/[,\s]+/)
      .map((n) => n.trim())
      .filter((n) => n !== ''),
  );
  if (groups.some((g) => g.length === 0)) return fail(`a partition group is empty; ${usage}`);
  return { ok: true, action: { kind: 'partition', at, groups } };
}

function parseNode(at: number, args: string[], fail: Fail): ParseActionResult {
  const usage = 'write "node ID crash", "node ID restart", "node ID slow 3x" or "node ID interrupt PROGRAM"';
  const [node, op, factor, ...extra] = args;
  if (!node || !op) return fail(usage);
  if (op === 'crash' || op === 'restart') {
    if (factor !== undefined) return fail(`unexpected "${[factor, ...extra].join(' ')}" after ${op}`);
    return { ok: true, action: { kind: 'node', at, node, op } };
  }
  if (op === 'slow') {
    const m = factor === undefined ? null : /^(\d+(?:\.\d+)?)x$/.exec(factor);
    if (!m || Number(m[1]) <= 0) return fail(`slow needs a factor above 0, e.g. "slow 3x" (1x is normal speed)`);
    if (extra.length) return fail(`unexpected "${extra.join(' ')}" after slow ${factor}`);
    return { ok: true, action: { kind: 'node-slow', at, node, factor: Number(m[1]) } };
  }
  if (op === 'interrupt') {
    if (factor === undefined || !/^[A-Za-z0-9._-]+$/.test(factor)) return fail('interrupt needs the program to stop, e.g. "interrupt ping"');
    if (extra.length) return fail(`unexpected "${extra.join(' ')}" after interrupt ${factor}`);
    return { ok: true, action: { kind: 'interrupt', at, node, program: factor } };
  }
  return fail(`unknown node action "${op}"; ${usage}`);
}

function parsePacket(at: number, op: 'drop' | 'corrupt' | 'delay', args: string[], fail: Fail): ParseActionResult {
  const usage = op === 'delay' ? '"delay packet N 5ms"' : `"${op} packet N"`;
  const [what, id, delay, ...extra] = args;
  if (what !== 'packet' || id === undefined) return fail(`write ${usage}, N being the packet's id in the trace`);
  if (!/^\d+$/.test(id) || !Number.isSafeInteger(Number(id))) return fail(`"${id}" is not a packet id (a whole number)`);
  const packet = Number(id);
  if (op !== 'delay') {
    if (delay !== undefined) return fail(`unexpected "${[delay, ...extra].join(' ')}"; write ${usage}`);
    return { ok: true, action: { kind: 'packet', at, packet, op } };
  }
  if (delay === undefined) return fail(`how long? write ${usage}`);
  const d = parseDuration(delay);
  if (!d.ok) return fail(d.error);
  if (extra.length) return fail(`unexpected "${extra.join(' ')}"; write ${usage}`);
  return { ok: true, action: { kind: 'packet-delay', at, packet, delay: d.ns } };
}

/** A time as actions write it: `20ms`, `1.5s`, `0ms`. */
export function formatActionTime(ns: number): string {
  return ns === 0 ? '0ms' : formatDurationExact(ns);
}

function formatLoss(loss: number): string {
  return `${Number((loss * 100).toPrecision(12))}%`;
}

/** Prints an action in the language `parseAction` reads. */
export function formatAction(a: BranchAction): string {
  const t = formatActionTime(a.at);
  switch (a.kind) {
    case 'link': {
      if (a.set.up !== undefined && LINK_KEYS.every((k) => a.set[k] === undefined)) return `${t} link ${a.link} ${a.set.up ? 'up' : 'down'}`;
      const parts: string[] = [];
      for (const k of LINK_KEYS) {
        const v = a.set[k];
        if (v === undefined) continue;
        const text = k === 'loss' ? formatLoss(v) : k === 'bandwidth' ? formatRate(v) : k === 'queue' ? String(v) : formatDurationExact(v);
        parts.push(`${k} ${text}`);
      }
      return `${t} link ${a.link} ${parts.join(' ')}`;
    }
    case 'partition':
      return `${t} partition ${a.groups.map((g) => g.join(',')).join(' | ')}`;
    case 'heal':
      return `${t} heal`;
    case 'node':
      return `${t} node ${a.node} ${a.op}`;
    case 'node-slow':
      return `${t} node ${a.node} slow ${a.factor}x`;
    case 'interrupt':
      return `${t} node ${a.node} interrupt ${a.program}`;
    case 'packet':
      return `${t} ${a.op} packet ${a.packet}`;
    case 'packet-delay':
      return `${t} delay packet ${a.packet} ${formatDurationExact(a.delay)}`;
    case 'command':
      return `${t} ${a.on} ${a.cmd}`;
    default:
      return unreachable(a);
  }
}

function unreachable(x: never): never {
  throw new Error(`unknown action ${JSON.stringify(x)}`);
}

/** Where an action goes in the derived scene: a `faults` entry or a `run` entry (raw scene data). */
export type ActionEntry =
  { readonly list: 'faults'; readonly entry: Record<string, unknown> } | { readonly list: 'run'; readonly entry: Record<string, unknown> };

/** The scene entry that carries out `a`, written as a scene file would (durations as text). */
export function actionEntry(a: BranchAction): ActionEntry {
  const at = formatActionTime(a.at);
  switch (a.kind) {
    case 'link': {
      const set: Record<string, unknown> = {};
      if (a.set.up !== undefined) set.up = a.set.up;
      for (const k of LINK_KEYS) {
        const v = a.set[k];
        if (v === undefined) continue;
        set[k] = k === 'latency' || k === 'jitter' ? formatDurationExact(v) : k === 'bandwidth' ? formatRate(v) : v;
      }
      return { list: 'faults', entry: { at, link: a.link, set } };
    }
    case 'partition':
      return { list: 'faults', entry: { at, partition: a.groups.map((g) => [...g]) } };
    case 'heal':
      return { list: 'faults', entry: { at, heal: true } };
    case 'node':
      return { list: 'faults', entry: { at, node: a.node, set: { up: a.op === 'restart' } } };
    case 'node-slow':
      return { list: 'faults', entry: { at, node: a.node, slowdown: { factor: a.factor } } };
    case 'interrupt':
      return { list: 'faults', entry: { at, node: a.node, interrupt: a.program } };
    case 'packet':
      return { list: 'faults', entry: a.op === 'drop' ? { at, packet: a.packet, drop: true } : { at, packet: a.packet, corrupt: true } };
    case 'packet-delay':
      return { list: 'faults', entry: { at, packet: a.packet, delay: formatDurationExact(a.delay) } };
    case 'command':
      return { list: 'run', entry: { on: a.on, at, cmd: a.cmd } };
    default:
      return unreachable(a);
  }
}

/** What an action changes, in a few words and without its time: "r1-h2 cut", "s1 crash", "h1: ping 10.0.1.5". */
export function describeAction(a: BranchAction): string {
  switch (a.kind) {
    case 'link': {
      if (a.set.up !== undefined && LINK_KEYS.every((k) => a.set[k] === undefined)) return `${a.link} ${a.set.up ? 'restored' : 'cut'}`;
      return formatAction(a).replace(/^\S+ link /, '');
    }
    case 'partition':
      return `partition ${a.groups.map((g) => g.join(',')).join(' | ')}`;
    case 'heal':
      return 'partition healed';
    case 'node':
      return `${a.node} ${a.op}`;
    case 'node-slow':
      return `${a.node} slow ${a.factor}x`;
    case 'interrupt':
      return `${a.node}: ^C ${a.program}`;
    case 'packet':
      return `packet ${a.packet} ${a.op === 'drop' ? 'dropped' : 'corrupted'}`;
    case 'packet-delay':
      return `packet ${a.packet} delayed ${formatDurationExact(a.delay)}`;
    case 'command':
      return `${a.on}: ${a.cmd}`;
    default:
      return unreachable(a);
  }
}
