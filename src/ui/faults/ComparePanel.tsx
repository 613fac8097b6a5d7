/**
 * Two branches side by side on one playhead: where they part (with a button to jump there), the
 * totals of each run, and their ladders.
 */
import { closeBranchCompare } from '../../store/branches';
import { playbackStore } from '../../store';
import type { RunTotals } from '../../timeline/branch-diff';
import { Ladder } from '../Ladder';
import { formatTime } from '../format';
import { useBranchComparison } from './divergence';

function delta(a: number, b: number): string {
  return b === a ? '' : b > a ? ` (+${b - a})` : ` (−${a - b})`;
}

function Totals({ names, totals }: { names: readonly [string, string]; totals: readonly [RunTotals, RunTotals] }) {
  const [x, y] = totals;
  const nodes = [...new Set([...x.programs.map((p) => p.node), ...y.programs.map((p) => p.node)])];
  const end = (t: RunTotals, n: string) => t.programs.find((p) => p.node === n);
  return (
    <table className="cp-totals" data-testid="compare-totals">
      <thead>
        <tr>
          <th />
          <th>{names[0]}</th>
          <th>{names[1]}</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <th>frames</th>
          <td>{x.frames}</td>
          <td>
            {y.frames}
            {delta(x.frames, y.frames)}
          </td>
        </tr>
        <tr>
          <th>drops</th>
          <td>{x.drops}</td>
          <td data-testid="compare-drops-b">
            {y.drops}
            {delta(x.drops, y.drops)}
          </td>
        </tr>
        <tr>
          <th>retransmissions</th>
          <td>{x.retransmissions}</td>
          <td data-testid="compare-retx-b">
            {y.retransmissions}
            {delta(x.retransmissions, y.retransmissions)}
          </td>
        </tr>
        {nodes.map((n) => (
          <tr key={n}>
            <th title="Time of the last line the node’s programs printed">{n} last output</th>
            <td title={end(x, n)?.lastLine}>{end(x, n) ? formatTime(end(x, n)!.lastOutputNs) : '—'}</td>
            <td title={end(y, n)?.lastLine}>{end(y, n) ? formatTime(end(y, n)!.lastOutputNs) : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The panel body. */
export function ComparePanel() {
  const c = useBranchComparison();
  if (!c) return <p className="empty">Pick two branches in the Branches tab and press “Side by side”.</p>;
  const waiting = [c.runA, c.runB].some((r) => r?.status !== 'ready');
  return (
    <div className="compare-panel" data-testid="compare-panel">
      <div className="cp-side">
        <div className="cp-head">
          <strong>{c.a.name}</strong> vs <strong>{c.b.name}</strong>
          <button onClick={closeBranchCompare} aria-label="Close the comparison" title="Close">
            ×
          </button>
        </div>
        {waiting ? (
          <p className="empty">Simulating…</p>
        ) : c.diff === null ? (
          <p data-testid="compare-divergence">The two runs are identical.</p>
        ) : (
          c.diff && (
            <p data-testid="compare-divergence" className="cp-diverge">
              {c.diff.label}{' '}
              <button onClick={() => playbackStore.getState().seek(c.diff!.timeNs)} data-testid="compare-jump">
                Go there
              </button>
            </p>
          )
        )}
        {c.totals && <Totals names={[c.a.name, c.b.name]} totals={c.totals} />}
      </div>
      {[c.runA, c.runB].map((r, i) => (
        <div className="cp-ladder" key={i} data-testid={`compare-ladder-${i}`}>
          <div className="cp-ladder-name">{i === 0 ? c.a.name : c.b.name}</div>
          {r?.index && r.scene ? (
            <Ladder index={r.index} scene={r.scene} />
          ) : (
            <p className="empty">{r?.status === 'error' ? r.errors.join('; ') : 'Simulating…'}</p>
          )}
        </div>
      ))}
    </div>
  );
}

/** The divergence of the open comparison, marked on the timeline. */
export function DivergenceMark({ duration }: { duration: number }) {
  const c = useBranchComparison();
  if (!c?.diff) return null;
  return (
    <div
      className="divergence-mark"
      data-testid="divergence-mark"
      data-time={c.diff.timeNs}
      title={c.diff.label}
      aria-label={c.diff.label}
      style={{ left: `${(c.diff.timeNs / duration) * 100}%` }}
    >
      <span>{c.diff.label}</span>
    </div>
  );
}
