/**
 * The overload (load-test) panel: small-multiple uPlot charts of the request/response metrics
 * (`rrSeries`) per time window, one colour per system under load, with a playhead line and the value
 * at the playhead above each chart. Charts are built once per trace; playing moves the playhead
 * lines and readouts imperatively (no React render per frame). Clicking a chart seeks there.
 */
import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { playbackStore } from '../../store';
import type { PanelProps } from '../panels';
import { CHARTS, describeTotals, seriesEnd, formatValue, metricValue, rrGroups, windowFor, type ChartSpec, type RrGroup } from './overload-model';

export function OverloadPanel({ index, scene }: PanelProps) {
  const end = Math.max(scene.duration, index.endTime);
  const windowNs = windowFor(end);
  const { groups } = useMemo(() => rrGroups(scene, index.trace, seriesEnd(scene, index.endTime), windowNs), [scene, index, windowNs]);
  const hasBreaker = groups.some((g) => g.windows.some((w) => w.breaker !== ''));
  const charts = CHARTS.filter((c) => !c.breakerOnly || hasBreaker);
  if (groups.length === 0) return <div className="empty big">No load clients (rr-client) in this scene.</div>;
  return (
    <div className="overload-panel" data-testid="overload-panel">
      <div className="ov-groups">
        {groups.map((g) => (
          <span key={g.label} className="ov-group" data-testid="overload-group">
            <i style={{ background: g.color }} />
            <strong>{g.label}</strong> → {g.servers.join(', ')}
            <em>{g.policy}</em>
            <span className="ov-totals" data-testid="overload-totals" title="The whole run">
              {describeTotals(g.totals)}
            </span>
          </span>
        ))}
        <span className="ov-window">per {windowNs >= 1e9 ? `${windowNs / 1e9} s` : `${windowNs / 1e6} ms`} window · click a chart to seek</span>
      </div>
      <div className="ov-grid" style={{ gridTemplateColumns: `repeat(${Math.ceil(charts.length / 2)}, minmax(0, 1fr))` }}>
        {charts.map((c) => (
          <Chart key={c.id} spec={c} groups={groups} windowNs={windowNs} end={end} />
        ))}
      </div>
    </div>
  );
}

const AXIS = { stroke: '#8393ab', grid: { stroke: '#1c2637', width: 1 }, ticks: { stroke: '#233047', width: 1 }, font: '10px system-ui, sans-serif' };

function Chart({ spec, groups, windowNs, end }: { spec: ChartSpec; groups: RrGroup[]; windowNs: number; end: number }) {
  const box = useRef<HTMLDivElement>(null);
  const readout = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const n = groups[0]?.windows.length ?? 0;
    const xs: number[] = [];
    for (let k = 0; k < n; k++) xs.push(((k + 0.5) * windowNs) / 1e9);
    const data: (number | null)[][] = [xs];
    const series: uPlot.Series[] = [{}];
    for (const g of groups) {
      for (const line of spec.lines) {
        data.push(g.windows.map((w) => metricValue(w, line.metric)));
        series.push({ label: `${g.label} ${line.label}`, stroke: g.color, width: line.width ?? 1.8, dash: line.dash, spanGaps: false, points: { show: false } });
      }
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
        groups.forEach((g, i) => {
          const text = formatValue(metricValue(g.windows[k], spec.lines[0].metric), spec.unit);
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
      scales: { x: { time: false, range: [0, end / 1e9] }, y: { range: (_u, _min, max) => [0, spec.id === 'breaker' ? 2.2 : max > 0 ? max * 1.08 : 1] } },
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
  }, [spec, groups, windowNs, end]);
  return (
    <div className="ov-chart" data-testid={`overload-chart-${spec.id}`} title={spec.help}>
      <div className="ov-chart-head">
        <span className="ov-title">{spec.title}</span>
        <span className="ov-readout" ref={readout} title="At the playhead">
          {groups.map((g) => (
            <span key={g.label} style={{ color: g.color }} />
          ))}
        </span>
      </div>
      <div className="ov-help">{spec.help}</div>
      <div className="ov-plot" ref={box} />
    </div>
  );
}
