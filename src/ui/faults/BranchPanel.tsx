/**
 * The branch tree: every branch of the scene with its name, where it diverges and what changed;
 * switch (the playhead stays), rename, delete, save as a scene file, and pick two to compare.
 */
import { useState } from 'react';
import { stringify } from 'yaml';
import { branchesStore, compareBranches, deleteBranch, derivedBranch, renameBranch, ROOT_ID, switchBranch, type BranchNode } from '../../store/branches';
import { useStore, viewStore } from '../../store';
import { formatTime } from '../format';

/** Depth of each branch in the tree, parents before children (creation order keeps that). */
function ordered(branches: readonly BranchNode[]): { b: BranchNode; depth: number }[] {
  const out: { b: BranchNode; depth: number }[] = [];
  const visit = (parent: string | null, depth: number) => {
    for (const b of branches) {
      if (b.parentId !== parent) continue;
      out.push({ b, depth });
      visit(b.id, depth + 1);
    }
  };
  visit(null, 0);
  return out;
}

/** Downloads the branch's derived scene as a YAML scene file. */
function saveAsScene(b: BranchNode, sceneName: string): void {
  const d = derivedBranch(b.id);
  if (!d?.ok) return;
  const raw = { ...d.raw, title: b.id === ROOT_ID ? d.raw.title : `${String(d.raw.title ?? sceneName)} (${b.name})` };
  const blob = new Blob([stringify(raw)], { type: 'text/yaml' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `${sceneName}-${b.name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-|-$/g, '') || b.id}.yaml`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

function BranchRow({ b, depth, current, status }: { b: BranchNode; depth: number; current: boolean; status: string }) {
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(b.name);
  const sceneName = useStore(branchesStore, (s) => s.sceneName);
  return (
    <li className={current ? 'bp-row on' : 'bp-row'} style={{ paddingLeft: 6 + depth * 16 }} data-testid={`branch-${b.id}`} aria-current={current || undefined}>
      {renaming ? (
        <input
          className="bp-rename"
          value={name}
          autoFocus
          aria-label="Branch name; Enter keeps it"
          onChange={(e) => setName(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              renameBranch(b.id, name);
              setRenaming(false);
            } else if (e.key === 'Escape') setRenaming(false);
          }}
          onBlur={() => setRenaming(false)}
        />
      ) : (
        <button className="bp-name" onClick={() => switchBranch(b.id)} title="Show this branch (the playhead stays)" data-testid={`branch-switch-${b.id}`}>
          {depth > 0 ? '└ ' : ''}
          {b.name}
        </button>
      )}
      <span className="bp-meta">
        {b.id === ROOT_ID ? 'the scene' : `at ${formatTime(b.divergesAtNs)}: ${b.createdFrom}`}
        {status === 'simulating' ? ' · simulating…' : status === 'error' ? ' · failed' : ''}
      </span>
      <span className="bp-tools">
        {b.id !== ROOT_ID && (
          <button onClick={() => (setName(b.name), setRenaming(true))} aria-label={`Rename ${b.name}`} title="Rename">
            ✎
          </button>
        )}
        <button onClick={() => saveAsScene(b, sceneName)} aria-label={`Save ${b.name} as a scene file`} title="Save branch as scene (YAML)">
          ⤓
        </button>
        {b.id !== ROOT_ID && (
          <button
            onClick={() => deleteBranch(b.id)}
            aria-label={`Delete ${b.name} and its branches`}
            title="Delete (with its branches)"
            data-testid={`branch-delete-${b.id}`}
          >
            ×
          </button>
        )}
      </span>
    </li>
  );
}

function ComparePicker({ branches }: { branches: readonly BranchNode[] }) {
  const currentId = useStore(branchesStore, (s) => s.currentId);
  const current = branches.find((b) => b.id === currentId);
  const [a, setA] = useState('');
  const [b, setB] = useState('');
  const aId = a || current?.parentId || ROOT_ID;
  const bId = b || currentId;
  return (
    <div className="bp-compare">
      <label>
        <span>Compare</span>
        <select value={aId} onChange={(e) => setA(e.target.value)} data-testid="compare-a">
          {branches.map((x) => (
            <option key={x.id} value={x.id}>
              {x.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>with</span>
        <select value={bId} onChange={(e) => setB(e.target.value)} data-testid="compare-b">
          {branches.map((x) => (
            <option key={x.id} value={x.id}>
              {x.name}
            </option>
          ))}
        </select>
      </label>
      <button
        disabled={aId === bId}
        data-testid="compare-open"
        onClick={() => {
          if (compareBranches(aId, bId)) viewStore.getState().showPanel('compare');
        }}
      >
        Side by side
      </button>
    </div>
  );
}

/** The panel body. */
export function BranchPanel() {
  const branches = useStore(branchesStore, (s) => s.branches);
  const currentId = useStore(branchesStore, (s) => s.currentId);
  const runs = useStore(branchesStore, (s) => s.runs);
  return (
    <div className="branch-panel" data-testid="branch-panel">
      <ul className="bp-tree" aria-label="Branches">
        {ordered(branches).map(({ b, depth }) => (
          <BranchRow key={b.id} b={b} depth={depth} current={b.id === currentId} status={runs[b.id]?.status ?? 'none'} />
        ))}
      </ul>
      {branches.length > 1 ? <ComparePicker branches={branches} /> : <p className="empty">Add a fault to make a branch; then compare any two here.</p>}
    </div>
  );
}
