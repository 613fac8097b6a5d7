/**
 * Auto-layout: a deterministic layered drawing of the network. Routers sit in the middle column,
 * top to bottom in the order the network reaches them; what hangs off each router (switches and
 * hubs, then their hosts) is drawn as a tree in layers to its left and right, each parent centred
 * beside its children. Devices no router reaches are drawn after, as trees from their first device. Every
 * position lands on the half-unit grid. One command (one undo step); the same scene always gets
 * the same drawing.
 */
import { addressStyle } from './segments';
import { moveDevice, planPoint, type Catalog, type EditCommand, type SceneData } from './commands';
import type { EditOp } from './ops';

/** Scene units between neighbours in a layer, and between layers. */
const GAP_X = 2.5;
const GAP_Y = 2.5;

const snap = (v: number): number => Math.round(v * 2) / 2 || 0;

function endNode(end: unknown): string {
  return typeof end === 'string' ? end.split(':')[0] : '';
}

/** Parent-to-children trees over the links, grown breadth-first from the routers. */
function spanningTrees(catalog: Catalog, data: SceneData): { roots: string[]; children: Map<string, string[]> } {
  const ids = (data.nodes ?? []).filter((n) => n && typeof n.id === 'string').map((n) => String(n.id));
  const known = new Set(ids);
  const adj = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const l of data.links ?? []) {
    const a = endNode(l?.a);
    const b = endNode(l?.b);
    if (a === b || !known.has(a) || !known.has(b)) continue;
    adj.get(a)!.push(b);
    adj.get(b)!.push(a);
  }
  const kindOf = new Map((data.nodes ?? []).filter((n) => n && typeof n.id === 'string').map((n) => [String(n.id), String(n.kind)]));
  const routers = ids.filter((id) => addressStyle(catalog, kindOf.get(id)!) === 'interfaces');
  const children = new Map<string, string[]>(ids.map((id) => [id, []]));
  const seen = new Set<string>();
  const roots: string[] = [];
  const grow = (starts: string[]) => {
    let frontier = starts.filter((s) => !seen.has(s));
    frontier.forEach((s) => seen.add(s));
    roots.push(...frontier);
    while (frontier.length > 0) {
      const next: string[] = [];
      for (const id of frontier) {
        for (const n of adj.get(id)!) {
          if (seen.has(n)) continue;
          seen.add(n);
          // A router met on the way starts a tree of its own in the middle row.
          if (routers.includes(n)) {
            roots.push(n);
          } else {
            children.get(id)!.push(n);
          }
          next.push(n);
        }
      }
      frontier = next;
    }
  };
  // Routers in the order the network reaches them from the first one, then any others.
  for (const r of routers) grow([r]);
  for (const id of ids) if (!seen.has(id)) grow([id]);
  return { roots: orderRoots(roots, routers), children };
}

/** Routers first (in the order reached), then the roots of router-less parts. */
function orderRoots(roots: readonly string[], routers: readonly string[]): string[] {
  return [...roots.filter((r) => routers.includes(r)), ...roots.filter((r) => !routers.includes(r))];
}

/** Positions (x right, y up) for every device: the layered drawing. (Computed as rows, then turned.) */
export function layeredPositions(catalog: Catalog, data: SceneData): Map<string, [number, number]> {
  const { roots, children } = spanningTrees(catalog, data);
  const width = new Map<string, number>();
  const measure = (id: string): number => {
    const kids = children.get(id) ?? [];
    const w = Math.max(
      1,
      kids.reduce((sum, k) => sum + measure(k), 0),
    );
    width.set(id, w);
    return w;
  };
  const out = new Map<string, [number, number]>();
  const place = (id: string, left: number, depth: number, dir: 1 | -1): void => {
    const w = width.get(id)!;
    out.set(id, [left + (w * GAP_X) / 2, dir * depth * GAP_Y]);
    let x = left;
    for (const k of children.get(id) ?? []) {
      place(k, x, depth + 1, dir);
      x += width.get(k)! * GAP_X;
    }
  };
  let left = 0;
  for (const root of roots) {
    const kids = children.get(root) ?? [];
    kids.forEach(measure);
    // Half of a router's subtrees go above it, half below (split by width, first ones up).
    const total = kids.reduce((s, k) => s + width.get(k)!, 0);
    const up: string[] = [];
    const down: string[] = [];
    let upW = 0;
    for (const k of kids) {
      if (upW < total / 2) {
        up.push(k);
        upW += width.get(k)!;
      } else down.push(k);
    }
    const w = Math.max(1, upW, total - upW);
    out.set(root, [left + (w * GAP_X) / 2, 0]);
    for (const [half, dir, hw] of [
      [up, 1, upW],
      [down, -1, total - upW],
    ] as const) {
      let x = left + ((w - hw) * GAP_X) / 2;
      for (const k of half) {
        place(k, x, 1, dir);
        x += width.get(k)! * GAP_X;
      }
    }
    left += w * GAP_X;
  }
  // Drawn across the plan, as screens are wider than tall: the routers' row becomes the middle
  // column (the first router at the top), the first half of each router's subtrees to its left.
  const shift = left / 2;
  for (const [id, [x, y]] of out) out.set(id, [snap(-y), snap(shift - x)]);
  return out;
}

/** Moves every device to the layered drawing; `null` when every device is already there. */
export function autoLayout(catalog: Catalog, data: SceneData): EditCommand | null {
  const ops: EditOp[] = [];
  for (const [id, p] of layeredPositions(catalog, data)) {
    const node = (data.nodes ?? []).find((n) => n?.id === id);
    const now = Array.isArray(node?.position) ? planPoint(data, node.position as unknown[]) : undefined;
    if (now && now[0] === p[0] && now[1] === p[1]) continue;
    ops.push(...moveDevice(data, id, p).ops);
  }
  return ops.length === 0 ? null : { name: 'Auto-layout', ops };
}
