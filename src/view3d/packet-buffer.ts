/**
 * The drawing primitives of the packet view: one merged dynamic buffer of boxes (shading baked into
 * vertex colours), bars along a link's lanes with overlapping same-colour bars merged, and what was
 * drawn last frame (for picking and the follow camera). `Packets` fills it from the trace.
 */
import * as THREE from 'three';
import { Place } from '../sim/trace';
import { protoColorClasses } from './colors';
import type { Vec3 } from './layout';
import { LINK_Y } from './Links';

/** What was drawn last frame, for picking: row ids and world centres. */
export const drawnPackets = {
  count: 0,
  rows: new Int32Array(0),
  centers: new Float32Array(0),
  /** Where the selected packet was drawn (for the follow camera). */
  selected: { found: false, x: 0, y: 0, z: 0 },
};

export interface LinkGeom {
  a: THREE.Vector3;
  b: THREE.Vector3;
  /** Unit direction a -> b (horizontal). */
  d: THREE.Vector3;
  /** Sideways offset per direction so the two directions do not overlap. */
  side: THREE.Vector3;
  len: number;
}

/** Faces drawn per box: top, two long sides, two end caps (the bottom is never seen). */
const VERTS = 20;
const INDICES = 30;
/** Brightness per face, baked into vertex colours (top, side +, side -, cap +, cap -). */
const SHADE = [1.0, 0.78, 0.62, 0.7, 0.55];
/** Corner signs (along, across, up) of each face's 4 vertices, counter-clockwise seen from outside. */
const FACES: [number, number, number][][] = [
  [
    [-1, -1, 1],
    [-1, 1, 1],
    [1, 1, 1],
    [1, -1, 1],
  ], // top (+up)
  [
    [-1, 1, -1],
    [1, 1, -1],
    [1, 1, 1],
    [-1, 1, 1],
  ], // side +across
  [
    [1, -1, -1],
    [-1, -1, -1],
    [-1, -1, 1],
    [1, -1, 1],
  ], // side -across
  [
    [1, 1, -1],
    [1, -1, -1],
    [1, -1, 1],
    [1, 1, 1],
  ], // cap +along
  [
    [-1, -1, -1],
    [-1, 1, -1],
    [-1, 1, 1],
    [-1, -1, 1],
  ], // cap -along
];

export const scratch = {
  from: new THREE.Vector3(),
  to: new THREE.Vector3(),
  p: new THREE.Vector3(),
  motion: { head: 0, tail: 0, fade: 0 },
  inflight: { rows: new Int32Array(1024) },
};
export const toRgb = (hex: string) => {
  const c = new THREE.Color(hex);
  return [Math.round(c.r * 255), Math.round(c.g * 255), Math.round(c.b * 255)] as const;
};
export const protoRgb = protoColorClasses().map((c) => toRgb(c.color));
const AXIS_X = new THREE.Vector3(1, 0, 0);

/** Each link's geometry for bars: ends at link height, direction, sideways lane offset, length. */
export function linkGeoms(links: readonly { a: Vec3; b: Vec3 }[]): LinkGeom[] {
  return links.map((l) => {
    const a = new THREE.Vector3(l.a[0], LINK_Y, l.a[2]);
    const b = new THREE.Vector3(l.b[0], LINK_Y, l.b[2]);
    const d = b.clone().sub(a).normalize();
    if (!Number.isFinite(d.x)) d.copy(AXIS_X);
    const side = new THREE.Vector3(-d.z, 0, d.x).multiplyScalar(0.13);
    return { a, b, d, side, len: a.distanceTo(b) };
  });
}

/** The merged buffer: positions and colours for `cap` boxes, a fixed index pattern. */
export class PacketBuffer {
  cap = 0;
  pos = new Float32Array(0);
  col = new Uint8Array(0);
  readonly geometry = new THREE.BufferGeometry();
  readonly mesh: THREE.Mesh;
  constructor(material: THREE.Material) {
    this.mesh = new THREE.Mesh(this.geometry, material);
    this.mesh.frustumCulled = false;
    this.mesh.name = 'packets';
    this.ensure(1024);
  }
  /** Makes room for `n` boxes, keeping what was written so far this frame. */
  ensure(n: number): void {
    if (n <= this.cap) return;
    const cap = Math.max(1024, 1 << Math.ceil(Math.log2(n + 1)));
    const oldPos = this.pos;
    const oldCol = this.col;
    this.cap = cap;
    this.pos = new Float32Array(cap * VERTS * 3);
    this.col = new Uint8Array(cap * VERTS * 4);
    this.pos.set(oldPos);
    this.col.set(oldCol);
    const idx = new Uint32Array(cap * INDICES);
    for (let b = 0; b < cap; b++) {
      for (let f = 0; f < 5; f++) {
        const v = b * VERTS + f * 4;
        const o = b * INDICES + f * 6;
        idx[o] = v;
        idx[o + 1] = v + 1;
        idx[o + 2] = v + 2;
        idx[o + 3] = v;
        idx[o + 4] = v + 2;
        idx[o + 5] = v + 3;
      }
    }
    const g = this.geometry;
    g.setAttribute('position', new THREE.BufferAttribute(this.pos, 3).setUsage(THREE.DynamicDrawUsage));
    // RGBA, not RGB: 3-byte vertex formats are converted by the driver on every upload (SwiftShader).
    g.setAttribute('color', new THREE.BufferAttribute(this.col, 4, true).setUsage(THREE.DynamicDrawUsage));
    g.setIndex(new THREE.BufferAttribute(idx, 1));
    const rows = new Int32Array(cap);
    rows.set(drawnPackets.rows.subarray(0, Math.min(drawnPackets.rows.length, cap)));
    const centers = new Float32Array(cap * 3);
    centers.set(drawnPackets.centers.subarray(0, Math.min(drawnPackets.centers.length, cap * 3)));
    drawnPackets.rows = rows;
    drawnPackets.centers = centers;
  }
  /** Writes box `k`: centre c, unit direction d along its length, half length hl, half thickness ht. */
  box(k: number, c: THREE.Vector3, d: THREE.Vector3, hl: number, ht: number, rgb: readonly [number, number, number]): void {
    if (k >= this.cap) this.ensure(k + 1);
    const pos = this.pos;
    const col = this.col;
    let cv = k * VERTS * 4;
    // across = up x d, horizontal
    const ax = -d.z;
    const az = d.x;
    let v = k * VERTS * 3;
    for (let f = 0; f < 5; f++) {
      const face = FACES[f];
      const s = SHADE[f];
      const r = (rgb[0] * s) | 0;
      const g = (rgb[1] * s) | 0;
      const b = (rgb[2] * s) | 0;
      for (let i = 0; i < 4; i++) {
        const [u, w, h] = face[i];
        pos[v] = c.x + d.x * hl * u + ax * ht * w;
        pos[v + 1] = c.y + ht * h;
        pos[v + 2] = c.z + d.z * hl * u + az * ht * w;
        col[cv] = r;
        col[cv + 1] = g;
        col[cv + 2] = b;
        col[cv + 3] = 255;
        cv += 4;
        v += 3;
      }
    }
  }
  commit(count: number): void {
    const g = this.geometry;
    g.setDrawRange(0, count * INDICES);
    const p = g.getAttribute('position') as THREE.BufferAttribute;
    const c = g.getAttribute('color') as THREE.BufferAttribute;
    p.clearUpdateRanges();
    c.clearUpdateRanges();
    p.addUpdateRange(0, count * VERTS * 3);
    c.addUpdateRange(0, count * VERTS * 4);
    p.needsUpdate = true;
    c.needsUpdate = true;
  }
  dispose(): void {
    this.geometry.dispose();
  }
}

/**
 * Level of detail: bars that overlap on the same lane (link and direction) with the same colour are
 * drawn as one box. On screen that is the same picture, but a lane crammed with thousands of
 * frames costs one box instead of thousands of overlapping ones (software rasterizers are
 * fill-bound). Selected frames and drops are never merged.
 */
class LaneRuns {
  /** Per lane: open run as [from, to] along the lane (fractions), colour index, box index; -1 = none. */
  lo = new Float64Array(0);
  hi = new Float64Array(0);
  color = new Int32Array(0);
  box = new Int32Array(0);
  reset(lanes: number): void {
    if (this.box.length < lanes) {
      this.lo = new Float64Array(lanes);
      this.hi = new Float64Array(lanes);
      this.color = new Int32Array(lanes);
      this.box = new Int32Array(lanes);
    }
    this.box.fill(-1, 0, lanes);
  }
}
export const runs = new LaneRuns();

/** Writes a bar on lane `lane` of link geometry g from fraction lo to hi; merges into the lane's open run when possible. */
export function laneBar(
  buf: PacketBuffer,
  k: number,
  g: LinkGeom,
  dir: number,
  lane: number,
  lo: number,
  hi: number,
  colorIdx: number,
  rgb: readonly [number, number, number],
  thick: number,
  mergeable: boolean,
): boolean {
  const open = runs.box[lane];
  if (mergeable && open >= 0 && runs.color[lane] === colorIdx && lo <= runs.hi[lane] && hi >= runs.lo[lane]) {
    runs.lo[lane] = Math.min(runs.lo[lane], lo);
    runs.hi[lane] = Math.max(runs.hi[lane], hi);
    placeBar(buf, open, g, dir, runs.lo[lane], runs.hi[lane], rgb, thick);
    return false;
  }
  placeBar(buf, k, g, dir, lo, hi, rgb, thick);
  if (mergeable) {
    runs.box[lane] = k;
    runs.lo[lane] = lo;
    runs.hi[lane] = hi;
    runs.color[lane] = colorIdx;
  }
  return true;
}

export function placeBar(
  buf: PacketBuffer,
  k: number,
  g: LinkGeom,
  dir: number,
  lo: number,
  hi: number,
  rgb: readonly [number, number, number],
  thick: number,
): void {
  scratch.from.copy(dir === Place.AtoB ? g.a : g.b).addScaledVector(g.side, dir === Place.AtoB ? 1 : -1);
  scratch.to.copy(dir === Place.AtoB ? g.b : g.a).addScaledVector(g.side, dir === Place.AtoB ? 1 : -1);
  scratch.p.lerpVectors(scratch.from, scratch.to, (lo + hi) / 2);
  buf.box(k, scratch.p, g.d, ((hi - lo) * g.len) / 2, thick / 2, rgb);
  drawnPackets.centers[k * 3] = scratch.p.x;
  drawnPackets.centers[k * 3 + 1] = scratch.p.y;
  drawnPackets.centers[k * 3 + 2] = scratch.p.z;
}

/** A bar's extent along its lane as fractions, at least MIN_LEN world units long. */
export function barExtent(g: LinkGeom, head: number, tail: number, out: { lo: number; hi: number }): void {
  const min = MIN_LEN / Math.max(1e-6, g.len);
  const mid = (head + tail) / 2;
  const half = Math.max(min, head - tail) / 2;
  out.lo = mid - half;
  out.hi = mid + half;
}
const MIN_LEN = 0.3;
export const extent = { lo: 0, hi: 0 };
