/**
 * Ladder (sequence) diagram: one lane per device, time flowing down, one band per frame from its
 * sender (start .. end of transmission) to its receiver (arrival). At true time scale the window
 * shows what plays in about three seconds at the current speed; in compressed mode every event time
 * gets the same vertical step (time between events is squeezed out, order is kept). The playhead sits
 * a third of the way down.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Scene } from '../scenario/scene';
import { RecordKind } from '../sim/trace';
import { playbackStore } from '../store/playback';
import { selectionStore } from '../store/selection';
import { viewStore } from '../store/view';
import { useStore } from 'zustand';
import { frameProtocol, lowerBound, upperBound, type TimelineIndex } from '../timeline';
import { DROP_COLOR, protoColor } from '../view3d/colors';
import { layoutScene } from '../view3d/layout';
import { formatTime } from './format';
import { dissectStored } from './describe';
import { onPacketContextMenu } from './faults/packet-menu';

const MAX_SHAPES = 1500;
/** Pixels per event in compressed mode. */
const EVENT_STEP = 16;

/** Event rank of time t: i + fraction between eventTimes[i] and eventTimes[i + 1] (monotonic in t). */
function rankOf(times: Float64Array, t: number): number {
  const i = upperBound(times, t) - 1;
  if (i < 0) return times.length ? t / Math.max(1, times[0]) - 1 : 0;
  if (i >= times.length - 1) return times.length - 1 + (t - times[times.length - 1]) / 1e6;
  return i + (t - times[i]) / Math.max(1e-9, times[i + 1] - times[i]);
}

/** The time at event rank r (inverse of rankOf, clamped to the trace). */
function timeAtRank(times: Float64Array, r: number): number {
  if (times.length === 0) return 0;
  if (r <= 0) return r < -1 ? 0 : times[0] * (r + 1);
  if (r >= times.length - 1) return times[times.length - 1] + (r - (times.length - 1)) * 1e6;
  const i = Math.floor(r);
  return times[i] + (r - i) * (times[i + 1] - times[i]);
}

// eslint-disable-next-line max-lines-per-function -- one SVG: lanes, arrows, playhead and selection share the same time-to-y scale
export function Ladder({ index, scene }: { index: TimelineIndex; scene: Scene }) {
  const time = useStore(playbackStore, (s) => s.time);
  const speed = useStore(playbackStore, (s) => s.speed);
  const selPacket = useStore(selectionStore, (s) => s.packet);
  const selRow = useStore(selectionStore, (s) => s.row);
  const box = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ w: 400, h: 200 });
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSize({ w: el.clientWidth, h: el.clientHeight }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const lanes = useMemo(() => {
    const layout = layoutScene(scene);
    const tr = index.trace;
    const ids = tr.nodes.map((n) => n.id);
    ids.sort((a, b) => {
      const pa = layout.pos.get(tr.nodes[a].name) ?? [0, 0, 0];
      const pb = layout.pos.get(tr.nodes[b].name) ?? [0, 0, 0];
      return pa[0] - pb[0] || pa[2] - pb[2] || a - b;
    });
    const laneOf = new Int32Array(tr.nodes.length);
    ids.forEach((id, i) => (laneOf[id] = i));
    return { ids, laneOf };
  }, [index, scene]);

  const compressed = useStore(viewStore, (s) => s.ladderCompressed);
  const top = 22;
  const h = Math.max(40, size.h - top - 4);
  const ev = index.eventTimes;
  let W: number;
  let t0: number;
  let t1: number;
  let y: (t: number) => number;
  if (compressed) {
    const rows = h / EVENT_STEP;
    const rNow = rankOf(ev, time);
    const r0 = rNow - rows / 3;
    t0 = timeAtRank(ev, r0);
    t1 = timeAtRank(ev, r0 + rows);
    W = t1 - t0;
    y = (t: number) => top + (rankOf(ev, t) - r0) * EVENT_STEP;
  } else {
    W = speed * 3;
    t0 = time - W / 3;
    t1 = t0 + W;
    y = (t: number) => top + ((t - t0) / W) * h;
  }
  const laneW = size.w / Math.max(1, lanes.ids.length);
  const x = (node: number) => (lanes.laneOf[node] + 0.5) * laneW;
  const tr = index.trace;

  const shapes = [];
  let labels = 0;
  const hi = upperBound(index.motionStart, t1);
  const lo = lowerBound(index.motionStart, t0 - index.maxMotion, hi);
  for (let i = lo; i < hi && shapes.length < MAX_SHAPES; i++) {
    if (index.motionStop[i] < t0) continue;
    const r = index.motion[i];
    const dir = tr.dir[r];
    if (dir > 1) continue;
    const link = tr.links[tr.place[r]];
    if (!link) continue;
    const from = dir === 0 ? link.a : link.b;
    const to = dir === 0 ? link.b : link.a;
    const sel = r === selRow || (selPacket >= 0 && tr.packet[r] === selPacket);
    if (tr.kind[r] === RecordKind.FrameTx) {
      const color = protoColor(frameProtocol(index, tr.frame[r]));
      const ser = tr.end[r] - tr.time[r];
      const pts = `${x(from)},${y(tr.time[r])} ${x(from)},${y(tr.end[r])} ${x(to)},${y(tr.arrival[r])} ${x(to)},${y(tr.arrival[r] - ser)}`;
      shapes.push(
        <g
          key={r}
          className={sel ? 'lad sel' : 'lad'}
          onClick={() => selectionStore.getState().selectRow(r, tr.packet[r])}
          onContextMenu={(e) => onPacketContextMenu(index, r, e)}
        >
          <polygon points={pts} fill={color} fillOpacity={sel ? 0.55 : 0.22} stroke="none" />
          <line x1={x(from)} y1={y(tr.time[r])} x2={x(to)} y2={y(tr.arrival[r] - ser)} stroke={sel ? '#fff' : color} strokeWidth={sel ? 2 : 1.2} />
          {labels < MAX_LABELS &&
            messageLabel(index, tr.frame[r]) &&
            (labels++,
            (
              <text
                className="lad-label"
                x={(x(from) + x(to)) / 2}
                y={(y(tr.time[r]) + y(tr.arrival[r] - ser)) / 2 - 3}
                fill={sel ? '#fff' : '#dbe4f3'}
                fontSize={10.5}
                textAnchor="middle"
              >
                {messageLabel(index, tr.frame[r])}
              </text>
            ))}
        </g>,
      );
    } else {
      const started = Math.min(tr.end[r], tr.time[r]);
      const prop = index.linkProp[tr.place[r]] || 1;
      const frac = Math.min(1, (tr.time[r] - started) / prop);
      const xe = x(from) + (x(to) - x(from)) * frac;
      const ye = y(tr.time[r]);
      shapes.push(
        <g key={r} className="lad" onClick={() => selectionStore.getState().selectRow(r, tr.packet[r])}>
          <line x1={x(from)} y1={y(started)} x2={xe} y2={ye} stroke={DROP_COLOR} strokeWidth={1.5} strokeDasharray="3 2" />
          <text x={xe} y={ye + 4} fill={DROP_COLOR} fontSize={12} textAnchor="middle">
            ✕
          </text>
        </g>,
      );
    }
  }

  return (
    <div className="ladder" ref={box} data-testid="ladder" data-mode={compressed ? 'compressed' : 'time'}>
      <svg width={size.w} height={size.h}>
        {lanes.ids.map((id) => (
          <g key={id}>
            <line x1={x(id)} x2={x(id)} y1={top} y2={size.h} stroke="#2a3650" strokeWidth={1} />
            <text x={x(id)} y={15} fill="#c8d4e8" fontSize={12} fontWeight={600} textAnchor="middle">
              {tr.nodes[id].name}
            </text>
          </g>
        ))}
        {shapes}
        <line x1={0} x2={size.w} y1={y(time)} y2={y(time)} stroke="#fff" strokeWidth={1} strokeDasharray="4 3" opacity={0.7} />
        <text x={4} y={y(time) - 4} fill="#fff" fontSize={11} opacity={0.9}>
          {formatTime(time)}
        </text>
        <text x={size.w - 6} y={size.h - 6} fill="#8393ab" fontSize={11} textAnchor="end">
          {compressed ? `compressed: one step per event · ${formatTime(W)} shown` : `true time scale · window ${formatTime(W)}`}
        </text>
      </svg>
    </div>
  );
}

/** Arrows labelled with the message they carry: TLS handshake messages and HTTP requests/responses. */
const LABELLED = /^(TLS|SSL|HTTP|DNS|QUIC)/;
const MAX_LABELS = 80;
const labelCache = new WeakMap<TimelineIndex, Map<number, string>>();

/** The label of a frame's arrow in the ladder ('' for none): the dissector's summary, shortened. */
function messageLabel(index: TimelineIndex, frameId: number): string {
  let cache = labelCache.get(index);
  if (!cache) labelCache.set(index, (cache = new Map()));
  let l = cache.get(frameId);
  if (l === undefined) {
    const d = dissectStored(index, frameId);
    l = LABELLED.test(d.protocol) ? d.summary.replace(/\s+/g, ' ').trim() : '';
    if (l.length > 48) l = `${l.slice(0, 47)}…`;
    cache.set(frameId, l);
  }
  return l;
}
