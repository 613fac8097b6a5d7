/** The timeline: event density markers (frames by protocol, drops in red) and a draggable playhead. */
import { useEffect, useMemo, useRef } from 'react';
import { RecordKind } from '../sim/trace';
import { playbackStore, useStore } from '../store';
import { frameProtocol, nextEventTime, prevEventTime, type TimelineIndex } from '../timeline';
import { DROP_COLOR, protoColorClasses } from '../view3d/colors';
import { formatTime } from './format';
import { DivergenceMark } from './faults/ComparePanel';

// eslint-disable-next-line max-lines-per-function -- one canvas: event density, playhead and pointer dragging share the same time-to-x scale
export function Scrubber({ index }: { index: TimelineIndex }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const time = useStore(playbackStore, (s) => s.time);
  const duration = useStore(playbackStore, (s) => s.duration);
  const width = 1600;
  // Per-pixel counts per class, computed once per trace.
  const bins = useMemo(() => {
    const drops = protoColorClasses().length; // the protocol classes, then drops
    const classes = drops + 1;
    const counts = new Uint32Array(width * classes);
    const tr = index.trace;
    for (let i = 0; i < tr.length; i++) {
      const k = tr.kind[i];
      if (k !== RecordKind.FrameTx && k !== RecordKind.Drop) continue;
      const x = Math.min(width - 1, Math.floor((tr.time[i] / duration) * width));
      const c = k === RecordKind.Drop ? drops : frameProtocol(index, tr.frame[i]);
      counts[x * classes + c]++;
    }
    return { counts, classes };
  }, [index, duration]);

  useEffect(() => {
    const cv = canvas.current;
    if (!cv) return;
    const ctx = cv.getContext('2d')!;
    const h = cv.height;
    ctx.clearRect(0, 0, width, h);
    const colors = [...protoColorClasses().map((c) => c.color), DROP_COLOR];
    let max = 1;
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let c = 0; c < bins.classes; c++) s += bins.counts[x * bins.classes + c];
      max = Math.max(max, s);
    }
    for (let x = 0; x < width; x++) {
      let y = h;
      for (let c = 0; c < bins.classes; c++) {
        const n = bins.counts[x * bins.classes + c];
        if (!n) continue;
        const bh = Math.max(3, (Math.log1p(n) / Math.log1p(max)) * (h - 4));
        ctx.fillStyle = colors[c];
        ctx.fillRect(x, y - bh, 1.5, bh);
        y -= bh;
      }
    }
  }, [bins]);

  const seekAt = (clientX: number) => {
    const r = box.current!.getBoundingClientRect();
    const f = Math.min(1, Math.max(0, (clientX - r.left) / r.width));
    playbackStore.getState().seek(Math.round(f * duration));
  };
  const ticks = useMemo(() => {
    const step = niceStep(duration / 8);
    const out: number[] = [];
    for (let t = 0; t <= duration; t += step) out.push(t);
    return out;
  }, [duration]);

  return (
    <div className="scrubber">
      <div
        className="scrub-track"
        ref={box}
        role="slider"
        aria-label="Playhead"
        aria-valuemin={0}
        aria-valuemax={duration}
        aria-valuenow={time}
        aria-valuetext={`${formatTime(time)} of ${formatTime(duration)}`}
        tabIndex={0}
        onKeyDown={(e) => {
          if (sliderKey(index, duration, e.key, e.shiftKey)) e.preventDefault();
        }}
        data-testid="scrubber"
        onPointerDown={(e) => {
          (e.target as HTMLElement).setPointerCapture(e.pointerId);
          playbackStore.getState().pause();
          seekAt(e.clientX);
        }}
        onPointerMove={(e) => {
          if (e.buttons & 1) seekAt(e.clientX);
        }}
      >
        <canvas ref={canvas} width={width} height={40} />
        <DivergenceMark duration={duration} />
        <div className="playhead" style={{ left: `${(time / duration) * 100}%` }} />
      </div>
      <div className="ticks">
        {ticks.map((t) => (
          <span key={t} style={{ left: `${(t / duration) * 100}%` }}>
            {formatTime(t)}
          </span>
        ))}
      </div>
    </div>
  );
}

/**
 * The timeline's keys as a slider (WAI-ARIA slider pattern): ← / → the previous / next event,
 * PageUp / PageDown (or Shift with an arrow) a tenth of the run, Home / End the ends. True when handled.
 */
function sliderKey(index: TimelineIndex, duration: number, key: string, shift: boolean): boolean {
  const pb = playbackStore.getState();
  const t = pb.time;
  const tenth = Math.max(1, Math.round(duration / 10));
  let to: number | null;
  if (key === 'Home') to = 0;
  else if (key === 'End') to = duration;
  else if (key === 'PageDown' || (shift && (key === 'ArrowRight' || key === 'ArrowUp'))) to = Math.min(duration, t + tenth);
  else if (key === 'PageUp' || (shift && (key === 'ArrowLeft' || key === 'ArrowDown'))) to = Math.max(0, t - tenth);
  else if (key === 'ArrowRight' || key === 'ArrowUp') to = nextEventTime(index, t) ?? duration;
  else if (key === 'ArrowLeft' || key === 'ArrowDown') to = prevEventTime(index, t) ?? 0;
  else return false;
  pb.pause();
  pb.seek(to);
  return true;
}

function niceStep(x: number): number {
  const p = Math.pow(10, Math.floor(Math.log10(Math.max(1, x))));
  for (const m of [1, 2, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}
