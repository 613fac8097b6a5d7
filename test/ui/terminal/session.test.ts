/**
 * A host terminal on router-ping: lines typed at the playhead, what they print (bash's and the tools'
 * words for bad input), and a program's output read from its branch's trace as the playhead moves,
 * with Ctrl-C's `^C` and ping's statistics where Linux prints them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSceneFile, simulate } from '../../../src/cli/run-scene';
import { deriveBranch, parseActions } from '../../../src/scenario/branch';
import { parseRawScene } from '../../../src/scenario/raw-scene';
import { buildTimeline } from '../../../src/timeline';
import { interpretLine } from '../../../src/ui/terminal/interpret';
import type { TerminalSession } from '../../../src/store/terminal';
import { hostLog, renderSession } from '../../../src/ui/terminal/session';

const scene = loadSceneFile('scenes/router-ping.yaml');
const src = { scene, trace: simulate(scene).trace };
const at = (ms: number, line: string, history: string[] = []) => interpretLine(src, 'h1', ms * 1e6, line, history);

describe('interpretLine', () => {
  it('state commands print from the trace at the playhead', () => {
    expect(at(6, 'ip neigh')).toEqual({ kind: 'print', text: '10.0.0.254 dev eth0 lladdr 02:00:00:00:03:01 REACHABLE\n' });
    expect(at(40, 'tcpdump -n icmp')).toMatchObject({ kind: 'print', text: expect.stringMatching(/^tcpdump: verbose output suppressed/) });
  });

  it("history and clear are the terminal's own", () => {
    expect(at(1, 'history', ['ip a', 'history'])).toEqual({ kind: 'print', text: '    1  ip a\n    2  history\n' });
    expect(at(1, 'clear')).toEqual({ kind: 'clear' });
  });

  it('a program runs as a branch action; host names work as addresses', () => {
    expect(at(40, 'ping 10.0.1.5 -c 2')).toEqual({ kind: 'run', program: 'ping', cmd: 'ping 10.0.1.5 -c 2' });
    expect(at(40, 'ping h2 -c 2')).toEqual({ kind: 'run', program: 'ping', cmd: 'ping 10.0.1.5 -c 2' });
  });

  it('bad input prints what bash and the tool print, and runs nothing', () => {
    expect(at(1, 'foo')).toEqual({ kind: 'print', text: 'bash: foo: command not found\n' });
    expect(at(1, 'ping')).toEqual({
      kind: 'print',
      text: 'ping: missing destination\nUsage: ping DESTINATION [-c count] [-i interval] [-s size] [-t ttl] [-W timeout] [-M do|want|dont]\n',
    });
    expect(at(1, 'ping 10.0.1.5 -x')).toMatchObject({ kind: 'print', text: expect.stringMatching(/^ping: unknown option -x\nUsage: ping /) });
    expect(at(1, 'ping 10.9.9.9')).toEqual({ kind: 'print', text: 'ping: 10.9.9.9: no host in this scene has this address; nothing was sent\n' });
    expect(at(1, 'ping 127.0.0.1 -c 1')).toMatchObject({ kind: 'run' });
  });
});

describe('renderSession', () => {
  const parent = parseRawScene(readFileSync('scenes/router-ping.yaml', 'utf8'));
  const branch = (...lines: string[]) => {
    const a = parseActions(lines);
    if (!a.ok) throw new Error(a.errors.join('\n'));
    const d = deriveBranch({ parent, actions: a.actions });
    if (!d.ok) throw new Error(d.errors.join('\n'));
    return hostLog(buildTimeline(simulate(d.scene).trace), 'h1');
  };

  const session: TerminalSession = {
    shownFrom: 0,
    history: ['ip neigh', 'ping 10.0.1.5 -c 2'],
    entries: [
      { kind: 'output', line: 'ip neigh', at: 30e6, text: '10.0.0.254 dev eth0 lladdr 02:00:00:00:03:01 REACHABLE\n' },
      { kind: 'program', line: 'ping 10.0.1.5 -c 2', at: 40e6, program: 'ping' },
    ],
  };
  const log = branch('40ms h1 ping 10.0.1.5 -c 2');

  it('prints the program output up to the playhead, waits while it runs, and un-prints going back', () => {
    const mid = renderSession(session, log, 500e6, 'h1$ ');
    expect(mid.lines).toEqual([
      'h1$ ip neigh',
      '10.0.0.254 dev eth0 lladdr 02:00:00:00:03:01 REACHABLE',
      'h1$ ping 10.0.1.5 -c 2',
      'PING 10.0.1.5 (10.0.1.5) 56(84) bytes of data.',
      expect.stringMatching(/^64 bytes from 10\.0\.1\.5: icmp_seq=1 ttl=63 time=[\d.]+ ms$/),
    ]);
    expect(mid.running).toEqual({ entry: 1, program: 'ping', at: 40e6 });
    const end = renderSession(session, log, 2e9, 'h1$ ');
    expect(end.running).toBeNull();
    expect(end.lines.slice(-4, -1)).toEqual(['', '--- 10.0.1.5 ping statistics ---', '2 packets transmitted, 2 received, 0% packet loss, time 1000ms']);
    expect(renderSession(session, log, 39e6, 'h1$ ').lines).toEqual(mid.lines.slice(0, 3));
  });

  it('Ctrl-C: ^C where the blank line before the statistics was, as in a Linux terminal', () => {
    const forever: TerminalSession = {
      ...session,
      entries: [{ kind: 'program', line: 'ping 10.0.1.5', at: 40e6, program: 'ping', interruptedAt: 2_500e6 }],
    };
    const r = renderSession(forever, branch('40ms h1 ping 10.0.1.5', '2500ms node h1 interrupt ping'), 3e9, 'h1$ ');
    expect(r.running).toBeNull();
    expect(r.lines.slice(-5, -1)).toEqual([
      expect.stringMatching(/icmp_seq=3 /),
      '^C',
      '--- 10.0.1.5 ping statistics ---',
      '3 packets transmitted, 3 received, 0% packet loss, time 2000ms',
    ]);
  });

  it('Ctrl-L leaves only what came after it on the screen', () => {
    expect(renderSession({ ...session, shownFrom: 1 }, log, 2e9, 'h1$ ').lines[0]).toBe('h1$ ping 10.0.1.5 -c 2');
  });
});
