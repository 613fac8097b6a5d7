/**
 * The primitive edits every editor command is made of, applied in place to a scene's YAML document
 * (the `yaml` library's Document API), so comments and the layout the user wrote survive. Each
 * application returns the exact inverse: applying it restores the same document text.
 */
import { isMap, isNode, isScalar, isSeq, Pair, Scalar } from 'yaml';
import type { Document, Node as YamlNode, YAMLMap, YAMLSeq } from 'yaml';

/** A path into scene data: keys and list indexes, e.g. `['nodes', 2, 'ip']`. */
export type EditPath = readonly (string | number)[];

/**
 * One primitive edit.
 * - `set`: sets the value at `path` (`undefined` removes a map key); a new key goes at `at` when given;
 *   `inPlace` (in inverses) writes a scalar's value and style back into the node already there.
 * - `insert`: inserts into the list at `path` before `index` (the end when `index` is its length).
 * - `remove`: removes the list item at `path[index]`.
 * A value is plain data or a YAML node taken from the document by an earlier edit (so an undo puts
 * back the very node, comments included).
 */
export type EditOp =
  | { readonly op: 'set'; readonly path: EditPath; readonly value: unknown; readonly at?: number; readonly inPlace?: boolean }
  | { readonly op: 'insert'; readonly path: EditPath; readonly index: number; readonly value: unknown }
  | { readonly op: 'remove'; readonly path: EditPath; readonly index: number };

/** Thrown when an edit does not fit the document (a path through a scalar, an index out of range). */
class EditError extends Error {}

type Collection = YAMLMap<unknown, unknown> | YAMLSeq<unknown>;

function keyOf(pair: Pair<unknown, unknown>): unknown {
  return isScalar(pair.key) ? pair.key.value : pair.key;
}

function mapIndex(map: YAMLMap<unknown, unknown>, key: string | number): number {
  return map.items.findIndex((p) => String(keyOf(p)) === String(key));
}

/** Whether the items of a collection are written in flow style (`{ a: 1 }`, `[1, 2]`). */
function siblingFlow(seq: YAMLSeq<unknown>): boolean {
  const first = seq.items.find((i) => isMap(i) || isSeq(i));
  return first !== undefined && (first as Collection).flow === true;
}

/** A YAML node for `value`: the node itself, or a new node (flow style inside flow collections). */
function toNode(doc: Document, value: unknown, flow: boolean): unknown {
  if (isNode(value)) return value;
  const node = doc.createNode(value, { flow });
  // Short lists of numbers (positions) read best inline.
  if (isSeq(node) && node.items.every((i) => isScalar(i) && typeof i.value === 'number')) node.flow = true;
  return node;
}

/** The collection at `path`, or undefined when the path does not lead to one. */
function collectionAt(doc: Document, path: EditPath): Collection | undefined {
  const node = path.length === 0 ? doc.contents : doc.getIn(path, true);
  return isMap(node) || isSeq(node) ? (node as Collection) : undefined;
}

/** Plain data for `rest` nested under one key: `['a', 'b'], 1` -> `{ b: 1 }` under `a`. */
function nest(rest: EditPath, value: unknown): unknown {
  let out = value;
  for (let i = rest.length - 1; i >= 0; i--) {
    const seg = rest[i];
    out = typeof seg === 'number' ? Object.assign(new Array<unknown>(seg + 1).fill(null), { [seg]: out }) : { [seg]: out };
  }
  return out;
}

function applySet(doc: Document, path: EditPath, value: unknown, at: number | undefined): EditOp {
  if (path.length === 0) throw new EditError('cannot replace the whole scene with set');
  // Find the deepest existing collection; a missing part of the path is created as one value.
  let depth = path.length - 1;
  while (depth > 0 && !collectionAt(doc, path.slice(0, depth))) depth--;
  const parent = collectionAt(doc, path.slice(0, depth));
  if (!parent) throw new EditError(`no mapping or list at the top of the scene`);
  if (depth < path.length - 1) {
    if (value === undefined) return { op: 'set', path, value: undefined };
    return applySet(doc, path.slice(0, depth + 1), nest(path.slice(depth + 1), value), at);
  }
  const key = path[path.length - 1];
  const flow = parent.flow === true;
  if (isSeq(parent)) {
    if (typeof key !== 'number' || key < 0 || key >= parent.items.length) throw new EditError(`no item ${String(key)} in the list`);
    if (value === undefined) throw new EditError('use remove to take an item out of a list');
    const old = parent.items[key];
    parent.items[key] = toNode(doc, value, flow || siblingFlow(parent));
    return { op: 'set', path, value: old };
  }
  const map = parent as YAMLMap<unknown, unknown>;
  const i = mapIndex(map, key);
  if (i < 0) {
    if (value === undefined) return { op: 'set', path, value: undefined };
    const pair = new Pair(new Scalar(key), toNode(doc, value, flow));
    const pos = at === undefined ? map.items.length : Math.max(0, Math.min(at, map.items.length));
    map.items.splice(pos, 0, pair);
    return { op: 'set', path, value: undefined };
  }
  const pair = map.items[i];
  if (value === undefined) {
    map.items.splice(i, 1);
    return { op: 'set', path, value: pair.value, at: i };
  }
  const old = pair.value;
  // Keep a scalar node (and its comment) when only its value changes.
  if (isScalar(old) && !isNode(value) && (value === null || typeof value !== 'object')) {
    const prev = old.value;
    const prevType = old.type;
    old.value = value;
    if (typeof value !== typeof prev) old.type = undefined;
    return { op: 'set', path, value: Object.assign(new Scalar(prev), { type: prevType }), inPlace: true };
  }
  pair.value = toNode(doc, value, flow);
  return { op: 'set', path, value: old };
}

/** Puts a scalar's previous value back into the same node (the inverse of an in-place change). */
function restoreScalar(doc: Document, path: EditPath, from: Scalar): EditOp {
  const node = doc.getIn(path, true);
  if (!isScalar(node)) throw new EditError('the value changed shape since');
  const inverse = Object.assign(new Scalar(node.value), { type: node.type });
  node.value = from.value;
  node.type = from.type;
  return { op: 'set', path, value: inverse, inPlace: true };
}

/** Applies one edit to `doc` in place and returns its inverse. */
function applyOp(doc: Document, op: EditOp): EditOp {
  switch (op.op) {
    case 'set':
      if (op.inPlace && isScalar(op.value)) return restoreScalar(doc, op.path, op.value);
      return applySet(doc, op.path, op.value, op.at);
    case 'insert': {
      const seq = collectionAt(doc, op.path);
      if (!seq) {
        if (op.index !== 0) throw new EditError(`no list at ${op.path.join('.')}`);
        // A missing list is created with the one item; the inverse removes the key again.
        applySet(doc, op.path, [op.value], undefined);
        const created = collectionAt(doc, op.path);
        if (created && isSeq(created) && isNode(op.value)) created.items[0] = op.value;
        return { op: 'set', path: op.path, value: undefined };
      }
      if (!isSeq(seq)) throw new EditError(`${op.path.join('.')} is not a list`);
      if (op.index < 0 || op.index > seq.items.length) throw new EditError(`index ${op.index} is outside the list`);
      // Items of scene lists read best one per line, each a flow mapping (`- { id: h1, kind: host }`):
      // an empty `[]` list becomes a block list when its first mapping arrives.
      const isMapping = isMap(op.value) || (!isNode(op.value) && op.value !== null && typeof op.value === 'object' && !Array.isArray(op.value));
      const flowItem = seq.items.length === 0 ? isMapping : seq.flow === true || siblingFlow(seq);
      if (seq.items.length === 0 && isMapping) seq.flow = false;
      seq.items.splice(op.index, 0, toNode(doc, op.value, flowItem));
      return { op: 'remove', path: op.path, index: op.index };
    }
    case 'remove': {
      const seq = collectionAt(doc, op.path);
      if (!seq || !isSeq(seq)) throw new EditError(`${op.path.join('.')} is not a list`);
      if (op.index < 0 || op.index >= seq.items.length) throw new EditError(`index ${op.index} is outside the list`);
      const [old] = seq.items.splice(op.index, 1);
      // An empty list is written `[]` (a block list cannot be empty).
      if (seq.items.length === 0) seq.flow = true;
      return { op: 'insert', path: op.path, index: op.index, value: old as YamlNode };
    }
  }
}

/** Applies edits in order; returns the inverse edits in the order that undoes them. */
export function applyOps(doc: Document, ops: readonly EditOp[]): EditOp[] {
  const inverses: EditOp[] = [];
  try {
    for (const op of ops) inverses.push(applyOp(doc, op));
  } catch (e) {
    // All or nothing: put back what was done.
    for (let i = inverses.length - 1; i >= 0; i--) applyOp(doc, inverses[i]);
    throw e;
  }
  return inverses.reverse();
}
