/**
 * The embed's narration and its events to the host, following the playhead: what happened since
 * the last moment spoken (`packetarium:step`, and the live region's text), and the playhead itself
 * (`packetarium:time`, at most every 250 ms while playing).
 */
import { useEffect, useState } from 'react';
import { formatTime, playbackStore } from '../store/playback';
import type { TimelineIndex } from '../timeline';
import { postToHost } from './host-post';
import type { EmbedOptions } from './options';
import type { ReadyScene, SimModule } from './use-embed-scene';

/** Smooth playback speaks at most this often (ms); stepping speaks every step. */
const SPEAK_EVERY_MS = 2500;
/** `packetarium:time` events while playing, at most this often (ms). */
const TIME_EVENT_EVERY_MS = 250;

/** Rows with time in (a, b]. */
function rowsBetween(sim: SimModule, index: TimelineIndex, a: number, b: number): { count: number; last: number } {
  const lo = sim.upperBound(index.orderTime, a);
  const hi = sim.upperBound(index.orderTime, b);
  return { count: Math.max(0, hi - lo), last: hi > lo ? index.order[hi - 1] : -1 };
}

/** The current narration line; posts `step` and `time` events to the host as the playhead moves. */
export function useNarration(ready: ReadyScene | null, options: EmbedOptions, reduced: boolean): string {
  const [narration, setNarration] = useState('');
  useEffect(() => {
    if (!ready) return;
    const { index } = ready.res;
    let lastT = playbackStore.getState().time;
    let lastSpoken = -Infinity;
    let lastTimePost = 0;
    let pendingCount = 0;
    let pendingRow = -1;
    const speak = (t: number) => {
      if (pendingRow < 0) return;
      const info = ready.sim.describeRow(index, pendingRow);
      const more = pendingCount > 1 ? ` (and ${pendingCount - 1} more event${pendingCount > 2 ? 's' : ''})` : '';
      const text = `${formatTime(t)}: ${info.where}, ${info.proto}: ${info.summary}${more}`;
      setNarration(text);
      postToHost(options, { type: 'packetarium:step', t, count: pendingCount, text });
      pendingCount = 0;
      pendingRow = -1;
      lastSpoken = performance.now();
    };
    return playbackStore.subscribe((s, prev) => {
      const now = performance.now();
      if (s.time !== lastT) {
        // forward: what happened since; jumped back: describe what is at the new time
        const { count, last } = rowsBetween(ready.sim, index, s.time > lastT ? lastT : -1, s.time);
        if (s.time > lastT) {
          if (count > 0) {
            pendingCount += count;
            pendingRow = last;
          }
        } else {
          pendingCount = count > 0 ? 1 : 0;
          pendingRow = last;
        }
        lastT = s.time;
        if (!s.playing || reduced || now - lastSpoken > SPEAK_EVERY_MS) speak(s.time);
      }
      if (s.playing !== prev.playing || !s.playing || now - lastTimePost > TIME_EVENT_EVERY_MS) {
        lastTimePost = now;
        postToHost(options, { type: 'packetarium:time', t: s.time, duration: s.duration, playing: s.playing });
      }
      if (!s.playing && prev.playing) speak(s.time);
    });
  }, [ready, options, reduced]);
  return narration;
}
