/**
 * The embed (embed.html): one scene, its 3D view and/or ladder diagram, small controls, a spoken
 * narration and the postMessage API. Polite on a page with many embeds: the simulator and the 3D
 * view are lazy chunks, nothing animates off screen, and the WebGL context exists only while the
 * embed is visible (see docs/embed.md). The pieces live in src/embed; this wires them together.
 */
import { lazy, Suspense, useState } from 'react';
import { Controls } from '../embed/Controls';
import { useEmbedDebug } from '../embed/debug';
import { onEmbedKey } from '../embed/keys';
import type { EmbedOptions, EmbedView } from '../embed/options';
import { ThreeBoundary, webglAvailable } from '../embed/ThreeBoundary';
import { usePlaybackClock, useStepEvent, useVisibilityPlayback } from '../embed/use-embed-playback';
import { useEmbedScene, type EmbedPhase, type ReadyScene } from '../embed/use-embed-scene';
import { useHostCommands, useReadyEvent } from '../embed/use-host';
import { useColorScheme, useMedia, useVisible } from '../embed/use-media';
import { useNarration } from '../embed/use-narration';

// The ladder, the timeline queries and the simulator arrive with the lazy chunks, not the first script.
const Ladder = lazy(() => import('../ui/Ladder').then((m) => ({ default: m.Ladder })));
const Scene3D = lazy(() => import('../view3d/Scene3D').then((m) => ({ default: m.Scene3D })));

const NO_WEBGL_NOTE = 'WebGL is not available here, so this shows the ladder diagram instead of the 3D view.';

export function EmbedApp({ options, problems }: { options: EmbedOptions; problems: string[] }) {
  const { state, progress } = useEmbedScene(options);
  const visible = useVisible();
  const reduced = useMedia('(prefers-reduced-motion: reduce)');
  const systemDark = useMedia('(prefers-color-scheme: dark)');
  const [themeOverride, setThemeOverride] = useState<'light' | 'dark' | null>(null);
  const theme = themeOverride ?? (options.theme === 'auto' ? (systemDark ? 'dark' : 'light') : options.theme);
  const [webglNote, setWebglNote] = useState<string | null>(webglAvailable() ? null : NO_WEBGL_NOTE);

  const ready = state.phase === 'ready' ? state : null;
  const wants3d = options.view !== 'ladder';
  const view: EmbedView = wants3d && webglNote ? 'ladder' : options.view;
  const show3d = !!ready && view !== 'ladder' && visible;

  useReadyEvent(ready, options, view);
  const step = useStepEvent(ready);
  const resumeWhenVisible = useVisibilityPlayback(ready, visible, options.autoplay, reduced);
  usePlaybackClock(ready, visible, reduced);
  const narration = useNarration(ready, options, reduced);
  useHostCommands(options, { ready, visible, resumeWhenVisible, step, setTheme: setThemeOverride });
  const error = state.phase === 'error' ? state.errors.join('\n') : null;
  const webglFallback = !!webglNote && wants3d;
  useEmbedDebug({ ready: !!ready, error, scene: ready?.res.name ?? options.scene, visible, view, webglFallback, narration, show3d });
  useColorScheme(theme);

  const title = ready ? (ready.res.scene.title ?? ready.res.name) : options.scene;
  const noteShown = (webglFallback && !!ready) || problems.length > 0;
  return (
    <div
      className={`pk-embed pk-theme-${theme} pk-controls-${options.controls}`}
      role="region"
      aria-label={`Network simulation: ${title}. Space plays or pauses; arrow keys step from event to event.`}
      tabIndex={0}
      onKeyDown={(e) => ready && onEmbedKey(e, step)}
    >
      <Stage
        state={state}
        progress={progress}
        options={options}
        view={view}
        show3d={show3d}
        onWebglFail={(m) => setWebglNote(`The 3D view could not start (${m}), so this shows the ladder diagram instead.`)}
      />
      {noteShown ? (
        <div className="pk-note" role="note">
          {webglFallback && ready ? <span>{webglNote} </span> : null}
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

interface StageProps {
  state: EmbedPhase;
  progress: number | null;
  options: EmbedOptions;
  view: EmbedView;
  show3d: boolean;
  onWebglFail(message: string): void;
}

/** The scene's views, or what stands in for them: progress while loading, the errors. */
function Stage({ state, progress, options, view, show3d, onWebglFail }: StageProps) {
  const ready: ReadyScene | null = state.phase === 'ready' ? state : null;
  return (
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
            <ThreeBoundary onFail={onWebglFail}>
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
  );
}
