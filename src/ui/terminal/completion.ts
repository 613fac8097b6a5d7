/**
 * Tab completion, as bash does it: the first word completes to a command or program, a word starting
 * with `-` to the program's options (from its option spec), any other word to what that command takes
 * (`ip` objects, `cat` files, `man` pages) or to the scene's host names and addresses. One match
 * completes with a space after it; several complete to their common prefix, and when that adds
 * nothing they are listed (bash lists on the second Tab).
 */
import type { OptionSpec } from '../../apps/command';

/** What can be completed, from the scene and the registered programs. */
export interface CompletionContext {
  /** Commands and programs, for the first word. */
  readonly commands: readonly string[];
  /** Options of a command, as typed (`-c`, `--backends`). */
  options(command: string): readonly string[];
  /** Other words a command takes (`ip`: addr, route, neigh), besides `names`. */
  argWords(command: string): readonly string[];
  /** Host names and addresses of the scene. */
  readonly names: readonly string[];
}

/** The line after Tab, and the candidates to list (empty when the line changed or nothing matched). */
export interface Completion {
  readonly line: string;
  readonly cursor: number;
  readonly listed: readonly string[];
}

/** Options as typed: one letter `-c`, longer `--backends`; options the model refuses are not offered. */
export function optionWords(spec: OptionSpec | undefined): string[] {
  if (!spec) return [];
  return Object.entries(spec)
    .filter(([, type]) => type !== 'unmodelled')
    .map(([name]) => (name.length === 1 ? `-${name}` : `--${name}`));
}

function commonPrefix(words: readonly string[]): string {
  let p = words[0] ?? '';
  for (const w of words) while (!w.startsWith(p)) p = p.slice(0, -1);
  return p;
}

/** Completes the word before the cursor. */
export function complete(line: string, cursor: number, ctx: CompletionContext): Completion {
  const before = line.slice(0, cursor);
  const start = before.search(/\S*$/);
  const prefix = before.slice(start);
  const first = before.slice(0, start).trim() === '';
  const command = first ? '' : (before.trim().split(/\s+/)[0] ?? '');
  const pool = first ? ctx.commands : prefix.startsWith('-') ? ctx.options(command) : [...ctx.argWords(command), ...ctx.names];
  const matches = [...new Set(pool.filter((w) => w.startsWith(prefix)))].sort();
  if (matches.length === 0) return { line, cursor, listed: [] };
  // The word goes on past the cursor: it is replaced whole (completing `pi|ng` gives `ping`).
  const wordEnd = cursor + (/^\S*/.exec(line.slice(cursor))?.[0].length ?? 0);
  const rest = line.slice(wordEnd);
  const insert = (word: string) => ({ line: before.slice(0, start) + word + rest, cursor: start + word.length });
  if (matches.length === 1) {
    if (rest.startsWith(' ')) return { line: before.slice(0, start) + matches[0] + rest, cursor: start + matches[0].length + 1, listed: [] };
    return { ...insert(`${matches[0]} `), listed: [] };
  }
  const common = commonPrefix(matches);
  if (common.length > prefix.length) return { ...insert(common), listed: [] };
  return { line, cursor, listed: matches };
}

/** The candidates laid out in columns across `width` characters, as bash lists them. */
export function formatListing(words: readonly string[], width: number): string[] {
  const col = Math.max(...words.map((w) => w.length)) + 2;
  const perRow = Math.max(1, Math.floor(width / col));
  const rows = Math.ceil(words.length / perRow);
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    let row = '';
    for (let c = 0; c < perRow; c++) {
      const w = words[c * rows + r];
      if (w !== undefined) row += w.padEnd(col);
    }
    out.push(row.trimEnd());
  }
  return out;
}
