/** Wires the stores, the 3D view and the panels together; loads scenes from the URL or the picker. */
import { useCallback, useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
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
import { FaultMenu } from '../ui/faults/FaultMenu';
import '../ui/panel-list';
import { DeviceList } from '../ui/DeviceList';
import { EventList } from '../ui/EventList';
import { Inspector } from '../ui/Inspector';
import { ErrorPanel, HelpOverlay, Legend, Notices } from '../ui/Overlays';
import { Scrubber } from '../ui/Scrubber';
import { SimulationCancelled, SimulationFailed, SimulationProgress } from '../ui/SimulationProgress';
import { stepEvent, TopBar } from '../ui/TopBar';
import { showTerminal } from '../ui/terminal/show';
import { LessonPanel, LessonResume, useLessonAppClass, useLessonScene } from '../ui/lesson/LessonPanel';
import { deviceOnScreen, firstFrameMs, packetsOnScreen, Scene3D } from '../view3d/Scene3D';
import { ownsKey } from '../ui/keys';
import { EditorPanel, EditorStage, type EditorHost } from '../ui/editor/EditorPanel';
import { editorStore, openInEditor } from '../store/editor';
import { lessonStore, openLesson } from '../store/lesson';
import { BLANK_SCENE_TEXT } from '../scenario/edit/doc';
import { getMyScene } from '../store/my-scenes';
import { branchesStore, branchSummary, clearBranches, resetBranches, restoreBranchTree, sharedTree, type BranchSummary } from '../store/branches';
import { getSavedBranches, saveBranches } from '../store/saved-branches';
import { decodeBranchTree, encodeBranchTree, type SharedTree } from '../scenario/branch';
import type { Trace } from '../sim/trace';
import { decodeSceneText, encodeSceneText, MAX_SCENE_BYTES } from '../embed/codec';
import { MAX_DATA_CHARS } from '../embed/options';
import { DEFAULT_SCENE, SCENE_FILES } from './scenes';
import { readUrlParams, shareSearch, type UrlCompare } from './url';
import { PhoneTabs, type PhonePanel } from '../ui/PhoneTabs';
import '../ui/shell.css';

declare global {
  interface Window {
    __packetarium?: {
      traceHash: string;
      sceneName: string;
      events: number;
      rows: number;
      ready: boolean;
      packetsOnScreen(): { row: number; x: number; y: number }[];
      /** Where a device is drawn, in page pixels, or null. */
      deviceOnScreen(id: string): { x: number; y: number } | null;
      /** ms from navigation start to the first frame drawn with the scene's devices, or null. */
      firstFrameMs(): number | null;
      /** The playhead, ns. */
      time(): number;
      /** The first event time strictly after t (ns), or null. */
      nextEventTime(t: number): number | null;
      /** Selected trace row, or -1. */
      selectedRow(): number;
      /** The comparison run: its status, variant command and (once ready) trace hash. */
      comparison(): { status: string; cmd: string; traceHash: string | null };
      /** The branch tree: every branch with its actions as text, the current one, each run's status. */
      branches(): BranchSummary;
    };
  }
}

/** The scene picker's names: bench scenes (`bench-*`) are for `npm run bench` and stay out of it (a URL still opens them). */
const NAMES = [...SCENE_FILES.keys()].filter((n) => !n.startsWith('bench-'));
const BLANK_TEXT = () => BLANK_SCENE_TEXT;
let loadToken = 0;
/** The seed given in the URL (kept in shared links), if any. */
let urlSeed: number | undefined;
/** `?worker=off`: every scene of this page simulates in the page. */
let urlInPage = false;

/** The shareable query string of the current moment (scene, seed, playhead, selection). */
function currentSearch(): string | null {
  const ed = editorStore.getState();
  if (ed.open) return `?my=${encodeURIComponent(ed.id)}`;
  const s = sceneStore.getState();
  if (s.status !== 'ready' || !s.trace) return null;
  const sel = selectionStore.getState();
  const node = sel.node >= 0 ? s.trace.nodes[sel.node]?.name : undefined;
  const c = compareStore.getState();
  const compare = c.status === 'ready' || c.status === 'simulating' ? { run: c.runIndex, cmd: c.cmd } : undefined;
  const tree = sharedTree();
  const branches = tree.branches.length ? encodeBranchTree(tree) : undefined;
  const l = lessonStore.getState();
  const lesson = l.open && l.active && !l.busy ? { id: l.active, step: l.step } : undefined;
  return shareSearch({
    scene: s.name,
    seed: urlSeed,
    t: playbackStore.getState().time,
    sel: sel.row >= 0 ? sel.row : undefined,
    selNode: node,
    compare,
    branches,
    lesson,
  });
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
async function copyLink(): Promise<string> {
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
  /** Branches to re-create once the scene is there (else the ones saved with the scene, if any). */
  branches?: SharedTree;
  notices: string[];
}

/** Loads a scene by name: validated at once, simulated in the background (see `runSceneInBackground`). */
function loadByName(name: string, opts: LoadOptions): void {
  urlSeed = opts.seed;
  selectionStore.getState().clear();
  playbackStore.getState().pause();
  window.__packetarium = undefined;
  closeCompare();
  clearBranches();
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
  setTimeout(
    () => {
      if (token !== loadToken) return;
      runSceneInBackground(file.text, file.fileName, name, { seed: opts.seed, notices: opts.notices, inPage }, () => onSceneReady(token, name, opts));
    },
    inPage || !workersAvailable() ? 30 : 0,
  );
}

/** Runs the editor's scene in the worker; every view shows it, and the playhead stays where it was. */
function runEditorText(text: string, name: string): void {
  const t = playbackStore.getState().time;
  const token = ++loadToken;
  selectionStore.getState().clear();
  playbackStore.getState().pause();
  window.__packetarium = undefined;
  closeCompare();
  clearBranches();
  runSceneInBackground(text, 'my-scene.yaml', name, { notices: [] }, () => {
    const s = sceneStore.getState();
    const end = Math.max(s.scene?.duration ?? 0, s.index?.endTime ?? 0);
    onSceneReady(token, name, { t: Math.min(t, end), notices: [] });
  });
}

/** A link that opens the scene itself in the editor (the embed's compressed `data` form and limits). */
async function editorShareLink(text: string): Promise<string> {
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > MAX_SCENE_BYTES) throw new Error(`the scene is ${Math.ceil(bytes / 1024)} KB; a link carries at most ${MAX_SCENE_BYTES / 1024} KB`);
  const data = await encodeSceneText(text);
  if (data.length > MAX_DATA_CHARS) throw new Error(`the compressed scene is ${data.length} characters; a link carries at most ${MAX_DATA_CHARS}`);
  const url = new URL(window.location.href);
  url.search = `?data=${data}`;
  return url.href;
}

const editorHost: EditorHost = {
  sceneNames: NAMES,
  sceneText: (n) => SCENE_FILES.get(n)?.text,
  run: runEditorText,
  shareLink: editorShareLink,
  close: () => {
    editorStore.setState({ open: false });
    const url = new URL(window.location.href);
    url.search = `?scene=${encodeURIComponent(DEFAULT_SCENE)}`;
    window.history.replaceState(null, '', url);
    loadByName(DEFAULT_SCENE, { notices: [] });
  },
};

/** Opens the editor from the URL: `?my=<id>` (a saved scene) or `?data=` (a shared one); false when neither. */
function openEditorFromUrl(search: string): boolean {
  const q = new URLSearchParams(search);
  const my = q.get('my');
  const data = q.get('data');
  if (my) {
    getMyScene(my).then(
      (m) => {
        if (m) {
          openInEditor(m.text, m.name, m.id);
          runEditorText(m.text, m.name);
        } else {
          openInEditor(BLANK_TEXT(), 'My network');
          editorStore.setState({ message: `?my=${my}: no such scene under My scenes in this browser` });
        }
      },
      (e: unknown) => {
        openInEditor(BLANK_TEXT(), 'My network');
        editorStore.setState({ save: { state: 'error', message: `Could not read My scenes: ${e instanceof Error ? e.message : String(e)}` } });
      },
    );
    return true;
  }
  if (data) {
    void decodeSceneText(data).then((r) => {
      if (r.ok) {
        openInEditor(r.text, 'Shared scene');
        runEditorText(r.text, 'Shared scene');
      } else {
        openInEditor(BLANK_TEXT(), 'My network');
        editorStore.setState({ message: r.error });
      }
    });
    return true;
  }
  return false;
}

/** Once the scene's trace is there: playhead, selection and camera from the URL, and the test hook. */
function onSceneReady(token: number, name: string, opts: LoadOptions): void {
  if (token !== loadToken) return;
  const s = sceneStore.getState();
  if (s.status !== 'ready' || !s.scene || !s.trace || !s.index) return;
  if (s.source) resetBranches(name, s.source, { scene: s.scene, trace: s.trace, index: s.index });
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
    else
      notices.push(
        `?sel=node:${opts.selNode}: no device "${opts.selNode}" in this scene (devices: ${s.trace.nodes.map((n) => n.name).join(', ')}); nothing selected`,
      );
  }
  if (opts.compare && s.source) viewStore.getState().showPanel('overload');
  if (opts.compare && s.source && !startCompare(s.source, opts.compare.run, opts.compare.cmd)) {
    notices.push(
      `?compare=${opts.compare.run}:${opts.compare.cmd}: ${compareStore.getState().errors.join('; ')}; no comparison (the Load panel's Compare form holds it to fix)`,
    );
  }
  if (notices.length !== sceneStore.getState().notices.length) sceneStore.setState({ notices });
  viewStore.getState().setCamera(s.scene.view?.camera ?? 'perspective');
  // The shown run changes when a branch is switched to: read it live, hashing each trace once.
  let hashed: { trace: Trace; hash: string } | null = null;
  window.__packetarium = {
    // Hashing a big trace takes a while: only when asked (tests, tools).
    get traceHash() {
      const trace = sceneStore.getState().trace;
      if (!trace) return '';
      if (hashed?.trace !== trace) hashed = { trace, hash: trace.hash() };
      return hashed.hash;
    },
    sceneName: name,
    get events() {
      return sceneStore.getState().events;
    },
    get rows() {
      return sceneStore.getState().trace?.length ?? 0;
    },
    ready: true,
    packetsOnScreen,
    deviceOnScreen,
    firstFrameMs,
    time: () => playbackStore.getState().time,
    nextEventTime: (t: number) => {
      const index = sceneStore.getState().index;
      return index ? nextEventTime(index, t) : null;
    },
    selectedRow: () => selectionStore.getState().row,
    comparison: () => {
      const c = compareStore.getState();
      return { status: c.status, cmd: c.cmd, traceHash: c.trace ? c.trace.hash() : null };
    },
    branches: branchSummary,
  };
  restoreBranches(token, name, opts.branches);
}

/** Re-creates the branches of the link, else those saved with the scene in this browser. */
function restoreBranches(token: number, name: string, fromUrl: SharedTree | undefined): void {
  const root = branchesStore.getState().root;
  if (!root) return;
  const notify = (problems: string[]) => {
    if (problems.length) sceneStore.setState({ notices: [...sceneStore.getState().notices, ...problems] });
  };
  if (fromUrl) {
    notify(restoreBranchTree(fromUrl, '?branches'));
    return;
  }
  getSavedBranches(name, root.text).then(
    (saved) => {
      if (!saved || token !== loadToken || branchesStore.getState().branches.length > 1) return;
      const r = decodeBranchTree(saved);
      if (r.ok) notify(restoreBranchTree(r.tree, 'saved branches'));
    },
    () => {
      // No storage here (private mode, an old browser): branches live as long as the page.
    },
  );
}

/** Saves the tree with its scene whenever it changes (a moment later, once per burst of changes). */
function keepBranches(): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const unsub = branchesStore.subscribe((s, prev) => {
    if (s.branches === prev.branches && s.currentId === prev.currentId) return;
    if (!s.root || !s.sceneName || prev.root !== s.root) return;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      const now = branchesStore.getState();
      if (!now.root) return;
      const tree = sharedTree();
      saveBranches(now.sceneName, now.root.text, tree.branches.length ? encodeBranchTree(tree) : undefined).catch(() => {});
    }, 300);
  });
  return () => {
    unsub();
    if (timer !== null) clearTimeout(timer);
  };
}

/** "Build" in the top bar: opens the editor on a blank scene (or closes it). */
function EditorToggle({ editing }: { editing: boolean }) {
  const [host, setHost] = useState<Element | null>(null);
  useEffect(() => {
    const id = requestAnimationFrame(() => setHost(document.querySelector('.topbar')));
    return () => cancelAnimationFrame(id);
  }, []);
  if (!host) return null;
  return createPortal(
    <button
      className="editor-toggle"
      data-testid="editor-toggle"
      title={editing ? 'Close the editor and go back to the bundled scenes' : 'Build your own network: place devices, cable them, run it'}
      onClick={() => (editing ? editorHost.close() : openInEditor(BLANK_TEXT(), 'My network'))}
    >
      {editing ? 'Close editor' : 'Build'}
    </button>,
    host,
  );
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
  const retry = useStore(sceneStore, (s) => s.retry);
  const [help, setHelp] = useState(false);
  const lessonClass = useLessonAppClass();
  const viewScene = useLessonScene(scene);

  useEffect(() => {
    const p = readUrlParams(window.location.search, DEFAULT_SCENE);
    // Bench builds only (bench/browser/frame-time.mjs, the dev server): a production build drops this branch.
    if ((import.meta.env.DEV || import.meta.env.MODE === 'bench') && p.benchPackets !== undefined) {
      const packets = p.benchPackets;
      void import('../view3d/bench').then((m) => m.installBench(packets));
    }
    urlInPage = p.inPage === true;
    if (openEditorFromUrl(window.location.search)) return startPlaybackClock();
    if (p.lesson !== undefined) {
      // The lesson panel registered the catalogue first (children's effects run before ours).
      const entry = lessonStore.getState().entries.find((e) => e.id === p.lesson);
      if (entry?.lesson) {
        openLesson(entry.id, p.step, p.t);
        return startPlaybackClock();
      }
      p.problems.push(`?lesson=${p.lesson}: no such lesson; showing the scene`);
    }
    loadByName(p.scene, { seed: p.seed, t: p.t, sel: p.sel, selNode: p.selNode, compare: p.compare, branches: p.branches, notices: p.problems });
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
      lessonStore.subscribe((s, prev) => {
        if (s.open !== prev.open || s.active !== prev.active || s.step !== prev.step || s.busy !== prev.busy) schedule();
      }),
      branchesStore.subscribe((s, prev) => {
        if (s.branches !== prev.branches || s.currentId !== prev.currentId) schedule();
      }),
      keepBranches(),
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
      // A focused control keeps its own keys (Space presses a button, arrows move in a list).
      if (e.ctrlKey || e.metaKey || e.altKey || ownsKey(e.target, e.key)) return;
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
        case 'End':
          pb.pause();
          pb.seek(pb.duration);
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
        case 't':
        case 'T': {
          // The selected device's terminal, else the first host's.
          const s = sceneStore.getState();
          const picked = s.trace?.nodes[selectionStore.getState().node];
          const host = picked && picked.kind !== 'switch' && picked.kind !== 'hub' ? picked : s.trace?.nodes.find((n) => n.kind === 'host');
          if (!host) return;
          e.preventDefault();
          showTerminal(host.name);
          return;
        }
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
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const ready = status === 'ready' && scene && index;
  const editing = useStore(editorStore, (s) => s.open);
  const [show3d, setShow3d] = useState(false);
  const [embedData, setEmbedData] = useState<{ text: string; data: string } | null>(null);
  const source = useStore(sceneStore, (s) => s.source);
  useEffect(() => {
    if (!editing || !source) return;
    let live = true;
    void encodeSceneText(source.text).then((data) => live && setEmbedData({ text: source.text, data }));
    return () => {
      live = false;
    };
  }, [editing, source]);
  const embed = editing && source && embedData?.text === source.text ? embedData.data : undefined;
  const editorId = useStore(editorStore, (s) => s.id);
  const lessonOpen = useStore(lessonStore, (s) => s.open);
  const [phoneChoice, setPhonePanel] = useState<PhonePanel>('events');
  // On a phone, a lesson opening takes the panel area; closing it gives it back; the editor has one panel.
  const [seenLessonOpen, setSeenLessonOpen] = useState(lessonOpen);
  if (seenLessonOpen !== lessonOpen) {
    setSeenLessonOpen(lessonOpen);
    if (lessonOpen) setPhonePanel('lesson');
  }
  const phonePanel: PhonePanel = editing ? 'inspector' : phoneChoice === 'lesson' && !lessonOpen ? 'events' : phoneChoice;
  useEffect(() => {
    if (editing) writeUrl();
  }, [editing, editorId]);
  return (
    <div className={`app${lessonClass}${editing ? ' editing' : ''}`} data-phone-panel={phonePanel}>
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
      <CopyEmbedButton scene={name} title={scene?.title ?? ''} into=".topbar" data={embed} />
      <EditorToggle editing={editing} />
      <main className="view">
        {editing && (
          <button className="editor-view-toggle" data-testid="editor-view-toggle" disabled={!ready} onClick={() => setShow3d((v) => !v)}>
            {show3d ? 'Edit on the plan' : 'Show the run in 3D'}
          </button>
        )}
        {status === 'error' && retry ? (
          <SimulationFailed name={name} errors={errors} onRetry={retry} />
        ) : editing && !(show3d && ready) ? (
          <EditorStage />
        ) : (
          <>
            {/* Mounted while scenes come and go: a switch swaps the content, not the WebGL context. */}
            <Scene3D sceneKey={name} scene={ready ? (viewScene ?? scene) : null} index={ready ? index : null} />
            {ready ? (
              <>
                <Legend />
                <DeviceList trace={index.trace} />
              </>
            ) : status === 'error' ? (
              <ErrorPanel title={`Could not open scene "${name}"`} errors={errors} sceneNames={NAMES} />
            ) : status === 'cancelled' ? (
              <SimulationCancelled name={name} onRetry={() => pick(name)} />
            ) : (
              <SimulationProgress onCancel={cancelSceneRun} />
            )}
          </>
        )}
        <Notices notices={notices} />
        <LessonResume />
      </main>
      {editing ? <EditorPanel host={editorHost} /> : ready ? <Inspector index={index} scene={scene} /> : <aside className="panel inspector" />}
      {ready ? (
        <>
          <Scrubber index={index} />
          <EventList index={index} />
          <ConsolePanel index={index} scene={scene} />
        </>
      ) : (
        <>
          <div className="scrubber" />
          <section className="panel events" />
          <section className="panel console" />
        </>
      )}
      <PhoneTabs value={phonePanel} onChange={setPhonePanel} lesson={lessonOpen} editing={editing} />
      <LessonPanel host={{ sceneText: (n) => SCENE_FILES.get(n), loadScene: pick }} />
      <FaultMenu />
      {help && <HelpOverlay onClose={() => setHelp(false)} />}
    </div>
  );
}
