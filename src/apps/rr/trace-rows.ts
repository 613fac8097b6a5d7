/**
 * The values of the RR trace rows, kept compact: a large run records millions of them, and the
 * trace interns every distinct value, so a value must not be unique per request. Ids and roots are
 * therefore written relative to a running reference kept per node (and mirrored by the reader,
 * src/timeline/metrics/rr-events.ts), so they repeat; and the strings of recurring values are
 * built once and reused.
 *
 * Per node (shared by every RR program on it, so the reader can follow one sequence):
 *   - `lastId`: the last request id the node's callers assigned. Ids are 1, 2, 3, ... in the order
 *     requests start; a request starts with its first `rr.send` (attempt 1) or, when a circuit
 *     breaker rejects it at once, with its `rr.done` with 0 attempts.
 *   - `lastRoot`: the root id in the node's last server row that carries one (recv, shed, reply).
 */

/** Running references of one node. */
interface NodeRefs {
  lastId: number;
  lastRoot: number;
}

const refs = new WeakMap<object, NodeRefs>();

/** The running references of `node` (any object standing for the node, e.g. its device). */
export function nodeRefs(node: object): NodeRefs {
  let r = refs.get(node);
  if (!r) {
    r = { lastId: 0, lastRoot: 0 };
    refs.set(node, r);
  }
  return r;
}

/** Most strings one format keeps; past that, values are built afresh (still correct). */
const CACHE_LIMIT = 1 << 16;

/** Strings by a numeric key that stays a small integer (below 2^30, so lookups do not allocate). */
class StringCache {
  private readonly map = new Map<number, string>();
  constructor(private readonly build: (a: number, b: number) => string) {}
  get(k: number, a: number, b: number): string {
    let s = this.map.get(k);
    if (s === undefined) {
      s = this.build(a, b);
      if (this.map.size < CACHE_LIMIT) this.map.set(k, s);
    }
    return s;
  }
}

const isInt = Number.isInteger;
/** Whether `n` is a whole number in (-2^bits, 2^bits). */
const within = (n: number, bits: number) => isInt(n) && n > -(1 << bits) && n < 1 << bits;
const byte = (n: number) => isInt(n) && n >= 0 && n < 256;

const numbers: string[] = [];
/** `String(n)`, cached for small whole numbers. */
export function numText(n: number): string {
  if (n >= 0 && n < 4096 && isInt(n)) return (numbers[n] ??= String(n));
  return String(n);
}

const pairCache = new StringCache((a, b) => `${a} ${b}`);
/** `"<a> <b>"`, cached for an 8-bit `a` and a small `b`. */
export function pairText(a: number, b: number): string {
  if (byte(a) && within(b, 21)) return pairCache.get((b + (1 << 21)) * 256 + a, a, b);
  return `${a} ${b}`;
}

/** `rr.send` = "<attempt> <back>" (+ " <root>" when the root is not the request itself); back = lastId - id. */
export function sendText(attempt: number, back: number, root: number | undefined): string {
  const base = pairText(attempt, back);
  return root === undefined ? base : `${base} ${root}`;
}

/** How a request ended, as `rr.done` writes it. */
const OUTCOMES = ['ok', 'timeout', 'error', 'overloaded', 'deadline', 'unavailable', 'breaker'];
const doneCaches = OUTCOMES.map((o) => new StringCache((a, b) => `${o} ${a} ${b}`));
/** `rr.done` = "<outcome> <attempts> <back>". */
export function doneText(outcome: string, attempts: number, back: number): string {
  const i = OUTCOMES.indexOf(outcome);
  if (i >= 0 && byte(attempts) && back >= 0 && within(back, 22)) return doneCaches[i].get(back * 256 + attempts, attempts, back);
  return `${outcome} ${attempts} ${back}`;
}

const recvCache = new StringCache((at, d) => `${at & 0xff} ${at >> 8} ${d}`);
/** `rr.recv` = "<attempt> <tier> <rootDelta>"; rootDelta = root - lastRoot. */
export function recvText(attempt: number, tier: number, rootDelta: number): string {
  if (byte(attempt) && tier >= 0 && tier < 16 && within(rootDelta, 17)) {
    const at = attempt | (tier << 8);
    return recvCache.get((rootDelta + (1 << 17)) * 4096 + at, at, rootDelta);
  }
  return `${attempt} ${tier} ${rootDelta}`;
}

const shedCaches = { queue: new StringCache((_a, d) => `queue ${d}`), deadline: new StringCache((_a, d) => `deadline ${d}`) };
/** `rr.shed` = "queue|deadline <rootDelta>". */
export function shedText(why: 'queue' | 'deadline', rootDelta: number): string {
  if (within(rootDelta, 28)) return shedCaches[why].get(rootDelta, 0, rootDelta);
  return `${why} ${rootDelta}`;
}

// Status (below 8) in the low 3 bits and the attempt above them: 11 bits, a slot of 2048 per rootDelta.
const replyCache = new StringCache((sa, d) => `${sa & 7} ${sa >> 3} ${d}`);
/** `rr.reply` = "<status> <attempt> <rootDelta>". */
export function replyText(status: number, attempt: number, rootDelta: number): string {
  if (byte(status) && status < 8 && byte(attempt) && within(rootDelta, 18)) {
    const sa = status | (attempt << 3);
    return replyCache.get((rootDelta + (1 << 18)) * 2048 + sa, sa, rootDelta);
  }
  return `${status} ${attempt} ${rootDelta}`;
}
