/**
 * Opening a lesson, as the lesson panel drives it: the lesson's scene simulates in the (stand-in)
 * worker with progress shown in the panel, lands with the same trace the step engine computes in
 * one go, and a lesson closed (or replaced) while its run goes never lands.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { LessonSession, parseLesson, type Lesson } from '../../src/lesson';
import { closeLesson, goto, initLessons, lessonStore, openLesson } from '../../src/store/lesson';
import { sceneStore } from '../../src/store/scene';
import { FakeWorker } from '../helpers/fake-worker';

const FILES = ['lessons/06-retry-storm.md', 'lessons/02-arp-ping-traceroute.md'];
const texts: Record<string, string> = Object.fromEntries(FILES.map((f) => [f, readFileSync(f, 'utf8')]));
// Lesson 2 with a step that adds a fault: the steps from there on show another run of the scene.
const FAULT_FILE = 'lessons/90-fault-step.md';
texts[FAULT_FILE] = texts[FILES[1]].replace(
  'select: packet\nhighlight: [h2]\n',
  'select: packet\nhighlight: [h2]\nfault: { at: 0ms, link: r3-h2, set: { latency: 20ms } }\n',
);
function lessonOf(file: string): Lesson {
  const p = parseLesson(texts[file], file);
  if (!p.ok) throw new Error(file);
  return p.lesson;
}
const storm = lessonOf(FILES[0]);
const arp = lessonOf(FILES[1]);
const faulty = lessonOf(FAULT_FILE);
const faultStep = faulty.steps.findIndex((st) => st.directives.fault);
const sceneText = (name: string) => readFileSync(`scenes/${name}.yaml`, 'utf8');

const settle = () => new Promise((r) => setTimeout(r, 0));
async function until(pred: () => boolean): Promise<void> {
  for (let i = 0; i < 20000 && !pred(); i++) await settle();
  expect(pred()).toBe(true);
}

/** The app's own load of a scene for a lesson: here it never gets a run, so the lesson makes its own. */
function loadSceneWithoutRun(name: string): void {
  sceneStore.setState({
    status: 'error',
    name,
    scene: null,
    trace: null,
    index: null,
    errors: ['not loaded by the app in this test'],
    notices: [],
    progress: null,
  });
}

const idOf = (l: Lesson) => lessonStore.getState().entries.find((e) => e.lesson?.file === l.file)!.id;

describe('opening a lesson simulates in the worker', () => {
  beforeAll(() => {
    initLessons(texts, { sceneText: (n) => ({ text: sceneText(n), fileName: `scenes/${n}.yaml` }), loadScene: loadSceneWithoutRun });
  });
  beforeEach(() => {
    vi.stubGlobal('Worker', FakeWorker);
    FakeWorker.running = [];
    closeLesson();
    sceneStore.setState({ status: 'idle', name: '', scene: null, trace: null, index: null });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('runs the scene in the worker with progress, then shows the trace the engine computes in one go', async () => {
    openLesson(idOf(storm), -1);
    await until(() => FakeWorker.running.length === 1);
    expect(lessonStore.getState().busy).toBe(true);
    expect(lessonStore.getState().stepProgress).not.toBeNull();
    let sawProgress = false;
    const unsub = lessonStore.subscribe((s) => {
      if (s.stepProgress && s.stepProgress.simNs > 0) sawProgress = true;
    });
    await until(() => !lessonStore.getState().busy);
    unsub();
    expect(sawProgress).toBe(true);
    expect(lessonStore.getState().runErrors).toEqual([]);
    expect(lessonStore.getState().stepProgress).toBeNull();
    const expected = new LessonSession(storm, sceneText(storm.scene)).runFor(0);
    const shown = sceneStore.getState();
    expect(shown.status).toBe('ready');
    expect(shown.name).toBe(storm.scene);
    expect(shown.trace!.hash()).toBe(expected.index.trace.hash());
    // Steps without faults show the same run: moving on simulates nothing more.
    goto(storm.steps.length - 1);
    expect(FakeWorker.running).toHaveLength(1);
    expect(lessonStore.getState().step).toBe(storm.steps.length - 1);
  });

  it('closing the lesson while it simulates cancels the run: nothing lands', async () => {
    openLesson(idOf(storm), -1);
    await until(() => (lessonStore.getState().stepProgress?.simNs ?? 0) > 0);
    const before = sceneStore.getState();
    closeLesson();
    expect(FakeWorker.running.at(-1)!.terminated).toBe(true);
    expect(lessonStore.getState()).toMatchObject({ active: null, busy: false, stepProgress: null });
    for (let i = 0; i < 300; i++) await settle();
    expect(sceneStore.getState().trace).toBe(before.trace);
    expect(sceneStore.getState().status).toBe(before.status);
    expect(lessonStore.getState()).toMatchObject({ active: null, step: -1, busy: false, stepProgress: null, runErrors: [] });
  });

  it('opening another lesson while one simulates: only the second one lands', async () => {
    openLesson(idOf(storm), -1);
    await until(() => (lessonStore.getState().stepProgress?.simNs ?? 0) > 0);
    openLesson(idOf(arp), -1);
    expect(FakeWorker.running[0].terminated).toBe(true);
    await until(() => !lessonStore.getState().busy);
    for (let i = 0; i < 300; i++) await settle();
    const expected = new LessonSession(arp, sceneText(arp.scene)).runFor(0);
    expect(lessonStore.getState().active).toBe(idOf(arp));
    expect(sceneStore.getState().name).toBe(arp.scene);
    expect(sceneStore.getState().trace!.hash()).toBe(expected.index.trace.hash());
  });

  it('a step that adds faults shows its own run, simulated in the worker when the lesson opens', async () => {
    expect(faultStep).toBeGreaterThan(0);
    openLesson(idOf(faulty), -1);
    await until(() => !lessonStore.getState().busy && lessonStore.getState().active === idOf(faulty));
    // The scene, then the scene with the step's fault: two runs, both in the worker.
    expect(FakeWorker.running).toHaveLength(2);
    expect(lessonStore.getState().runErrors).toEqual([]);
    const engine = new LessonSession(faulty, sceneText(faulty.scene));
    goto(faultStep);
    expect(FakeWorker.running).toHaveLength(2);
    const expected = engine.runFor(faultStep);
    expect(expected.key).toBe('faults:1');
    expect(sceneStore.getState().trace!.hash()).toBe(expected.index.trace.hash());
    expect(expected.index.trace.hash()).not.toBe(engine.runFor(0).index.trace.hash());
    expect(lessonStore.getState().shownRun).toBe('faults:1');
  });
});
