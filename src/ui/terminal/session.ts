/**
 * A host terminal's transcript as a function of the playhead. Each typed line is an entry: a command
 * that only looks keeps the text it printed; a program's output is read from the trace, the lines the
 * host printed from the program's start on, up to the playhead, so playing prints them and moving the
 * playhead back un-prints them. The terminal waits for a program as a shell does: until its last
 * line has been printed, nothing after it shows and no prompt is given (Ctrl-C stops it).
 *
 * Simplifications, stated: a program's output is every line its host prints from its start until
 * the next program typed here (another program on the same host printing then shows too, as on a
 * shared console), and it has ended with its last line.
 */
import { RecordKind } from '../../sim/trace';
import type { TerminalEntry, TerminalSession } from '../../store/terminal';
import type { TimelineIndex } from '../../timeline';

/** The output lines of one host, in time order. */
export interface HostLog {
  readonly times: readonly number[];
  readonly texts: readonly string[];
}

/** The lines `host` printed in the trace of `index`. */
export function hostLog(index: TimelineIndex, host: string): HostLog {
  const tr = index.trace;
  const node = tr.nodes.findIndex((n) => n.name === host);
  const times: number[] = [];
  const texts: string[] = [];
  for (const r of index.logs) {
    if (tr.kind[r] !== RecordKind.Log || tr.place[r] !== node) continue;
    times.push(tr.time[r]);
    texts.push(tr.string(tr.code[r]));
  }
  return { times, texts };
}

/** The screen at the playhead. */
export interface RenderedSession {
  /** Lines on the screen, the last one ending where the prompt (if any) goes. */
  readonly lines: readonly string[];
  /** The program the terminal waits for at the playhead, or null when it shows a prompt. */
  readonly running: { readonly entry: number; readonly program: string; readonly at: number } | null;
}

/** First index in sorted `times` with a value >= t. */
function lowerBound(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The output of program entry `i` up to `t`, and whether it is still running then. */
function programOutput(session: TerminalSession, i: number, log: HostLog, t: number): { lines: string[]; running: boolean } {
  const e = session.entries[i] as Extract<TerminalEntry, { kind: 'program' }>;
  const next = session.entries.slice(i + 1).find((x) => x.kind === 'program' && x.at > e.at)?.at ?? Infinity;
  const from = lowerBound(log.times, e.at);
  const to = lowerBound(log.times, next);
  const lines: string[] = [];
  let caret = e.interruptedAt === undefined || e.interruptedAt > t;
  for (let k = from; k < to && log.times[k] <= t; k++) {
    if (!caret && log.times[k] >= e.interruptedAt!) {
      caret = true;
      // The tty echoes ^C where the cursor is; the program's own output goes on from there.
      if (log.texts[k] === '') {
        lines.push('^C');
        continue;
      }
      lines.push('^C');
    }
    lines.push(log.texts[k]);
  }
  if (!caret) lines.push('^C');
  const lastLine = to > from ? log.times[to - 1] : e.at;
  return { lines, running: t < e.at || t < lastLine };
}

/** What the terminal shows at playhead `t`; `prompt` is `h1$ `. */
export function renderSession(session: TerminalSession, log: HostLog, t: number, prompt: string): RenderedSession {
  const lines: string[] = [];
  for (let i = session.shownFrom; i < session.entries.length; i++) {
    const e = session.entries[i];
    lines.push(prompt + e.line);
    if (e.kind === 'output') {
      if (e.text) lines.push(...e.text.replace(/\n$/, '').split('\n'));
      continue;
    }
    const out = programOutput(session, i, log, t);
    lines.push(...out.lines);
    if (out.running) return { lines, running: { entry: i, program: e.program, at: e.at } };
  }
  return { lines, running: null };
}
