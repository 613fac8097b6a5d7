/**
 * The embed (embed.html): one scene, its 3D view and/or ladder diagram, small controls, a spoken
 * narration and the postMessage API. Polite on a page with many embeds: the simulator and the 3D
 * view are lazy chunks, nothing animates off screen, and the WebGL context exists only while the
 * embed is visible (see docs/embed.md).
 */
import { Component, lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { embedQuery, type EmbedOptions, type EmbedView } from '../embed/options';
import { parseHostCommand, type EmbedEvent } from '../embed/protocol';
import type { EmbedSceneResult } from '../embed/sim';
import { formatTime, playbackStore, speedFor } from '../store/playback';
import { viewStore } from '../store/view';
import type { TimelineIndex } from '../timeline';

// The ladder, the timeline queries and the simulator arrive with the lazy chunks, not the first script.
const Ladder = lazy(() => import('../ui/Ladder').then((m) => ({ default: m.Ladder })));
const Scene3D = lazy(() => import('../view3d/Scene3D').then((m) => ({ default: m.Scene3D })));
type SimModule = typeof import('../embed/sim');

type Ready = Extract<EmbedSceneResult, { ok: true }>;
type Phase = { phase: 'loading' } | { phase: 'error'; errors: string[] } | { phase: 'ready'; res: Ready; sim: SimModule };

/** What tests and tooling can read about this embed. */
export interface EmbedDebug {
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

const inFrame = window.parent !== window;

/** Posts an event to the host page (only the `host` origin when one was given). */
function post(options: EmbedOptions, ev: EmbedEvent): void {
  if (!inFrame) return;
  const msg = options.id ? { ...ev, id: options.id } : ev;
  try {
    window.parent.postMessage(msg, options.host ?? '*');
  } catch {
    // a host origin that does not match the parent: nothing to tell
  }
}

function useMedia(query: string): boolean {
  const mq = useMemo(() => (window.matchMedia ? window.matchMedia(query) : null), [query]);
  const [match, setMatch] = useState(() => mq?.matches ?? false);
  useEffect(() => {
    if (!mq) return;
    const on = () => setMatch(mq.matches);
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, [mq]);
  return match;
}

/** True while any part of the embed is inside the top-level viewport (works inside iframes). */
function useVisible(): boolean {
  const [visible, setVisible] = useState(() => typeof IntersectionObserver === 'undefined');
  useEffect(() => {
    if (typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver((entries) => {
      for (const e of entries) setVisible(e.isIntersecting);
    });
    io.observe(document.documentElement);
    const onVis = () => {
      if (document.visibilityState === 'hidden') setVisible(false);
    };
    document.addEventListener('visibilitychange', onVis);
    return () => {
      io.disconnect();
      document.removeEventListener('visibilitychange', onVis);
    };
  }, []);
  return visible;
}

/** Catches a refused WebGL context (or any 3D failure) so the embed falls back to the ladder. */
class ThreeBoundary extends Component<{ onFail(message: string): void; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }
  override componentDidCatch(error: unknown): void {
    this.props.onFail(error instanceof Error ? error.message : String(error));
  }
  override render(): ReactNode {
    return this.state.failed ? null : this.props.children;
  }
}

function webglAvailable(): boolean {
  return typeof WebGLRenderingContext !== 'undefined' && !/[?&]webgl=off\b/.test(window.location.search);
}

/** Rows with time in (a, b]. */
function rowsBetween(sim: SimModule, index: TimelineIndex, a: number, b: number): { count: number; last: number } {
  const lo = sim.upperBound(index.orderTime, a);
  const hi = sim.upperBound(index.orderTime, b);
  return { count: Math.max(0, hi - lo), last: hi > lo ? index.order[hi - 1] : -1 };
}

export function EmbedApp({ options, problems }: { options: EmbedOptions; problems: string[] }) {
  const [state, setState] = useState<Phase>({ phase: 'loading' });
  /** Share of the simulated time computed so far, while loading. */
  const [progress, setProgress] = useState<number | null>(null);
  const visible = useVisible();
  const reduced = useMedia('(prefers-reduced-motion: reduce)');
  const systemDark = useMedia('(prefers-color-scheme: dark)');
  const [themeOverride, setThemeOverride] = useState<'light' | 'dark' | null>(null);
  const theme = themeOverride ?? (options.theme === 'auto' ? (systemDark ? 'dark' : 'light') : options.theme);
  const [webglNote, setWebglNote] = useState<string | null>(webglAvailable() ? null : 'WebGL is not available here, so this shows the ladder diagram instead of the 3D view.');
  const [narration, setNarration] = useState('');
  const playing = useStore(playbackStore, (s) => s.playing);
  const resumeWhenVisible = useRef(false);
  const autoplayDone = useRef(false);
  const canvasMounted = useRef(false);

  const ready = state.phase === 'ready' ? state : null;
  const wants3d = options.view !== 'ladder';
  const view: EmbedView = wants3d && webglNote ? 'ladder' : options.view;
  const show3d = !!ready && view !== 'ladder' && visible;
  canvasMounted.current = show3d;

  // Load the simulator chunk, then the scene.
  useEffect(() => {
    let cancelled = false;
    if (options.refused) {
      const errors = [options.refused];
      queueMicrotask(() => {
        if (cancelled) return;
        setState({ phase: 'error', errors });
        post(options, { type: 'packetarium:error', message: 'Could not open the embedded scene', errors });
      });
      return () => {
        cancelled = true;
      };
    }
    const abort = new AbortController();
    import('../embed/sim')
      .then(async (sim) => {
        const onProgress = (p: { simNs: number; durationNs: number }) => {
          if (!cancelled) setProgress(p.durationNs > 0 ? p.simNs / p.durationNs : null);
        };
        const res = await sim.loadEmbedScene({ scene: options.scene, data: options.data, seed: options.seed }, { onProgress, signal: abort.signal });
        if (cancelled) return;
        if (!res.ok) {
          setState({ phase: 'error', errors: res.errors });
          post(options, { type: 'packetarium:error', message: `Could not open ${res.name}`, errors: res.errors });
          return;
        }
        const pb = playbackStore.getState();
        pb.setDuration(res.duration);
        pb.setSpeed(speedFor(res.duration));
        pb.seek(Math.min(options.t ?? 0, res.duration));
        viewStore.getState().setCamera(res.scene.view?.camera ?? 'perspective');
        setState({ phase: 'ready', res, sim });
      })
      .catch((e: unknown) => {
        if (cancelled) return;
        const message = `Could not load the simulator: ${e instanceof Error ? e.message : String(e)}`;
        setState({ phase: 'error', errors: [message] });
        post(options, { type: 'packetarium:error', message, errors: [message] });
      });
    return () => {
      cancelled = true;
      abort.abort();
    };
  }, [options]);

  useEffect(() => {
    if (!ready) return;
    const r = ready.res;
    post(options, {
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

  const step = useCallback(
    (forward: boolean) => {
      if (!ready) return;
      const pb = playbackStore.getState();
      const t = forward ? ready.sim.nextEventTime(ready.res.index, pb.time) : ready.sim.prevEventTime(ready.res.index, pb.time);
      if (t !== null) pb.seek(t);
    },
    [ready],
  );

  // Visibility: pause off screen, resume (or autoplay) on screen.
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
      if (options.autoplay && !reduced) resumeWhenVisible.current = true;
    }
    if (resumeWhenVisible.current) {
      resumeWhenVisible.current = false;
      pb.play();
    }
  }, [visible, ready, options.autoplay, reduced]);

  // The clock: smooth animation, or one event every 1.2 s under prefers-reduced-motion.
  useEffect(() => {
    if (!ready || !playing || !visible) return;
    if (reduced) {
      const id = window.setInterval(() => {
        const pb = playbackStore.getState();
        const t = ready.sim.nextEventTime(ready.res.index, pb.time);
        if (t === null) pb.pause();
        else pb.seek(t);
      }, 1200);
      return () => window.clearInterval(id);
    }
    let last = performance.now();
    let handle = requestAnimationFrame(function tick(now) {
      playbackStore.getState().advance((now - last) / 1000);
      last = now;
      handle = requestAnimationFrame(tick);
    });
    return () => cancelAnimationFrame(handle);
  }, [ready, playing, visible, reduced]);

  // Narration, `time` and `step` events, following the playhead.
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
      post(options, { type: 'packetarium:step', t, count: pendingCount, text });
      pendingCount = 0;
      pendingRow = -1;
      lastSpoken = performance.now();
    };
    return playbackStore.subscribe((s, prev) => {
      const now = performance.now();
      if (s.time !== lastT) {
        if (s.time > lastT) {
          const { count, last } = rowsBetween(ready.sim, index, lastT, s.time);
          if (count > 0) {
            pendingCount += count;
            pendingRow = last;
          }
        } else {
          // jumped back: describe what is at the new time
          const { count, last } = rowsBetween(ready.sim, index, -1, s.time);
          pendingCount = count > 0 ? 1 : 0;
          pendingRow = last;
        }
        lastT = s.time;
        // stepping (paused, or reduced motion) speaks every step; smooth playback at most every 2.5 s
        if (!s.playing || reduced || now - lastSpoken > 2500) speak(s.time);
      }
      if (s.playing !== prev.playing || !s.playing || now - lastTimePost > 250) {
        lastTimePost = now;
        post(options, { type: 'packetarium:time', t: s.time, duration: s.duration, playing: s.playing });
      }
      if (!s.playing && prev.playing) speak(s.time);
    });
  }, [ready, options, reduced]);

  // postMessage commands from the host page.
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
          setThemeOverride(cmd.theme);
          break;
      }
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, [options, ready, visible, step]);

  // Debug hook for tests and tooling.
  useEffect(() => {
    window.__packetariumEmbed = () => {
      const pb = playbackStore.getState();
      return {
        ready: !!ready,
        error: state.phase === 'error' ? state.errors.join('\n') : null,
        scene: ready?.res.name ?? options.scene,
        visible,
        playing: pb.playing,
        time: pb.time,
        duration: pb.duration,
        view,
        canvas: canvasMounted.current && !!document.querySelector('canvas'),
        webglFallback: !!webglNote && wants3d,
        narration,
      };
    };
  }, [ready, state, visible, view, webglNote, wants3d, narration, options.scene]);

  useEffect(() => {
    document.documentElement.style.colorScheme = theme;
  }, [theme]);

  const onKey = (e: React.KeyboardEvent) => {
    if (!ready || e.altKey || e.ctrlKey || e.metaKey) return;
    const tag = (e.target as HTMLElement).tagName;
    if (tag === 'INPUT' && e.key !== ' ') return;
    const pb = playbackStore.getState();
    switch (e.key) {
      case ' ':
      case 'k':
        if ((e.target as HTMLElement).tagName === 'BUTTON') return;
        pb.toggle();
        break;
      case 'ArrowRight':
      case '.':
        pb.pause();
        step(true);
        break;
      case 'ArrowLeft':
      case ',':
        pb.pause();
        step(false);
        break;
      case 'Home':
        pb.seek(0);
        break;
      case 'End':
        pb.seek(pb.duration);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  const title = ready ? (ready.res.scene.title ?? ready.res.name) : options.scene;

  return (
    <div
      className={`pk-embed pk-theme-${theme} pk-controls-${options.controls}`}
      role="region"
      aria-label={`Network simulation: ${title}. Space plays or pauses; arrow keys step from event to event.`}
      tabIndex={0}
      onKeyDown={onKey}
    >
      <div className={`pk-stage pk-view-${view}`}>
        {state.phase === 'loading' && (
          <div className="pk-msg" role="status">
            <div className="pk-spinner" aria-hidden="true" /> Simulating {options.data ? 'the embedded scene' : options.scene}…
            {progress !== null && <span data-testid="pk-progress"> {Math.floor(progress * 100)}%</span>}
          </div>
        )}
        {state.phase === 'error' && (
          <div className="pk-msg pk-error" role="alert">
            <strong>This scene could not be shown.</strong>
            <ul>
              {state.errors.slice(0, 6).map((e, i) => (
                <li key={i}>{e}</li>
              ))}
            </ul>
          </div>
        )}
        {ready && view !== 'ladder' && (
          <div className="pk-3d" data-testid="embed-3d">
            {show3d ? (
              <ThreeBoundary onFail={(m) => setWebglNote(`The 3D view could not start (${m}), so this shows the ladder diagram instead.`)}>
                <Suspense fallback={<div className="pk-msg">Loading 3D view…</div>}>
                  <Scene3D scene={ready.res.scene} index={ready.res.index} />
                </Suspense>
              </ThreeBoundary>
            ) : (
              <div className="pk-msg">3D view paused while off screen</div>
            )}
          </div>
        )}
        {ready && view !== '3d' && (
          <div className="pk-ladder" data-testid="embed-ladder">
            <Suspense fallback={<div className="pk-msg">Loading…</div>}>
              <Ladder index={ready.res.index} scene={ready.res.scene} />
            </Suspense>
          </div>
        )}
      </div>
      {(webglNote && wants3d && ready) || problems.length > 0 ? (
        <div className="pk-note" role="note">
          {webglNote && wants3d && ready ? <span>{webglNote} </span> : null}
          {problems.map((p, i) => (
            <span key={i}>{p}. </span>
          ))}
        </div>
      ) : null}
      {options.controls !== 'none' && <Controls options={options} ready={!!ready} title={ready ? title : ''} reduced={reduced} step={step} />}
      <div className={options.controls === 'full' ? 'pk-narration' : 'pk-sr-only'} aria-live="polite" aria-atomic="true" data-testid="embed-narration">
        {narration}
      </div>
    </div>
  );
}

/** Transport controls; the only part that re-renders with the playhead. */
function Controls({ options, ready, title, reduced, step }: { options: EmbedOptions; ready: boolean; title: string; reduced: boolean; step(forward: boolean): void }) {
  const playing = useStore(playbackStore, (s) => s.playing);
  const time = useStore(playbackStore, (s) => s.time);
  const duration = useStore(playbackStore, (s) => s.duration);
  const appUrl = options.data ? null : `./index.html?${embedQuery({ scene: options.scene, seed: options.seed, t: Math.round(time) })}`;
  return (
    <div className="pk-controls">
      {options.controls === 'full' && (
        <button type="button" onClick={() => playbackStore.getState().seek(0)} disabled={!ready} aria-label="Back to start" title="Back to start (Home)">
          |◀
        </button>
      )}
      {options.controls === 'full' && (
        <button type="button" onClick={() => step(false)} disabled={!ready} aria-label="Previous event" title="Previous event (←)">
          ◀|
        </button>
      )}
      <button
        type="button"
        className="pk-play"
        onClick={() => playbackStore.getState().toggle()}
        disabled={!ready}
        aria-label={playing ? 'Pause' : reduced ? 'Play (step by step)' : 'Play'}
        title={playing ? 'Pause (Space)' : 'Play (Space)'}
      >
        {playing ? '❚❚' : '▶'}
      </button>
      {options.controls === 'full' && (
        <button type="button" onClick={() => step(true)} disabled={!ready} aria-label="Next event" title="Next event (→)">
          |▶
        </button>
      )}
      {options.controls === 'full' && (
        <input
          className="pk-scrub"
          type="range"
          min={0}
          max={duration}
          step={Math.max(1, Math.round(duration / 2000))}
          value={time}
          disabled={!ready}
          aria-label="Simulated time"
          aria-valuetext={formatTime(time)}
          onChange={(e) => playbackStore.getState().seek(Number(e.target.value))}
        />
      )}
      <span className="pk-time" data-testid="embed-time">
        {formatTime(time)}
      </span>
      {options.controls === 'full' && ready && (
        <span className="pk-title" title={title}>
          {title}
        </span>
      )}
      {options.controls === 'full' && appUrl && (
        <a className="pk-open" href={appUrl} target="_blank" rel="noopener noreferrer" title="Open this scene in Packetarium">
          Open ↗
        </a>
      )}
    </div>
  );
}
