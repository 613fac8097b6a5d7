/**
 * URL parameters `?scene=<name>&seed=<n>&t=<time>&sel=<row>|sel=node:<id>&compare=<run>:<command>&branches=<tree>`
 * and `&lesson=<id>&step=<n>` (the lesson open, its step counted from 1, 0 = the introduction),
 * validated: bad values become messages naming the parameter, never exceptions. `shareSearch` writes
 * them back.
 */
import { parseDuration } from '../sim/units';
import { decodeBranchTree, type SharedTree } from '../scenario/branch/share';

export interface UrlParams {
  scene: string;
  seed?: number;
  t?: number;
  /** Selected trace row (checked against the trace once it exists). */
  sel?: number;
  /** Selected device by scene id (checked against the scene once it exists). */
  selNode?: string;
  /**
   * A comparison run: the scene with `run[run].cmd` replaced by `cmd` (checked against the scene
   * once it is loaded).
   */
  compare?: UrlCompare;
  /** The branches of the scene and the one shown (names checked against the scene once it is loaded). */
  branches?: SharedTree;
  /** The lesson open at this moment (checked against the catalogue once it is loaded). */
  lesson?: string;
  /** The lesson's step index (-1 = the introduction); only with `lesson`. */
  step?: number;
  /** Bench only: synthetic packets in flight. */
  benchPackets?: number;
  /** `?worker=off`: simulate in the page instead of the simulation worker (for comparison). */
  inPage?: boolean;
  /** Problems with the values given (shown as notices; the value is ignored). */
  problems: string[];
}

/** `?compare=3:rr-client 10.0.0.2 --rate 350 --retry expo-full`: which run entry, and its variant command. */
export interface UrlCompare {
  readonly run: number;
  readonly cmd: string;
}

const KNOWN = ['scene', 'seed', 't', 'sel', 'compare', 'branches', 'lesson', 'step', 'bench', 'worker', 'data', 'my'];

export function readUrlParams(search: string, defaultScene: string): UrlParams {
  const q = new URLSearchParams(search);
  const problems: string[] = [];
  const out: UrlParams = { scene: defaultScene, problems };
  const scene = q.get('scene');
  if (scene !== null) out.scene = scene.trim();
  const seed = q.get('seed');
  if (seed !== null) {
    if (/^\d{1,15}$/.test(seed.trim())) out.seed = Number(seed.trim());
    else problems.push(`?seed=${seed}: expected a whole number ≥ 0; using the scene's own seed`);
  }
  const t = q.get('t');
  if (t !== null) {
    const text = t.trim();
    if (/^\d+$/.test(text)) out.t = Number(text);
    else {
      const d = parseDuration(text);
      if (d.ok) out.t = d.ns;
      else problems.push(`?t=${t}: ${d.error}; starting at 0`);
    }
  }
  const sel = q.get('sel');
  if (sel !== null) {
    const text = sel.trim();
    if (/^\d{1,9}$/.test(text)) out.sel = Number(text);
    else if (/^node:[A-Za-z0-9_.-]+$/.test(text)) out.selNode = text.slice(5);
    else problems.push(`?sel=${sel}: expected an event number (e.g. sel=42) or node:<device id>; nothing selected`);
  }
  const compare = q.get('compare');
  if (compare !== null) {
    const m = /^(\d{1,4}):(.+)$/s.exec(compare.trim());
    if (m && m[2].trim() !== '') out.compare = { run: Number(m[1]), cmd: m[2].trim().replace(/\s+/g, ' ') };
    else problems.push(`?compare=${compare}: expected <run entry>:<command>, e.g. compare=1:rr-client 10.0.0.2 --rate 350 --retry expo-full; no comparison`);
  }
  const branches = q.get('branches');
  if (branches !== null) {
    const r = decodeBranchTree(branches);
    if (r.ok) out.branches = r.tree;
    else problems.push(`?branches: ${r.error}; showing the scene without branches`);
  }
  const lesson = q.get('lesson');
  if (lesson !== null) {
    if (/^[A-Za-z0-9_.-]{1,100}$/.test(lesson.trim())) out.lesson = lesson.trim();
    else problems.push(`?lesson=${lesson}: expected a lesson id, e.g. lesson=01-hub-switch-router; no lesson opened`);
  }
  const step = q.get('step');
  if (step !== null) {
    if (/^\d{1,4}$/.test(step.trim())) out.step = Number(step.trim()) - 1;
    else problems.push(`?step=${step}: expected a step number (0 = the introduction); the lesson opens where it was left`);
  }
  const bench = q.get('bench');
  if (bench !== null) {
    const m = /^packets:(\d{1,6})$/.exec(bench.trim());
    if (m) out.benchPackets = Number(m[1]);
    else problems.push(`?bench=${bench}: expected packets:<count>, e.g. packets:10000; ignored`);
  }
  const worker = q.get('worker');
  if (worker !== null) {
    if (worker.trim() === 'off') out.inPage = true;
    else if (worker.trim() !== 'on') problems.push(`?worker=${worker}: expected on or off; simulating in the worker`);
  }
  for (const key of new Set(q.keys())) {
    if (!KNOWN.includes(key)) problems.push(`?${key}: unknown parameter (known: ${KNOWN.slice(0, 5).join(', ')}); ignored`);
  }
  return out;
}

/** Simulated ns as a URL time with a unit that round-trips exactly: `12.5ms`, `5.02688ms`, `0ms`. */
function formatUrlTime(ns: number): string {
  const n = Math.max(0, Math.round(ns));
  const ms = (n / 1e6).toFixed(6).replace(/\.?0+$/, '');
  return `${ms}ms`;
}

export interface ShareState {
  scene: string;
  seed?: number;
  t: number;
  sel?: number;
  selNode?: string;
  compare?: UrlCompare;
  /** `encodeBranchTree`'s text. */
  branches?: string;
  /** The lesson open, and its step index (-1 = the introduction). */
  lesson?: { id: string; step: number };
}

/** The query string for a moment: `?scene=router-ping&t=5.02688ms&sel=12`. */
export function shareSearch(s: ShareState): string {
  const q = new URLSearchParams();
  q.set('scene', s.scene);
  if (s.seed !== undefined) q.set('seed', String(s.seed));
  q.set('t', formatUrlTime(s.t));
  if (s.sel !== undefined && s.sel >= 0) q.set('sel', String(s.sel));
  else if (s.selNode) q.set('sel', `node:${s.selNode}`);
  if (s.compare) q.set('compare', `${s.compare.run}:${s.compare.cmd}`);
  if (s.branches) q.set('branches', s.branches);
  if (s.lesson) {
    q.set('lesson', s.lesson.id);
    q.set('step', String(s.lesson.step + 1));
  }
  // `:`, `,` and `@` need no escaping in a query: keep links readable (`compare=3:rr-client 10.0.0.2:7000 --rate 5@0s,9@1s`).
  return `?${q.toString().replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%40/g, '@')}`;
}
