/**
 * The Load panel's Servers charts: one line per server (each in its own colour, labelled by node
 * id) for what a server does on its own: answers per second, its own response time (arrival to
 * answer, at the server), its queue and its busy workers. Where a balancer spreads the load over
 * several servers (failover), these show which one carries it and how its latency changes.
 */
import type { ServerWindow } from '../../timeline/metrics';
import type { Plot, PlotLine, RrGroup } from './overload-model';

/** A metric of a server window that a chart can draw. */
type ServerMetric = 'answers' | 'p50' | 'p99' | 'queue' | 'busy';

/** A chart of the Servers view. */
export interface ServerChartSpec {
  readonly id: string;
  readonly title: string;
  readonly unit: string;
  readonly help: string;
  readonly lines: { readonly metric: ServerMetric; readonly label: string; readonly dash?: number[]; readonly width?: number }[];
}

export const SERVER_CHARTS: ServerChartSpec[] = [
  {
    id: 'server-answers',
    title: 'Answers per second',
    unit: '/s',
    help: 'Requests each server answered per second (a crashed server answers none)',
    lines: [{ metric: 'answers', label: 'answers/s' }],
  },
  {
    id: 'server-rt',
    title: 'Response time at the server (ms)',
    unit: 'ms',
    help: 'Arrival to answer at the server, queueing included, without the network: p50 thin, p99 thick',
    lines: [
      { metric: 'p50', label: 'p50', width: 1.2 },
      { metric: 'p99', label: 'p99', width: 2.4 },
    ],
  },
  {
    id: 'server-queue',
    title: 'Requests queued',
    unit: '',
    help: 'Requests waiting for a worker at each server (mean over each window)',
    lines: [{ metric: 'queue', label: 'queued' }],
  },
  {
    id: 'server-busy',
    title: 'Busy workers',
    unit: '',
    help: 'Workers serving a request at each server (mean over each window)',
    lines: [{ metric: 'busy', label: 'busy workers' }],
  },
];

/** A server window's metric as a chart value (ns -> ms; NaN -> null). */
function serverMetricValue(w: ServerWindow, metric: ServerMetric): number | null {
  const v = w[metric];
  if (!Number.isFinite(v)) return null;
  return metric === 'p50' || metric === 'p99' ? v / 1e6 : v;
}

/** A Servers chart: each metric of `spec` for each server of each system, labelled `region-a p99`. */
export function serverPlot(spec: ServerChartSpec, groups: readonly RrGroup[]): Plot {
  const lines: PlotLine[] = [];
  const servers = groups.flatMap((g) => g.serverLines);
  for (const s of servers)
    for (const line of spec.lines)
      lines.push({
        label: spec.lines.length > 1 ? `${s.node} ${line.label}` : s.node,
        color: s.color,
        dash: line.dash,
        width: line.width,
        values: s.windows.map((w) => serverMetricValue(w, line.metric)),
      });
  const readout = servers.map((s) => ({ key: s.node, color: s.color, values: s.windows.map((w) => serverMetricValue(w, spec.lines[0].metric)) }));
  return { lines, readout };
}

/** The top of a Servers chart's y axis shared by every run given: the largest value plus 8% (1 when none). */
export function serverSharedYMax(spec: ServerChartSpec, runs: readonly (readonly RrGroup[])[]): number {
  let max = 0;
  for (const groups of runs) for (const line of serverPlot(spec, groups).lines) for (const v of line.values) if (v !== null && v > max) max = v;
  return max > 0 ? max * 1.08 : 1;
}

/** Whether any system of the run has a server to chart. */
export function hasServers(groups: readonly RrGroup[]): boolean {
  return groups.some((g) => g.serverLines.length > 0);
}
