/**
 * Playback in an embed: nothing plays off screen (paused, and resumed when back), autoplay waits
 * until the embed is first seen, and the playhead moves with the app's clock (`startPlaybackClock`),
 * or one event every 1.2 s under prefers-reduced-motion.
 */
import { useCallback, useEffect, useRef, type RefObject } from 'react';
import { useStore } from 'zustand';
import { playbackStore, startPlaybackClock } from '../store/playback';
import type { ReadyScene } from './use-embed-scene';

/** Wall milliseconds between events when stepping for reduced motion. */
const REDUCED_MOTION_STEP_MS = 1200;

/** Moves the playhead to the next (or previous) event of the scene; nothing before it is ready. */
export function useStepEvent(ready: ReadyScene | null): (forward: boolean) => void {
  return useCallback(
    (forward: boolean) => {
      if (!ready) return;
      const pb = playbackStore.getState();
      const t = forward ? ready.sim.nextEventTime(ready.res.index, pb.time) : ready.sim.prevEventTime(ready.res.index, pb.time);
      if (t !== null) pb.seek(t);
    },
    [ready],
  );
}

/**
 * Pauses off screen and resumes on screen; starts playing when first seen if `autoplay` asks (and
 * motion is not reduced). Returns the "resume when visible" flag, which a `play` command from the
 * host sets while the embed is off screen.
 */
export function useVisibilityPlayback(ready: ReadyScene | null, visible: boolean, autoplay: boolean, reduced: boolean): RefObject<boolean> {
  const resumeWhenVisible = useRef(false);
  const autoplayDone = useRef(false);
  useEffect(() => {
    if (!ready) return;
    const pb = playbackStore.getState();
    if (!visible) {
      if (pb.playing) {
        resumeWhenVisible.current = true;
        pb.pause();
      }
      return;
    }
    if (!autoplayDone.current) {
      autoplayDone.current = true;
      if (autoplay && !reduced) resumeWhenVisible.current = true;
    }
    if (resumeWhenVisible.current) {
      resumeWhenVisible.current = false;
      pb.play();
    }
  }, [visible, ready, autoplay, reduced]);
  return resumeWhenVisible;
}

/** Runs the playback clock while the scene is ready, playing and on screen. */
export function usePlaybackClock(ready: ReadyScene | null, visible: boolean, reduced: boolean): void {
  const playing = useStore(playbackStore, (s) => s.playing);
  useEffect(() => {
    if (!ready || !playing || !visible) return;
    if (!reduced) return startPlaybackClock();
    const id = window.setInterval(() => {
      const pb = playbackStore.getState();
      const t = ready.sim.nextEventTime(ready.res.index, pb.time);
      if (t === null) pb.pause();
      else pb.seek(t);
    }, REDUCED_MOTION_STEP_MS);
    return () => window.clearInterval(id);
  }, [ready, playing, visible, reduced]);
}
