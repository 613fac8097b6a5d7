/**
 * Every frame on the wire at the playhead, drawn as one InstancedMesh updated in useFrame straight
 * from the timeline (never React state). A frame is a bar from its trailing to its leading edge, so
 * serialization (the bar growing out of the sender) and propagation (the bar travelling) both show.
 */
import { useEffect, useMemo, useRef } from 'react';
import { useFrame } from '@react-three/fiber';
import * as THREE from 'three';
import { RecordKind } from '../sim/trace';
import { playbackStore, selectionStore } from '../store';
import { frameProtocol, framesInFlightInto, motionAt, type TimelineIndex } from '../timeline';
import { DROP_COLOR, PROTO_COLORS, SELECTED_COLOR } from './colors';
import type { Vec3 } from './layout';
import { LINK_Y } from './Links';

/** What was drawn last frame, for picking: row ids and world centres. */
export const drawnPackets = { count: 0, rows: new Int32Array(0), centers: new Float32Array(0) };

interface LinkGeom {
  a: THREE.Vector3;
  b: THREE.Vector3;
  /** Sideways offset per direction so the two directions do not overlap. */
  side: THREE.Vector3;
  quatAB: THREE.Quaternion;
  quatBA: THREE.Quaternion;
}

const scratch = {
  m: new THREE.Matrix4(),
  p: new THREE.Vector3(),
  s: new THREE.Vector3(),
  q: new THREE.Quaternion(),
  from: new THREE.Vector3(),
  to: new THREE.Vector3(),
  head: new THREE.Vector3(),
  tail: new THREE.Vector3(),
  c: new THREE.Color(),
  motion: { head: 0, tail: 0, fade: 0 },
  inflight: { rows: new Int32Array(1024) },
};
const protoColors = Object.values(PROTO_COLORS).map((c) => new THREE.Color(c));
const dropColor = new THREE.Color(DROP_COLOR);
const selColor = new THREE.Color(SELECTED_COLOR);
const X = new THREE.Vector3(1, 0, 0);

export function Packets({ index, links, nodePos }: { index: TimelineIndex; links: { a: Vec3; b: Vec3 }[]; nodePos: Vec3[] }) {
  const geoms = useMemo<LinkGeom[]>(
    () =>
      links.map((l) => {
        const a = new THREE.Vector3(l.a[0], LINK_Y, l.a[2]);
        const b = new THREE.Vector3(l.b[0], LINK_Y, l.b[2]);
        const d = b.clone().sub(a).normalize();
        const side = new THREE.Vector3(-d.z, 0, d.x).multiplyScalar(0.13);
        return {
          a,
          b,
          side,
          quatAB: new THREE.Quaternion().setFromUnitVectors(X, d),
          quatBA: new THREE.Quaternion().setFromUnitVectors(X, d.clone().negate()),
        };
      }),
    [links],
  );
  const holder = useMemo(() => new THREE.Group(), []);
  const geometry = useMemo(() => new THREE.BoxGeometry(1, 1, 1), []);
  const material = useMemo(() => new THREE.MeshStandardMaterial({ roughness: 0.35, metalness: 0.1, emissive: '#222222' }), []);
  const meshRef = useRef<THREE.InstancedMesh | null>(null);

  useEffect(
    () => () => {
      meshRef.current?.dispose();
      geometry.dispose();
      material.dispose();
    },
    [geometry, material],
  );

  const ensure = (n: number): THREE.InstancedMesh => {
    const old = meshRef.current;
    if (old && old.instanceMatrix.count >= n) return old;
    const cap = Math.max(1024, 1 << Math.ceil(Math.log2(n + 1)));
    if (old) {
      holder.remove(old);
      old.dispose();
    }
    const mesh = new THREE.InstancedMesh(geometry, material, cap);
    mesh.instanceMatrix.setUsage(THREE.DynamicDrawUsage);
    mesh.instanceColor = new THREE.InstancedBufferAttribute(new Float32Array(cap * 3), 3);
    mesh.instanceColor.setUsage(THREE.DynamicDrawUsage);
    mesh.frustumCulled = false;
    mesh.name = 'packets';
    holder.add(mesh);
    meshRef.current = mesh;
    drawnPackets.rows = new Int32Array(cap);
    drawnPackets.centers = new Float32Array(cap * 3);
    return mesh;
  };

  useFrame(() => {
    const t = playbackStore.getState().time;
    const selPacket = selectionStore.getState().packet;
    const selRow = selectionStore.getState().row;
    const tr = index.trace;
    const n = framesInFlightInto(index, t, scratch.inflight);
    const mesh = ensure(n);
    const rows = scratch.inflight.rows;
    let k = 0;
    for (let i = 0; i < n; i++) {
      const r = rows[i];
      const kind = tr.kind[r];
      const dir = tr.dir[r];
      const selected = (selPacket >= 0 && tr.packet[r] === selPacket) || r === selRow;
      let thick = selected ? 0.3 : 0.22;
      if (dir === 2) {
        // Dropped inside a node: a red cube falling out of it.
        const p = nodePos[tr.place[r]];
        if (!p) continue;
        const fade = Math.min(1, Math.max(0, (t - tr.time[r]) / index.fadeNs));
        scratch.p.set(p[0], 1.2 - fade * 1.1, p[2]);
        const s = 0.28 * (1 - fade * 0.7);
        scratch.s.set(s, s, s);
        scratch.q.identity();
        scratch.c.copy(selected ? selColor : dropColor);
      } else {
        const g = geoms[tr.place[r]];
        if (!g) continue;
        motionAt(index, r, t, scratch.motion);
        const { head, tail, fade } = scratch.motion;
        scratch.from.copy(dir === 0 ? g.a : g.b).addScaledVector(g.side, dir === 0 ? 1 : -1);
        scratch.to.copy(dir === 0 ? g.b : g.a).addScaledVector(g.side, dir === 0 ? 1 : -1);
        scratch.head.lerpVectors(scratch.from, scratch.to, head);
        scratch.tail.lerpVectors(scratch.from, scratch.to, tail);
        const len = Math.max(0.3, scratch.head.distanceTo(scratch.tail));
        scratch.p.addVectors(scratch.head, scratch.tail).multiplyScalar(0.5);
        if (kind === RecordKind.Drop) {
          scratch.p.y -= fade * 0.9;
          thick *= 1 - fade * 0.6;
          scratch.c.copy(selected ? selColor : dropColor);
        } else {
          scratch.c.copy(selected ? selColor : protoColors[frameProtocol(index, tr.frame[r])]);
        }
        scratch.s.set(len, thick, thick);
        scratch.q.copy(dir === 0 ? g.quatAB : g.quatBA);
      }
      scratch.m.compose(scratch.p, scratch.q, scratch.s);
      mesh.setMatrixAt(k, scratch.m);
      mesh.setColorAt(k, scratch.c);
      drawnPackets.rows[k] = r;
      drawnPackets.centers[k * 3] = scratch.p.x;
      drawnPackets.centers[k * 3 + 1] = scratch.p.y;
      drawnPackets.centers[k * 3 + 2] = scratch.p.z;
      k++;
    }
    mesh.count = k;
    drawnPackets.count = k;
    mesh.instanceMatrix.needsUpdate = true;
    if (mesh.instanceColor) mesh.instanceColor.needsUpdate = true;
  });

  return <primitive object={holder} />;
}
