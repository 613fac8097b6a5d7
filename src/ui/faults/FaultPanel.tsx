/**
 * The fault panel: the current branch's actions with their times, each switched on or off, edited
 * (time and value, as text) or removed, which re-derives and re-runs the branch; and presets
 * applied at the playhead to a chosen link or group, which make a new branch.
 */
import { useState } from 'react';
import { formatAction } from '../../scenario/branch';
import { addToCurrent, branchesStore, branchWith, editAction, removeAction, ROOT_ID, setActionEnabled } from '../../store/branches';
import { sceneStore, useStore } from '../../store';
import { formatTime } from '../format';
import { PRESETS } from './presets';

function ActionRow({ i, text, enabled }: { i: number; text: string; enabled: boolean }) {
  const [draft, setDraft] = useState(text);
  const cut = /^\S+ link (\S+) down$/.exec(text);
  const restore = cut ? `link ${cut[1]} up` : null;
  const [error, setError] = useState<string | null>(null);
  const save = () => {
    if (draft.trim() === text) return;
    const r = editAction(i, draft);
    setError(r.ok ? null : r.error);
  };
  return (
    <li className={enabled ? 'fp-action' : 'fp-action off'} data-testid={`fault-${i}`}>
      <input
        type="checkbox"
        checked={enabled}
        aria-label={`${enabled ? 'Switch off' : 'Switch on'} ${text}`}
        data-testid={`fault-toggle-${i}`}
        onChange={(e) => {
          const r = setActionEnabled(i, e.target.checked);
          setError(r.ok ? null : r.error);
        }}
      />
      <input
        className="fp-text mono"
        value={draft}
        aria-label={`Action ${i + 1} (time and what happens); Enter applies`}
        data-testid={`fault-text-${i}`}
        onChange={(e) => {
          setDraft(e.target.value);
          setError(null);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') save();
          if (e.key === 'Escape') setDraft(text);
        }}
        onBlur={save}
      />
      {restore && (
        <button
          className="fp-restore"
          data-testid={`fault-restore-${i}`}
          title="Bring the link back up at the playhead, in this branch"
          onClick={() => {
            const r = addToCurrent(restore);
            setError(r.ok ? null : r.error);
          }}
        >
          Restore at playhead
        </button>
      )}
      <button className="fp-remove" aria-label={`Remove ${text}`} title="Remove" data-testid={`fault-remove-${i}`} onClick={() => removeAction(i)}>
        ×
      </button>
      {error && (
        <div className="fm-error" role="alert">
          {error}
        </div>
      )}
    </li>
  );
}

/** Adds an action (without its time) at the playhead to the current branch. */
function AddAction() {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const add = () => {
    if (!text.trim()) return;
    const r = addToCurrent(text);
    setError(r.ok ? null : r.error);
    if (r.ok) setText('');
  };
  return (
    <div className="fp-add">
      <input
        className="fp-text mono"
        value={text}
        placeholder="link r1-h2 loss 10%   (added at the playhead)"
        aria-label="Add an action at the playhead, e.g. link r1-h2 up"
        data-testid="fault-add"
        onChange={(e) => {
          setText(e.target.value);
          setError(null);
        }}
        onKeyDown={(e) => e.key === 'Enter' && add()}
      />
      <button onClick={add}>Add</button>
      {error && (
        <div className="fm-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

function Presets() {
  const scene = useStore(sceneStore, (s) => s.scene);
  const [presetId, setPresetId] = useState(PRESETS[0].id);
  const links = scene?.links.map((l) => l.id) ?? [];
  const nodes = scene?.nodes.map((n) => n.id) ?? [];
  const [link, setLink] = useState('');
  const [group, setGroup] = useState('');
  const [error, setError] = useState<string | null>(null);
  const preset = PRESETS.find((p) => p.id === presetId)!;
  const target = preset.on === 'link' ? link || links[0] || '' : group;
  const apply = () => {
    if (!target.trim()) return setError(preset.on === 'link' ? 'pick a link' : 'name the devices of the group, e.g. h2,r1');
    const r = branchWith(preset.actions(target, nodes), `${preset.label.toLowerCase()} on ${target}`);
    setError(r.ok ? null : r.error);
  };
  return (
    <div className="fp-presets">
      <h4>Preset at the playhead</h4>
      <label>
        <span>Preset</span>
        <select value={presetId} onChange={(e) => setPresetId(e.target.value)} data-testid="preset">
          {PRESETS.map((p) => (
            <option key={p.id} value={p.id} title={p.description}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
      {preset.on === 'link' ? (
        <label>
          <span>Link</span>
          <select value={target} onChange={(e) => setLink(e.target.value)} data-testid="preset-link">
            {links.map((l) => (
              <option key={l}>{l}</option>
            ))}
          </select>
        </label>
      ) : (
        <label>
          <span>Group</span>
          <input value={group} placeholder={nodes.slice(-2).join(',')} onChange={(e) => setGroup(e.target.value)} data-testid="preset-group" />
        </label>
      )}
      <p className="fp-desc">{preset.description}</p>
      <button onClick={apply} data-testid="preset-apply">
        Apply as a new branch
      </button>
      {error && (
        <div className="fm-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

/** The panel body. */
export function FaultPanel() {
  const current = useStore(branchesStore, (s) => s.branches.find((b) => b.id === s.currentId));
  const run = useStore(branchesStore, (s) => s.runs[s.currentId]);
  return (
    <div className="fault-panel" data-testid="fault-panel">
      <div className="fp-list">
        <h4>
          {current?.id === ROOT_ID || !current ? 'The scene as written' : `Branch “${current.name}”`}
          {run?.status === 'simulating' && <span className="fp-status"> · simulating…</span>}
          {run?.status === 'error' && <span className="fp-status err"> · {run.errors.join('; ')}</span>}
        </h4>
        {!current || current.actions.length === 0 ? (
          <p className="empty">
            No faults. Right-click (or long-press, or Shift+F10 on a selection) a link, a device or a packet to add one at the playhead, or apply a preset.
          </p>
        ) : (
          <ol>
            {current.actions.map((a, i) => {
              const text = formatAction(a);
              return <ActionRow key={`${current.id}:${i}:${text}`} i={i} text={text} enabled={current.enabled[i] !== false} />;
            })}
          </ol>
        )}
        {current && current.id !== ROOT_ID && <p className="fp-desc">Diverges from its parent at {formatTime(current.divergesAtNs)}.</p>}
        <AddAction />
      </div>
      <Presets />
    </div>
  );
}
