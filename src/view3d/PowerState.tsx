/**
 * A crashed device (a `node ... set: { up: false }` fault): while its power is off at the playhead,
 * a red cross lies over it with a "DOWN" tag. Read from the node's `power` state rows
 * inside `useFrame`; nothing is drawn for a device that never changes power.
 */
import { useEffect, useMemo, useRef } from 'react';
import { useFrame } from '@react-three/fiber';
import type * as THREE from 'three';
import { playbackStore } from '../store/playback';
import { upperBound, type TimelineIndex } from '../timeline';
import { makeLabel } from './labels';

const DOWN_RED = '#ff5a5a';

/** Times at which node `id`'s power changed, and whether it was up after each. */
function powerChanges(index: TimelineIndex, id: string): { time: Float64Array; up: boolean[] } {
  const tr = index.trace;
  const node = tr.nodes.findIndex((n) => n.name === id);
  const rows = index.nodeStates[node] ?? new Int32Array(0);
  const time: number[] = [];
  const up: boolean[] = [];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (tr.string(tr.code[r]) !== 'power') continue;
    time.push(tr.time[r]);
    up.push(tr.string(tr.frame[r]) !== 'down');
  }
  return { time: Float64Array.from(time), up };
}

export function PowerState({ id, index }: { id: string; index: TimelineIndex | null }) {
  const changes = useMemo(() => (index ? powerChanges(index, id) : null), [index, id]);
  const tag = useMemo(() => makeLabel(['DOWN'], { color: DOWN_RED, height: 0.4 }), []);
  useEffect(
    () => () => {
      tag.material.map?.dispose();
      tag.material.dispose();
    },
    [tag],
  );
  const group = useRef<THREE.Group>(null);
  useFrame(() => {
    if (!changes || !group.current) return;
    const i = upperBound(changes.time, playbackStore.getState().time) - 1;
    const down = i >= 0 && !changes.up[i];
    if (group.current.visible !== down) group.current.visible = down;
  });
  if (!changes || changes.time.length === 0) return null;
  return (
    <group ref={group} visible={false} name={`power-down:${id}`}>
      {[Math.PI / 4, -Math.PI / 4].map((a) => (
        <mesh key={a} position={[0, 0.9, 0]} rotation={[-Math.PI / 2, 0, a]} renderOrder={12}>
          <planeGeometry args={[1.3, 0.13]} />
          <meshBasicMaterial color={DOWN_RED} transparent opacity={0.9} depthTest={false} />
        </mesh>
      ))}
      <primitive object={tag} position={[0, 1.1, 0.35]} />
    </group>
  );
}
