/**
 * The terminal's line editing, checked against what readline (bash) does with the same keys: the
 * byte sequences are xterm's, the editing is GNU readline's emacs mode.
 */
import { describe, expect, it } from 'vitest';
import { afterSubmit, decodeKeys, editLine, emptyLine, type Key, type LineEffect, type LineState } from '../../../src/ui/terminal/line-editor';

/** Types `data` (as xterm sends it) into `s`; returns the state and the effects seen. */
function type(s: LineState, data: string): { s: LineState; effects: LineEffect[] } {
  const effects: LineEffect[] = [];
  for (const k of decodeKeys(data)) {
    const r = editLine(s, k);
    s = r.state;
    if (r.effect !== 'none') effects.push(r.effect);
  }
  return { s, effects };
}

describe('decodeKeys', () => {
  it("reads xterm's sequences for arrows, Home/End, Delete and the control keys", () => {
    const kinds = (d: string) => decodeKeys(d).map((k: Key) => k.kind);
    expect(kinds('\x1b[A\x1b[B\x1b[C\x1b[D')).toEqual(['up', 'down', 'right', 'left']);
    expect(kinds('\x1bOH\x1b[H\x1b[1~\x1bOF\x1b[F\x1b[4~')).toEqual(['home', 'home', 'home', 'end', 'end', 'end']);
    expect(kinds('\x1b[3~\x7f\t\r\x03\x0c')).toEqual(['delete', 'backspace', 'tab', 'enter', 'interrupt', 'clear']);
    expect(kinds('\x01\x05\x15\x0b\x17')).toEqual(['home', 'end', 'kill-start', 'kill-end', 'kill-word']);
  });

  it('keeps pasted text together and drops escape sequences it does not use (F1, PageUp)', () => {
    expect(decodeKeys('ping 10.0.1.5\x1bOP\x1b[5~ -c 2')).toEqual([
      { kind: 'text', text: 'ping 10.0.1.5' },
      { kind: 'text', text: ' -c 2' },
    ]);
  });
});

describe('editLine', () => {
  it('inserts at the cursor and moves with the arrows, Home and End', () => {
    const { s } = type(emptyLine(), 'pig\x1b[D\x1b[Dn\x1b[F -c 1\x01sudo ');
    expect(s.line).toBe('sudo pnig -c 1');
    expect(type(emptyLine(), 'ab\x1b[D\x1b[Dx').s).toMatchObject({ line: 'xab', cursor: 1 });
  });

  it('Backspace erases before the cursor, Delete under it; neither goes past the ends', () => {
    expect(type(emptyLine(), '\x7fabc\x1b[D\x7f').s).toMatchObject({ line: 'ac', cursor: 1 });
    expect(type(emptyLine(), 'abc\x01\x1b[3~').s).toMatchObject({ line: 'bc', cursor: 0 });
    expect(type(emptyLine(), 'abc\x1b[3~\x1b[C').s).toMatchObject({ line: 'abc', cursor: 3 });
  });

  it('Ctrl-U kills to the start, Ctrl-K to the end, Ctrl-W the word before the cursor', () => {
    expect(type(emptyLine(), 'ping 10.0.1.5\x1b[D\x1b[D\x15').s).toMatchObject({ line: '.5', cursor: 0 });
    expect(type(emptyLine(), 'ping 10.0.1.5\x01\x1b[C\x0b').s).toMatchObject({ line: 'p', cursor: 1 });
    expect(type(emptyLine(), 'ping 10.0.1.5 -c  \x17').s).toMatchObject({ line: 'ping 10.0.1.5 ', cursor: 14 });
  });

  it('Enter, Tab, Ctrl-C and Ctrl-L leave the line to the terminal', () => {
    expect(type(emptyLine(), 'ip n\t').effects).toEqual(['complete']);
    expect(type(emptyLine(), 'ip n\r').effects).toEqual(['submit']);
    const r = type(emptyLine(), 'ip n\x03\x0c');
    expect(r.effects).toEqual(['interrupt', 'clear']);
    expect(r.s.line).toBe('ip n');
  });
});

describe('history', () => {
  const withHistory = ['ip addr', 'ping 10.0.1.5 -c 2', 'ip neigh'].reduce((s, line) => afterSubmit(type(s, line).s), emptyLine());

  it('keeps submitted lines, oldest first, but not blank lines or a repeat of the last one', () => {
    const s = afterSubmit(type(afterSubmit(type(withHistory, '   ').s), 'ip neigh').s);
    expect(s.history).toEqual(['ip addr', 'ping 10.0.1.5 -c 2', 'ip neigh']);
  });

  it('↑ walks back, ↓ forward, and the line being typed comes back below the newest', () => {
    let s = type(withHistory, 'tcpd').s;
    s = type(s, '\x1b[A').s;
    expect(s).toMatchObject({ line: 'ip neigh', cursor: 8 });
    s = type(s, '\x1b[A\x1b[A\x1b[A').s;
    expect(s.line).toBe('ip addr');
    s = type(s, '\x1b[B\x1b[B\x1b[B').s;
    expect(s).toMatchObject({ line: 'tcpd', cursor: 4 });
    expect(type(s, '\x1b[B').s.line).toBe('tcpd');
  });
});
