/**
 * The overload (load-test) panel: small-multiple uPlot charts of the request/response metrics
 * (`rrSeries`) per time window, one colour per system under load, with a playhead line and the value
 * at the playhead above each chart. Charts are built once per trace; playing moves the playhead
 * lines and readouts imperatively (no React render per frame). Clicking a chart seeks there.
 * With a comparison run (see `CompareBar`), this run and the variant stand in two columns, each
 * chart on the same y scale in both, labelled with what differs; the playhead moves in both.
 * A "Clients | Servers" switch shows, instead of the systems' charts, one line per server: its
 * answers per second, own response time, queue and busy workers (see `server-charts.ts`).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { compareStore, playbackStore, useStore } from '../../store';
import type { PanelProps } from '../panels';
import { CompareBar } from './CompareBar';
import { compareLabels, sharedYMax } from './compare-model';
import { CHARTS, clientPlot, describeTotals, formatValue, rrGroups, seriesEnd, windowFor, type ChartSpec, type Plot, type RrGroup } from './overload-model';
import { hasServers, SERVER_CHARTS, serverPlot, serverSharedYMax, type ServerChartSpec } from './server-charts';

/** Which charts the panel shows: the systems' (clients' view) or one line per server. */
type LoadView = 'clients' | 'servers';

export function OverloadPanel({ index, scene }: PanelProps) {
  const end = Math.max(scene.duration, index.endTime);
  const windowNs = windowFor(end);
  const { groups } = useMemo(() => rrGroups(scene, index.trace, seriesEnd(scene, index.endTime), windowNs), [scene, index, windowNs]);
  const cmpStatus = useStore(compareStore, (s) => s.status);
  const cmpScene = useStore(compareStore, (s) => s.scene);
  const cmpIndex = useStore(compareStore, (s) => s.index);
  const baseCmd = useStore(compareStore, (s) => s.baseCmd);
  const cmd = useStore(compareStore, (s) => s.cmd);
  const variant = useMemo(
    () => (cmpStatus === 'ready' && cmpScene && cmpIndex ? rrGroups(cmpScene, cmpIndex.trace, seriesEnd(cmpScene, cmpIndex.endTime), windowNs).groups : null),
    [cmpStatus, cmpScene, cmpIndex, windowNs],
  );
  const [view, setView] = useState<LoadView>('clients');
  const hasBreaker = [groups, variant ?? []].some((gs) => gs.some((g) => g.windows.some((w) => w.breaker !== '')));
  const charts = useMemo(() => CHARTS.filter((c) => !c.breakerOnly || hasBreaker), [hasBreaker]);
  const canServers = hasServers(groups);
  const showServers = view === 'servers' && canServers;
  const yMax = useMemo(() => {
    if (!variant) return null;
    const runs = [groups, variant];
    return showServers ? new Map(SERVER_CHARTS.map((c) => [c.id, serverSharedYMax(c, runs)])) : new Map(charts.map((c) => [c.id, sharedYMax(c, runs)]));
  }, [charts, groups, variant, showServers]);
  if (groups.length === 0) return <div className="empty big">No load clients (rr-client) in this scene.</div>;
  const windowText = <span className="ov-window">per {windowNs >= 1e9 ? `${windowNs / 1e9} s` : `${windowNs / 1e6} ms`} window · click a chart to seek</span>;
  const switcher = canServers && <ViewSwitch view={showServers ? 'servers' : 'clients'} onChange={setView} />;
  const grid = (gs: RrGroup[], compact?: boolean) =>
    showServers ? (
      <ServerGrid groups={gs} windowNs={windowNs} end={end} yMax={yMax ?? undefined} compact={compact} />
    ) : (
      <ChartGrid charts={charts} groups={gs} windowNs={windowNs} end={end} yMax={yMax ?? undefined} compact={compact} />
    );
  if (!variant || !yMax) {
    return (
      <div className="overload-panel" data-testid="overload-panel">
        <div className="ov-groups">
          {switcher}
          {showServers ? <Servers groups={groups} /> : <Groups groups={groups} />}
          {windowText}
        </div>
        <CompareBar scene={scene} />
        {grid(groups)}
      </div>
    );
  }
  const labels = compareLabels(baseCmd, cmd);
  return (
    <div className="overload-panel comparing" data-testid="overload-panel">
      <div className="ov-groups">
        {switcher}
        <CompareBar scene={scene} />
        {windowText}
      </div>
      <div className="ov-columns">
        {[
          { key: 'main', title: 'this run', what: labels.main, gs: groups },
          { key: 'variant', title: 'variant', what: labels.variant, gs: variant },
        ].map((c) => (
          <section key={c.key} className={`ov-column ov-column-${c.key}`} data-testid={`compare-column-${c.key}`}>
            <header className="ov-column-head">
              <span className="ov-column-title" data-testid="compare-label">
                {c.title}: <code>{c.what}</code>
              </span>
              {showServers ? <Servers groups={c.gs} compact /> : <Groups groups={c.gs} compact />}
            </header>
            {grid(c.gs, true)}
          </section>
        ))}
      </div>
    </div>
  );
}

/** The "Clients | Servers" switch. */
function ViewSwitch({ view, onChange }: { view: LoadView; onChange: (v: LoadView) => void }) {
  const items: { v: LoadView; label: string; help: string }[] = [
    { v: 'clients', label: 'Clients', help: 'What each system under load sees, from its clients: load, goodput, response time, retries' },
    { v: 'servers', label: 'Servers', help: 'One line per server: answers per second, its own response time, its queue and busy workers' },
  ];
  return (
    <span className="ov-view-switch" role="group" aria-label="Charts of">
      {items.map((i) => (
        <button
          key={i.v}
          data-testid={`overload-view-${i.v}`}
          aria-pressed={view === i.v}
          className={view === i.v ? 'on' : ''}
          onClick={() => onChange(i.v)}
          title={i.help}
        >
          {i.label}
        </button>
      ))}
    </span>
  );
}

/** The legend of the Servers charts: each server's colour, node id and answers over the run. */
function Servers({ groups, compact }: { groups: RrGroup[]; compact?: boolean }) {
  return (
    <>
      {groups.flatMap((g) =>
        g.serverLines.map((s) => (
          <span key={s.node} className="ov-group" data-testid="overload-server">
            <i style={{ background: s.color }} />
            <strong>{s.node}</strong>
            {!compact && groups.length > 1 && <em>serves {g.label}</em>}
            <span className="ov-totals" title="The whole run">
              {s.answered.toLocaleString('en-US')} answered
            </span>
          </span>
        )),
      )}
    </>
  );
}

/** Each system's colour, clients, servers, policy and run totals. */
function Groups({ groups, compact }: { groups: RrGroup[]; compact?: boolean }) {
  return (
    <>
      {groups.map((g) => (
        <span key={g.label} className="ov-group" data-testid="overload-group">
          <i style={{ background: g.color }} />
          <strong>{g.label}</strong>
          {!compact && <> → {g.servers.join(', ')}</>}
          {!compact && <em>{g.policy}</em>}
          <span className="ov-totals" data-testid="overload-totals" title="The whole run">
            {describeTotals(g.totals)}
          </span>
        </span>
      ))}
    </>
  );
}

function ChartGrid({
  charts,
  groups,
  windowNs,
  end,
  yMax,
  compact,
}: {
  charts: ChartSpec[];
  groups: RrGroup[];
  windowNs: number;
  end: number;
  yMax?: Map<string, number>;
  compact?: boolean;
}) {
  return (
    <div className="ov-grid" style={{ gridTemplateColumns: `repeat(${Math.ceil(charts.length / 2)}, minmax(0, 1fr))` }}>
      {charts.map((c) => (
        <ClientChart key={c.id} spec={c} groups={groups} windowNs={windowNs} end={end} yMax={yMax?.get(c.id)} compact={compact} />
      ))}
    </div>
  );
}

function ServerGrid({
  groups,
  windowNs,
  end,
  yMax,
  compact,
}: {
  groups: RrGroup[];
  windowNs: number;
  end: number;
  yMax?: Map<string, number>;
  compact?: boolean;
}) {
  return (
    <div className="ov-grid" data-testid="overload-servers" style={{ gridTemplateColumns: `repeat(${Math.ceil(SERVER_CHARTS.length / 2)}, minmax(0, 1fr))` }}>
      {SERVER_CHARTS.map((c) => (
        <ServerChart key={c.id} spec={c} groups={groups} windowNs={windowNs} end={end} yMax={yMax?.get(c.id)} compact={compact} />
      ))}
    </div>
  );
}

interface ChartProps<S> {
  spec: S;
  groups: RrGroup[];
  windowNs: number;
  end: number;
  yMax?: number;
  compact?: boolean;
}

function ClientChart({ spec, groups, ...rest }: ChartProps<ChartSpec>) {
  const plot = useMemo(() => clientPlot(spec, groups), [spec, groups]);
  return <Chart spec={spec} plot={plot} yTop={spec.id === 'breaker' ? 2.2 : undefined} {...rest} />;
}

function ServerChart({ spec, groups, ...rest }: ChartProps<ServerChartSpec>) {
  const plot = useMemo(() => serverPlot(spec, groups), [spec, groups]);
  return <Chart spec={spec} plot={plot} {...rest} />;
}

const AXIS = { stroke: '#8393ab', grid: { stroke: '#1c2637', width: 1 }, ticks: { stroke: '#233047', width: 1 }, font: '10px system-ui, sans-serif' };

/** One uPlot chart of `plot`, with the playhead line and the values at the playhead. */
// eslint-disable-next-line max-lines-per-function -- creates and updates one uPlot instance; setup, resize and the playhead readout share it
function Chart({
  spec,
  plot,
  windowNs,
  end,
  yMax,
  yTop,
  compact,
}: {
  spec: { id: string; title: string; unit: string; help: string };
  plot: Plot;
  windowNs: number;
  end: number;
  yMax?: number;
  yTop?: number;
  compact?: boolean;
}) {
  const box = useRef<HTMLDivElement>(null);
  const readout = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const n = plot.lines[0]?.values.length ?? 0;
    const xs: number[] = [];
    for (let k = 0; k < n; k++) xs.push(((k + 0.5) * windowNs) / 1e9);
    const data: (number | null)[][] = [xs];
    const series: uPlot.Series[] = [{}];
    for (const line of plot.lines) {
      data.push(line.values);
      series.push({ label: line.label, stroke: line.color, width: line.width ?? 1.8, dash: line.dash, spanGaps: false, points: { show: false } });
    }
    const playhead = document.createElement('div');
    playhead.className = 'ov-playhead';
    playhead.dataset.testid = 'overload-playhead';
    let u: uPlot | null = null;
    const put = (t: number) => {
      if (!u) return;
      const x = u.valToPos(t / 1e9, 'x');
      playhead.style.left = `${Math.max(0, Math.min(u.over.clientWidth, x)).toFixed(1)}px`;
      const k = Math.min(n - 1, Math.max(0, Math.floor(t / windowNs)));
      const spans = readout.current?.children;
      if (spans && n > 0) {
        plot.readout.forEach((r, i) => {
          const text = formatValue(r.values[k] ?? null, spec.unit);
          const el = spans[i];
          if (el && el.textContent !== text) el.textContent = text;
        });
      }
    };
    const opts: uPlot.Options = {
      width: Math.max(120, el.clientWidth),
      height: Math.max(60, el.clientHeight - 2),
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { show: false }, y: false },
      scales: { x: { time: false, range: [0, end / 1e9] }, y: { range: (_u, _min, max) => [0, yMax ?? yTop ?? (max > 0 ? max * 1.08 : 1)] } },
      axes: [
        { ...AXIS, size: 22, values: (_u, vals) => vals.map((v) => `${+v.toFixed(2)}s`) },
        { ...AXIS, size: 40, values: (_u, vals) => vals.map((v) => (Math.abs(v) >= 1000 ? `${+(v / 1000).toFixed(1)}k` : `${+v.toFixed(2)}`)) },
      ],
      series,
      hooks: { ready: [() => put(playbackStore.getState().time)], setSize: [() => put(playbackStore.getState().time)] },
    };
    u = new uPlot(opts, data as uPlot.AlignedData, el);
    u.over.appendChild(playhead);
    const onClick = (e: MouseEvent) => {
      if (!u) return;
      const t = u.posToVal(e.offsetX, 'x') * 1e9;
      playbackStore.getState().pause();
      playbackStore.getState().seek(Math.max(0, t));
    };
    u.over.addEventListener('click', onClick);
    put(playbackStore.getState().time);
    const unsub = playbackStore.subscribe((s, p) => {
      if (s.time !== p.time) put(s.time);
    });
    const ro = new ResizeObserver(() => {
      if (u && el.clientWidth > 0 && el.clientHeight > 0) u.setSize({ width: el.clientWidth, height: el.clientHeight - 2 });
    });
    ro.observe(el);
    return () => {
      unsub();
      ro.disconnect();
      u?.over.removeEventListener('click', onClick);
      u?.destroy();
      u = null;
    };
  }, [spec, plot, windowNs, end, yMax, yTop]);
  return (
    <div className="ov-chart" data-testid={`overload-chart-${spec.id}`} data-series={plot.lines.map((l) => l.label).join('|')} title={spec.help}>
      <div className="ov-chart-head">
        <span className="ov-title">{spec.title}</span>
        <span className="ov-readout" ref={readout} title="At the playhead">
          {plot.readout.map((r) => (
            <span key={r.key} style={{ color: r.color }} title={r.key} />
          ))}
        </span>
      </div>
      {!compact && <div className="ov-help">{spec.help}</div>}
      <div className="ov-plot" ref={box} />
    </div>
  );
}
