/**
 * The embed's side of the postMessage API (docs/embed.md): `packetarium:ready` once the scene is
 * shown, and the host page's commands (play, pause, seek, step, theme).
 */
import { useEffect, type RefObject } from 'react';
import { playbackStore } from '../store/playback';
import { inFrame, postToHost } from './host-post';
import type { EmbedOptions, EmbedView } from './options';
import { parseHostCommand } from './protocol';
import type { ReadyScene } from './use-embed-scene';

/** Tells the host the scene is ready, once, with the view as it is then. */
export function useReadyEvent(ready: ReadyScene | null, options: EmbedOptions, view: EmbedView): void {
  useEffect(() => {
    if (!ready) return;
    const r = ready.res;
    postToHost(options, {
      type: 'packetarium:ready',
      scene: r.name,
      title: r.scene.title ?? r.name,
      duration: r.duration,
      t: playbackStore.getState().time,
      view,
      webgl: view !== 'ladder',
    });
    // view is reported once, as it is when ready
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ready, options]);
}

/** What the host's commands act on. */
export interface HostCommandTargets {
  readonly ready: ReadyScene | null;
  readonly visible: boolean;
  /** Set by `play` while off screen: playing starts when the embed is seen. */
  readonly resumeWhenVisible: RefObject<boolean>;
  step(forward: boolean): void;
  setTheme(theme: 'light' | 'dark'): void;
}

/** Follows the host page's commands (from the parent window, and its `host` origin when given). */
export function useHostCommands(options: EmbedOptions, targets: HostCommandTargets): void {
  const { ready, visible, resumeWhenVisible, step, setTheme } = targets;
  useEffect(() => {
    if (!inFrame) return;
    const onMessage = (e: MessageEvent) => {
      if (e.source !== window.parent) return;
      if (options.host && e.origin !== options.host) return;
      const cmd = parseHostCommand(e.data);
      if (!cmd) return;
      const pb = playbackStore.getState();
      switch (cmd.type) {
        case 'packetarium:play':
          if (ready) {
            if (visible) pb.play();
            else resumeWhenVisible.current = true;
          }
          break;
        case 'packetarium:pause':
          resumeWhenVisible.current = false;
          pb.pause();
          break;
        case 'packetarium:seek':
          pb.seek(cmd.t);
          break;
        case 'packetarium:step':
          pb.pause();
          step(cmd.direction === 'forward');
          break;
        case 'packetarium:theme':
          setTheme(cmd.theme);
          break;
      }
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, [options, ready, visible, step, resumeWhenVisible, setTheme]);
}
