/** Links as thin tubes; colour follows the link's state at the playhead (up, lossy, down). */
import { useMemo, useRef } from 'react';
import { useFrame } from '@react-three/fiber';
import * as THREE from 'three';
import { playbackStore } from '../store/playback';
import { linkStateAt, type TimelineIndex } from '../timeline';
import type { Vec3 } from './layout';

export const LINK_Y = 0.3;

const UP = new THREE.Color('#5a6b86');
const LOSSY = new THREE.Color('#f6ad55');
const DOWN = new THREE.Color('#e53e3e');

interface LinkSpec {
  id: number;
  a: Vec3;
  b: Vec3;
}

export function Links({ links, index }: { links: LinkSpec[]; index: TimelineIndex }) {
  const mats = useRef<(THREE.MeshStandardMaterial | null)[]>([]);
  const geoms = useMemo(
    () =>
      links.map((l) => {
        const a = new THREE.Vector3(l.a[0], LINK_Y, l.a[2]);
        const b = new THREE.Vector3(l.b[0], LINK_Y, l.b[2]);
        const mid = a.clone().add(b).multiplyScalar(0.5);
        const len = a.distanceTo(b);
        const q = new THREE.Quaternion().setFromUnitVectors(new THREE.Vector3(0, 1, 0), b.clone().sub(a).normalize());
        return { mid, len, q };
      }),
    [links],
  );
  const lastT = useRef(-1);
  useFrame(() => {
    const t = playbackStore.getState().time;
    if (t === lastT.current) return;
    lastT.current = t;
    links.forEach((l, i) => {
      const m = mats.current[i];
      if (!m || index.linkStates[l.id]?.length === 0) return;
      const st = linkStateAt(index, l.id, t);
      const down = st.get('up') === 'false';
      const loss = Number(st.get('loss') ?? 0);
      m.color.copy(down ? DOWN : loss > 0 ? LOSSY : UP);
      m.opacity = down ? 0.35 : 1;
    });
  });
  return (
    <group>
      {links.map((l, i) => (
        <mesh key={l.id} position={geoms[i].mid} quaternion={geoms[i].q}>
          <cylinderGeometry args={[0.035, 0.035, geoms[i].len, 8]} />
          <meshStandardMaterial
            ref={(m) => {
              mats.current[i] = m;
            }}
            color={UP}
            transparent
            roughness={0.7}
          />
        </mesh>
      ))}
    </group>
  );
}
