/** Wires the stores, the 3D view and the panels together; loads scenes from the URL or the picker. */
import { useCallback, useEffect, useState } from 'react';
import {
  playbackStore,
  runSceneText,
  sceneStore,
  selectionStore,
  showSceneErrors,
  speedFor,
  startPlaybackClock,
  useStore,
  viewStore,
} from '../store';
import { ConsolePanel } from '../ui/ConsolePanel';
import { EventList } from '../ui/EventList';
import { Inspector } from '../ui/Inspector';
import { ErrorPanel, HelpOverlay, Legend, Notices } from '../ui/Overlays';
import { Scrubber } from '../ui/Scrubber';
import { stepEvent, TopBar } from '../ui/TopBar';
import { packetsOnScreen, Scene3D } from '../view3d/Scene3D';
import { DEFAULT_SCENE, SCENE_FILES } from './scenes';
import { readUrlParams } from './url';

declare global {
  interface Window {
    __packetarium?: {
      traceHash: string;
      sceneName: string;
      events: number;
      rows: number;
      ready: boolean;
      packetsOnScreen(): { row: number; x: number; y: number }[];
    };
  }
}

const NAMES = [...SCENE_FILES.keys()];
let loadToken = 0;

/** Loads a scene by name (asynchronously, so "Simulating…" paints first). */
function loadByName(name: string, opts: { seed?: number; t?: number; notices: string[] }): void {
  selectionStore.getState().clear();
  playbackStore.getState().pause();
  window.__packetarium = undefined;
  const file = SCENE_FILES.get(name);
  if (!file) {
    loadToken++;
    showSceneErrors(name, [`?scene=${name}: no scene called "${name}" (expected one of: ${NAMES.join(', ')})`], opts.notices);
    return;
  }
  sceneStore.setState({ status: 'simulating', name, errors: [], notices: opts.notices });
  const token = ++loadToken;
  setTimeout(() => {
    if (token !== loadToken) return;
    runSceneText(file.text, file.fileName, name, { seed: opts.seed, notices: opts.notices });
    const s = sceneStore.getState();
    if (s.status !== 'ready' || !s.scene || !s.trace) return;
    const duration = Math.max(s.scene.duration, s.index?.endTime ?? 0);
    const pb = playbackStore.getState();
    pb.setDuration(duration);
    pb.setSpeed(speedFor(duration));
    let t = opts.t ?? 0;
    if (t > duration) {
      sceneStore.setState({ notices: [...opts.notices, `?t is past the end of the scene (${duration} ns); starting at the end`] });
      t = duration;
    }
    pb.seek(t);
    viewStore.getState().setCamera(s.scene.view?.camera ?? 'perspective');
    window.__packetarium = { traceHash: s.trace.hash(), sceneName: name, events: s.events, rows: s.trace.length, ready: true, packetsOnScreen };
  }, 30);
}

export function App() {
  const status = useStore(sceneStore, (s) => s.status);
  const name = useStore(sceneStore, (s) => s.name);
  const scene = useStore(sceneStore, (s) => s.scene);
  const index = useStore(sceneStore, (s) => s.index);
  const errors = useStore(sceneStore, (s) => s.errors);
  const notices = useStore(sceneStore, (s) => s.notices);
  const [help, setHelp] = useState(false);

  useEffect(() => {
    const p = readUrlParams(window.location.search, DEFAULT_SCENE);
    loadByName(p.scene, { seed: p.seed, t: p.t, notices: p.problems });
    return startPlaybackClock();
  }, []);

  const pick = useCallback((n: string) => {
    const url = new URL(window.location.href);
    url.search = `?scene=${encodeURIComponent(n)}`;
    window.history.replaceState(null, '', url);
    loadByName(n, { notices: [] });
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement | null;
      if (el && (el.tagName === 'INPUT' || el.tagName === 'SELECT' || el.tagName === 'TEXTAREA')) {
        if (e.key !== ' ' || el.tagName !== 'SELECT') return;
      }
      const pb = playbackStore.getState();
      const idx = sceneStore.getState().index;
      switch (e.key) {
        case ' ':
          if (idx) pb.toggle();
          break;
        case 'ArrowRight':
          stepEvent(idx, true);
          break;
        case 'ArrowLeft':
          stepEvent(idx, false);
          break;
        case '+':
        case '=':
          pb.faster();
          break;
        case '-':
        case '_':
          pb.slower();
          break;
        case 'Home':
          pb.seek(0);
          break;
        case '1':
          viewStore.getState().setCamera('top');
          break;
        case '2':
          viewStore.getState().setCamera('perspective');
          break;
        case '3':
          viewStore.getState().setCamera('side');
          break;
        case '?':
          setHelp((h) => !h);
          break;
        case 'Escape':
          setHelp(false);
          selectionStore.getState().clear();
          break;
        default:
          return;
      }
      e.preventDefault();
      (document.activeElement as HTMLElement | null)?.blur?.();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const ready = status === 'ready' && scene && index;
  return (
    <div className="app">
      <TopBar
        sceneNames={NAMES}
        current={name}
        title={scene?.title ?? ''}
        index={ready ? index : null}
        onPickScene={pick}
        onHelp={() => setHelp(true)}
      />
      <main className="view">
        {ready ? (
          <>
            <Scene3D key={name} scene={scene} index={index} />
            <Legend />
          </>
        ) : status === 'error' ? (
          <ErrorPanel title={`Could not open scene "${name}"`} errors={errors} sceneNames={NAMES} />
        ) : (
          <div className="loading" data-testid="loading">
            <div className="spinner" />
            Simulating {name}…
          </div>
        )}
        <Notices notices={notices} />
      </main>
      {ready ? (
        <>
          <Inspector index={index} scene={scene} />
          <Scrubber index={index} />
          <EventList index={index} />
          <ConsolePanel index={index} scene={scene} />
        </>
      ) : (
        <>
          <aside className="panel inspector" />
          <div className="scrubber" />
          <section className="panel events" />
          <section className="panel console" />
        </>
      )}
      {help && <HelpOverlay onClose={() => setHelp(false)} />}
    </div>
  );
}
