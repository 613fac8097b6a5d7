/**
 * The step engine: plays a lesson against its scene without any view. It resolves each step's
 * moment (running until its condition holds), decides questions by evaluating each choice's
 * condition on the trace, and checks "try it" exercises by re-simulating the scene with the
 * student's values applied as scene data. Deterministic: the same lesson gives the same moments.
 */
import { commandOption, withCommandOption } from '../apps/command-options';
import { loadSceneData } from '../scenario/load';
import { cloneRawScene, findRawLink, findRawNode, parseRawScene, rawRunEntry, type RawScene } from '../scenario/raw-scene';
import { formatSceneError, type SceneError } from '../scenario/validate';
import { simulate } from '../scenario/simulate';
import type { Scene } from '../scenario/scene';
import { parseDuration } from '../sim/units';
import { buildTimeline, type TimelineIndex } from '../timeline';
import { describeCondition, evaluateCondition, unknownNames, type Condition, type ConditionResult } from './conditions';
import type { Control, Lesson, LessonError, TryIt } from './format';

/** One simulated run of (a variant of) the lesson's scene. */
export interface LessonRun {
  readonly scene: Scene;
  readonly index: TimelineIndex;
  /** Scene data it was built from (for showing it, e.g. as YAML). */
  readonly raw: RawScene;
  /** Identifies the variant: `base`, `faults:2`, `try:5:{...}`. */
  readonly key: string;
}

export type { RawScene };

/** A step's resolved moment. */
export interface StepMoment {
  readonly time: number;
  /** The row that met `until` (for `select: packet`), or -1. */
  readonly row: number;
  /** False when `until` never held: an authoring error. */
  readonly met: boolean;
  readonly runKey: string;
}

export interface QuestionVerdict {
  /** Per choice: what the simulation says. */
  readonly results: ConditionResult[];
  /** Indexes of the choices the simulation confirms (a good question has exactly one). */
  readonly correct: number[];
}

export type TryVerdict = { ok: true; passed: boolean; result: ConditionResult; run: LessonRun; goal: string } | { ok: false; errors: string[] };

const clone = cloneRawScene;

/** The value a control has in scene data (what the student starts from). */
function controlValue(raw: RawScene, c: Control): unknown {
  if (c.link !== undefined) return findRawLink(raw, c.link)?.[c.field!];
  if (c.node !== undefined) return findRawNode(raw, c.node)?.[c.field!];
  const cmd = rawRunEntry(raw, c.run!)?.cmd ?? '';
  if (!c.arg) return cmd;
  return commandOption(cmd, c.arg);
}

/** Writes a control's value into scene data (a copy the caller owns). Returns an error or null. */
function applyControl(raw: RawScene, c: Control, value: unknown): string | null {
  if (c.link !== undefined) {
    const l = findRawLink(raw, c.link);
    if (!l) return `control "${c.id}": no link "${c.link}" in the scene`;
    if (value === null || value === undefined) delete l[c.field!];
    else l[c.field!] = value;
    return null;
  }
  if (c.node !== undefined) {
    const n = findRawNode(raw, c.node);
    if (!n) return `control "${c.id}": no device "${c.node}" in the scene`;
    if (value === null || value === undefined) delete n[c.field!];
    else n[c.field!] = value;
    return null;
  }
  const run = rawRunEntry(raw, c.run!);
  if (!run) return `control "${c.id}": the scene has no run[${c.run}]`;
  run.cmd = c.arg ? withCommandOption(run.cmd, c.arg, value) : String(value);
  return null;
}

/** Every name a lesson refers to that its scene lacks, as file:line errors. */
export function checkLessonRefs(lesson: Lesson, scene: Scene, raw: RawScene): LessonError[] {
  const nodes = new Set(scene.nodes.map((n) => n.id));
  const links = new Set(scene.links.map((l) => l.id));
  const errors: LessonError[] = [];
  const err = (line: number, message: string) => errors.push({ file: lesson.file, line, message });
  const cond = (line: number, what: string, c: Condition | undefined) => {
    if (c) for (const m of unknownNames(c, nodes, links)) err(line, `${what}: ${m}`);
  };
  lesson.steps.forEach((s, i) => {
    const what = `step ${i + 1} ("${s.title}")`;
    const d = s.directives;
    cond(s.blockLine, `${what} until`, d.until);
    for (const h of d.highlight ?? [])
      if (!nodes.has(h) && !links.has(h)) err(s.blockLine, `${what} highlight: no device or link "${h}" in scene ${lesson.scene}`);
    if (d.select && d.select !== 'packet' && !nodes.has(d.select))
      err(s.blockLine, `${what} select: "${d.select}" is neither "packet" nor a device of scene ${lesson.scene}`);
    if (d.select === 'packet' && !d.until) err(s.blockLine, `${what} select: packet needs an until condition whose frame is selected`);
    if (d.at !== undefined) {
      const r = parseDuration(d.at);
      if (!r.ok) err(s.blockLine, `${what} at: ${r.error}`);
    }
    s.question?.choices.forEach((c, k) => cond(s.blockLine, `${what} choice ${k + 1}`, c.when));
    if (s.tryIt) {
      cond(s.blockLine, `${what} goal`, s.tryIt.goal);
      for (const c of s.tryIt.controls) {
        const probe = clone(raw);
        const e = applyControl(probe, c, controlValue(probe, c));
        if (e) err(s.blockLine, `${what}: ${e}`);
      }
    }
  });
  return errors;
}

/** Options of a session: how to run a scene (default: simulate in this thread). */
export interface SessionOptions {
  /** A run of the unchanged scene that already exists (the app's), to avoid simulating twice. */
  base?: { scene: Scene; index: TimelineIndex };
}

/** A lesson bound to its scene: step moments, question verdicts, try-it checks. */
export class LessonSession {
  readonly raw: RawScene;
  private readonly runs = new Map<string, LessonRun>();
  private moments: StepMoment[] | null = null;
  /** Question verdicts by step: a step's run and conditions never change within a session. */
  private readonly verdicts = new Map<number, QuestionVerdict>();

  constructor(
    readonly lesson: Lesson,
    sceneText: string,
    opts: SessionOptions = {},
  ) {
    this.raw = parseRawScene(sceneText);
    if (opts.base) this.runs.set('base', { ...opts.base, raw: this.raw, key: 'base' });
  }

  /** Scene data with the faults of steps 0..`step` added. */
  rawFor(step: number): { raw: RawScene; key: string } {
    const faults: unknown[] = [];
    for (let i = 0; i <= step && i < this.lesson.steps.length; i++) faults.push(...(this.lesson.steps[i].directives.fault ?? []));
    if (faults.length === 0) return { raw: this.raw, key: 'base' };
    const raw = clone(this.raw);
    raw.faults = [...((raw.faults as unknown[]) ?? []), ...faults];
    return { raw, key: `faults:${faults.length}` };
  }

  /** Validates and simulates scene data; throws with scene errors. */
  runRaw(raw: RawScene, key: string): LessonRun {
    const hit = this.runs.get(key);
    if (hit) return hit;
    const loaded = loadSceneData(raw);
    if (!loaded.ok) throw new Error(this.sceneErrors(loaded.errors, key).join('\n'));
    const result = simulate(loaded.scene);
    return this.addRun(raw, key, loaded.scene, buildTimeline(result.trace));
  }

  /** Scene errors of the variant `key`, formatted as `runRaw` throws them. */
  sceneErrors(errors: readonly SceneError[], key: string): string[] {
    return errors.map((e) => formatSceneError(e, `${this.lesson.scene} (${key})`));
  }

  /** The run already made for `key`, if any. */
  cachedRun(key: string): LessonRun | undefined {
    return this.runs.get(key);
  }

  /** Keeps a run of the variant `key` simulated elsewhere (e.g. in a worker), as `runRaw` keeps its own. */
  addRun(raw: RawScene, key: string, scene: Scene, index: TimelineIndex): LessonRun {
    const run: LessonRun = { scene, index, raw, key };
    // Keep the base and a few variants.
    if (this.runs.size > 8) for (const k of this.runs.keys()) if (k !== 'base' && !k.startsWith('faults:')) this.runs.delete(k);
    this.runs.set(key, run);
    return run;
  }

  /** The run that step `step` shows (the scene plus the faults its steps added so far). */
  runFor(step: number): LessonRun {
    const { raw, key } = this.rawFor(Math.max(0, step));
    return this.runRaw(raw, key);
  }

  /** The moment of every step, resolved in order. */
  stepMoments(): StepMoment[] {
    if (this.moments) return this.moments;
    const out: StepMoment[] = [];
    let prev = 0;
    this.lesson.steps.forEach((s, i) => {
      const run = this.runFor(i);
      const d = s.directives;
      let m: StepMoment = { time: prev, row: -1, met: true, runKey: run.key };
      if (d.until) {
        const r = evaluateCondition(run.index, d.until, prev);
        m = { time: r.met ? r.time : prev, row: r.row, met: r.met, runKey: run.key };
      } else if (d.at !== undefined) {
        const r = parseDuration(d.at);
        m = { time: r.ok ? r.ns : prev, row: -1, met: r.ok, runKey: run.key };
      }
      out.push(m);
      prev = m.time;
    });
    this.moments = out;
    return out;
  }

  /** What the simulation says about each choice of the question at `step`. */
  judge(step: number): QuestionVerdict {
    const hit = this.verdicts.get(step);
    if (hit) return hit;
    const s = this.lesson.steps[step];
    if (!s?.question) return { results: [], correct: [] };
    const run = this.runFor(step);
    const from = s.question.kind === 'predict' ? this.stepMoments()[step].time : 0;
    const results = s.question.choices.map((c) => evaluateCondition(run.index, c.when, from));
    const verdict = { results, correct: results.flatMap((r, k) => (r.met ? [k] : [])) };
    this.verdicts.set(step, verdict);
    return verdict;
  }

  /** The values an exercise starts from. */
  startValues(step: number): Record<string, unknown> {
    const t = this.lesson.steps[step]?.tryIt;
    if (!t) return {};
    const base = this.rawFor(step).raw;
    const out: Record<string, unknown> = {};
    for (const c of t.controls) out[c.id] = t.start && c.id in t.start ? t.start[c.id] : controlValue(base, c);
    return out;
  }

  /** The scene data of an exercise with the student's values applied, and its run key; or what is wrong. */
  prepareTry(step: number, values: Record<string, unknown>): { ok: true; raw: RawScene; key: string } | { ok: false; errors: string[] } {
    const t: TryIt | undefined = this.lesson.steps[step]?.tryIt;
    if (!t) return { ok: false, errors: ['this step has no exercise'] };
    const { raw: base } = this.rawFor(step);
    const raw = clone(base);
    const all = { ...this.startValues(step), ...values };
    const errors: string[] = [];
    for (const c of t.controls) {
      const e = applyControl(raw, c, all[c.id]);
      if (e) errors.push(e);
    }
    if (errors.length) return { ok: false, errors };
    return { ok: true, raw, key: `try:${step}:${JSON.stringify(t.controls.map((c) => all[c.id]))}` };
  }

  /** Checks an exercise's goal on a run of it. */
  checkTry(step: number, run: LessonRun): TryVerdict {
    const t: TryIt | undefined = this.lesson.steps[step]?.tryIt;
    if (!t) return { ok: false, errors: ['this step has no exercise'] };
    const result = evaluateCondition(run.index, t.goal, 0);
    return { ok: true, passed: result.met, result, run, goal: describeCondition(t.goal) };
  }

  /** Re-simulates the scene with the student's values (in this thread) and checks the goal. */
  tryIt(step: number, values: Record<string, unknown>): TryVerdict {
    const p = this.prepareTry(step, values);
    if (!p.ok) return p;
    let run: LessonRun;
    try {
      run = this.runRaw(p.raw, p.key);
    } catch (e) {
      return { ok: false, errors: String(e instanceof Error ? e.message : e).split('\n') };
    }
    return this.checkTry(step, run);
  }
}
