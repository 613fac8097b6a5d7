/** What tests and tooling can read about an embed: `window.__packetariumEmbed()`. */
import { useEffect } from 'react';
import { playbackStore } from '../store/playback';
import type { EmbedView } from './options';

/** What tests and tooling can read about this embed. */
interface EmbedDebug {
  ready: boolean;
  error: string | null;
  scene: string;
  visible: boolean;
  playing: boolean;
  time: number;
  duration: number;
  /** What is on screen: 3d, ladder or both (after any fallback). */
  view: EmbedView;
  /** True while a 3D canvas is mounted. */
  canvas: boolean;
  webglFallback: boolean;
  narration: string;
}

declare global {
  interface Window {
    __packetariumEmbed?: () => EmbedDebug;
  }
}

/**
 * The parts of `EmbedDebug` the embed knows, and whether it shows the 3D view now (`canvas` is that
 * and a canvas in the page); the playhead is read from the store at each call.
 */
export type EmbedDebugInfo = Omit<EmbedDebug, 'playing' | 'time' | 'duration' | 'canvas'> & { show3d: boolean };

/** Keeps `window.__packetariumEmbed` current. */
export function useEmbedDebug(info: EmbedDebugInfo): void {
  const { ready, error, scene, visible, view, webglFallback, narration, show3d } = info;
  useEffect(() => {
    window.__packetariumEmbed = () => {
      const pb = playbackStore.getState();
      return {
        ready,
        error,
        scene,
        visible,
        playing: pb.playing,
        time: pb.time,
        duration: pb.duration,
        view,
        canvas: show3d && !!document.querySelector('canvas'),
        webglFallback,
        narration,
      };
    };
  }, [ready, error, scene, visible, view, webglFallback, narration, show3d]);
}
