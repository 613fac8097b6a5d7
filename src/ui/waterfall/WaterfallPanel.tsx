/**
 * The waterfall panel: every page load (`page-load`) as a browser's network panel draws it, one bar
 * per resource split into its phases (blocked, DNS, connect, TLS, wait, receive), loads stacked
 * on one time scale measured from each load's start, so HTTP versions compare side by side. The
 * playhead line of each load follows the playback store imperatively (no React render per frame);
 * clicking a bar seeks to when that resource was queued.
 */
import { useEffect, useMemo, useRef } from 'react';
import { playbackStore } from '../../store';
import type { PanelProps } from '../panels';
import { fmtMs, pageLoadGroups, PHASES, rowPhases, shortUrl, tickStep, type PageLoadGroup } from './waterfall-model';
import './waterfall.css';

const LABEL_W = 230;

const at = (frac: number) => `calc(${LABEL_W}px + (100% - ${LABEL_W + 8}px) * ${frac.toFixed(5)})`;

// eslint-disable-next-line max-lines-per-function -- one grid: axis, request rows, bars and playhead share the same time-to-x scale
export function WaterfallPanel({ index }: PanelProps) {
  const groups = useMemo(() => pageLoadGroups(index.trace), [index]);
  const span = useMemo(() => Math.max(1, ...groups.map((g) => g.end - g.start)) * 1.04, [groups]);
  const heads = useRef<(HTMLDivElement | null)[]>([]);

  useEffect(() => {
    const put = (t: number) => {
      groups.forEach((g, i) => {
        const el = heads.current[i];
        if (!el) return;
        const rel = t - g.start;
        const on = rel >= 0 && rel <= span;
        el.style.display = on ? 'block' : 'none';
        if (on) {
          el.style.left = at(rel / span);
          el.dataset.t = String(Math.round(rel));
        }
      });
    };
    put(playbackStore.getState().time);
    return playbackStore.subscribe((s, p) => {
      if (s.time !== p.time) put(s.time);
    });
  }, [groups, span]);

  if (!groups.length) return <div className="empty big">No page loads (page-load) in this scene.</div>;
  const step = tickStep(span, 8);
  const ticks: number[] = [];
  for (let v = 0; v <= span; v += step) ticks.push(v);
  const seek = (t: number) => {
    playbackStore.getState().pause();
    playbackStore.getState().seek(t);
  };
  const multiNode = new Set(groups.map((g) => g.node)).size > 1;

  return (
    <div className="wf-panel" data-testid="waterfall-panel">
      <div className="wf-legend" data-testid="waterfall-legend">
        {PHASES.map((p) => (
          <span key={p.id} title={p.hint}>
            <i style={{ background: p.color }} />
            {p.label}
          </span>
        ))}
        <span className="wf-note">time from each load's start · click a bar to seek</span>
      </div>
      <div className="wf-scroll">
        <div className="wf-axis">
          {ticks.map((v) => (
            <span key={v} style={{ left: at(v / span) }}>
              {fmtMs(v)}
            </span>
          ))}
        </div>
        {groups.map((g, gi) => (
          <section key={`${g.node}/${g.load}`} className="wf-group" data-testid="waterfall-group" data-protocol={g.protocol}>
            <header className="wf-group-head">
              <strong>{g.protocol || `load ${g.load}`}</strong>
              {multiNode ? ` on ${g.node}` : ''} · {g.rows.length} requests · {connections(g)} connection{connections(g) === 1 ? '' : 's'} ·{' '}
              {g.finished ? `finished in ${fmtMs(g.end - g.start)}` : 'unfinished'}
              <span className="wf-bar-total" style={{ left: at(0), width: `calc((100% - ${LABEL_W + 8}px) * ${((g.end - g.start) / span).toFixed(5)})` }} />
            </header>
            {ticks.map((v) => (
              <span key={v} className="wf-grid" style={{ left: at(v / span) }} />
            ))}
            {g.rows.map((r) => (
              <div
                key={r.index}
                className={r.error ? 'wf-row error' : 'wf-row'}
                data-testid="waterfall-bar"
                title={tooltip(g, r)}
                onClick={() => seek(r.queued)}
              >
                <span className="wf-label">
                  <b className={r.status !== undefined && r.status < 400 ? 'ok' : 'bad'}>{r.status ?? (r.error ? 'ERR' : '…')}</b>
                  {shortUrl(r.url)}
                </span>
                {rowPhases(r).map((p) => (
                  <span
                    key={p.phase}
                    className="wf-seg"
                    data-phase={p.phase}
                    style={{
                      left: at((p.start - g.start) / span),
                      width: `max(1px, calc((100% - ${LABEL_W + 8}px) * ${((p.end - p.start) / span).toFixed(5)}))`,
                      background: PHASES.find((x) => x.id === p.phase)!.color,
                    }}
                  />
                ))}
              </div>
            ))}
            <div
              className="wf-playhead"
              data-testid="waterfall-playhead"
              ref={(el) => {
                heads.current[gi] = el;
              }}
            />
          </section>
        ))}
      </div>
    </div>
  );
}

function connections(g: PageLoadGroup): number {
  return new Set(g.rows.map((r) => r.connection?.split(' ')[0]).filter(Boolean)).size;
}

function tooltip(g: PageLoadGroup, r: PageLoadGroup['rows'][number]): string {
  const lines = [
    r.url,
    `${r.status ?? r.error ?? 'unfinished'}${r.bytes !== undefined ? ` · ${r.bytes} B` : ''}${r.connection ? ` · connection ${r.connection}` : ''}`,
  ];
  for (const p of rowPhases(r)) lines.push(`${PHASES.find((x) => x.id === p.phase)!.label}: ${fmtMs(p.end - p.start)} (from ${fmtMs(p.start - g.start)})`);
  return lines.join('\n');
}
