/**
 * The terminal's line editing, as readline does it, without xterm: a line and a cursor, edited by
 * keys decoded from what the terminal sends (`decodeKeys`), with a history walked by ↑/↓. Pure data
 * in, data out, so it is tested in Node.
 *
 * Keys: printable text inserts; ←/→, Home/End (Ctrl-A/Ctrl-E) move; Backspace/Delete erase;
 * Ctrl-U kills to the start, Ctrl-K to the end, Ctrl-W the word before the cursor; ↑/↓ walk the
 * history (the line being typed is kept and comes back below the newest entry); Enter submits;
 * Tab asks for completion; Ctrl-C interrupts; Ctrl-L clears the screen.
 */

/** One key press (or pasted text), as the editor understands it. */
export type Key =
  | { readonly kind: 'text'; readonly text: string }
  | {
      readonly kind:
        | 'enter'
        | 'tab'
        | 'backspace'
        | 'delete'
        | 'left'
        | 'right'
        | 'up'
        | 'down'
        | 'home'
        | 'end'
        | 'kill-start'
        | 'kill-end'
        | 'kill-word'
        | 'interrupt'
        | 'clear';
    };

/** What the terminal sends for each named key (xterm's sequences; VT100 and xterm forms of Home/End). */
const SEQUENCES: readonly (readonly [string, Exclude<Key['kind'], 'text'>])[] = [
  ['\x1b[A', 'up'],
  ['\x1bOA', 'up'],
  ['\x1b[B', 'down'],
  ['\x1bOB', 'down'],
  ['\x1b[C', 'right'],
  ['\x1bOC', 'right'],
  ['\x1b[D', 'left'],
  ['\x1bOD', 'left'],
  ['\x1b[H', 'home'],
  ['\x1bOH', 'home'],
  ['\x1b[1~', 'home'],
  ['\x1b[F', 'end'],
  ['\x1bOF', 'end'],
  ['\x1b[4~', 'end'],
  ['\x1b[3~', 'delete'],
  ['\r\n', 'enter'],
  ['\r', 'enter'],
  ['\n', 'enter'],
  ['\t', 'tab'],
  ['\x7f', 'backspace'],
  ['\b', 'backspace'],
  ['\x01', 'home'],
  ['\x05', 'end'],
  ['\x02', 'left'],
  ['\x06', 'right'],
  ['\x10', 'up'],
  ['\x0e', 'down'],
  ['\x04', 'delete'],
  ['\x15', 'kill-start'],
  ['\x0b', 'kill-end'],
  ['\x17', 'kill-word'],
  ['\x03', 'interrupt'],
  ['\x0c', 'clear'],
];

/** Splits what the terminal sent (one key, or pasted text) into keys; unknown escape sequences are dropped. */
export function decodeKeys(data: string): Key[] {
  const keys: Key[] = [];
  let text = '';
  const flush = () => {
    if (text) keys.push({ kind: 'text', text });
    text = '';
  };
  let i = 0;
  outer: while (i < data.length) {
    for (const [seq, kind] of SEQUENCES) {
      if (data.startsWith(seq, i)) {
        flush();
        keys.push({ kind } as Key);
        i += seq.length;
        continue outer;
      }
    }
    const ch = data[i];
    if (ch === '\x1b') {
      // An escape sequence we do not use (F-keys, Alt-...): skip it whole.
      flush();
      const m = /^(?:\[[0-9;?]*[ -/]*[@-~]|O.|.)?/.exec(data.slice(i + 1));
      i += 1 + (m ? m[0].length : 0);
      continue;
    }
    if (ch < ' ') {
      i++;
      continue;
    }
    text += ch;
    i++;
  }
  flush();
  return keys;
}

/** The line being typed and the history behind it. */
export interface LineState {
  readonly line: string;
  /** Cursor position in `line`, 0..line.length (UTF-16 units). */
  readonly cursor: number;
  /** Earlier lines, oldest first. */
  readonly history: readonly string[];
  /** Which history entry is shown: `history.length` is the line being typed. */
  readonly historyAt: number;
  /** The line being typed, kept while walking the history. */
  readonly draft: string;
}

/** What a key asks the terminal to do beyond editing the line. */
export type LineEffect = 'none' | 'submit' | 'complete' | 'interrupt' | 'clear';

/** An empty line with `history` behind it. */
export function emptyLine(history: readonly string[] = []): LineState {
  return { line: '', cursor: 0, history, historyAt: history.length, draft: '' };
}

/** The line after a submit: the submitted line joins the history (not blank lines, not a repeat of the last one, as bash's ignoredups). */
export function afterSubmit(s: LineState): LineState {
  const entry = s.line.trim();
  const history = entry === '' || s.history[s.history.length - 1] === s.line ? s.history : [...s.history, s.line];
  return emptyLine(history);
}

const set = (s: LineState, line: string, cursor: number): LineState => ({ ...s, line, cursor: Math.max(0, Math.min(line.length, cursor)) });

/** Applies one key. `submit`, `complete`, `interrupt` and `clear` leave the line as it is: the terminal acts on them. */
export function editLine(s: LineState, key: Key): { state: LineState; effect: LineEffect } {
  const keep = (effect: LineEffect) => ({ state: s, effect });
  const edit = (state: LineState) => ({ state, effect: 'none' as const });
  const { line, cursor } = s;
  switch (key.kind) {
    case 'text':
      return edit(set(s, line.slice(0, cursor) + key.text + line.slice(cursor), cursor + key.text.length));
    case 'enter':
      return keep('submit');
    case 'tab':
      return keep('complete');
    case 'interrupt':
      return keep('interrupt');
    case 'clear':
      return keep('clear');
    case 'backspace':
      return cursor === 0 ? keep('none') : edit(set(s, line.slice(0, cursor - 1) + line.slice(cursor), cursor - 1));
    case 'delete':
      return edit(set(s, line.slice(0, cursor) + line.slice(cursor + 1), cursor));
    case 'left':
      return edit(set(s, line, cursor - 1));
    case 'right':
      return edit(set(s, line, cursor + 1));
    case 'home':
      return edit(set(s, line, 0));
    case 'end':
      return edit(set(s, line, line.length));
    case 'kill-start':
      return edit(set(s, line.slice(cursor), 0));
    case 'kill-end':
      return edit(set(s, line.slice(0, cursor), cursor));
    case 'kill-word': {
      const before = line.slice(0, cursor).replace(/\S*\s*$/, '');
      return edit(set(s, before + line.slice(cursor), before.length));
    }
    case 'up':
    case 'down':
      return edit(walkHistory(s, key.kind === 'up' ? -1 : 1));
  }
}

function walkHistory(s: LineState, step: -1 | 1): LineState {
  const at = s.historyAt + step;
  if (at < 0 || at > s.history.length) return s;
  const draft = s.historyAt === s.history.length ? s.line : s.draft;
  const line = at === s.history.length ? draft : s.history[at];
  return { ...s, line, cursor: line.length, historyAt: at, draft };
}
