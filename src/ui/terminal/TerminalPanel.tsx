/**
 * The Terminal panel: a host picker and an xterm.js terminal on the chosen host. What it shows is
 * the host's transcript rendered against the trace at the playhead (session.ts); keys go through the
 * line editor (line-editor.ts) and Tab through completion (completion.ts); a line runs as
 * interpret.ts says: printed at once, or as a branch action at the playhead (`actAtPlayhead`).
 */
import { useEffect, useMemo, useRef } from 'react';
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { playbackStore, sceneStore, selectionStore, useStore } from '../../store';
import { actAtPlayhead, branchesStore } from '../../store/branches';
import { openTerminal, sessionOf, terminalsFor, terminalStore, updateSession, type TerminalEntry } from '../../store/terminal';
import type { Scene } from '../../scenario/scene';
import { terminalHosts } from '../../timeline/host-state';
import type { TimelineIndex } from '../../timeline';
import { formatTime } from '../format';
import type { PanelProps } from '../panels';
import { complete, formatListing } from './completion';
import { completionContext } from './completion-context';
import { interpretLine } from './interpret';
import { afterSubmit, decodeKeys, editLine, emptyLine, type Key, type LineState } from './line-editor';
import { hostLog, renderSession, type HostLog, type RenderedSession } from './session';
import { ScreenWriter } from './screen-writer';
import './terminal.css';

export default function TerminalPanel({ index, scene }: PanelProps) {
  const sceneName = useStore(sceneStore, (s) => s.name);
  const hosts = useMemo(() => terminalHosts(scene), [scene]);
  const picked = useStore(terminalStore, (s) => s.host);
  const selected = useStore(selectionStore, (s) => s.node);
  // Selecting a host (in the 3D view, the ladder...) shows its terminal.
  useEffect(() => {
    const name = index.trace.nodes[selected]?.name;
    if (name && hosts.includes(name)) openTerminal(name);
  }, [selected, hosts, index]);
  const host = picked !== null && hosts.includes(picked) ? picked : hosts[0];
  if (!host) return <div className="empty">No host in this scene has a shell.</div>;
  return (
    <div className="terminal-panel" data-testid="terminal-panel">
      <div className="terminal-bar">
        <label>
          Host{' '}
          <select data-testid="terminal-host" value={host} onChange={(e) => openTerminal(e.target.value)}>
            {hosts.map((h) => (
              <option key={h}>{h}</option>
            ))}
          </select>
        </label>
        <TerminalStatus host={host} index={index} />
      </div>
      <HostTerminal key={`${sceneName}/${host}`} sceneName={sceneName} host={host} index={index} scene={scene} />
    </div>
  );
}

/** Whether the current branch's run is still being simulated (a command just typed). */
function branchPending(): boolean {
  const b = branchesStore.getState();
  return b.runs[b.currentId]?.status === 'simulating';
}

/** One line over the terminal: the playhead, and what the terminal waits for. */
function TerminalStatus({ host, index }: { host: string; index: TimelineIndex }) {
  const time = useStore(playbackStore, (s) => s.time);
  const session = useStore(terminalStore, (s) => s.sessions[host]);
  const pending = useStore(branchesStore, (s) => s.runs[s.currentId]?.status === 'simulating');
  const log = useMemo(() => hostLog(index, host), [index, host]);
  const r = session ? renderSession(session, log, time, '') : null;
  let text = `at ${formatTime(time)} — commands answer from this moment; programs start a branch here`;
  if (pending) text = 'starting the branch…';
  else if (r?.running) text = `${r.running.program} is running — play (Space) to see its output, Ctrl-C stops it`;
  return (
    <span className="terminal-status" data-testid="terminal-status">
      {text}
    </span>
  );
}

/** An xterm.js terminal in `el`, fitted to it; Escape leaves it for the host picker (Tab is completion here). */
function openXterm(el: HTMLElement, host: string): { term: Terminal; dispose(): void } {
  const term = new Terminal({
    fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
    fontSize: 13,
    cursorBlink: true,
    convertEol: true,
    scrollback: 5000,
    theme: { background: '#090c12', foreground: '#d8dee9', cursor: '#8fbcbb' },
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(el);
  term.attachCustomKeyEventHandler((e) => {
    if (e.key !== 'Escape' || e.type !== 'keydown') return true;
    el.closest('.terminal-panel')?.querySelector<HTMLElement>('[data-testid="terminal-host"]')?.focus();
    return false;
  });
  term.textarea?.setAttribute('aria-label', `Terminal of ${host}`);
  term.textarea?.setAttribute('data-testid', 'terminal-input');
  const refit = () => {
    try {
      fit.fit();
    } catch {
      // Not laid out yet.
    }
  };
  refit();
  const resize = new ResizeObserver(refit);
  resize.observe(el);
  return {
    term,
    dispose: () => {
      resize.disconnect();
      term.dispose();
    },
  };
}

// eslint-disable-next-line max-lines-per-function -- one xterm session: its line editor, key handling and the branch it drives share the line state
function HostTerminal({ sceneName, host, index, scene }: { sceneName: string; host: string; index: TimelineIndex; scene: Scene }) {
  const box = useRef<HTMLDivElement>(null);
  /** The run this terminal was opened on, while the scene store holds none (a branch being simulated). */
  const opened = useRef({ index, scene });
  const prompt = `${host}$ `;
  // eslint-disable-next-line max-lines-per-function -- see HostTerminal: the xterm's handlers close over one line state
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    terminalsFor(sceneName);
    const { term, dispose } = openXterm(el, host);

    let line: LineState = emptyLine(sessionOf(host).history);
    const screen = new ScreenWriter(term, prompt);
    // Read from the stores at each draw (a store change draws before React re-renders this component).
    let logOf: { index: TimelineIndex; log: HostLog } | null = null;
    const shownRun = () => {
      const s = sceneStore.getState();
      const index = s.index ?? opened.current.index;
      if (logOf?.index !== index) logOf = { index, log: hostLog(index, host) };
      return { src: { scene: s.scene ?? opened.current.scene, trace: index.trace }, log: logOf.log };
    };
    const rendered = (): RenderedSession => renderSession(sessionOf(host), shownRun().log, playbackStore.getState().time, prompt);
    const draw = () => {
      const r = rendered();
      const busy = r.running !== null || branchPending();
      screen.show(r.lines.join('\n'), busy ? null : line.line, line.cursor);
    };

    const add = (e: TerminalEntry) => updateSession(host, (s) => ({ ...s, entries: [...s.entries, e] }));
    const now = () => Math.max(0, Math.round(playbackStore.getState().time));
    const submit = (text: string) => {
      line = afterSubmit(line);
      updateSession(host, (s) => ({ ...s, history: line.history }));
      const t = now();
      if (text.trim() === '') return add({ kind: 'output', line: text, at: t, text: '' });
      const outcome = interpretLine(shownRun().src, host, t, text, line.history);
      if (outcome.kind === 'print') return add({ kind: 'output', line: text, at: t, text: outcome.text });
      if (outcome.kind === 'clear') return updateSession(host, (s) => ({ ...s, shownFrom: s.entries.length }));
      const r = actAtPlayhead(`${host} ${outcome.cmd}`);
      if (r.ok) add({ kind: 'program', line: text, at: t, program: outcome.program });
      else add({ kind: 'output', line: text, at: t, text: `${r.error}\n` });
    };
    // Ctrl-C pressed while the program's branch is still simulating waits for that run, then acts at the playhead.
    let queuedInterrupt = false;
    const interrupt = (running: RenderedSession['running']) => {
      const t = now();
      if (!running || t < running.at) return;
      if (branchPending()) {
        queuedInterrupt = true;
        return;
      }
      queuedInterrupt = false;
      const r = actAtPlayhead(`node ${host} interrupt ${running.program}`);
      if (!r.ok) return;
      updateSession(host, (s) => ({
        ...s,
        entries: s.entries.map((e, i) => (i === running.entry && e.kind === 'program' ? { ...e, interruptedAt: t } : e)),
      }));
    };
    const onKey = (key: Key) => {
      const r = rendered();
      if (r.running !== null || branchPending()) {
        if (key.kind === 'interrupt') interrupt(r.running);
        return;
      }
      const { state, effect } = editLine(line, key);
      line = state;
      if (effect === 'submit') submit(line.line);
      else if (effect === 'interrupt') {
        add({ kind: 'output', line: `${line.line}^C`, at: now(), text: '' });
        line = emptyLine(line.history);
      } else if (effect === 'clear') updateSession(host, (s) => ({ ...s, shownFrom: s.entries.length }));
      else if (effect === 'complete') {
        const c = complete(line.line, line.cursor, completionContext(shownRun().src));
        line = { ...line, line: c.line, cursor: c.cursor };
        if (c.listed.length) add({ kind: 'output', line: line.line, at: now(), text: `${formatListing(c.listed, term.cols).join('\n')}\n` });
      }
      draw();
    };
    const data = term.onData((d) => decodeKeys(d).forEach(onKey));
    const afterRun = () => {
      if (!queuedInterrupt || branchPending()) return;
      queuedInterrupt = false;
      interrupt(rendered().running);
    };
    const unsubs = [
      playbackStore.subscribe(draw),
      terminalStore.subscribe(draw),
      branchesStore.subscribe(draw),
      branchesStore.subscribe(afterRun),
      sceneStore.subscribe(draw),
    ];
    draw();
    term.focus();
    return () => {
      unsubs.forEach((u) => u());
      data.dispose();
      dispose();
    };
  }, [sceneName, host, prompt]);

  return <div className="terminal-screen" ref={box} data-testid="terminal" />;
}
