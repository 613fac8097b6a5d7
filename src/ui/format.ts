export { formatTime } from '../store/playback';

/** Compact time for dense columns: `12.345678 ms`. */
export function formatTimeMs(ns: number): string {
  return `${(ns / 1e6).toFixed(6)} ms`;
}
