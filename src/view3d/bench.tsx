/**
 * Bench mode, loaded only by a bench build (`vite build --mode bench`, bench/browser/frame-time.mjs)
 * or the dev server when the URL has `?bench=packets:N`; absent from production chunks.
 * It adds to the 3D view a probe that renders by hand so a frame's whole cost (scene update, render,
 * waiting for the GPU) can be timed, and with N > 0 draws N synthetic frames in flight instead of the
 * trace's. Figures are read through `window.__packetariumBench`.
 */
import { useEffect, useMemo, useRef } from 'react';
import { useFrame, useThree } from '@react-three/fiber';
import * as THREE from 'three';
import { addSceneExtra, type SceneExtraProps } from './extras';
import { barExtent, extent, laneBar, linkGeoms, PacketBuffer, protoRgb, runs } from './packet-buffer';

declare global {
  interface Window {
    __packetariumBench?: {
      /** Per-frame work in ms (scene update + render + waiting for the GPU), last 4000 frames. */
      frameStats(): number[];
      /** The scene-update part (every useFrame before rendering) of the same frames, ms. */
      updateStats(): number[];
    };
  }
}

const samples: number[] = [];
const update: number[] = [];

/** Renders by hand so a frame's whole cost (including the GPU) can be timed. */
function BenchProbe() {
  const start = useRef(0);
  const pixel = useMemo(() => new Uint8Array(4), []);
  useFrame(() => {
    start.current = performance.now();
  }, -1000);
  useFrame(({ gl, scene, camera }) => {
    update.push(performance.now() - start.current);
    if (update.length > 4000) update.splice(0, 1000);
    gl.render(scene, camera);
    const ctx = gl.getContext();
    ctx.readPixels(0, 0, 1, 1, ctx.RGBA, ctx.UNSIGNED_BYTE, pixel);
    samples.push(performance.now() - start.current);
    if (samples.length > 4000) samples.splice(0, 1000);
  }, 1);
  return null;
}

/**
 * `count` synthetic frames spread over the links, moving with wall time. Like real traffic: each
 * lane (link, direction) carries a stream of frames of one protocol, in FIFO order; the stream wraps
 * around at the lane's end. The trace's own packet mesh is hidden meanwhile.
 */
function makeBenchPackets(count: number) {
  return function BenchPackets({ links }: SceneExtraProps) {
    const scene = useThree((s) => s.scene);
    const geoms = useMemo(() => linkGeoms(links), [links]);
    const material = useMemo(() => new THREE.MeshBasicMaterial({ vertexColors: true }), []);
    const buf = useMemo(() => new PacketBuffer(material), [material]);
    useEffect(
      () => () => {
        buf.dispose();
        material.dispose();
      },
      [buf, material],
    );
    useFrame((state) => {
      const real = scene.getObjectByName('packets');
      if (real) real.visible = false;
      if (geoms.length === 0) return;
      const lanes = geoms.length * 2;
      runs.reset(lanes);
      const wall = state.clock.elapsedTime;
      const perLane = Math.ceil(count / lanes);
      let k = 0;
      for (let i = 0; i < count; i++) {
        const lane = i % lanes;
        const g = geoms[lane >> 1];
        const dir = lane & 1;
        const q = Math.floor(i / lanes) / perLane;
        const head = (q + wall * 0.05) % 1;
        barExtent(g, head, head - 0.8 / perLane, extent);
        const c = (lane * 7) % protoRgb.length;
        if (laneBar(buf, k, g, dir, lane, extent.lo, extent.hi, c, protoRgb[c], 0.22, true)) k++;
      }
      buf.commit(k);
    });
    return <primitive object={buf.mesh} />;
  };
}

/** Turns bench mode on: the frame probe always, synthetic packets when `packets` > 0. */
export function installBench(packets: number): void {
  window.__packetariumBench = { frameStats: () => samples.slice(), updateStats: () => update.slice() };
  addSceneExtra(BenchProbe);
  if (packets > 0) addSceneExtra(makeBenchPackets(packets));
}
