/**
 * The host terminals: which host's terminal is open, and each host's transcript (what was typed at
 * which playhead time). The screen itself is computed from a transcript and the trace shown
 * (src/ui/terminal/session.ts); a new scene starts with fresh terminals.
 */
import { createStore } from 'zustand/vanilla';

/** One line typed into a terminal. `at` is the playhead when it was typed, ns. */
export type TerminalEntry =
  /** A command that only looks, with what it printed then. */
  | { readonly kind: 'output'; readonly line: string; readonly at: number; readonly text: string }
  /** A program run as a branch action; its output is read from the trace. */
  | {
      readonly kind: 'program';
      readonly line: string;
      readonly at: number;
      readonly program: string;
      /** When Ctrl-C was pressed, ns. */
      readonly interruptedAt?: number;
    };

/** A host's terminal: what was typed, and what Ctrl-L or `clear` took off the screen. */
export interface TerminalSession {
  readonly entries: readonly TerminalEntry[];
  /** Entries before this index are off the screen. */
  readonly shownFrom: number;
  /** Lines typed, oldest first (`history`, ↑/↓). */
  readonly history: readonly string[];
}

/** A new terminal. */
const EMPTY_SESSION: TerminalSession = { entries: [], shownFrom: 0, history: [] };

interface TerminalState {
  /** The scene the transcripts belong to. */
  sceneName: string;
  /** The host whose terminal the Terminal panel shows, or null for the first host. */
  host: string | null;
  sessions: Readonly<Record<string, TerminalSession>>;
}

export const terminalStore = createStore<TerminalState>()(() => ({ sceneName: '', host: null, sessions: {} }));

/** The transcripts of `sceneName` (fresh ones when another scene was loaded). */
export function terminalsFor(sceneName: string): void {
  if (terminalStore.getState().sceneName !== sceneName) terminalStore.setState({ sceneName, host: null, sessions: {} });
}

/** Shows `host`'s terminal in the Terminal panel. */
export function openTerminal(host: string): void {
  terminalStore.setState({ host });
}

/** `host`'s transcript. */
export function sessionOf(host: string): TerminalSession {
  return terminalStore.getState().sessions[host] ?? EMPTY_SESSION;
}

/** Replaces `host`'s transcript with `f` of it. */
export function updateSession(host: string, f: (s: TerminalSession) => TerminalSession): void {
  const s = terminalStore.getState();
  terminalStore.setState({ sessions: { ...s.sessions, [host]: f(s.sessions[host] ?? EMPTY_SESSION) } });
}
