/** Wires the stores, the 3D view and the panels together; loads scenes from the URL or the picker. */
import { useCallback, useEffect, useState } from 'react';
import {
  cancelSceneRun,
  closeCompare,
  compareStore,
  startCompare,
  playbackStore,
  runSceneInBackground,
  sceneStore,
  selectionStore,
  showSceneErrors,
  speedFor,
  startPlaybackClock,
  stopSceneRun,
  useStore,
  viewStore,
} from '../store';
import { workersAvailable } from '../runner/start-simulation';
import { nextEventTime } from '../timeline';
import { CopyEmbedButton } from '../embed/CopyEmbedButton';
import { ConsolePanel } from '../ui/ConsolePanel';
import '../ui/panel-list';
import { EventList } from '../ui/EventList';
import { Inspector } from '../ui/Inspector';
import { ErrorPanel, HelpOverlay, Legend, Notices } from '../ui/Overlays';
import { Scrubber } from '../ui/Scrubber';
import { SimulationCancelled, SimulationProgress } from '../ui/SimulationProgress';
import { stepEvent, TopBar } from '../ui/TopBar';
import { LessonPanel, useLessonAppClass, useLessonScene } from '../ui/lesson/LessonPanel';
import { benchStats, benchUpdateStats, firstFrameMs, packetsOnScreen, Scene3D } from '../view3d/Scene3D';
import { DEFAULT_SCENE, SCENE_FILES } from './scenes';
import { readUrlParams, shareSearch, type UrlCompare } from './url';

declare global {
  interface Window {
    __packetarium?: {
      traceHash: string;
      sceneName: string;
      events: number;
      rows: number;
      ready: boolean;
      packetsOnScreen(): { row: number; x: number; y: number }[];
      /** ms from navigation start to the first frame drawn with the scene's devices, or null. */
      firstFrameMs(): number | null;
      /** Bench mode: per-frame work (update + render + GPU sync), ms. */
      benchStats(): number[];
      benchUpdateStats(): number[];
      /** The playhead, ns. */
      time(): number;
      /** The first event time strictly after t (ns), or null. */
      nextEventTime(t: number): number | null;
      /** Selected trace row, or -1. */
      selectedRow(): number;
      /** The comparison run: its status, variant command and (once ready) trace hash. */
      comparison(): { status: string; cmd: string; traceHash: string | null };
    };
  }
}

const NAMES = [...SCENE_FILES.keys()];
let loadToken = 0;
/** The seed given in the URL (kept in shared links), if any. */
let urlSeed: number | undefined;
/** `?worker=off`: every scene of this page simulates in the page. */
let urlInPage = false;

/** The shareable query string of the current moment (scene, seed, playhead, selection). */
function currentSearch(): string | null {
  const s = sceneStore.getState();
  if (s.status !== 'ready' || !s.trace) return null;
  const sel = selectionStore.getState();
  const node = sel.node >= 0 ? s.trace.nodes[sel.node]?.name : undefined;
  const c = compareStore.getState();
  const compare = c.status === 'ready' || c.status === 'simulating' ? { run: c.runIndex, cmd: c.cmd } : undefined;
  return shareSearch({ scene: s.name, seed: urlSeed, t: playbackStore.getState().time, sel: sel.row >= 0 ? sel.row : undefined, selNode: node, compare });
}

/** Writes the current moment into the address bar (no history entry). */
function writeUrl(): string {
  const search = currentSearch();
  if (search !== null && search !== window.location.search) {
    const url = new URL(window.location.href);
    url.search = search;
    window.history.replaceState(null, '', url);
  }
  return window.location.href;
}

/** Copies a link to the current moment; resolves to the link. */
export async function copyLink(): Promise<string> {
  const link = writeUrl();
  try {
    await navigator.clipboard.writeText(link);
  } catch {
    // No clipboard permission (e.g. an insecure origin): the address bar already holds the link.
  }
  return link;
}

interface LoadOptions {
  seed?: number;
  inPage?: boolean;
  t?: number;
  sel?: number;
  selNode?: string;
  /** A comparison run to start once the scene is there. */
  compare?: UrlCompare;
  notices: string[];
}

/** Loads a scene by name: validated at once, simulated in the background (see `runSceneInBackground`). */
function loadByName(name: string, opts: LoadOptions): void {
  urlSeed = opts.seed;
  selectionStore.getState().clear();
  playbackStore.getState().pause();
  window.__packetarium = undefined;
  closeCompare();
  viewStore.setState({ panelRequest: null });
  const file = SCENE_FILES.get(name);
  if (!file) {
    loadToken++;
    showSceneErrors(name, [`?scene=${name}: no scene called "${name}" (expected one of: ${NAMES.join(', ')})`], opts.notices);
    return;
  }
  const token = ++loadToken;
  const inPage = opts.inPage ?? urlInPage;
  stopSceneRun();
  sceneStore.setState({ status: 'simulating', name, scene: null, trace: null, index: null, errors: [], notices: opts.notices, progress: null });
  // The old scene's views unmount now; the run starts in the next task (a run in the page waits for
  // "Simulating…" to paint).
  setTimeout(() => {
    if (token !== loadToken) return;
    runSceneInBackground(file.text, file.fileName, name, { seed: opts.seed, notices: opts.notices, inPage }, () => onSceneReady(token, name, opts));
  }, inPage || !workersAvailable() ? 30 : 0);
}

/** Once the scene's trace is there: playhead, selection and camera from the URL, and the test hook. */
function onSceneReady(token: number, name: string, opts: LoadOptions): void {
  if (token !== loadToken) return;
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
  const notices = [...sceneStore.getState().notices];
  if (opts.sel !== undefined) {
    if (opts.sel < s.trace.length) selectionStore.getState().selectRow(opts.sel, s.trace.packet[opts.sel]);
    else notices.push(`?sel=${opts.sel}: this scene has events 0–${s.trace.length - 1}; nothing selected`);
  } else if (opts.selNode !== undefined) {
    const node = s.trace.nodes.findIndex((n) => n.name === opts.selNode);
    if (node >= 0) selectionStore.getState().selectNode(node);
    else notices.push(`?sel=node:${opts.selNode}: no device "${opts.selNode}" in this scene (devices: ${s.trace.nodes.map((n) => n.name).join(', ')}); nothing selected`);
  }
  if (opts.compare && s.source) viewStore.getState().showPanel('overload');
  if (opts.compare && s.source && !startCompare(s.source, opts.compare.run, opts.compare.cmd)) {
    notices.push(`?compare=${opts.compare.run}:${opts.compare.cmd}: ${compareStore.getState().errors.join('; ')}; no comparison (the Load panel's Compare form holds it to fix)`);
  }
  if (notices.length !== sceneStore.getState().notices.length) sceneStore.setState({ notices });
  viewStore.getState().setCamera(s.scene.view?.camera ?? 'perspective');
  const trace = s.trace;
  let hash: string | null = null;
  window.__packetarium = {
    // Hashing a big trace takes a while: only when asked (tests, tools).
    get traceHash() {
      return (hash ??= trace.hash());
    },
    sceneName: name,
    events: s.events,
    rows: s.trace.length,
    ready: true,
    packetsOnScreen,
    firstFrameMs,
    benchStats,
    benchUpdateStats,
    time: () => playbackStore.getState().time,
    nextEventTime: (t: number) => (s.index ? nextEventTime(s.index, t) : null),
    selectedRow: () => selectionStore.getState().row,
    comparison: () => {
      const c = compareStore.getState();
      return { status: c.status, cmd: c.cmd, traceHash: c.trace ? c.trace.hash() : null };
    },
  };
}

// eslint-disable-next-line max-lines-per-function -- the app's one wiring point: every store subscription and panel of the page, read top to bottom
export function App() {
  const status = useStore(sceneStore, (s) => s.status);
  const name = useStore(sceneStore, (s) => s.name);
  const scene = useStore(sceneStore, (s) => s.scene);
  const index = useStore(sceneStore, (s) => s.index);
  const trace = useStore(sceneStore, (s) => s.trace);
  const errors = useStore(sceneStore, (s) => s.errors);
  const notices = useStore(sceneStore, (s) => s.notices);
  const [help, setHelp] = useState(false);
  const lessonClass = useLessonAppClass();
  const viewScene = useLessonScene(scene);

  useEffect(() => {
    const p = readUrlParams(window.location.search, DEFAULT_SCENE);
    if (p.benchPackets !== undefined) viewStore.setState({ benchPackets: p.benchPackets });
    urlInPage = p.inPage === true;
    loadByName(p.scene, { seed: p.seed, t: p.t, sel: p.sel, selNode: p.selNode, compare: p.compare, notices: p.problems });
    return startPlaybackClock();
  }, []);

  // Keep the address bar on the moment shown: on pause, step, scrub and selection (throttled; not while playing).
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const schedule = () => {
      if (timer !== null || playbackStore.getState().playing) return;
      timer = setTimeout(() => {
        timer = null;
        if (!playbackStore.getState().playing) writeUrl();
      }, 250);
    };
    const unsubs = [
      playbackStore.subscribe((s, prev) => {
        if (s.time !== prev.time || s.playing !== prev.playing) schedule();
      }),
      selectionStore.subscribe((s, prev) => {
        if (s.row !== prev.row || s.node !== prev.node) schedule();
      }),
      compareStore.subscribe((s, prev) => {
        if (s.status !== prev.status || s.cmd !== prev.cmd) schedule();
      }),
    ];
    return () => {
      unsubs.forEach((u) => u());
      if (timer !== null) clearTimeout(timer);
    };
  }, []);

  const pick = useCallback((n: string) => {
    const url = new URL(window.location.href);
    url.search = `?scene=${encodeURIComponent(n)}`;
    window.history.replaceState(null, '', url);
    loadByName(n, { notices: [] });
  }, []);
  const onCopyLink = useCallback(() => copyLink(), []);

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
        case 'f':
        case 'F':
          viewStore.getState().setFollow(!viewStore.getState().follow);
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
    <div className={`app${lessonClass}`}>
      <TopBar
        sceneNames={NAMES}
        current={name}
        title={scene?.title ?? ''}
        index={ready ? index : null}
        onPickScene={pick}
        onHelp={() => setHelp(true)}
        onCopyLink={onCopyLink}
        trace={ready ? trace : null}
      />
      <CopyEmbedButton scene={name} title={scene?.title ?? ''} into=".topbar" />
      <main className="view">
        {ready ? (
          <>
            <Scene3D key={name} scene={viewScene ?? scene} index={index} />
            <Legend />
          </>
        ) : status === 'error' ? (
          <ErrorPanel title={`Could not open scene "${name}"`} errors={errors} sceneNames={NAMES} />
        ) : status === 'cancelled' ? (
          <SimulationCancelled name={name} onRetry={() => pick(name)} />
        ) : (
          <SimulationProgress onCancel={cancelSceneRun} />
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
      <LessonPanel host={{ sceneText: (n) => SCENE_FILES.get(n), loadScene: pick }} />
      {help && <HelpOverlay onClose={() => setHelp(false)} />}
    </div>
  );
}
