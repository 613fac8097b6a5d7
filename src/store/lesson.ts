/**
 * The lesson player: which lesson is open, which step, the student's progress (saved through
 * `lesson-progress.ts`: versioned and validated; unreadable data is kept in a backup key, never
 * dropped), and what the current step asks of the view (highlight, selection, playhead). The step engine
 * (src/lesson) decides moments and answers; this store only applies them to the other stores.
 */
import { createStore } from 'zustand/vanilla';
import {
  emptyLessonProgress,
  formatLessonError,
  LessonSession,
  checkLessonRefs,
  mergeProgress,
  parseLesson,
  parseProgressText,
  progressFileText,
  type Lesson,
  type LessonProgress,
  type LessonRun,
  type Progress,
  type TryVerdict,
} from '../lesson';
import { rawSceneText } from '../scenario/raw-scene';
import { loadSceneData } from '../scenario/load';
import { closeCompare } from './compare';
import { progressStorage } from './lesson-progress';
import { playbackStore, speedFor } from './playback';
import { sceneStore, stopSceneRun } from './scene';
import { selectionStore } from './selection';
import { startSimulation, workersAvailable, type SimulationRun } from '../runner/start-simulation';
import { viewStore } from './view';

/** A lesson file of the catalogue: parsed, or its errors. */
export interface LessonEntry {
  readonly id: string;
  readonly file: string;
  readonly lesson: Lesson | null;
  /** `file:line: problem` lines. */
  readonly errors: string[];
}

/** What the app provides: scene files by name and a way to open one the usual way. */
export interface LessonHost {
  sceneText(name: string): { text: string; fileName: string } | undefined;
  loadScene(name: string): void;
}

export interface LessonState {
  entries: LessonEntry[];
  /** The side panel is shown. */
  open: boolean;
  presenter: boolean;
  /** Open lesson (an entry id), or null for the catalogue. */
  active: string | null;
  /** Step shown; -1 = the introduction. */
  step: number;
  /** Setting the step up (simulating). */
  busy: boolean;
  /** Errors of the open lesson found when running it (unknown names, unmet conditions). */
  runErrors: string[];
  /** Devices/links the current step highlights (null: the scene's own). */
  highlight: readonly string[] | null;
  /** The step's moment, ns (for "Back to this step"). */
  stepTime: number;
  /** Bumped when a step asks for a panel. */
  panel: { name: string; nonce: number } | null;
  progress: Progress;
  /** Something the student should know (unreadable saved progress, an import result). */
  notice: string | null;
  /** Current exercise: the values chosen and the last verdict. */
  tryValues: Record<string, unknown>;
  tryVerdict: TryVerdict | null;
  /** While the exercise's run simulates (in the worker): how far it has got. */
  tryProgress: { simNs: number; durationNs: number } | null;
  /** While a lesson opens and its scene's variants simulate (in the worker): how far the current one has got, and which of how many. */
  stepProgress: { simNs: number; durationNs: number; part: number; parts: number } | null;
  /** Which run of the scene is on screen (`base`, `faults:N`, `try:...`). */
  shownRun: string;
  /** The lesson left open last time, offered for resuming (never reopened on its own); null once taken or dismissed. */
  resume: string | null;
}

let host: LessonHost | null = null;
let session: LessonSession | null = null;

/** Where progress is saved: the page's localStorage (looked up at every call). */
const saved = progressStorage();

function save(p: Progress): void {
  saved.save(p);
}

const initial = saved.load();

export const lessonStore = createStore<LessonState>()(() => ({
  entries: [],
  open: false,
  presenter: false,
  active: null,
  step: -1,
  busy: false,
  runErrors: [],
  highlight: null,
  stepTime: 0,
  panel: null,
  progress: initial.progress,
  notice: initial.notice,
  tryValues: {},
  tryVerdict: null,
  tryProgress: null,
  stepProgress: null,
  shownRun: 'base',
  resume: null,
}));

/** Parses lesson files (path -> text) into the catalogue, sorted by `order` then id. */
function lessonEntries(files: Record<string, string>): LessonEntry[] {
  return Object.entries(files)
    .map(([path, text]): LessonEntry => {
      const file = path.replace(/^\//, '');
      const id = file.replace(/^.*\//, '').replace(/\.md$/i, '');
      const r = parseLesson(text, file);
      return r.ok ? { id, file, lesson: r.lesson, errors: [] } : { id, file, lesson: null, errors: r.errors.map(formatLessonError) };
    })
    .sort((a, b) => (a.lesson?.order ?? 99) - (b.lesson?.order ?? 99) || a.id.localeCompare(b.id));
}

function setProgress(update: (l: LessonProgress) => LessonProgress, id = lessonStore.getState().active): void {
  if (!id) return;
  const p = lessonStore.getState().progress;
  const next: Progress = { ...p, lessons: { ...p.lessons, [id]: update(p.lessons[id] ?? emptyLessonProgress()) } };
  lessonStore.setState({ progress: next });
  save(next);
}

function setActive(id: string | null): void {
  const p = { ...lessonStore.getState().progress, active: id };
  lessonStore.setState({ progress: p });
  save(p);
}

/** Whether every step of a lesson is done: visited, answered right, exercise passed. */
export function isStepDone(lesson: Lesson, l: LessonProgress | undefined, i: number): boolean {
  if (!l) return false;
  const s = lesson.steps[i];
  if (s.kind === 'question') return l.answers[i]?.correct === true;
  if (s.kind === 'try') return l.tries[i]?.passed === true;
  return l.visited.includes(i);
}

export function lessonDoneCount(lesson: Lesson, l: LessonProgress | undefined): number {
  let n = 0;
  for (let i = 0; i < lesson.steps.length; i++) if (isStepDone(lesson, l, i)) n++;
  return n;
}

function markCompleteIfDone(): void {
  const s = lessonStore.getState();
  const entry = s.entries.find((e) => e.id === s.active);
  if (!entry?.lesson) return;
  const l = s.progress.lessons[entry.id];
  if (l && !l.completedAt && lessonDoneCount(entry.lesson, l) === entry.lesson.steps.length)
    setProgress((x) => ({ ...x, completedAt: new Date().toISOString() }));
}

/** Puts a run on screen (a variant of the lesson's scene). */
function showRun(run: LessonRun, name: string): void {
  const trace = run.index.trace;
  stopSceneRun();
  // A comparison was of the run shown before: it goes; new ones are variants of this run's data.
  closeCompare();
  sceneStore.setState({
    status: 'ready',
    name,
    scene: run.scene,
    trace,
    index: run.index,
    errors: [],
    notices: [],
    progress: null,
    source: { text: rawSceneText(run.raw), fileName: name },
  });
  const duration = Math.max(run.scene.duration, run.index.endTime);
  const pb = playbackStore.getState();
  pb.setDuration(duration);
  pb.setSpeed(speedFor(duration));
  lessonStore.setState({ shownRun: run.key });
}

/** Applies step `i` to the view: run, playhead, highlight, selection, camera, panel. */
function applyStep(i: number): void {
  const s = lessonStore.getState();
  const entry = s.entries.find((e) => e.id === s.active);
  if (!entry?.lesson || !session) return;
  const lesson = entry.lesson;
  const pb = playbackStore.getState();
  pb.pause();
  if (i < 0) {
    const run = session.runFor(0);
    if (s.shownRun !== 'base' || sceneStore.getState().index !== run.index) {
      if (run.key === 'base' && sceneStore.getState().index !== run.index) showRun(run, lesson.scene);
    }
    pb.seek(0);
    lessonStore.setState({ highlight: null, stepTime: 0, tryVerdict: null, tryValues: {} });
    return;
  }
  const step = lesson.steps[i];
  const run = session.runFor(i);
  if (sceneStore.getState().index !== run.index) showRun(run, lesson.scene);
  const moment = session.stepMoments()[i];
  const d = step.directives;
  pb.seek(moment.time);
  const tr = run.index.trace;
  if (d.select === 'packet' && moment.row >= 0) selectionStore.getState().selectRow(moment.row, tr.packet[moment.row]);
  else if (d.select) {
    const node = tr.nodes.findIndex((n) => n.name === d.select);
    if (node >= 0) selectionStore.getState().selectNode(node);
  } else selectionStore.getState().clear();
  if (d.camera) viewStore.getState().setCamera(d.camera);
  const saved = lessonStore.getState().progress.lessons[lesson.id]?.tries[i];
  lessonStore.setState({
    highlight: d.highlight ?? null,
    stepTime: moment.time,
    panel: d.panel ? { name: d.panel, nonce: (s.panel?.nonce ?? 0) + 1 } : s.panel,
    tryValues: step.tryIt ? { ...session.startValues(i), ...(saved?.values ?? {}) } : {},
    tryVerdict: null,
  });
  if (d.play) pb.play();
}

/** Opens the catalogue side panel (or closes it). */
export function toggleLessons(open = !lessonStore.getState().open): void {
  lessonStore.setState({ open, presenter: open ? lessonStore.getState().presenter : false });
}

/**
 * Registers the catalogue and the app's scene access. The lesson left open last time is only offered
 * (`resume`): the page's address decides what is shown (a link always wins; see `openLesson`).
 */
export function initLessons(files: Record<string, string>, h: LessonHost): void {
  host = h;
  lessonStore.setState({ entries: lessonEntries(files) });
  const active = lessonStore.getState().progress.active;
  const offer = active && lessonStore.getState().entries.some((e) => e.id === active && e.lesson) ? active : null;
  lessonStore.setState({ resume: offer });
}

/** Opens the lesson offered for resuming, at the step where the student left it. */
export function resumeLesson(): void {
  const id = lessonStore.getState().resume;
  lessonStore.setState({ resume: null });
  if (id) openLesson(id);
}

/** Declines the offer to resume a lesson (for this page). */
export function dismissResume(): void {
  lessonStore.setState({ resume: null });
}

/** Adds a lesson from a file the user picked (e.g. an instructor's draft) and opens it, or shows its errors. */
export function addLessonFile(text: string, fileName: string): LessonEntry {
  const [entry] = lessonEntries({ [`lessons/${fileName.replace(/^.*[\\/]/, '')}`]: text });
  const entries = [...lessonStore.getState().entries.filter((e) => e.id !== entry.id), entry];
  lessonStore.setState({ entries, open: true });
  if (entry.lesson) openLesson(entry.id);
  else {
    lessonStore.setState({ active: entry.id, step: -1, runErrors: [] });
  }
  return entry;
}

/** The runs a lesson opening simulates (in the worker), if any; replaced or cancelled when the student navigates. */
let stepRun: SimulationRun | null = null;
/** Bumped whenever the lesson or step changes: a run started under an older value never lands. */
let navigation = 0;
/** Stops waiting for the scene the app is loading for a lesson. */
let stopWaitingForScene: (() => void) | null = null;

/** Stops the lesson's runs in progress (opening, or a step's variant): nothing of theirs lands. */
function cancelStepRuns(): void {
  navigation++;
  stepRun?.cancel();
  stepRun = null;
  stopWaitingForScene?.();
  stopWaitingForScene = null;
  if (lessonStore.getState().stepProgress) lessonStore.setState({ stepProgress: null });
}

/**
 * Makes sure the session has the runs steps `steps` show, simulating the missing ones one after the
 * other in the simulation worker (progress in `stepProgress`), then calls `then`. Without a worker
 * it calls `then` at once, and the session simulates what it lacks in this thread. Navigating
 * (`cancelStepRuns`) drops the pending work: neither `then` nor `fail` is called.
 */
function withRuns(sess: LessonSession, steps: readonly number[], then: () => void, fail: (errors: string[]) => void): void {
  const missing: { raw: LessonRun['raw']; key: string }[] = [];
  for (const i of steps) {
    const v = sess.rawFor(i);
    if (!sess.cachedRun(v.key) && !missing.some((m) => m.key === v.key)) missing.push(v);
  }
  if (missing.length === 0 || !workersAvailable()) return then();
  const gen = navigation;
  const current = () => gen === navigation && session === sess;
  const stop = (errors: string[]) => {
    stepRun = null;
    lessonStore.setState({ stepProgress: null });
    fail(errors);
  };
  const next = (k: number): void => {
    if (k === missing.length) {
      stepRun = null;
      lessonStore.setState({ stepProgress: null });
      return then();
    }
    const { raw, key } = missing[k];
    const loaded = loadSceneData(raw);
    if (!loaded.ok) return stop(sess.sceneErrors(loaded.errors, key));
    const scene = loaded.scene;
    lessonStore.setState({ stepProgress: { simNs: 0, durationNs: scene.duration, part: k + 1, parts: missing.length } });
    stepRun = startSimulation(
      { text: rawSceneText(raw), fileName: `${sess.lesson.scene} (${key})` },
      {
        onProgress: (pr) => {
          if (current()) lessonStore.setState({ stepProgress: { simNs: pr.simNs, durationNs: pr.durationNs, part: k + 1, parts: missing.length } });
        },
        onDone: (r) => {
          if (!current()) return;
          sess.addRun(raw, key, scene, r.index);
          next(k + 1);
        },
        onInvalid: (errors) => void (current() && stop(errors)),
        onFailed: (error) => void (current() && stop([error])),
      },
    );
  };
  next(0);
}

/**
 * Opens a lesson at a step (default: where the student left it), the playhead at `t` when given (a
 * reloaded or shared moment) or else at the step's moment. Its runs simulate in the worker.
 */
export function openLesson(id: string, step?: number, t?: number): void {
  cancelTry();
  cancelStepRuns();
  const entry = lessonStore.getState().entries.find((e) => e.id === id);
  lessonStore.setState({ open: true, active: id, runErrors: [], tryVerdict: null, busy: !!entry?.lesson, resume: null });
  setActive(id);
  if (!entry?.lesson || !host) return;
  const lesson = entry.lesson;
  const src = host.sceneText(lesson.scene);
  if (!src) {
    lessonStore.setState({ busy: false, runErrors: [`${lesson.file}: no scene called "${lesson.scene}" in scenes/`] });
    return;
  }
  const target = Math.min(step ?? lessonStore.getState().progress.lessons[id]?.step ?? -1, lesson.steps.length - 1);
  const gen = navigation;
  const failed = (errors: string[]) => lessonStore.setState({ busy: false, runErrors: errors.map((e) => `${lesson.file}: ${e}`) });
  const start = () => {
    if (gen !== navigation) return;
    const sc = sceneStore.getState();
    const base = sc.status === 'ready' && sc.name === lesson.scene && sc.scene && sc.index ? { scene: sc.scene, index: sc.index } : undefined;
    let sess: LessonSession;
    try {
      sess = session = new LessonSession(lesson, src.text, { base });
    } catch (e) {
      return failed([e instanceof Error ? e.message : String(e)]);
    }
    // Every variant the steps show (the moments are resolved over all of them), in the worker.
    const all = lesson.steps.map((_, i) => i);
    withRuns(
      sess,
      all.length ? all : [0],
      () => {
        try {
          const run = sess.runFor(0);
          const errors = checkLessonRefs(lesson, run.scene, sess.raw).map(formatLessonError);
          const moments = sess.stepMoments();
          moments.forEach((m, i) => {
            if (!m.met)
              errors.push(
                `${lesson.file}:${lesson.steps[i].blockLine}: step ${i + 1} ("${lesson.steps[i].title}"): its until condition never holds in the scene`,
              );
          });
          lessonStore.setState({ runErrors: errors, busy: false, shownRun: base ? 'base' : '' });
          goto(target);
          if (t !== undefined) playbackStore.getState().seek(Math.min(t, playbackStore.getState().duration));
        } catch (e) {
          failed([e instanceof Error ? e.message : String(e)]);
        }
      },
      failed,
    );
  };
  const sc = sceneStore.getState();
  if (sc.name === lesson.scene && sc.status === 'ready') {
    setTimeout(start, 0);
    return;
  }
  // Listening first: the app may load the scene before `loadScene` returns (without a worker).
  // The step is applied in the next task, after the app has set up the scene it loaded (playhead at
  // 0), so the step's moment (or the URL's `t`) is what stays on screen.
  const unsub = sceneStore.subscribe((s) => {
    if (s.name === lesson.scene && (s.status === 'ready' || s.status === 'error')) {
      unsub();
      const timer = setTimeout(() => {
        stopWaitingForScene = null;
        start();
      }, 0);
      stopWaitingForScene = () => clearTimeout(timer);
    }
  });
  stopWaitingForScene = unsub;
  host.loadScene(lesson.scene);
}

/** Back to the catalogue. */
export function closeLesson(): void {
  cancelTry();
  cancelStepRuns();
  session = null;
  lessonStore.setState({ active: null, step: -1, busy: false, highlight: null, runErrors: [], presenter: false, tryVerdict: null });
  setActive(null);
}

export function goto(i: number): void {
  const s = lessonStore.getState();
  const entry = s.entries.find((e) => e.id === s.active);
  if (!entry?.lesson || s.busy) return;
  const step = Math.max(-1, Math.min(entry.lesson.steps.length - 1, i));
  cancelTry();
  cancelStepRuns();
  lessonStore.setState({ step });
  setProgress((l) => ({ ...l, step, visited: step >= 0 && !l.visited.includes(step) ? [...l.visited, step].sort((a, b) => a - b) : l.visited }));
  const show = () => {
    applyStep(step);
    markCompleteIfDone();
  };
  const sess = session;
  if (!sess || sess.cachedRun(sess.rawFor(Math.max(0, step)).key)) return show();
  // A variant not simulated yet (e.g. dropped from the cache): in the worker, the panel busy meanwhile.
  lessonStore.setState({ busy: true });
  withRuns(
    sess,
    [Math.max(0, step)],
    () => {
      lessonStore.setState({ busy: false });
      show();
    },
    (errors) => lessonStore.setState({ busy: false, runErrors: errors.map((e) => `${entry.lesson!.file}: ${e}`) }),
  );
}

export const nextStep = () => goto(lessonStore.getState().step + 1);

/** Opens the first lesson not finished yet (the catalogue's "next"). */
export function openNextLesson(): void {
  const s = lessonStore.getState();
  const e = s.entries.find((x) => x.lesson && !s.progress.lessons[x.id]?.completedAt) ?? s.entries.find((x) => x.lesson);
  if (e) openLesson(e.id);
}
export const prevStep = () => goto(lessonStore.getState().step - 1);

/** Back to the current step's moment after exploring. */
export function backToStep(): void {
  applyStep(lessonStore.getState().step);
}

/** Answers the current question; the simulation decides whether it is right. */
export function answer(choice: number): void {
  const s = lessonStore.getState();
  const entry = s.entries.find((e) => e.id === s.active);
  const q = entry?.lesson?.steps[s.step]?.question;
  if (!q || !session || choice < 0 || choice >= q.choices.length) return;
  const verdict = session.judge(s.step);
  const correct = verdict.correct.length === 1 && verdict.correct[0] === choice;
  setProgress((l) => ({ ...l, answers: { ...l.answers, [s.step]: { choice, correct } } }));
  markCompleteIfDone();
}

/** The simulation's verdict on the current question (for feedback). */
export function questionVerdict() {
  const s = lessonStore.getState();
  return session && s.step >= 0 ? session.judge(s.step) : null;
}

export function setTryValue(id: string, value: unknown): void {
  cancelTry();
  lessonStore.setState({ tryValues: { ...lessonStore.getState().tryValues, [id]: value }, tryVerdict: null });
}

/** The exercise run in progress (in the simulation worker), if any. */
let tryRun: SimulationRun | null = null;

/** Stops the exercise run in progress, if any: its result never lands. */
export function cancelTry(): void {
  tryRun?.cancel();
  tryRun = null;
  if (lessonStore.getState().tryProgress) lessonStore.setState({ tryProgress: null });
}

/**
 * Re-simulates with the student's values (in the simulation worker, progress in `tryProgress`),
 * then checks the goal and shows the new run. Changing a value, the step or the lesson cancels it.
 */
export function runTry(): void {
  const s = lessonStore.getState();
  const entry = s.entries.find((e) => e.id === s.active);
  const sess = session;
  if (!sess || !entry?.lesson?.steps[s.step]?.tryIt) return;
  cancelTry();
  const lesson = entry.lesson;
  const { step, tryValues: values } = s;
  const p = sess.prepareTry(step, values);
  if (!p.ok) return void lessonStore.setState({ tryVerdict: p });
  const hit = sess.cachedRun(p.key);
  if (hit) return finishTry(sess.checkTry(step, hit), lesson, step, values);
  const loaded = loadSceneData(p.raw);
  if (!loaded.ok) return void lessonStore.setState({ tryVerdict: { ok: false, errors: sess.sceneErrors(loaded.errors, p.key) } });
  const scene = loaded.scene;
  const fail = (errors: string[]) => {
    tryRun = null;
    lessonStore.setState({ tryVerdict: { ok: false, errors }, tryProgress: null });
  };
  lessonStore.setState({ tryVerdict: null, tryProgress: { simNs: 0, durationNs: scene.duration } });
  const run = startSimulation(
    { text: rawSceneText(p.raw), fileName: `${lesson.scene} (${p.key})` },
    {
      onProgress: (pr) => lessonStore.setState({ tryProgress: { simNs: pr.simNs, durationNs: pr.durationNs } }),
      onDone: (r) => {
        tryRun = null;
        lessonStore.setState({ tryProgress: null });
        if (session !== sess) return;
        finishTry(sess.checkTry(step, sess.addRun(p.raw, p.key, scene, r.index)), lesson, step, values);
      },
      onInvalid: fail,
      onFailed: (e) => fail([e]),
    },
  );
  if (run.inWorker) tryRun = run;
}

/** Shows an exercise's verdict and run, and records the attempt. */
function finishTry(v: TryVerdict, lesson: Lesson, step: number, values: Record<string, unknown>): void {
  lessonStore.setState({ tryVerdict: v });
  if (!v.ok) return;
  showRun(v.run, lesson.scene);
  const pb = playbackStore.getState();
  pb.pause();
  pb.seek(v.passed ? v.result.time : 0);
  if (v.passed && v.result.row >= 0) selectionStore.getState().selectRow(v.result.row, v.run.index.trace.packet[v.result.row]);
  setProgress((l) => ({ ...l, tries: { ...l.tries, [step]: { values, passed: v.passed || l.tries[step]?.passed === true } } }));
  markCompleteIfDone();
}

export function setPresenter(on: boolean): void {
  lessonStore.setState({ presenter: on, open: on ? true : lessonStore.getState().open });
}

/** Progress as the text of an export file. */
export function exportProgressText(): string {
  return progressFileText(lessonStore.getState().progress, new Date().toISOString());
}

/** Imports a progress file: validated, then merged (the current progress is backed up first). */
export function importProgressText(text: string): { ok: boolean; message: string } {
  const r = parseProgressText(text);
  if (!r.ok) {
    lessonStore.setState({ notice: `Could not import progress: ${r.error}` });
    return { ok: false, message: r.error };
  }
  const current = lessonStore.getState().progress;
  saved.backUp(current); // if that fails, merging still keeps the current progress
  const merged = mergeProgress(current, r.progress);
  lessonStore.setState({ progress: merged, notice: `Imported progress for ${Object.keys(r.progress.lessons).length} lesson(s).` });
  save(merged);
  return { ok: true, message: 'imported' };
}

export function dismissNotice(): void {
  lessonStore.setState({ notice: null });
}

/** For tests and tools: re-reads saved progress as if the page had loaded. */
export function reloadSavedProgress(): void {
  const r = saved.load();
  lessonStore.setState({ progress: r.progress, notice: r.notice });
}

/**
 * While the current step asks a prediction not yet answered right: the step's moment (ns), after
 * which the views keep the outcome hidden (event rows, the scene's description); otherwise null.
 */
export function pendingPrediction(s: LessonState): number | null {
  if (!s.open || !s.active || s.step < 0 || s.busy) return null;
  const q = s.entries.find((e) => e.id === s.active)?.lesson?.steps[s.step]?.question;
  if (!q || q.kind !== 'predict') return null;
  return s.progress.lessons[s.active]?.answers[s.step]?.correct ? null : s.stepTime;
}

/** Whether the current step's question is still to be answered right (its notes wait until then). */
export function questionPending(s: LessonState): boolean {
  if (!s.open || !s.active || s.step < 0) return false;
  const q = s.entries.find((e) => e.id === s.active)?.lesson?.steps[s.step]?.question;
  return !!q && s.progress.lessons[s.active]?.answers[s.step]?.correct !== true;
}
