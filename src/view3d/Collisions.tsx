/**
 * Hub collisions made visible: when a Drop row's reason mentions a collision, the hub flashes (a red
 * burst that grows and fades) and the colliding cable glows red for a moment. All animation runs in
 * useFrame from the timeline; React renders this once per trace.
 */
import { useMemo, useRef } from 'react';
import { useFrame } from '@react-three/fiber';
import * as THREE from 'three';
import { isLinkDirection, RecordKind } from '../sim/trace';
import { playbackStore } from '../store/playback';
import { upperBound, type TimelineIndex } from '../timeline';
import { DROP_COLOR } from './colors';
import type { Vec3 } from './layout';
import { LINK_Y } from './Links';

/** Collision times per hub node and per link, sorted. */
interface Track {
  key: number;
  times: Float64Array;
}

function collisionTracks(index: TimelineIndex): { hubs: Track[]; links: Track[] } {
  const tr = index.trace;
  const byHub = new Map<number, number[]>();
  const byLink = new Map<number, number[]>();
  for (let i = 0; i < index.order.length; i++) {
    const r = index.order[i];
    if (tr.kind[r] !== RecordKind.Drop || !isLinkDirection(tr.dir[r])) continue;
    const reason = tr.string(tr.code[r]);
    if (!/^(late )?collision|excessive collisions/.test(reason)) continue;
    const link = tr.links[tr.place[r]];
    if (!link) continue;
    const hub = tr.nodes[link.b]?.kind === 'hub' ? link.b : tr.nodes[link.a]?.kind === 'hub' ? link.a : link.b;
    (byHub.get(hub) ?? byHub.set(hub, []).get(hub)!).push(tr.time[r]);
    (byLink.get(link.id) ?? byLink.set(link.id, []).get(link.id)!).push(tr.time[r]);
  }
  const tracks = (m: Map<number, number[]>) => [...m].map(([key, t]) => ({ key, times: Float64Array.from(t) }));
  return { hubs: tracks(byHub), links: tracks(byLink) };
}

/** 1 at a collision, falling to 0 after `window` ns (0 when none is recent). */
function intensity(times: Float64Array, t: number, window: number): number {
  const i = upperBound(times, t) - 1;
  if (i < 0) return 0;
  const age = t - times[i];
  return age > window ? 0 : 1 - age / window;
}

const RED = new THREE.Color(DROP_COLOR);

export function Collisions({ index, links, nodePos }: { index: TimelineIndex; links: { id: number; a: Vec3; b: Vec3 }[]; nodePos: Vec3[] }) {
  const tracks = useMemo(() => collisionTracks(index), [index]);
  const window = Math.max(index.fadeNs * 3, 20_000);
  const bursts = useRef<(THREE.Mesh | null)[]>([]);
  const cables = useRef<(THREE.Mesh | null)[]>([]);
  const cableGeoms = useMemo(
    () =>
      tracks.links.map((tk) => {
        const l = links[tk.key];
        const a = new THREE.Vector3(l?.a[0] ?? 0, LINK_Y, l?.a[2] ?? 0);
        const b = new THREE.Vector3(l?.b[0] ?? 0, LINK_Y, l?.b[2] ?? 0);
        const q = new THREE.Quaternion().setFromUnitVectors(new THREE.Vector3(0, 1, 0), b.clone().sub(a).normalize());
        return { mid: a.clone().add(b).multiplyScalar(0.5), len: a.distanceTo(b), q };
      }),
    [tracks, links],
  );
  useFrame(() => {
    const t = playbackStore.getState().time;
    tracks.hubs.forEach((tk, i) => {
      const m = bursts.current[i];
      if (!m) return;
      const k = intensity(tk.times, t, window);
      m.visible = k > 0;
      if (!m.visible) return;
      m.scale.setScalar(0.7 + (1 - k) * 1.1);
      (m.material as THREE.MeshBasicMaterial).opacity = 0.25 + 0.6 * k;
    });
    tracks.links.forEach((tk, i) => {
      const m = cables.current[i];
      if (!m) return;
      const k = intensity(tk.times, t, window);
      m.visible = k > 0;
      if (m.visible) (m.material as THREE.MeshBasicMaterial).opacity = 0.3 + 0.65 * k;
    });
  });
  if (tracks.hubs.length === 0) return null;
  return (
    <group name="collisions">
      {tracks.hubs.map((tk, i) => {
        const p = nodePos[tk.key] ?? [0, 0, 0];
        return (
          <mesh
            key={`h${tk.key}`}
            name={`collision:${index.trace.nodes[tk.key]?.name}`}
            position={[p[0], 0.45, p[2]]}
            visible={false}
            ref={(m) => {
              bursts.current[i] = m;
            }}
          >
            <sphereGeometry args={[0.75, 24, 16]} />
            <meshBasicMaterial color={RED} transparent opacity={0.8} depthWrite={false} />
          </mesh>
        );
      })}
      {tracks.links.map((tk, i) => (
        <mesh
          key={`l${tk.key}`}
          position={cableGeoms[i].mid}
          quaternion={cableGeoms[i].q}
          visible={false}
          ref={(m) => {
            cables.current[i] = m;
          }}
        >
          <cylinderGeometry args={[0.09, 0.09, cableGeoms[i].len, 8]} />
          <meshBasicMaterial color={RED} transparent opacity={0.9} depthWrite={false} />
        </mesh>
      ))}
    </group>
  );
}
