/**
 * One server's own metrics per time window, as a server dashboard shows them: answers it served per
 * second, its own response time (arrival to answer at the server, p50 and p99, see
 * {@link serverSojourns}), and its mean queue length and busy workers. A crashed server answers
 * nothing and its gauges read 0 (the crash lost its queue and workers), so its lines drop there.
 */
import { percentileSorted } from './percentile';
import type { RrNodeEvents } from './rr-events';
import { rrSeriesFrom } from './rr-series';
import { serverSojourns } from './server-latency';

/** One window of one server. */
export interface ServerWindow {
  readonly start: number;
  readonly end: number;
  /** Requests a worker took and answered in the window, per second (refusals not counted). */
  readonly answers: number;
  /** Percentiles of the sojourns of the answers sent in the window, ns (NaN when none). */
  readonly p50: number;
  readonly p99: number;
  /** Time-averaged queue length and busy workers over the window. */
  readonly queue: number;
  readonly busy: number;
}

/** The windows of `server` of length `windowNs` from `from` to `to` (ns); the last may be partial. */
export function serverSeriesFrom(events: Map<string, RrNodeEvents>, server: string, windowNs: number, from: number, to: number): ServerWindow[] {
  const e = events.get(server);
  const n = Math.max(0, Math.ceil((to - from) / windowNs));
  // Queue and busy: the same time averages as the system series, for this server alone.
  const gauges = rrSeriesFrom(events, { windowNs, from, to, clients: [], servers: [server] });
  const per: number[][] = Array.from({ length: n }, () => []);
  if (e) {
    const s = serverSojourns(e);
    for (let i = 0; i < s.time.length; i++) {
      const k = Math.floor((s.time[i] - from) / windowNs);
      if (k >= 0 && k < n) per[k].push(s.sojourn[i]);
    }
  }
  const perSec = 1e9 / windowNs;
  return per.map((list, k) => {
    const sorted = Float64Array.from(list).sort();
    return {
      start: from + k * windowNs,
      end: from + (k + 1) * windowNs,
      answers: sorted.length * perSec,
      p50: percentileSorted(sorted, 0.5),
      p99: percentileSorted(sorted, 0.99),
      queue: gauges[k]?.queue ?? 0,
      busy: gauges[k]?.busy ?? 0,
    };
  });
}
