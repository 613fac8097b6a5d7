/**
 * A branch tree as text, for share links and browser storage: each branch's parent, name and
 * actions (in the action language) and which are switched off, plus the branch shown. The root
 * (the scene itself) is implied. Encoded as base64url JSON; decoding checks every field and names
 * what is wrong (`branch 2: "20ms link a-b sideways": ...`); names in the actions are checked
 * against the scene only when a branch is derived.
 */
import { formatAction, parseAction, type BranchAction } from './action';

/** One branch of a shared tree; `parent` is -1 for the root or the index of an earlier branch. */
interface SharedBranch {
  readonly parent: number;
  readonly name: string;
  readonly actions: readonly BranchAction[];
  readonly enabled: readonly boolean[];
}

/** A shared tree: its branches (root excluded) and the one shown (-1: the root). */
export interface SharedTree {
  readonly branches: readonly SharedBranch[];
  readonly current: number;
}

/** Most branches a link carries, and most actions per branch. */
const MAX_BRANCHES = 64;
const MAX_ACTIONS = 64;
const MAX_NAME = 80;

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): string {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

/** The tree as URL-safe text. */
export function encodeBranchTree(tree: SharedTree): string {
  const data = {
    v: 1,
    c: tree.current,
    b: tree.branches.map((b) => {
      const off = b.enabled.flatMap((e, i) => (e === false ? [i] : []));
      return off.length ? [b.parent, b.name, b.actions.map(formatAction), off] : [b.parent, b.name, b.actions.map(formatAction)];
    }),
  };
  return toBase64Url(JSON.stringify(data));
}

type Decoded = { ok: true; tree: SharedTree } | { ok: false; error: string };

/** Reads `encodeBranchTree`'s text back; the error names the branch and field. */
export function decodeBranchTree(text: string): Decoded {
  const fail = (error: string): Decoded => ({ ok: false, error });
  let data: unknown;
  try {
    data = JSON.parse(fromBase64Url(text.trim()));
  } catch {
    return fail('not a branch tree (expected the text a share link carries)');
  }
  const d = data as { v?: unknown; c?: unknown; b?: unknown };
  if (!d || typeof d !== 'object' || d.v !== 1) return fail('unknown branch tree version (expected 1)');
  if (!Array.isArray(d.b)) return fail('no branch list');
  if (d.b.length > MAX_BRANCHES) return fail(`${d.b.length} branches; a link carries at most ${MAX_BRANCHES}`);
  const branches: SharedBranch[] = [];
  for (let i = 0; i < d.b.length; i++) {
    const where = `branch ${i + 1}`;
    const e = d.b[i] as unknown[];
    if (!Array.isArray(e) || e.length < 3) return fail(`${where}: expected [parent, name, actions]`);
    const [parent, name, lines, off = []] = e as [unknown, unknown, unknown, unknown];
    if (!Number.isInteger(parent) || (parent as number) < -1 || (parent as number) >= i)
      return fail(`${where}: its parent must be an earlier branch or the scene`);
    if (typeof name !== 'string' || !name.trim() || name.length > MAX_NAME) return fail(`${where}: a name of 1 to ${MAX_NAME} characters`);
    if (!Array.isArray(lines) || lines.length > MAX_ACTIONS) return fail(`${where}: a list of at most ${MAX_ACTIONS} actions`);
    const actions: BranchAction[] = [];
    for (const line of lines) {
      if (typeof line !== 'string') return fail(`${where}: an action is not text`);
      const r = parseAction(line);
      if (!r.ok) return fail(`${where}: ${r.error}`);
      actions.push(r.action);
    }
    if (!Array.isArray(off) || off.some((j) => !Number.isInteger(j) || j < 0 || j >= actions.length))
      return fail(`${where}: switched-off actions must be action numbers`);
    branches.push({ parent: parent as number, name: name.trim(), actions, enabled: actions.map((_, j) => !off.includes(j)) });
  }
  const current = d.c;
  if (!Number.isInteger(current) || (current as number) < -1 || (current as number) >= branches.length) return fail('the branch shown is not in the tree');
  return { ok: true, tree: { branches, current: current as number } };
}
