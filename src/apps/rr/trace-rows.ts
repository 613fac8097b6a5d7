/**
 * The RR trace rows, kept compact: a large run records millions of them, and the trace interns
 * every distinct value, so a value must not be unique per request. Ids and roots are therefore
 * written relative to a running reference kept per node (and mirrored by the reader,
 * src/timeline/metrics/rr-events.ts), so they repeat; and the string ids of recurring values are
 * cached per trace, so a row costs no string building and no string-table lookup.
 *
 * Per node (shared by every RR program on it, so the reader can follow one sequence):
 *   - `lastId`: the last request id the node's callers assigned. Ids are 1, 2, 3, ... in the order
 *     requests start; a request starts with its first `rr.send` (attempt 1) or, when a circuit
 *     breaker rejects it at once, with its `rr.done` with 0 attempts.
 *   - `lastRoot`: the root id in the node's last server row that carries one (recv, shed, reply).
 */
import type { Device } from '../../net/device';
import { IdCache } from '../../sim/id-cache';
import type { Kernel } from '../../sim/kernel';
import type { Trace } from '../../sim/trace';

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

const isInt = Number.isInteger;
/** Whether `n` is a whole number in (-2^bits, 2^bits). */
const within = (n: number, bits: number) => isInt(n) && n > -(1 << bits) && n < 1 << bits;
const byte = (n: number) => isInt(n) && n >= 0 && n < 256;

/** `rr.send` = "<attempt> <back>" (+ " <root>" when the root is not the request itself); back = lastId - id. */
function sendText(attempt: number, back: number, root: number | undefined): string {
  return root === undefined ? `${attempt} ${back}` : `${attempt} ${back} ${root}`;
}

/** How a request ended, as `rr.done` writes it. */
const OUTCOMES = ['ok', 'timeout', 'error', 'overloaded', 'deadline', 'unavailable', 'breaker'];

/** Row keys, interned on first use (so the trace's string table keeps its order). */
const KEYS = ['rr.send', 'rr.timeout', 'rr.done', 'rr.recv', 'rr.queue', 'rr.busy', 'rr.shed', 'rr.reply'] as const;
const SEND = 0;
const TIMEOUT = 1;
const DONE = 2;
const RECV = 3;
const QUEUE = 4;
const BUSY = 5;
const SHED = 6;
const REPLY = 7;

/** Small counts (queue length, busy workers) whose ids are kept in a plain array. */
const SMALL_NUMBERS = 4096;

/** The cached string ids of one trace's RR rows, shared by every node of the run. */
class TraceIds {
  readonly keys = new Int32Array(KEYS.length).fill(-1);
  /** "<a> <b>": rr.send without a root, and rr.timeout. */
  readonly pair = new IdCache();
  readonly done = OUTCOMES.map(() => new IdCache());
  readonly recv = new IdCache();
  readonly shedQueue = new IdCache();
  readonly shedDeadline = new IdCache();
  readonly reply = new IdCache();
  readonly numbers = new Int32Array(SMALL_NUMBERS).fill(-1);
}

const idsByTrace = new WeakMap<Trace, TraceIds>();

/** Writes the RR rows of one node (as state rows at the kernel's current time). */
export class RrRows {
  private readonly trace: Trace;
  private readonly kernel: Kernel;
  private readonly node: number;
  private readonly ids: TraceIds;

  constructor(device: Device) {
    this.trace = device.ctx.trace;
    this.kernel = device.ctx.kernel;
    this.node = device.nodeId;
    let ids = idsByTrace.get(this.trace);
    if (!ids) {
      ids = new TraceIds();
      idsByTrace.set(this.trace, ids);
    }
    this.ids = ids;
  }

  /** `rr.send`: an attempt sent. */
  send(attempt: number, back: number, root: number | undefined): void {
    const key = this.key(SEND);
    this.row(key, root === undefined ? this.pairId(attempt, back) : this.trace.intern(sendText(attempt, back, root)));
  }

  /** `rr.timeout` = "<attempt> <back>": an attempt timed out. */
  timeout(attempt: number, back: number): void {
    const key = this.key(TIMEOUT);
    this.row(key, this.pairId(attempt, back));
  }

  /** `rr.done` = "<outcome> <attempts> <back>": a request finished. */
  done(outcome: string, attempts: number, back: number): void {
    const key = this.key(DONE);
    const i = OUTCOMES.indexOf(outcome);
    let id = -1;
    let k = 0;
    if (i >= 0 && byte(attempts) && back >= 0 && within(back, 22)) id = this.ids.done[i].get((k = back * 256 + attempts));
    if (id < 0) id = this.remember(i >= 0 ? this.ids.done[i] : null, k, `${outcome} ${attempts} ${back}`);
    this.row(key, id);
  }

  /** `rr.recv` = "<attempt> <tier> <rootDelta>"; rootDelta = root - lastRoot. */
  recv(attempt: number, tier: number, rootDelta: number): void {
    const key = this.key(RECV);
    const fits = byte(attempt) && tier >= 0 && tier < 16 && within(rootDelta, 17);
    const k = fits ? (rootDelta + (1 << 17)) * 4096 + (attempt | (tier << 8)) : 0;
    let id = fits ? this.ids.recv.get(k) : -1;
    if (id < 0) id = this.remember(fits ? this.ids.recv : null, k, `${attempt} ${tier} ${rootDelta}`);
    this.row(key, id);
  }

  /** `rr.queue` = "<n>": requests waiting. */
  queue(n: number): void {
    const key = this.key(QUEUE);
    this.row(key, this.numberId(n));
  }

  /** `rr.busy` = "<n>": workers serving. */
  busy(n: number): void {
    const key = this.key(BUSY);
    this.row(key, this.numberId(n));
  }

  /** `rr.shed` = "queue|deadline <rootDelta>". */
  shed(why: 'queue' | 'deadline', rootDelta: number): void {
    const key = this.key(SHED);
    const cache = why === 'queue' ? this.ids.shedQueue : this.ids.shedDeadline;
    const fits = within(rootDelta, 28);
    const k = fits ? rootDelta + (1 << 28) : 0;
    let id = fits ? cache.get(k) : -1;
    if (id < 0) id = this.remember(fits ? cache : null, k, `${why} ${rootDelta}`);
    this.row(key, id);
  }

  /** `rr.reply` = "<status> <attempt> <rootDelta>". */
  reply(status: number, attempt: number, rootDelta: number): void {
    const key = this.key(REPLY);
    const fits = byte(status) && status < 8 && byte(attempt) && within(rootDelta, 18);
    // Status (below 8) in the low 3 bits and the attempt above them: 11 bits, a slot of 2048 per rootDelta.
    const k = fits ? (rootDelta + (1 << 18)) * 2048 + (status | (attempt << 3)) : 0;
    let id = fits ? this.ids.reply.get(k) : -1;
    if (id < 0) id = this.remember(fits ? this.ids.reply : null, k, `${status} ${attempt} ${rootDelta}`);
    this.row(key, id);
  }

  private row(keyId: number, valueId: number): void {
    this.trace.stateIds(this.kernel.now, this.node, keyId, valueId);
  }

  private key(k: number): number {
    const keys = this.ids.keys;
    if (keys[k] < 0) keys[k] = this.trace.intern(KEYS[k]);
    return keys[k];
  }

  /** "<a> <b>", cached for an 8-bit `a` and a small `b`. */
  private pairId(a: number, b: number): number {
    const fits = byte(a) && within(b, 21);
    const k = fits ? (b + (1 << 21)) * 256 + a : 0;
    const id = fits ? this.ids.pair.get(k) : -1;
    return id >= 0 ? id : this.remember(fits ? this.ids.pair : null, k, `${a} ${b}`);
  }

  private numberId(n: number): number {
    if (!(isInt(n) && n >= 0 && n < SMALL_NUMBERS)) return this.trace.intern(String(n));
    const numbers = this.ids.numbers;
    if (numbers[n] < 0) numbers[n] = this.trace.intern(String(n));
    return numbers[n];
  }

  /** Interns a value seen for the first time, and caches its id under `k` when there is a cache. */
  private remember(cache: IdCache | null, k: number, text: string): number {
    const id = this.trace.intern(text);
    if (cache) cache.set(k, id);
    return id;
  }
}
