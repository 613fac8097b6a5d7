/**
 * Pure data of the overload (load-test) panel: which systems the scene holds, the metric series of
 * each, and the charts to draw. A "system" is one connected part of the topology with its own load
 * clients: retry-storm holds two (the same load and seed, two retry policies), so the charts plot
 * them together; most scenes hold one.
 */
import type { Scene } from '../../scenario/scene';
import type { Trace } from '../../sim/trace';
import { rrEventsOf, rrSeriesFrom, serverSeriesFrom, type RrNodeEvents, type RrWindow, type ServerWindow } from '../../timeline/metrics';
import { traceHasStateKey } from '../../timeline/state-keys';

/** Whether the trace has request/response (overload lab) rows. */
export function traceHasRr(trace: Trace): boolean {
  return traceHasStateKey(trace, (key) => key.startsWith('rr.'));
}

/** One system under load: its load clients and the servers they reach. */
export interface RrGroup {
  readonly label: string;
  /** The clients' retry policy, from their run command (`retry immediate, 4 attempts`). */
  readonly policy: string;
  readonly clients: string[];
  readonly servers: string[];
  readonly color: string;
  readonly windows: RrWindow[];
  readonly totals: RrTotals;
  /** Each server's own series, in `servers` order. */
  readonly serverLines: ServerLine[];
}

/** One server of a system: its node id, its colour in the Servers charts and its windows. */
interface ServerLine {
  readonly node: string;
  readonly color: string;
  readonly windows: ServerWindow[];
  /** Requests it answered over the run (summed over the windows). */
  readonly answered: number;
}

/** A system's whole run in four numbers: what a retry policy costs and how long the work took. */
export interface RrTotals {
  /** Requests the clients made (new ones, not attempts). */
  readonly requests: number;
  /** Attempts sent, retries included. */
  readonly calls: number;
  /** Requests answered OK. */
  readonly ok: number;
  /** When the last OK answer arrived, ns (NaN when none did). */
  readonly lastOkNs: number;
}

/** The totals of the clients `clients` over the whole run. */
function rrTotals(events: Map<string, RrNodeEvents>, clients: readonly string[]): RrTotals {
  let requests = 0;
  let calls = 0;
  let ok = 0;
  let lastOkNs = NaN;
  for (const name of clients) {
    const e = events.get(name);
    if (!e) continue;
    const r = e.requests;
    requests += r.id.length;
    calls += e.sends.time.length;
    for (let i = 0; i < r.id.length; i++) {
      if (!r.ok[i]) continue;
      ok++;
      if (!(r.end[i] <= lastOkNs)) lastOkNs = r.end[i];
    }
  }
  return { requests, calls, ok, lastOkNs };
}

/** `200 requests · 4,683 calls (23.4 per request) · all OK, the last at 0.26 s`. */
export function describeTotals(t: RrTotals): string {
  if (t.requests === 0) return 'no requests';
  const n = (x: number) => x.toLocaleString('en-US');
  const per = (t.calls / t.requests).toFixed(t.calls / t.requests < 10 ? 2 : 1);
  const ok = t.ok === t.requests ? 'all OK' : `${n(t.ok)} OK`;
  const last = Number.isFinite(t.lastOkNs) ? `, the last at ${formatSeconds(t.lastOkNs)}` : '';
  return `${n(t.requests)} requests · ${n(t.calls)} calls (${per} per request) · ${ok}${last}`;
}

function formatSeconds(ns: number): string {
  const s = ns / 1e9;
  return `${s < 10 ? s.toFixed(2) : s.toFixed(1)} s`;
}

const GROUP_COLORS = ['#63b3ff', '#ff9f43', '#48d597', '#c084fc', '#f472b6'];

/**
 * Colours of the servers in the Servers charts, by the server's place among all the run's servers
 * (so a server keeps its colour in both columns of a comparison). The 3D view gives servers no
 * colour of their own (its bars are green for busy workers, orange for the queue), so these are
 * apart from both and from the systems' colours.
 */
const SERVER_COLORS = ['#ffd166', '#2dd4bf', '#f87171', '#a3e635', '#e879f9', '#93c5fd'];

/** Connected components of the topology, as node-name sets. */
function components(trace: Trace): Map<string, number> {
  const parent = trace.nodes.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  for (const l of trace.links) parent[find(l.a)] = find(l.b);
  const out = new Map<string, number>();
  trace.nodes.forEach((n, i) => out.set(n.name, find(i)));
  return out;
}

/** `--retry immediate --attempts 4 --budget 0.1` -> `retry immediate, 4 attempts, budget 10%`. */
function describePolicy(cmd: string): string {
  const w = cmd.split(/\s+/);
  const flag = (f: string) => {
    const i = w.indexOf(f);
    return i >= 0 ? w[i + 1] : undefined;
  };
  const parts: string[] = [];
  const retry = flag('--retry');
  parts.push(retry ? `retry ${retry}` : 'no retry');
  const attempts = flag('--attempts');
  if (attempts) parts.push(`${attempts} attempts`);
  const budget = flag('--budget');
  if (budget) parts.push(`budget ${Math.round(Number(budget) * 100)}%`);
  if (w.includes('--breaker')) parts.push('breaker');
  const timeout = flag('--timeout');
  if (timeout) parts.push(`timeout ${timeout}`);
  return parts.join(', ');
}

/** A window length that gives about `n` windows over `durationNs` (1-2-5 steps, at least 1 ms). */
export function windowFor(durationNs: number, n = 100): number {
  const x = Math.max(1e6, durationNs / n);
  const p = Math.pow(10, Math.floor(Math.log10(x)));
  for (const m of [1, 2, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

function isClient(e: RrNodeEvents): boolean {
  return e.requests.id.length > 0 && e.recv.time.length === 0;
}

/**
 * Where the metric windows end: at the scene's duration, not at the trace's last row (frames still
 * in flight then arrive a little later, and a last sliver of a window would read as a sudden drop
 * in every rate).
 */
export function seriesEnd(scene: Scene, traceEndNs: number): number {
  return scene.duration > 0 ? scene.duration : traceEndNs;
}

/** The systems of a run and their series, in windows of `windowNs` up to `endNs` (see {@link seriesEnd}). */
export function rrGroups(scene: Scene, trace: Trace, endNs: number, windowNs: number): { groups: RrGroup[]; events: Map<string, RrNodeEvents> } {
  const events = rrEventsOf(trace);
  const comp = components(trace);
  const byComp = new Map<number, { clients: string[]; servers: string[] }>();
  for (const e of events.values()) {
    const c = comp.get(e.node) ?? -1;
    let g = byComp.get(c);
    if (!g) byComp.set(c, (g = { clients: [], servers: [] }));
    if (isClient(e)) g.clients.push(e.node);
    else if (e.recv.time.length > 0) g.servers.push(e.node);
  }
  const groups: RrGroup[] = [];
  let serverIndex = 0;
  for (const g of byComp.values()) {
    if (g.clients.length === 0) continue;
    const serverLines = g.servers.map((node): ServerLine => {
      const windows = serverSeriesFrom(events, node, windowNs, 0, endNs);
      let answered = 0;
      for (const w of windows) answered += Math.round((w.answers * (w.end - w.start)) / 1e9);
      return { node, color: SERVER_COLORS[serverIndex++ % SERVER_COLORS.length], windows, answered };
    });
    const cmd = scene.run.find((r) => g.clients.includes(r.on) && /^rr-client\b/.test(r.cmd))?.cmd ?? '';
    groups.push({
      label: g.clients.join(' + '),
      policy: describePolicy(cmd),
      clients: g.clients,
      servers: g.servers,
      color: GROUP_COLORS[groups.length % GROUP_COLORS.length],
      windows: rrSeriesFrom(events, { windowNs, clients: g.clients, servers: g.servers, from: 0, to: endNs }),
      totals: rrTotals(events, g.clients),
      serverLines,
    });
  }
  return { groups, events };
}

/** One line of a chart: a metric, drawn in the group's colour with this dash and width. */
export interface ChartLine {
  readonly metric: keyof RrWindow | 'breakerLevel';
  readonly label: string;
  readonly dash?: number[];
  readonly width?: number;
}

/** A chart of the panel. */
export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  readonly unit: string;
  /** Shown under the title. */
  readonly help: string;
  readonly lines: ChartLine[];
  /** Only when the run has breaker rows. */
  readonly breakerOnly?: boolean;
}

export const CHARTS: ChartSpec[] = [
  {
    id: 'offered',
    title: 'Offered load',
    unit: '/s',
    help: 'Attempts sent per second, retries included (dotted: new requests only)',
    lines: [
      { metric: 'offered', label: 'offered' },
      { metric: 'requests', label: 'new requests', dash: [2, 3], width: 1 },
    ],
  },
  { id: 'goodput', title: 'Goodput', unit: '/s', help: 'Requests answered OK per second', lines: [{ metric: 'goodput', label: 'goodput' }] },
  {
    id: 'rt',
    title: 'Response time',
    unit: 'ms',
    help: 'Of successful requests: p50 thin, p90 dashed, p99 thick',
    lines: [
      { metric: 'p50', label: 'p50', width: 1 },
      { metric: 'p90', label: 'p90', dash: [5, 3], width: 1.4 },
      { metric: 'p99', label: 'p99', width: 2.2 },
    ],
  },
  {
    id: 'concurrency',
    title: 'Concurrency',
    unit: '',
    help: 'Requests in progress at the clients (mean over each window)',
    lines: [{ metric: 'concurrency', label: 'in flight' }],
  },
  {
    id: 'queue',
    title: 'Server queue',
    unit: '',
    help: 'Requests waiting at the servers; dashed: busy workers',
    lines: [
      { metric: 'queue', label: 'queued' },
      { metric: 'busy', label: 'busy workers', dash: [5, 3], width: 1.2 },
    ],
  },
  {
    id: 'timeouts',
    title: 'Timeouts & retries',
    unit: '/s',
    help: 'Attempts timed out per second; dashed: retries sent per second',
    lines: [
      { metric: 'timeouts', label: 'timeouts' },
      { metric: 'retries', label: 'retries', dash: [5, 3], width: 1.2 },
    ],
  },
  {
    id: 'attempts',
    title: 'Attempts per request',
    unit: '×',
    help: 'Attempts sent ÷ new requests (1 = no retries)',
    lines: [{ metric: 'amplification', label: 'attempts/request' }],
  },
  {
    id: 'breaker',
    title: 'Circuit breaker',
    unit: '',
    help: '0 closed · 1 half-open · 2 open',
    lines: [{ metric: 'breakerLevel', label: 'breaker' }],
    breakerOnly: true,
  },
];

/** The value of a metric in a window, as a chart value (ns -> ms; breaker -> 0/1/2; NaN -> null). */
export function metricValue(w: RrWindow, metric: ChartLine['metric']): number | null {
  if (metric === 'breakerLevel') return w.breaker === 'open' ? 2 : w.breaker === 'half-open' ? 1 : w.breaker === 'closed' ? 0 : null;
  const v = w[metric] as number;
  if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  return metric === 'p50' || metric === 'p90' || metric === 'p99' || metric === 'meanRt' || metric === 'meanRtAll' ? v / 1e6 : v;
}

/** One drawn line of a chart: its label, colour, style and a value per window (null: none). */
export interface PlotLine {
  readonly label: string;
  readonly color: string;
  readonly dash?: number[];
  readonly width?: number;
  readonly values: (number | null)[];
}

/** What a chart draws: its lines, and the values shown above it at the playhead (one per colour). */
export interface Plot {
  readonly lines: PlotLine[];
  readonly readout: { readonly key: string; readonly color: string; readonly values: (number | null)[] }[];
}

/** A Clients chart: each metric of `spec` for each system, in the system's colour. */
export function clientPlot(spec: ChartSpec, groups: readonly RrGroup[]): Plot {
  const lines: PlotLine[] = [];
  for (const g of groups)
    for (const line of spec.lines)
      lines.push({
        label: `${g.label} ${line.label}`,
        color: g.color,
        dash: line.dash,
        width: line.width,
        values: g.windows.map((w) => metricValue(w, line.metric)),
      });
  const readout = groups.map((g) => ({ key: g.label, color: g.color, values: g.windows.map((w) => metricValue(w, spec.lines[0].metric)) }));
  return { lines, readout };
}

/** Short number for a readout. */
export function formatValue(v: number | null, unit: string): string {
  if (v === null) return '—';
  const a = Math.abs(v);
  const s = a >= 1000 ? Math.round(v).toLocaleString('en-US') : a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
  return unit === 'ms' ? `${s} ms` : unit === '×' ? `${s}×` : `${s}${unit}`;
}
