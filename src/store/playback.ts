/**
 * Playback: the playhead (simulated ns), play/pause and the speed, as simulated ns per wall second
 * (from 1 µs/s deep slow motion to fast forward). A requestAnimationFrame clock advances the playhead.
 */
import { createStore } from 'zustand/vanilla';

/** Speed presets, sim-ns per wall second: 1 µs/s ... 10 s/s in 1-2-5 steps. */
export const SPEEDS: readonly number[] = (() => {
  const out: number[] = [];
  for (let decade = 1e3; decade <= 1e10; decade *= 10) for (const m of [1, 2, 5]) out.push(decade * m);
  return out.filter((s) => s <= 1e10);
})();

interface PlaybackState {
  /** Playhead, simulated ns. */
  time: number;
  /** End of the scene (the scrubber's range), ns. */
  duration: number;
  playing: boolean;
  /** Simulated ns per wall-clock second. */
  speed: number;
}

interface PlaybackActions {
  setDuration(ns: number): void;
  seek(ns: number): void;
  play(): void;
  pause(): void;
  toggle(): void;
  setSpeed(nsPerSecond: number): void;
  faster(): void;
  slower(): void;
  /** Advances by `wallSeconds` of wall-clock time at the current speed (the clock calls this). */
  advance(wallSeconds: number): void;
}

export type PlaybackStore = PlaybackState & PlaybackActions;

function nearestSpeedIndex(speed: number): number {
  let best = 0;
  for (let i = 0; i < SPEEDS.length; i++) {
    if (Math.abs(Math.log(SPEEDS[i] / speed)) < Math.abs(Math.log(SPEEDS[best] / speed))) best = i;
  }
  return best;
}

/** A speed preset that plays `durationNs` in roughly `wallSeconds`. */
export function speedFor(durationNs: number, wallSeconds = 20): number {
  return SPEEDS[nearestSpeedIndex(Math.max(1, durationNs / wallSeconds))];
}

export const playbackStore = createStore<PlaybackStore>()((set, get) => ({
  time: 0,
  duration: 1,
  playing: false,
  speed: 1e6,
  setDuration: (ns) => set({ duration: Math.max(1, ns), time: Math.min(get().time, Math.max(1, ns)) }),
  seek: (ns) => set({ time: Math.max(0, Math.min(get().duration, Number.isFinite(ns) ? ns : 0)) }),
  play: () => {
    const s = get();
    set({ playing: true, time: s.time >= s.duration ? 0 : s.time });
  },
  pause: () => set({ playing: false }),
  toggle: () => (get().playing ? get().pause() : get().play()),
  setSpeed: (speed) => set({ speed: Math.max(1, speed) }),
  faster: () => set({ speed: SPEEDS[Math.min(SPEEDS.length - 1, nearestSpeedIndex(get().speed) + 1)] }),
  slower: () => set({ speed: SPEEDS[Math.max(0, nearestSpeedIndex(get().speed) - 1)] }),
  advance: (wallSeconds) => {
    const s = get();
    if (!s.playing) return;
    const t = s.time + s.speed * Math.min(wallSeconds, 0.25);
    if (t >= s.duration) set({ time: s.duration, playing: false });
    else set({ time: t });
  },
}));

/**
 * Starts the wall clock that advances the playhead while playing (the app runs one for the page's
 * life, an embed one while it plays on screen). Returns a function that stops this clock.
 */
export function startPlaybackClock(): () => void {
  let clockHandle = 0;
  let last = performance.now();
  const tick = (now: number) => {
    playbackStore.getState().advance((now - last) / 1000);
    last = now;
    clockHandle = requestAnimationFrame(tick);
  };
  clockHandle = requestAnimationFrame(tick);
  return () => cancelAnimationFrame(clockHandle);
}

/** Formats simulated ns for a readout: `12.345 678 ms` style with µs precision. */
export function formatTime(ns: number): string {
  if (ns < 1e3) return `${Math.round(ns)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toFixed(3)} µs`;
  if (ns < 1e9) return `${(ns / 1e6).toFixed(3)} ms`;
  return `${(ns / 1e9).toFixed(6)} s`;
}

/** Formats a speed: `1 µs/s`, `2 ms/s`, `1 s/s`. */
export function formatSpeed(nsPerSecond: number): string {
  if (nsPerSecond < 1e3) return `${nsPerSecond} ns/s`;
  if (nsPerSecond < 1e6) return `${nsPerSecond / 1e3} µs/s`;
  if (nsPerSecond < 1e9) return `${nsPerSecond / 1e6} ms/s`;
  return `${nsPerSecond / 1e9} s/s`;
}
