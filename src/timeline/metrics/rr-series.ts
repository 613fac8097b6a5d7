/**
 * Overload-lab metrics per time window, pure functions over a trace: what a load-testing
 * dashboard shows. For the callers chosen (default: every node that made RR requests at tier 1,
 * i.e. ran rr-client) and the servers chosen (default: every node that received RR requests):
 *
 * - offered: attempts sent per second, retries included (what the servers are asked to do)
 * - requests: new requests per second (what the users asked for)
 * - goodput: requests that finished ok, per second (TPS)
 * - throughput: requests that finished at all (ok or given up), per second
 * - concurrency: mean requests in flight (time average over the window)
 * - meanRt, p50, p90, p99: response time of the requests that finished ok in the window (ns)
 * - meanRtAll: mean response time of every request that finished in the window (Little's W)
 * - timeouts, retries (attempts after the first) per second; amplification = attempts / requests
 * - queue, busy: mean queue length and busy workers over the servers (time average, summed)
 * - breaker: the first caller's breaker state at the end of the window
 */
import type { Trace } from '../../sim/trace';
import { percentileSorted } from './percentile';
import { readRrEvents, type RrNodeEvents, type RrEventTimes } from './rr-events';

export interface RrWindow {
  readonly start: number;
  readonly end: number;
  readonly offered: number;
  readonly requests: number;
  readonly goodput: number;
  readonly throughput: number;
  readonly concurrency: number;
  readonly meanRt: number;
  readonly meanRtAll: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly timeouts: number;
  readonly retries: number;
  readonly amplification: number;
  readonly queue: number;
  readonly busy: number;
  readonly breaker: string;
}

export interface RrSeriesOptions {
  /** Window length, ns (default 1 s). */
  windowNs?: number;
  /** Start of the first window (default 0) and end of the last (default: the trace's last row). */
  from?: number;
  to?: number;
  /** Caller node names (default: nodes whose requests are tier 1: the load clients). */
  clients?: readonly string[];
  /** Server node names (default: nodes that received requests). */
  servers?: readonly string[];
}

function lastTime(trace: Trace): number {
  let t = 0;
  for (let i = 0; i < trace.length; i++) if (trace.time[i] > t) t = trace.time[i];
  return t;
}

/** Counts of `times` per window. */
function countPer(times: Float64Array, from: number, w: number, n: number, keep?: (i: number) => boolean): Float64Array {
  const c = new Float64Array(n);
  for (let i = 0; i < times.length; i++) {
    const k = Math.floor((times[i] - from) / w);
    if (k >= 0 && k < n && (!keep || keep(i))) c[k]++;
  }
  return c;
}

/** Adds the time average of a step function (value changes at `g.time` to `g.value`) per window. */
function addTimeAverage(g: RrEventTimes, from: number, w: number, n: number, out: Float64Array): void {
  const to = from + w * n;
  let value = 0;
  let at = from;
  const add = (a: number, b: number, v: number) => {
    // Spread v over [a, b) across windows.
    if (v === 0 || b <= a) return;
    let k = Math.max(0, Math.floor((a - from) / w));
    while (k < n) {
      const ws = from + k * w;
      const we = ws + w;
      const lo = Math.max(a, ws);
      const hi = Math.min(b, we);
      if (hi > lo) out[k] += (v * (hi - lo)) / w;
      if (we >= b) break;
      k++;
    }
  };
  for (let i = 0; i < g.time.length; i++) {
    const t = g.time[i];
    if (t > at) {
      add(Math.max(at, from), Math.min(t, to), value);
      at = t;
    }
    value = g.value[i];
  }
  add(Math.max(at, from), to, value);
}

/** Which nodes are load clients (send tier-1 requests: their sends carry root = own id). */
function isClient(e: RrNodeEvents): boolean {
  return e.requests.id.length > 0 && e.recv.time.length === 0;
}

/** The metric series of a trace. */
export function rrSeries(trace: Trace, options: RrSeriesOptions = {}): RrWindow[] {
  const events = readRrEvents(trace);
  return rrSeriesFrom(events, options, () => lastTime(trace));
}

/** Like {@link rrSeries}, from events already read with `readRrEvents`. */
// eslint-disable-next-line max-lines-per-function -- bins every client's and server's RR events into the same windows, then derives each series from those shared bins
export function rrSeriesFrom(events: Map<string, RrNodeEvents>, options: RrSeriesOptions = {}, end: () => number = () => 0): RrWindow[] {
  const w = options.windowNs ?? 1e9;
  const from = options.from ?? 0;
  const to = options.to ?? end();
  const n = Math.max(0, Math.ceil((to - from) / w));
  const all = [...events.values()];
  const clients = options.clients ? all.filter((e) => options.clients!.includes(e.node)) : all.filter(isClient);
  const servers = options.servers ? all.filter((e) => options.servers!.includes(e.node)) : all.filter((e) => e.recv.time.length > 0);

  const offered = new Float64Array(n);
  const retries = new Float64Array(n);
  const newReqs = new Float64Array(n);
  const timeouts = new Float64Array(n);
  const conc = new Float64Array(n);
  const good = new Float64Array(n);
  const done = new Float64Array(n);
  const rtSumAll = new Float64Array(n);
  const rtOk: number[][] = Array.from({ length: n }, () => []);
  const queue = new Float64Array(n);
  const busy = new Float64Array(n);
  const winEnd = from + n * w;

  for (const c of clients) {
    const s = c.sends;
    for (let i = 0; i < s.time.length; i++) {
      const k = Math.floor((s.time[i] - from) / w);
      if (k < 0 || k >= n) continue;
      offered[k]++;
      if (s.value[i] > 1) retries[k]++;
      else newReqs[k]++;
    }
    const t = countPer(c.timeouts.time, from, w, n);
    for (let k = 0; k < n; k++) timeouts[k] += t[k];
    const r = c.requests;
    for (let i = 0; i < r.id.length; i++) {
      const a = Math.max(r.start[i], from);
      const b = Math.min(r.end[i], winEnd);
      // Concurrency: the request's time in flight, spread over the windows it overlaps.
      if (b > a) {
        let k = Math.floor((a - from) / w);
        while (k < n) {
          const ws = from + k * w;
          const hi = Math.min(b, ws + w);
          conc[k] += (hi - Math.max(a, ws)) / w;
          if (ws + w >= b) break;
          k++;
        }
      }
      if (r.end[i] === Infinity) continue;
      const k = Math.floor((r.end[i] - from) / w);
      if (k < 0 || k >= n) continue;
      const rt = r.end[i] - r.start[i];
      done[k]++;
      rtSumAll[k] += rt;
      if (r.ok[i]) {
        good[k]++;
        rtOk[k].push(rt);
      }
    }
  }
  for (const s of servers) {
    addTimeAverage(s.queue, from, w, n, queue);
    addTimeAverage(s.busy, from, w, n, busy);
  }
  const breakerRows = clients[0]?.breaker ?? [];

  const out: RrWindow[] = [];
  const perSec = 1e9 / w;
  let bi = 0;
  let breaker = clients[0]?.breaker.length ? 'closed' : '';
  for (let k = 0; k < n; k++) {
    const end = from + (k + 1) * w;
    while (bi < breakerRows.length && breakerRows[bi].time < end) breaker = breakerRows[bi++].state;
    const oks = Float64Array.from(rtOk[k]).sort();
    let sumOk = 0;
    for (const v of oks) sumOk += v;
    out.push({
      start: from + k * w,
      end,
      offered: offered[k] * perSec,
      requests: newReqs[k] * perSec,
      goodput: good[k] * perSec,
      throughput: done[k] * perSec,
      concurrency: conc[k],
      meanRt: oks.length ? sumOk / oks.length : NaN,
      meanRtAll: done[k] ? rtSumAll[k] / done[k] : NaN,
      p50: percentileSorted(oks, 0.5),
      p90: percentileSorted(oks, 0.9),
      p99: percentileSorted(oks, 0.99),
      timeouts: timeouts[k] * perSec,
      retries: retries[k] * perSec,
      amplification: newReqs[k] ? offered[k] / newReqs[k] : NaN,
      queue: queue[k],
      busy: busy[k],
      breaker,
    });
  }
  return out;
}

/**
 * Little's law per window: L (mean concurrency) against lambda x W (throughput x mean response
 * time of the requests that finished). `error` is |L - lambda W| / L.
 */
export function littlesLaw(windows: readonly RrWindow[]): { start: number; l: number; lambdaW: number; error: number }[] {
  return windows.map((x) => {
    const lambdaW = (x.throughput * x.meanRtAll) / 1e9;
    return { start: x.start, l: x.concurrency, lambdaW, error: x.concurrency > 0 ? Math.abs(x.concurrency - lambdaW) / x.concurrency : NaN };
  });
}

/**
 * Attempts that reached `server` per top-level request: rows `rr.recv` grouped by root id. With
 * three tiers each making three attempts, a request that fails everywhere reaches the bottom 27 times.
 */
export function attemptsPerRoot(events: Map<string, RrNodeEvents>, server: string): Map<number, number> {
  const e = events.get(server);
  const out = new Map<number, number>();
  if (!e) return out;
  for (let i = 0; i < e.recv.extra.length; i++) out.set(e.recv.extra[i], (out.get(e.recv.extra[i]) ?? 0) + 1);
  return out;
}
