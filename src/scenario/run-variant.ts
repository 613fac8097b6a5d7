/**
 * A variant of a scene that differs in one `run` command: "the same scene and seed, but these
 * clients retry with capped exponential backoff". Used to compare two runs of the same load with
 * different client policies. The variant is the scene data with that command replaced and nothing
 * else touched, validated like any scene.
 */
import { splitCommand } from '../apps/command';
import { withCommandOption } from '../apps/command-options';
import { parseCommand } from '../apps/registry';
import { loadSceneData } from './load';
import { cloneRawScene, rawRunEntry, rawSceneText, type RawScene } from './raw-scene';
import type { Scene } from './scene';
import { formatSceneError } from './validate';

/** The program whose runs can be compared: the load clients. */
const COMPARE_PROGRAM = 'rr-client';

/** One load client's run entry of a scene. */
export interface ClientRun {
  /** Index in the scene's `run` list. */
  readonly index: number;
  /** The device it runs on. */
  readonly on: string;
  readonly cmd: string;
}

/** The `run` entries of a validated scene that start the load client program, in scene order. */
export function clientRuns(scene: Scene): ClientRun[] {
  const out: ClientRun[] = [];
  scene.run.forEach((r, index) => {
    if (programOf(r.cmd) === COMPARE_PROGRAM) out.push({ index, on: r.on, cmd: r.cmd });
  });
  return out;
}

function programOf(cmd: string): string {
  const s = splitCommand(cmd);
  return s.ok ? (s.argv[0] ?? '') : '';
}

/** The client policy options a comparison edits, in the order a form shows them. */
const POLICY_FLAGS = ['--retry', '--attempts', '--timeout', '--base', '--cap', '--budget', '--breaker'] as const;
export type PolicyFlag = (typeof POLICY_FLAGS)[number];

/** `cmd` with each given policy option set (an empty value removes the option). */
export function withPolicy(cmd: string, edits: Partial<Record<PolicyFlag, string>>): string {
  let out = cmd;
  for (const flag of POLICY_FLAGS) if (flag in edits) out = withCommandOption(out, flag, edits[flag]?.trim());
  return out.trim();
}

/** A variant ready to simulate, or why it cannot be. */
export type RunVariant =
  | { readonly ok: true; readonly raw: RawScene; readonly text: string; readonly scene: Scene; readonly cmd: string }
  | { readonly ok: false; readonly errors: string[] };

/**
 * The scene data with `run[runIndex].cmd` replaced by `cmd` (a copy; `raw` is untouched). The entry
 * must run the load client and so must `cmd`; `cmd` is checked by the program's own option parser,
 * so an error names the option and the value (`run[1] (clients): rr-client: --retry fast: must be
 * one of ...`). `fileName` names the scene in errors.
 */
export function buildRunVariant(raw: RawScene, runIndex: number, cmd: string, fileName = 'scene'): RunVariant {
  const entry = rawRunEntry(raw, runIndex);
  const count = Array.isArray(raw.run) ? raw.run.length : 0;
  if (!entry) return { ok: false, errors: [`run[${runIndex}]: the scene has no such run entry (it has ${count})`] };
  const where = `run[${runIndex}] (${String(entry.on)})`;
  if (programOf(entry.cmd) !== COMPARE_PROGRAM)
    return { ok: false, errors: [`${where}: runs ${programOf(entry.cmd) || 'nothing'}, not ${COMPARE_PROGRAM}; only load clients can be compared`] };
  const text = cmd.trim();
  if (programOf(text) !== COMPARE_PROGRAM) return { ok: false, errors: [`${where}: the variant must run ${COMPARE_PROGRAM} like the original ("${text}")`] };
  const parsed = parseCommand(text);
  if (!parsed.ok) return { ok: false, errors: [`${where}: ${parsed.error.split('; usage: ')[0]}`] };
  const variant = cloneRawScene(raw);
  rawRunEntry(variant, runIndex)!.cmd = text;
  const loaded = loadSceneData(variant);
  if (!loaded.ok) return { ok: false, errors: loaded.errors.map((e) => formatSceneError(e, `${fileName} (variant)`)) };
  return { ok: true, raw: variant, text: rawSceneText(variant), scene: loaded.scene, cmd: text };
}

/**
 * What differs between two commands, option by option, as each side's text: `--retry immediate
 * --attempts 4` against `--retry expo-full --budget 0.1`. Options only one side has appear on that
 * side; positional words that differ too. Both are '' when the commands are the same.
 */
export function describeCommandDiff(a: string, b: string): { a: string; b: string } {
  const wa = words(a);
  const wb = words(b);
  const pa = options(wa);
  const pb = options(wb);
  const left: string[] = [];
  const right: string[] = [];
  const keys = [...pa.keys(), ...[...pb.keys()].filter((k) => !pa.has(k))];
  for (const k of keys) {
    const va = pa.get(k);
    const vb = pb.get(k);
    if (va === vb) continue;
    if (va !== undefined) left.push(va === '' ? k : `${k} ${va}`);
    if (vb !== undefined) right.push(vb === '' ? k : `${k} ${vb}`);
  }
  return { a: left.join(' '), b: right.join(' ') };
}

function words(cmd: string): string[] {
  const s = splitCommand(cmd);
  return s.ok ? s.argv : cmd.trim().split(/\s+/);
}

/** Options to their value ('' for a flag without one); positional words map to ''. */
function options(w: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const isOption = (x: string) => x.startsWith('-') && !/^-\d/.test(x);
  for (let i = 0; i < w.length; i++) {
    const word = w[i];
    const next = w[i + 1];
    if (!isOption(word)) out.set(word, '');
    else if (next !== undefined && !isOption(next)) out.set(word, w[++i]);
    else out.set(word, '');
  }
  return out;
}
