/** Where each device sits: the scene's `position`, else a deterministic circle layout. */
import type { Scene } from '../scenario/scene';

export type Vec3 = [number, number, number];

export interface Layout {
  /** Position by node id (scene ids equal trace node names). */
  readonly pos: Map<string, Vec3>;
  readonly center: Vec3;
  /** Radius of the bounding circle around `center`. */
  readonly radius: number;
  /** Half extents along x and z. */
  readonly halfW: number;
  readonly halfD: number;
}

export function layoutScene(scene: Scene): Layout {
  const pos = new Map<string, Vec3>();
  const missing = scene.nodes.filter((n) => !n.position);
  // A plan written in two dimensions (`{ x, y }`, or [x, y, 0] everywhere) puts y on the floor
  // (away from the viewer), not in the air: devices stand on the ground, y up the screen.
  const placed = scene.nodes.filter((n) => n.position);
  const plan2d = placed.length > 0 && placed.every((n) => n.position![2] === 0) && placed.some((n) => n.position![1] !== 0);
  const r = Math.max(3, missing.length * 0.9);
  let k = 0;
  for (const n of scene.nodes) {
    if (n.position) {
      pos.set(n.id, plan2d ? [n.position[0], 0, -n.position[1]] : [n.position[0], n.position[1], n.position[2]]);
    } else {
      const a = (2 * Math.PI * k++) / Math.max(1, missing.length);
      pos.set(n.id, [Math.round(r * Math.cos(a) * 100) / 100, 0, Math.round(r * Math.sin(a) * 100) / 100]);
    }
  }
  let minX = Infinity,
    maxX = -Infinity,
    minZ = Infinity,
    maxZ = -Infinity;
  for (const p of pos.values()) {
    minX = Math.min(minX, p[0]);
    maxX = Math.max(maxX, p[0]);
    minZ = Math.min(minZ, p[2]);
    maxZ = Math.max(maxZ, p[2]);
  }
  if (!Number.isFinite(minX)) return { pos, center: [0, 0, 0], radius: 5, halfW: 3, halfD: 3 };
  const center: Vec3 = [(minX + maxX) / 2, 0, (minZ + maxZ) / 2];
  const radius = Math.max(3, Math.hypot(maxX - minX, maxZ - minZ) / 2);
  return { pos, center, radius, halfW: (maxX - minX) / 2, halfD: (maxZ - minZ) / 2 };
}

/** The addresses to print under a device's name (host/server `ip`, router `interfaces[].ip`). */
export function nodeAddresses(config: unknown): string[] {
  if (!config || typeof config !== 'object') return [];
  const c = config as { ip?: unknown; interfaces?: unknown };
  if (typeof c.ip === 'string') return [c.ip];
  if (Array.isArray(c.interfaces)) {
    return c.interfaces
      .map((i: unknown) => (typeof i === 'string' ? i : i && typeof i === 'object' ? (i as { ip?: unknown }).ip : undefined))
      .filter((x): x is string => typeof x === 'string');
  }
  return [];
}
