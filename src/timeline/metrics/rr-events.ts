/**
 * Reads the RR (request/response) rows of a trace into typed arrays: what the overload-lab
 * metrics are computed from. The key scheme, all state rows on the node of the program:
 *
 * Callers (rr-client, and rr-server calling a next tier):
 *   rr.send    = "<attempt> <back>[ <root>]"   an attempt sent (offered load, retries)
 *   rr.timeout = "<attempt> <back>"            an attempt timed out
 *   rr.done    = "<outcome> <attempts> <back>" a request finished; outcome is ok, timeout,
 *                                              error, overloaded, deadline, unavailable, breaker
 *   rr.breaker = "closed" | "open" | "half-open"
 * Servers (rr-server):
 *   rr.recv  = "<attempt> <tier> <rootDelta>"   rr.queue = "<n>"   rr.busy = "<n>"
 *   rr.shed  = "queue|deadline <rootDelta>"     (a request refused or dropped, answered at once)
 *   rr.reply = "<status> <attempt> <rootDelta>"  (a request a worker took, answered)
 * Load balancers (rr-lb): rr.backend <ip> = "up" | "down", rr.lb = "<root> <ip>".
 * A node's `power` = "down" (a crash) sets its queue and busy gauges to 0: the crash lost them.
 *
 * Ids are relative, so that values repeat and the trace's string table stays small however long
 * the run (src/apps/rr/trace-rows.ts). Request ids count 1, 2, 3, ... per node in the order requests
 * start: an rr.send of attempt 1 starts the next id, and so does an rr.done with 0 attempts (a
 * request a circuit breaker refused at once); `back` is how far the row's id is behind the node's
 * newest. A request's response time runs from its first rr.send to its rr.done. `root` is given
 * only when it is not the request itself (a tier calling the next). On servers, `rootDelta` is the
 * root minus the root of the node's previous recv, shed or reply row (0 before the first).
 */
import { Place, RecordKind, type Trace } from '../../sim/trace';

/** Requests as one caller node saw them. A request still open at the end of the trace has end = Infinity. */
interface RrRequests {
  readonly node: string;
  readonly id: Float64Array;
  readonly start: Float64Array;
  readonly end: Float64Array;
  /** 1 when the outcome is ok. */
  readonly ok: Uint8Array;
  readonly attempts: Int32Array;
  readonly outcome: readonly string[];
}

/** Time-stamped events of one kind. */
export interface RrEventTimes {
  readonly time: Float64Array;
  /** A number carried by the row (attempt for sends/recv, root for shed, the new value for gauges). */
  readonly value: Float64Array;
  /** A second number (root for sends and recv). */
  readonly extra: Float64Array;
}

/** Everything RR that happened on one node. */
export interface RrNodeEvents {
  readonly node: string;
  readonly requests: RrRequests;
  readonly sends: RrEventTimes;
  readonly timeouts: RrEventTimes;
  readonly breaker: readonly { time: number; state: string }[];
  readonly recv: RrEventTimes;
  readonly queue: RrEventTimes;
  readonly busy: RrEventTimes;
  readonly shed: RrEventTimes;
  /** Requests a worker took, answered: value = attempt, extra = root (matches a `recv`). */
  readonly replies: RrEventTimes;
  readonly backends: readonly { time: number; backend: string; state: string }[];
}

class Col {
  t: number[] = [];
  v: number[] = [];
  x: number[] = [];
  push(t: number, v: number, x = 0): void {
    this.t.push(t);
    this.v.push(v);
    this.x.push(x);
  }
  done(): RrEventTimes {
    return { time: Float64Array.from(this.t), value: Float64Array.from(this.v), extra: Float64Array.from(this.x) };
  }
}

/** The RR rows of every node that has any, by node name (in node order). */
// eslint-disable-next-line max-lines-per-function -- one pass over the trace, one case per RR trace point, filling per-node columns
export function readRrEvents(trace: Trace): Map<string, RrNodeEvents> {
  interface Acc {
    sends: Col;
    timeouts: Col;
    recv: Col;
    queue: Col;
    busy: Col;
    shed: Col;
    replies: Col;
    done: { id: number; end: number; rt: number; outcome: string; attempts: number }[];
    firstSend: Map<number, number>;
    breaker: { time: number; state: string }[];
    backends: { time: number; backend: string; state: string }[];
    /** The running references of the key scheme. */
    lastId: number;
    lastRoot: number;
  }
  const acc = new Map<number, Acc>();
  const keyIds = new Map<number, string>();
  const get = (node: number): Acc => {
    let a = acc.get(node);
    if (!a) {
      a = {
        sends: new Col(),
        timeouts: new Col(),
        recv: new Col(),
        queue: new Col(),
        busy: new Col(),
        shed: new Col(),
        replies: new Col(),
        done: [],
        firstSend: new Map(),
        breaker: [],
        backends: [],
        lastId: 0,
        lastRoot: 0,
      };
      acc.set(node, a);
    }
    return a;
  };
  for (let r = 0; r < trace.length; r++) {
    if (trace.kind[r] !== RecordKind.State || trace.dir[r] !== Place.Node) continue;
    const code = trace.code[r];
    let key = keyIds.get(code);
    if (key === undefined) {
      key = trace.string(code);
      keyIds.set(code, key);
    }
    if (key === 'power') {
      // A crashed server loses its queue and its workers' jobs: its gauges drop to 0.
      const a = acc.get(trace.place[r]);
      if (a && trace.string(trace.frame[r]) === 'down') {
        if (a.queue.t.length) a.queue.push(trace.time[r], 0);
        if (a.busy.t.length) a.busy.push(trace.time[r], 0);
      }
      continue;
    }
    if (!key.startsWith('rr.')) continue;
    const t = trace.time[r];
    const value = trace.string(trace.frame[r]);
    const a = get(trace.place[r]);
    const w = value.split(' ');
    switch (key) {
      case 'rr.send': {
        const attempt = Number(w[0]);
        if (attempt === 1) a.lastId++;
        const id = a.lastId - Number(w[1]);
        a.sends.push(t, attempt, w.length > 2 ? Number(w[2]) : id);
        if (attempt === 1) a.firstSend.set(id, t);
        break;
      }
      case 'rr.timeout':
        a.timeouts.push(t, Number(w[0]), a.lastId - Number(w[1]));
        break;
      case 'rr.done': {
        const attempts = Number(w[1]);
        const id = attempts === 0 ? ++a.lastId : a.lastId - Number(w[2]);
        const start = attempts === 0 ? t : (a.firstSend.get(id) ?? t);
        a.firstSend.delete(id);
        a.done.push({ id, outcome: w[0], attempts, rt: t - start, end: t });
        break;
      }
      case 'rr.breaker':
        a.breaker.push({ time: t, state: value });
        break;
      case 'rr.recv':
        a.lastRoot += Number(w[2]);
        a.recv.push(t, Number(w[0]), a.lastRoot);
        break;
      case 'rr.queue':
        a.queue.push(t, Number(w[0]));
        break;
      case 'rr.busy':
        a.busy.push(t, Number(w[0]));
        break;
      case 'rr.shed':
        a.lastRoot += Number(w[1]);
        a.shed.push(t, a.lastRoot, w[0] === 'queue' ? 0 : 1);
        break;
      case 'rr.reply':
        a.lastRoot += Number(w[2]);
        a.replies.push(t, Number(w[1]), a.lastRoot);
        break;
      default:
        if (key.startsWith('rr.backend ')) a.backends.push({ time: t, backend: key.slice(11), state: value });
    }
  }
  const out = new Map<string, RrNodeEvents>();
  for (const [nodeId, a] of [...acc.entries()].sort((x, y) => x[0] - y[0])) {
    const node = trace.nodes[nodeId].name;
    // Requests sent but never finished (their first sends are left in firstSend, in send order).
    const open = [...a.firstSend.entries()];
    const n = a.done.length + open.length;
    const req = {
      node,
      id: new Float64Array(n),
      start: new Float64Array(n),
      end: new Float64Array(n),
      ok: new Uint8Array(n),
      attempts: new Int32Array(n),
      outcome: [] as string[],
    };
    a.done.forEach((d, i) => {
      req.id[i] = d.id;
      req.start[i] = d.end - d.rt;
      req.end[i] = d.end;
      req.ok[i] = d.outcome === 'ok' ? 1 : 0;
      req.attempts[i] = d.attempts;
      req.outcome.push(d.outcome);
    });
    open.forEach(([id, start], j) => {
      const i = a.done.length + j;
      req.id[i] = id;
      req.start[i] = start;
      req.end[i] = Infinity;
      req.outcome.push('open');
    });
    out.set(node, {
      node,
      requests: req,
      sends: a.sends.done(),
      timeouts: a.timeouts.done(),
      breaker: a.breaker,
      recv: a.recv.done(),
      queue: a.queue.done(),
      busy: a.busy.done(),
      shed: a.shed.done(),
      replies: a.replies.done(),
      backends: a.backends,
    });
  }
  return out;
}

const known = new WeakMap<Trace, Map<string, RrNodeEvents>>();

/**
 * `readRrEvents(trace)`, read once per trace and shared by every reader (3D view, panels, lesson
 * conditions). A simulation worker reads them next to its trace and the page is handed the result
 * (`knowRrEvents`), so the page never scans a big trace for them.
 */
export function rrEventsOf(trace: Trace): Map<string, RrNodeEvents> {
  let m = known.get(trace);
  if (!m) known.set(trace, (m = readRrEvents(trace)));
  return m;
}

/** Records the RR events of `trace`, read elsewhere over an identical trace (e.g. in the worker). */
export function knowRrEvents(trace: Trace, events: Map<string, RrNodeEvents>): void {
  known.set(trace, events);
}

/** The buffers of `events`, for `postMessage(..., transfer)` (each once). */
export function rrEventsTransferList(events: Map<string, RrNodeEvents>): ArrayBuffer[] {
  const views: ArrayBufferView[] = [];
  for (const e of events.values()) {
    const r = e.requests;
    views.push(r.id, r.start, r.end, r.ok, r.attempts);
    for (const c of [e.sends, e.timeouts, e.recv, e.queue, e.busy, e.shed, e.replies]) views.push(c.time, c.value, c.extra);
  }
  return [...new Set(views.map((v) => v.buffer as ArrayBuffer))];
}
