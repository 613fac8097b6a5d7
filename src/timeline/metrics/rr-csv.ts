/**
 * The overload-lab metrics as CSV, one row per window under a header naming the columns (with
 * their units): what `npm run sim -- SCENE --metrics out.csv` writes. Times are in milliseconds,
 * rates per second; a value that does not exist in a window (a percentile with no successful
 * request, amplification with no new request) is an empty cell.
 */
import type { RrWindow } from './rr-series';

/** The columns: CSV name and how to read it from a window. */
export const RR_CSV_COLUMNS: readonly { readonly name: string; readonly get: (w: RrWindow) => number | string }[] = [
  { name: 'start_ms', get: (w) => w.start / 1e6 },
  { name: 'end_ms', get: (w) => w.end / 1e6 },
  { name: 'offered_per_s', get: (w) => w.offered },
  { name: 'requests_per_s', get: (w) => w.requests },
  { name: 'goodput_per_s', get: (w) => w.goodput },
  { name: 'throughput_per_s', get: (w) => w.throughput },
  { name: 'concurrency', get: (w) => w.concurrency },
  { name: 'mean_rt_ms', get: (w) => w.meanRt / 1e6 },
  { name: 'mean_rt_all_ms', get: (w) => w.meanRtAll / 1e6 },
  { name: 'p50_ms', get: (w) => w.p50 / 1e6 },
  { name: 'p90_ms', get: (w) => w.p90 / 1e6 },
  { name: 'p99_ms', get: (w) => w.p99 / 1e6 },
  { name: 'timeouts_per_s', get: (w) => w.timeouts },
  { name: 'retries_per_s', get: (w) => w.retries },
  { name: 'amplification', get: (w) => w.amplification },
  { name: 'queue', get: (w) => w.queue },
  { name: 'busy', get: (w) => w.busy },
  { name: 'breaker', get: (w) => w.breaker },
];

function cell(v: number | string): string {
  if (typeof v === 'string') return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  return Number.isFinite(v) ? String(v) : '';
}

/** The windows as CSV text: a header line, then one line per window. */
export function rrSeriesCsv(windows: readonly RrWindow[]): string {
  const lines = [RR_CSV_COLUMNS.map((c) => c.name).join(',')];
  for (const w of windows) lines.push(RR_CSV_COLUMNS.map((c) => cell(c.get(w))).join(','));
  return `${lines.join('\n')}\n`;
}
