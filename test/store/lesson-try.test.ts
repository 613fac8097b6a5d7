/**
 * A lesson's "try it" run, as the lesson panel drives it: the variant simulates in the (stand-in)
 * worker with progress, then gives the same verdict as the engine computes in one go and puts that
 * run on screen; changing a value while it runs cancels it, so an old answer never lands.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { LessonSession, parseLesson, type Lesson } from '../../src/lesson';
import { initLessons, lessonStore, openLesson, runTry, setTryValue } from '../../src/store/lesson';
import { runSceneText, sceneStore } from '../../src/store/scene';
import { FakeWorker } from '../helpers/fake-worker';

const FILE = 'lessons/02-arp-ping-traceroute.md';
const lessonText = readFileSync(FILE, 'utf8');
const parsed = parseLesson(lessonText, FILE);
if (!parsed.ok) throw new Error('lesson');
const lesson: Lesson = parsed.lesson;
const sceneText = readFileSync(`scenes/${lesson.scene}.yaml`, 'utf8');
const tryStep = lesson.steps.findIndex((s) => s.tryIt);

const settle = () => new Promise((r) => setTimeout(r, 0));
async function until(pred: () => boolean): Promise<void> {
  for (let i = 0; i < 5000 && !pred(); i++) await settle();
  expect(pred()).toBe(true);
}

describe('lesson try-it runs in the background', () => {
  beforeAll(() => {
    runSceneText(sceneText, `scenes/${lesson.scene}.yaml`, lesson.scene);
    initLessons({ [FILE]: lessonText }, { sceneText: () => ({ text: sceneText, fileName: `scenes/${lesson.scene}.yaml` }), loadScene: () => {} });
  });
  beforeEach(async () => {
    vi.stubGlobal('Worker', FakeWorker);
    FakeWorker.running = [];
    const id = lessonStore.getState().entries[0].id;
    openLesson(id, tryStep);
    await until(() => lessonStore.getState().step === tryStep && !lessonStore.getState().busy);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('has an exercise to run', () => {
    expect(tryStep).toBeGreaterThanOrEqual(0);
  });

  it('simulates in the worker with progress, then lands the verdict the engine gives, and shows that run', async () => {
    for (const [id, value] of Object.entries(lesson.steps[tryStep].tryIt!.solution)) setTryValue(id, value);
    runTry();
    expect(FakeWorker.running).toHaveLength(1);
    expect(lessonStore.getState().tryVerdict).toBeNull();
    expect(lessonStore.getState().tryProgress).not.toBeNull();
    await until(() => lessonStore.getState().tryVerdict !== null);
    const v = lessonStore.getState().tryVerdict!;
    const expected = new LessonSession(lesson, sceneText).tryIt(tryStep, lesson.steps[tryStep].tryIt!.solution);
    if (!v.ok || !expected.ok) throw new Error('verdict');
    expect(v.passed).toBe(true);
    expect(v.result.time).toBe(expected.result.time);
    expect(v.run.index.trace.hash()).toBe(expected.run.index.trace.hash());
    expect(sceneStore.getState().index).toBe(v.run.index);
    expect(lessonStore.getState().tryProgress).toBeNull();
  });

  it('changing a value while the run goes cancels it: no verdict lands', async () => {
    runTry();
    await settle();
    const [id, value] = Object.entries(lesson.steps[tryStep].tryIt!.solution)[0];
    setTryValue(id, value);
    expect(FakeWorker.running.at(-1)!.terminated).toBe(true);
    expect(lessonStore.getState().tryProgress).toBeNull();
    for (let i = 0; i < 100; i++) await settle();
    expect(lessonStore.getState().tryVerdict).toBeNull();
  });
});
