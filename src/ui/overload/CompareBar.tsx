/**
 * The Load panel's Compare control: pick a load client of the scene, edit its retry policy (or the
 * whole command), and run that variant next to this run: same scene, same seed, only that command
 * replaced. Shows the variant's progress with Cancel, the refusal (option and value named) or, once
 * it is there, what is being compared and how to close it.
 */
import { useMemo, useState } from 'react';
import { commandOption } from '../../apps/command-options';
import { RETRY_KINDS } from '../../apps/rr/backoff';
import { clientRuns, withPolicy, type PolicyFlag } from '../../scenario/run-variant';
import type { Scene } from '../../scenario/scene';
import { cancelCompare, closeCompare, compareStore, sceneStore, startCompare, useStore } from '../../store';

/** The policy fields of the form: option, label, placeholder (the client's default), tooltip. */
const FIELDS: { flag: PolicyFlag; label: string; placeholder: string; help: string }[] = [
  { flag: '--attempts', label: 'attempts', placeholder: '3', help: 'Most attempts per request, the first included (1 to 255)' },
  { flag: '--timeout', label: 'timeout', placeholder: '1s', help: 'Give up on an attempt after this long (e.g. 250ms)' },
  { flag: '--base', label: 'base', placeholder: '10ms', help: 'Backoff: first delay (fixed: every delay)' },
  { flag: '--cap', label: 'cap', placeholder: '1s', help: 'Backoff: longest delay' },
  { flag: '--budget', label: 'budget', placeholder: 'off', help: 'Retry budget: retries at most this fraction of requests (0.1 = 10%)' },
  { flag: '--breaker', label: 'breaker', placeholder: 'off', help: 'Circuit breaker: open after this many failures in a row' },
];

// eslint-disable-next-line max-lines-per-function -- the compare bar's controls and status share the compare store's run state
export function CompareBar({ scene }: { scene: Scene }) {
  const runs = useMemo(() => clientRuns(scene), [scene]);
  const source = useStore(sceneStore, (s) => s.source);
  const status = useStore(compareStore, (s) => s.status);
  const errors = useStore(compareStore, (s) => s.errors);
  const refused = useStore(compareStore, (s) => s.refused);
  const progress = useStore(compareStore, (s) => s.progress);
  const comparing = { runIndex: useStore(compareStore, (s) => s.runIndex), cmd: useStore(compareStore, (s) => s.cmd), on: useStore(compareStore, (s) => s.on) };
  const [open, setOpen] = useState(false);
  const [runIndex, setRunIndex] = useState(runs[0]?.index ?? -1);
  const [cmd, setCmd] = useState(runs[0]?.cmd ?? '');

  // A comparison restored from a link (or refused) fills the form with what it was.
  const seenKey = `${status}|${comparing.runIndex}|${comparing.cmd}`;
  const [seen, setSeen] = useState('');
  if (seen !== seenKey) {
    setSeen(seenKey);
    if (status !== 'idle' && comparing.runIndex >= 0) {
      setRunIndex(comparing.runIndex);
      setCmd(comparing.cmd);
      if (status === 'invalid' || status === 'cancelled' || status === 'error') setOpen(true);
    }
  }

  if (runs.length === 0 || !source) return null;
  const base = runs.find((r) => r.index === runIndex) ?? runs[0];
  const pick = (i: number) => {
    const r = runs.find((x) => x.index === i);
    if (!r) return;
    setRunIndex(i);
    setCmd(r.cmd);
  };
  const set = (flag: PolicyFlag, value: string) => setCmd(withPolicy(cmd, { [flag]: value }));
  const run = () => {
    if (startCompare(source, base.index, cmd)) setOpen(false);
  };

  if (!open && (status === 'idle' || status === 'ready' || status === 'simulating')) {
    return (
      <div className="ov-compare-bar" data-testid="compare-bar">
        {status === 'idle' && (
          <button
            className="ov-compare-open"
            data-testid="compare-open"
            onClick={() => setOpen(true)}
            title="Run this scene again, same seed, with another client policy, and see both side by side"
          >
            Compare with a variant…
          </button>
        )}
        {status === 'simulating' && progress && (
          <span className="ov-compare-progress" data-testid="compare-progress">
            Simulating the variant… <progress max={1} value={progress.durationNs > 0 ? progress.simNs / progress.durationNs : 0} />{' '}
            {progress.durationNs > 0 ? Math.round((100 * progress.simNs) / progress.durationNs) : 0}%
            <button data-testid="compare-cancel" onClick={cancelCompare}>
              Cancel
            </button>
          </span>
        )}
        {status === 'ready' && (
          <>
            <span className="ov-compare-what">
              Two runs, same scene and seed{source.seed !== undefined ? ` (${source.seed})` : ''}; only <strong>{comparing.on}</strong>'s command differs
            </span>
            <button onClick={() => setOpen(true)} data-testid="compare-edit">
              Edit variant…
            </button>
          </>
        )}
        {status !== 'idle' && (
          <button data-testid="compare-close" onClick={closeCompare} title="Back to this run alone">
            Close comparison
          </button>
        )}
      </div>
    );
  }

  const retry = commandOption(cmd, '--retry') ?? '';
  return (
    <form
      className="ov-compare-form"
      data-testid="compare-form"
      onSubmit={(e) => {
        e.preventDefault();
        run();
      }}
    >
      <span className="ov-compare-lead">Compare with a variant:</span>
      <label title="The load client whose command the variant replaces">
        same scene and seed, with
        <select data-testid="compare-run" value={base.index} onChange={(e) => pick(Number(e.target.value))}>
          {runs.map((r) => (
            <option key={r.index} value={r.index}>
              {r.on}: {r.cmd}
            </option>
          ))}
        </select>
      </label>
      <label title="How a client waits before retrying a failed attempt">
        retry
        <select data-testid="compare-retry" value={retry} onChange={(e) => set('--retry', e.target.value)}>
          <option value="">none (default)</option>
          {retry !== '' && !(RETRY_KINDS as readonly string[]).includes(retry) && <option value={retry}>{retry} (unknown)</option>}
          {RETRY_KINDS.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </label>
      {FIELDS.map((f) => (
        <label key={f.flag} title={f.help}>
          {f.label}
          <input
            data-testid={`compare-${f.label}`}
            size={5}
            placeholder={f.placeholder}
            value={commandOption(cmd, f.flag) ?? ''}
            onChange={(e) => set(f.flag, e.target.value.replace(/\s+/g, ''))}
          />
        </label>
      ))}
      <label className="ov-compare-cmd" title="The variant's whole command: edit it freely">
        command
        <input data-testid="compare-cmd" value={cmd} onChange={(e) => setCmd(e.target.value)} spellCheck={false} />
      </label>
      <button type="submit" data-testid="compare-run-variant" className="primary">
        Run variant
      </button>
      <button
        type="button"
        data-testid="compare-dismiss"
        onClick={() => {
          setOpen(false);
          if (status !== 'ready') closeCompare();
        }}
      >
        {status === 'ready' ? 'Keep current' : 'Close'}
      </button>
      {status === 'cancelled' && <span className="ov-compare-note">The variant run was cancelled.</span>}
      {(status === 'invalid' || status === 'error' || refused) && (
        <ul className="ov-compare-errors" data-testid="compare-errors" role="alert">
          {(status === 'invalid' || status === 'error' ? errors : (refused?.errors ?? [])).map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      )}
    </form>
  );
}
