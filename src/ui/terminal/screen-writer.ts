/**
 * Keeps an xterm screen equal to a transcript plus a prompt line, writing as little as it can: only
 * the prompt line when just the typed line changed, only the new lines when the transcript grew, and
 * everything again (after a reset) when it changed otherwise (the playhead moved back).
 */
import type { Terminal } from '@xterm/xterm';

/** What is on the screen: the transcript, and the line being typed (null: no prompt while a program runs). */
interface Screen {
  readonly transcript: string;
  readonly input: string | null;
  readonly cursor: number;
}

export class ScreenWriter {
  private shown: Screen = { transcript: '', input: null, cursor: 0 };
  /** The row of the cursor within the prompt line (0 = the prompt's row; long lines wrap). */
  private cursorRow = 0;

  constructor(
    private readonly term: Terminal,
    private readonly prompt: string,
  ) {}

  /** Shows `transcript` (lines joined by \n) and, unless null, the prompt with `line` and the cursor at `cursor`. */
  show(transcript: string, line: string | null, cursor: number): void {
    const next: Screen = { transcript, input: line === null ? null : this.prompt + line, cursor };
    const was = this.shown;
    if (next.transcript === was.transcript && next.input === was.input && next.cursor === was.cursor) return;
    let out: string;
    if (next.transcript === was.transcript) {
      out = this.eraseInput();
    } else if (was.transcript !== '' && next.transcript.startsWith(was.transcript)) {
      // Back to the end of the transcript's last line; the new part starts with a line break.
      out = this.eraseInput() + (was.input !== null ? '\x1b[1A' : '') + next.transcript.slice(was.transcript.length);
    } else {
      // In the data stream (term.reset() would act before writes still queued): home, clear, drop the scrollback.
      out = `\x1b[H\x1b[2J\x1b[3J${next.transcript}`;
    }
    this.cursorRow = 0;
    if (next.input !== null) out += (next.transcript ? '\n' : '') + this.writeInput(next.input, cursor);
    this.term.write(out.replace(/\n/g, '\r\n'));
    this.shown = next;
  }

  /** Rows below the first that `n` characters take (xterm keeps the cursor on a full row's last column). */
  private rowsOf(n: number): number {
    const cols = this.term.cols;
    return n > 0 && n % cols === 0 ? n / cols - 1 : Math.floor(n / cols);
  }

  private eraseInput(): string {
    return this.shown.input === null ? '' : `\r${this.cursorRow > 0 ? `\x1b[${this.cursorRow}A` : ''}\x1b[J`;
  }

  private writeInput(input: string, cursor: number): string {
    const cols = this.term.cols;
    const end = this.rowsOf(input.length);
    const at = this.prompt.length + cursor;
    const row = Math.min(end, Math.floor(at / cols));
    this.cursorRow = row;
    const col = at - row * cols;
    return `${input}\r${end - row > 0 ? `\x1b[${end - row}A` : ''}${col > 0 ? `\x1b[${col}C` : ''}`;
  }
}
