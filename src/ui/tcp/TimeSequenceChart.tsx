/**
 * A time-sequence graph (Stevens / tcptrace style) of one sender, with its congestion window below:
 * every data segment is a vertical bar from its first to its last sequence number at the time it was
 * sent; retransmissions are orange with a ◆, segments lost on the way carry a red ✕; the green step
 * line is the cumulative ACK and the yellow one the right edge of the receive window (ack + rwnd).
 * SVG redraws only on resize, connection or selection changes; the playhead moves imperatively.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { playbackStore, selectionStore, useStore } from '../../store';
import type { TimelineIndex } from '../../timeline';
import type { Step, TcpSeries, TimeSequenceGraph } from '../../timeline/tcp/tcp-connections';
import { ticks } from './tcp-model';

const M = { l: 62, r: 14, t: 10, b: 22, gap: 16 };
const TSG_COLORS = {
  seg: '#63b3ff',
  retx: '#ff9f43',
  lost: '#ff5a5a',
  ack: '#48d597',
  win: '#f5c542',
  cwnd: '#c084fc',
  ssthresh: '#94a3b8',
  flight: '#63b3ff',
};

function shortBytes(v: number): string {
  if (v >= 1e6) return `${+(v / 1e6).toFixed(2)}M`;
  if (v >= 1e3) return `${+(v / 1e3).toFixed(1)}k`;
  return String(Math.round(v));
}
function shortMs(ns: number): string {
  const ms = ns / 1e6;
  return `${+ms.toFixed(ms < 10 ? 2 : ms < 100 ? 1 : 0)} ms`;
}

/** SVG path of a step function from `x0` to `x1` (value holds until the next step). */
function stepPath(steps: readonly Step<number>[], X: (t: number) => number, Y: (v: number) => number, tEnd: number, yMax: number): string {
  let d = '';
  for (let i = 0; i < steps.length; i++) {
    const v = steps[i].value;
    if (!Number.isFinite(v)) continue;
    const x = X(steps[i].time);
    const xn = X(i + 1 < steps.length ? steps[i + 1].time : tEnd);
    const y = Y(Math.min(v, yMax));
    d += `${d ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}H${xn.toFixed(1)}`;
  }
  return d;
}

// eslint-disable-next-line max-lines-per-function -- one uPlot time-sequence graph: its series, hooks, resize and playhead share the plot instance
export function TimeSequenceChart({ index, tsg, series, title }: { index: TimelineIndex; tsg: TimeSequenceGraph; series: TcpSeries; title: string }) {
  const box = useRef<HTMLDivElement>(null);
  const plotBox = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ w: 700, h: 260 });
  useEffect(() => {
    const el = plotBox.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSize({ w: Math.max(200, el.clientWidth), h: Math.max(140, el.clientHeight) }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const selPacket = useStore(selectionStore, (s) => s.packet);
  const selRow = useStore(selectionStore, (s) => s.row);

  const g = useMemo(() => {
    const segs = tsg.segments;
    let t0 = Infinity;
    let t1 = -Infinity;
    let seqMax = 1;
    for (const s of segs) {
      t0 = Math.min(t0, s.time);
      t1 = Math.max(t1, s.time);
      seqMax = Math.max(seqMax, s.seq + s.length);
    }
    for (const a of tsg.acks) {
      t0 = Math.min(t0, a.time);
      t1 = Math.max(t1, a.time);
    }
    if (!Number.isFinite(t0)) {
      t0 = 0;
      t1 = 1e6;
    }
    const pad = Math.max(1e5, (t1 - t0) * 0.03);
    t0 = Math.max(0, t0 - pad);
    t1 += pad;
    let winMax = 0;
    for (const w of tsg.window) winMax = Math.max(winMax, w.value);
    const yMax = (winMax > 0 && winMax <= seqMax * 1.4 ? winMax : seqMax) * 1.12;
    let cMax = 1;
    for (const k of ['cwnd', 'flight'] as const) for (const s of series[k]) if (Number.isFinite(s.value)) cMax = Math.max(cMax, s.value);
    for (const s of series.ssthresh) if (Number.isFinite(s.value)) cMax = Math.max(cMax, Math.min(s.value, cMax * 1.5));
    return {
      t0,
      t1,
      yMax,
      cMax: cMax * 1.1,
      winOff: winMax > yMax,
      retx: segs.filter((s) => s.retransmission).length,
      lost: segs.filter((s) => s.lost).length,
    };
  }, [tsg, series]);

  const plotW = size.w - M.l - M.r;
  const inner = size.h - M.t - M.b - M.gap;
  const seqH = Math.round(inner * 0.66);
  const cwTop = M.t + seqH + M.gap;
  const cwH = inner - seqH;
  const X = (t: number) => M.l + ((t - g.t0) / (g.t1 - g.t0)) * plotW;
  const Y = (v: number) => M.t + seqH - (v / g.yMax) * seqH;
  const C = (v: number) => cwTop + cwH - (v / g.cMax) * cwH;

  const playLine = useRef<SVGLineElement>(null);
  const future = useRef<SVGRectElement>(null);
  useEffect(() => {
    const put = (t: number) => {
      const x = Math.max(M.l, Math.min(M.l + plotW, M.l + ((t - g.t0) / (g.t1 - g.t0)) * plotW));
      playLine.current?.setAttribute('x1', x.toFixed(1));
      playLine.current?.setAttribute('x2', x.toFixed(1));
      future.current?.setAttribute('x', x.toFixed(1));
      future.current?.setAttribute('width', Math.max(0, M.l + plotW - x).toFixed(1));
      playLine.current?.parentElement?.setAttribute('data-playhead-x', x.toFixed(1));
    };
    put(playbackStore.getState().time);
    return playbackStore.subscribe((s, p) => {
      if (s.time !== p.time) put(s.time);
    });
  }, [g, plotW]);

  const tr = index.trace;
  const select = (row: number, time: number) => {
    playbackStore.getState().pause();
    playbackStore.getState().seek(time);
    selectionStore.getState().selectRow(row, tr.packet[row]);
  };
  const seekAt = (clientX: number) => {
    const r = plotBox.current!.getBoundingClientRect();
    const t = g.t0 + ((clientX - r.left - M.l) / plotW) * (g.t1 - g.t0);
    playbackStore.getState().seek(Math.max(0, t));
  };

  const xt = ticks(g.t0, g.t1, Math.max(2, Math.floor(plotW / 90)));
  const yt = ticks(0, g.yMax, Math.max(2, Math.floor(seqH / 34)));
  const ct = ticks(0, g.cMax, Math.max(1, Math.floor(cwH / 30)));
  const cap = Math.max(2, Math.min(5, plotW / Math.max(1, tsg.segments.length) / 2));

  return (
    <div className="tsg" ref={box} data-testid="tsg" data-segments={tsg.segments.length} data-retransmissions={g.retx} data-lost={g.lost}>
      <div className="tsg-legend">
        <strong>{title}</strong>
        <span>
          <i style={{ background: TSG_COLORS.seg }} />
          segment sent
        </span>
        <span>
          <i style={{ background: TSG_COLORS.retx }} />◆ retransmission
        </span>
        <span>
          <b style={{ color: TSG_COLORS.lost }}>✕</b> lost on the way
        </span>
        <span>
          <i style={{ background: TSG_COLORS.ack }} />
          ACK received
        </span>
        <span>
          <i style={{ background: TSG_COLORS.win }} />
          receive window edge{g.winOff ? ' (above the graph)' : ''}
        </span>
      </div>
      <div className="tsg-plot" ref={plotBox}>
        <svg width={size.w} height={size.h} onClick={(e) => seekAt(e.clientX)}>
          <defs>
            <clipPath id="tsg-clip">
              <rect x={M.l} y={M.t} width={plotW} height={inner + M.gap} />
            </clipPath>
          </defs>
          {yt.map((v) => (
            <g key={`y${v}`}>
              <line x1={M.l} x2={M.l + plotW} y1={Y(v)} y2={Y(v)} className="grid" />
              <text x={M.l - 6} y={Y(v) + 4} textAnchor="end" className="tick">
                {shortBytes(v)}
              </text>
            </g>
          ))}
          {ct.map((v) => (
            <g key={`c${v}`}>
              <line x1={M.l} x2={M.l + plotW} y1={C(v)} y2={C(v)} className="grid" />
              <text x={M.l - 6} y={C(v) + 4} textAnchor="end" className="tick">
                {shortBytes(v)}
              </text>
            </g>
          ))}
          {xt.map((t) => (
            <g key={`x${t}`}>
              <line x1={X(t)} x2={X(t)} y1={M.t} y2={cwTop + cwH} className="grid" />
              <text x={X(t)} y={size.h - 6} textAnchor="middle" className="tick">
                {shortMs(t)}
              </text>
            </g>
          ))}
          <text className="axis" transform={`translate(13 ${M.t + seqH / 2}) rotate(-90)`} textAnchor="middle">
            sequence (bytes)
          </text>
          <text className="axis" transform={`translate(13 ${cwTop + cwH / 2}) rotate(-90)`} textAnchor="middle">
            cwnd
          </text>
          <rect x={M.l} y={M.t} width={plotW} height={seqH} className="frame" />
          <rect x={M.l} y={cwTop} width={plotW} height={cwH} className="frame" />
          <g clipPath="url(#tsg-clip)">
            <path d={stepPath(tsg.window, X, Y, g.t1, g.yMax * 1.2)} stroke={TSG_COLORS.win} fill="none" strokeWidth={1.4} data-series="window" />
            <path d={stepPath(tsg.acks, X, Y, g.t1, g.yMax)} stroke={TSG_COLORS.ack} fill="none" strokeWidth={1.6} data-series="ack" />
            {tsg.segments.map((s) => {
              const x = X(s.time);
              const y1 = Y(s.seq);
              const y2 = Y(s.seq + s.length);
              const on = s.row === selRow || (selPacket >= 0 && tr.packet[s.row] === selPacket);
              const color = on ? '#ffffff' : s.retransmission ? TSG_COLORS.retx : TSG_COLORS.seg;
              const cls = `tsg-seg${s.retransmission ? ' retx' : ''}${s.lost ? ' lost' : ''}${on ? ' on' : ''}`;
              return (
                <g
                  key={s.row}
                  className={cls}
                  data-row={s.row}
                  onClick={(e) => {
                    e.stopPropagation();
                    select(s.row, s.time);
                  }}
                >
                  <title>{`seq ${s.seq}–${s.seq + s.length} (${s.length} bytes) sent at ${shortMs(s.time)}${s.retransmission ? ' · retransmission' : ''}${s.lost ? ' · lost on the way' : ''} — click to select`}</title>
                  <rect x={x - 5} y={Math.min(y2, y1) - 4} width={10} height={Math.abs(y1 - y2) + 8} fill="transparent" />
                  <line x1={x} x2={x} y1={y1} y2={y2} stroke={color} strokeWidth={on ? 3 : 2} />
                  <line x1={x - cap} x2={x + cap} y1={y2} y2={y2} stroke={color} strokeWidth={1.5} />
                  <line x1={x - cap} x2={x + cap} y1={y1} y2={y1} stroke={color} strokeWidth={1.5} />
                  {s.retransmission && (
                    <path className="tsg-retx-marker" d={`M${x},${y2 - 13}l5,5l-5,5l-5,-5z`} fill={TSG_COLORS.retx} stroke="#0b0f17" strokeWidth={0.8} />
                  )}
                  {s.lost && (
                    <text className="tsg-lost-marker" x={x + 7} y={y2 + 4} fill={TSG_COLORS.lost} fontSize={13} fontWeight={700}>
                      ✕
                    </text>
                  )}
                </g>
              );
            })}
            <path
              d={stepPath(series.ssthresh, X, C, g.t1, g.cMax)}
              stroke={TSG_COLORS.ssthresh}
              fill="none"
              strokeWidth={1.2}
              strokeDasharray="5 4"
              data-series="ssthresh"
            />
            <path d={stepPath(series.flight, X, C, g.t1, g.cMax)} stroke={TSG_COLORS.flight} fill="none" strokeWidth={1} opacity={0.7} data-series="flight" />
            <path d={stepPath(series.cwnd, X, C, g.t1, g.cMax)} stroke={TSG_COLORS.cwnd} fill="none" strokeWidth={2} data-series="cwnd" />
            <rect ref={future} y={M.t} height={inner + M.gap} className="tsg-future" />
            <line ref={playLine} y1={M.t - 4} y2={cwTop + cwH + 2} className="tsg-playhead" data-testid="tsg-playhead" />
          </g>
          <g className="tsg-cw-legend" transform={`translate(${M.l + plotW - 262} ${cwTop - 3})`}>
            <line x1={0} x2={16} y1={-4} y2={-4} stroke={TSG_COLORS.cwnd} strokeWidth={2} />
            <text x={20} y={0}>
              cwnd
            </text>
            <line x1={62} x2={78} y1={-4} y2={-4} stroke={TSG_COLORS.ssthresh} strokeDasharray="5 4" strokeWidth={1.2} />
            <text x={82} y={0}>
              ssthresh
            </text>
            <line x1={140} x2={156} y1={-4} y2={-4} stroke={TSG_COLORS.flight} strokeWidth={1} />
            <text x={160} y={0}>
              bytes in flight
            </text>
          </g>
        </svg>
      </div>
    </div>
  );
}
