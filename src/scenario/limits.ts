/**
 * The limits every scene is held to, in the app and the headless runner alike (an embedded scene
 * has stricter ones of its own). A scene beyond them is refused at once with one sentence naming
 * the limit, before the slow work of validating or simulating it starts. README: "Limits".
 */
import { formatDurationExact } from '../sim/units';
import type { Scene } from './scene';
import type { SceneError } from './validate';

/** The documented limits (README "Limits"). */
export const SCENE_LIMITS = {
  /** Size of the scene text, in bytes (UTF-8). Bundled scenes are under 4 KB. */
  fileBytes: 1024 * 1024,
  /** Nesting of lists and mappings; a scene needs about 6. */
  nesting: 64,
  /** Devices (a `clients` node counts once, whatever its population). */
  devices: 2_000,
  links: 4_000,
  /** Entries of `run:`. */
  commands: 2_000,
  faults: 2_000,
  /** Simulated time, in nanoseconds: one hour. */
  durationNs: 3_600 * 1e9,
  /** Events one run may execute before it stops with a message. */
  events: 200_000_000,
  /** Errors listed for one scene; the rest are counted. */
  errorsShown: 50,
} as const;

const utf8 = new TextEncoder();

/**
 * Refuses scene text that is too large or too deeply nested to parse safely, in time linear in
 * its length. `null` when the text is within the limits (which says nothing of its validity).
 */
export function sceneTextLimitError(text: string): SceneError | null {
  const max = SCENE_LIMITS.fileBytes;
  // A string's UTF-16 length never exceeds its UTF-8 size, so this skips encoding huge input.
  if (text.length > max || utf8.encode(text).length > max) {
    const kb = Math.ceil((text.length > max ? text.length : utf8.encode(text).length) / 1024);
    return { path: '', message: `the scene is ${kb.toLocaleString('en-US')} KB; a scene may be at most ${max / 1024 / 1024} MB` };
  }
  const { depth, line, column } = nestingDepth(text, SCENE_LIMITS.nesting);
  if (depth > SCENE_LIMITS.nesting) {
    return {
      path: '',
      message: `the scene nests lists and mappings ${depth > 10_000 ? 'over 10,000' : depth} levels deep (level ${SCENE_LIMITS.nesting + 1} at line ${line}, column ${column}); at most ${SCENE_LIMITS.nesting} are allowed`,
      line,
      column,
    };
  }
  return null;
}

/**
 * An upper estimate of how deeply YAML or JSON text nests: flow brackets outside quotes, plus
 * the levels of a block line (its indentation in steps of two and any compact `- - -` prefix).
 * Also where (1-based line and column) the nesting first goes past `limit`.
 */
function nestingDepth(text: string, limit: number): { depth: number; line: number; column: number } {
  let flow = 0;
  let maxDepth = 0;
  let line = 1;
  let lineAt = 0;
  let where: { line: number; column: number } | null = null;
  const mark = (depth: number, i: number) => {
    if (depth > limit && where === null) where = { line, column: i - lineAt + 1 };
  };
  let quote = '';
  let lineStart = true;
  let indent = 0;
  let dashes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      line++;
      lineAt = i + 1;
      lineStart = true;
      indent = 0;
      dashes = 0;
      continue;
    }
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (lineStart) {
      if (c === ' ') {
        indent++;
        continue;
      }
      if (c === '-' && (text[i + 1] === ' ' || text[i + 1] === '\n')) {
        dashes++;
        i++;
        continue;
      }
      lineStart = false;
      const block = Math.floor(indent / 2) + dashes;
      if (block > maxDepth) maxDepth = block;
      mark(block, i);
    }
    if (c === '#' && (i === 0 || text[i - 1] === ' ' || text[i - 1] === '\t')) {
      const nl = text.indexOf('\n', i);
      if (nl < 0) break;
      i = nl - 1;
    } else if ((c === '"' || c === "'") && startsValue(text, i)) quote = c;
    else if (c === '[' || c === '{') {
      flow++;
      if (flow > maxDepth) maxDepth = flow;
      mark(flow, i);
    } else if ((c === ']' || c === '}') && flow > 0) flow--;
  }
  if (lineStart) {
    maxDepth = Math.max(maxDepth, Math.floor(indent / 2) + dashes);
    mark(maxDepth, text.length);
  }
  const at = where ?? { line, column: 1 };
  return { depth: maxDepth, ...at };
}

/** Whether a quote at `i` opens a quoted scalar (an apostrophe inside plain text does not). */
function startsValue(text: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && (text[j] === ' ' || text[j] === '\t')) j--;
  return j < 0 || ':[{,-\n'.includes(text[j]);
}

/** Errors for a valid scene that is larger than the limits allow (empty when it is within them). */
export function sceneSizeLimitErrors(scene: Scene): SceneError[] {
  const L = SCENE_LIMITS;
  const out: SceneError[] = [];
  const count = (path: string, n: number, max: number, what: string) => {
    if (n > max) out.push({ path, message: `${n.toLocaleString('en-US')} ${what}; a scene may have at most ${max.toLocaleString('en-US')}` });
  };
  count('nodes', scene.nodes.length, L.devices, 'devices');
  count('links', scene.links.length, L.links, 'links');
  count('run', scene.run.length, L.commands, 'commands');
  count('faults', scene.faults.length, L.faults, 'faults');
  if (scene.duration > L.durationNs) {
    out.push({
      path: 'duration',
      message: `${formatDurationExact(scene.duration)} of simulated time; a scene may run at most ${formatDurationExact(L.durationNs)}`,
    });
  }
  return out;
}

/** The first `max` lines, then one line that counts the rest: `... and 99,950 more`. */
export function capLines(lines: readonly string[], max: number = SCENE_LIMITS.errorsShown): string[] {
  if (lines.length <= max) return [...lines];
  return [...lines.slice(0, max), `... and ${(lines.length - max).toLocaleString('en-US')} more`];
}
