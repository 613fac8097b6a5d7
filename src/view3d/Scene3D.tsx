/**
 * The 3D view: devices, links and packets of the loaded scene, orbit controls, camera presets and
 * follow mode, hub collision flashes, and a hover tooltip (same picking as selection).
 */
import { useEffect, useMemo, useRef } from 'react';
import { addAfterEffect, Canvas, useFrame, useThree } from '@react-three/fiber';
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import './three-console';
import type { Scene } from '../scenario/scene';
import { isLinkDirection, RecordKind } from '../sim/trace';
import { useStore } from 'zustand';
import { playbackStore } from '../store/playback';
import { selectionStore } from '../store/selection';
import { viewStore } from '../store/view';
import { frameProtocol, frameProtocolName, type TimelineIndex } from '../timeline';
import { Collisions } from './Collisions';
import { Device } from './Devices';
import { layoutScene, nodeAddresses, type Layout, type Vec3 } from './layout';
import { Links } from './Links';
import { drawnPackets, Packets } from './Packets';

const FOV = 42;

/** Camera position for a preset, far enough that the whole layout fits a view of this aspect. */
function cameraPose(preset: string, layout: Layout, aspect: number): { pos: THREE.Vector3; target: THREE.Vector3 } {
  const [cx, , cz] = layout.center;
  const target = new THREE.Vector3(cx, 0.5, cz);
  const tanH = Math.tan(((FOV / 2) * Math.PI) / 180);
  const halfW = layout.halfW + 1.8;
  const halfD = layout.halfD + 1.8;
  // elevation angle above the ground plane
  const elev = preset === 'top' ? 72 : preset === 'side' ? 14 : 45;
  const e = (elev * Math.PI) / 180;
  // Apparent depth of the layout seen at this elevation (plus device height).
  // Perspective makes the near half look bigger than the far half: pad more the lower the camera.
  const apparentD = (halfD * Math.sin(e) + 1.2 * Math.cos(e)) * (1 + 0.45 * Math.cos(e));
  const dist = Math.max(halfW / (tanH * Math.max(0.3, aspect)), apparentD / tanH, 4) * 1.08;
  const pos = new THREE.Vector3(cx, target.y + dist * Math.sin(e), cz + dist * Math.cos(e));
  return { pos, target };
}

function Controls({ layout }: { layout: Layout }) {
  const camera = useThree((s) => s.camera);
  const gl = useThree((s) => s.gl);
  const size = useThree((s) => s.size);
  const aspect = size.width / Math.max(1, size.height);
  const controls = useMemo(() => {
    const c = new OrbitControls(camera, gl.domElement);
    c.enableDamping = true;
    c.dampingFactor = 0.12;
    c.maxPolarAngle = Math.PI / 2 - 0.02;
    c.screenSpacePanning = true;
    return c;
  }, [camera, gl]);
  useEffect(() => () => controls.dispose(), [controls]);
  const preset = useStore(viewStore, (s) => s.camera);
  const nonce = useStore(viewStore, (s) => s.cameraNonce);
  useEffect(() => {
    const pose = cameraPose(preset, layout, aspect);
    camera.position.copy(pose.pos);
    controls.target.copy(pose.target);
    camera.lookAt(pose.target);
    controls.update();
  }, [preset, nonce, layout, camera, controls, aspect]);
  useFrame(() => {
    const sel = drawnPackets.selected;
    if (viewStore.getState().follow && sel.found) {
      // Glide the orbit target (and the camera with it) toward the selected packet.
      followDelta.set(sel.x - controls.target.x, 0, sel.z - controls.target.z).multiplyScalar(0.18);
      controls.target.add(followDelta);
      camera.position.add(followDelta);
    }
    controls.update();
  });
  return null;
}

const followDelta = new THREE.Vector3();

let firstFrameAt: number | null = null;
let firstFramePending = false;
/** ms from navigation start to the first frame drawn with a scene's devices (null before it). */
export function firstFrameMs(): number | null {
  return firstFrameAt;
}

/** Marks the first frame of a mounted scene; an after-effect stamps it once it is drawn. */
function FirstFrame() {
  useEffect(() => {
    const off = addAfterEffect(() => {
      if (!firstFramePending) return;
      firstFramePending = false;
      if (firstFrameAt === null) firstFrameAt = performance.now();
      off();
    });
    return off;
  }, []);
  useFrame(() => {
    if (firstFrameAt === null) firstFramePending = true;
  });
  return null;
}

const benchSamples: number[] = [];
const benchUpdate: number[] = [];
/** Bench mode: per-frame work in ms (scene update + render + waiting for the GPU), last 4000 frames. */
export function benchStats(): number[] {
  return benchSamples.slice();
}
/** Bench mode: the scene-update part (every useFrame before rendering) of the same frames, ms. */
export function benchUpdateStats(): number[] {
  return benchUpdate.slice();
}

/** Bench mode only: renders by hand so a frame's whole cost (including the GPU) can be timed. */
function BenchProbe() {
  const start = useRef(0);
  const pixel = useMemo(() => new Uint8Array(4), []);
  useFrame(() => {
    start.current = performance.now();
  }, -1000);
  useFrame(({ gl, scene, camera }) => {
    benchUpdate.push(performance.now() - start.current);
    if (benchUpdate.length > 4000) benchUpdate.splice(0, 1000);
    gl.render(scene, camera);
    const ctx = gl.getContext();
    ctx.readPixels(0, 0, 1, 1, ctx.RGBA, ctx.UNSIGNED_BYTE, pixel);
    benchSamples.push(performance.now() - start.current);
    if (benchSamples.length > 4000) benchSamples.splice(0, 1000);
  }, 1);
  return null;
}

const projected = new THREE.Vector3();
const live: { camera: THREE.Camera | null; el: HTMLCanvasElement | null } = { camera: null, el: null };

/** Packets drawn in the last frame with their positions in client (page) pixels: for tests and tooling. */
export function packetsOnScreen(): { row: number; x: number; y: number }[] {
  const { camera, el } = live;
  if (!camera || !el) return [];
  const rect = el.getBoundingClientRect();
  const out: { row: number; x: number; y: number }[] = [];
  for (let i = 0; i < drawnPackets.count; i++) {
    projected.set(drawnPackets.centers[i * 3], drawnPackets.centers[i * 3 + 1], drawnPackets.centers[i * 3 + 2]).project(camera);
    out.push({ row: drawnPackets.rows[i], x: rect.left + ((projected.x + 1) / 2) * rect.width, y: rect.top + ((1 - projected.y) / 2) * rect.height });
  }
  return out;
}

/** The drawn packet nearest to (px, py) canvas pixels within `radius`, as a row, or -1. */
function pickPacket(camera: THREE.Camera, rect: DOMRect, px: number, py: number, radius = 16): number {
  let best = -1;
  let bestD = radius;
  for (let i = 0; i < drawnPackets.count; i++) {
    projected.set(drawnPackets.centers[i * 3], drawnPackets.centers[i * 3 + 1], drawnPackets.centers[i * 3 + 2]).project(camera);
    const sx = ((projected.x + 1) / 2) * rect.width;
    const sy = ((1 - projected.y) / 2) * rect.height;
    const d = Math.hypot(sx - px, sy - py);
    if (d < bestD) {
      bestD = d;
      best = drawnPackets.rows[i];
    }
  }
  return best;
}

/** What the hover tooltip says about a row: drops give their reason. */
function tooltipText(index: TimelineIndex, row: number): { title: string; detail: string; drop: boolean } {
  const tr = index.trace;
  const where = isLinkDirection(tr.dir[row]) ? (tr.links[tr.place[row]]?.name ?? '?') : (tr.nodes[tr.place[row]]?.name ?? '?');
  const proto = tr.frame[row] >= 0 ? frameProtocolName(frameProtocol(index, tr.frame[row])) : 'frame';
  if (tr.kind[row] === RecordKind.Drop) {
    return { title: `✕ ${proto} dropped at ${where}`, detail: tr.string(tr.code[row]), drop: true };
  }
  return { title: `${proto} on ${where}`, detail: 'click to inspect', drop: false };
}

const pointer = { inside: false, x: 0, y: 0, moved: false };
/** The tooltip element over the canvas (updated imperatively, never through React state). */
const tipEl: { current: HTMLDivElement | null } = { current: null };

/** Hovering a packet shows a small tooltip over the canvas; for a drop it gives the reason. */
function Hover({ index }: { index: TimelineIndex }) {
  const camera = useThree((s) => s.camera);
  const gl = useThree((s) => s.gl);
  const last = useRef({ row: -2, t: -1 });
  useEffect(() => {
    const el = gl.domElement;
    const move = (e: PointerEvent) => {
      const rect = el.getBoundingClientRect();
      pointer.inside = true;
      pointer.x = e.clientX - rect.left;
      pointer.y = e.clientY - rect.top;
      pointer.moved = true;
    };
    const leave = () => {
      pointer.inside = false;
      pointer.moved = true;
    };
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerleave', leave);
    return () => {
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerleave', leave);
    };
  }, [gl]);
  useFrame(() => {
    const div = tipEl.current;
    if (!div) return;
    const t = playbackStore.getState().time;
    if (!pointer.moved && t === last.current.t) return;
    pointer.moved = false;
    last.current.t = t;
    const row = pointer.inside ? pickPacket(camera, gl.domElement.getBoundingClientRect(), pointer.x, pointer.y, 14) : -1;
    if (row < 0) {
      if (last.current.row !== -1) div.style.display = 'none';
      last.current.row = -1;
      return;
    }
    if (row !== last.current.row) {
      const text = tooltipText(index, row);
      div.className = text.drop ? 'pkt-tip drop' : 'pkt-tip';
      div.replaceChildren();
      const b = document.createElement('strong');
      b.textContent = text.title;
      const d = document.createElement('div');
      d.textContent = text.detail;
      div.append(b, d);
      div.dataset.row = String(row);
      last.current.row = row;
    }
    div.style.display = 'block';
    div.style.left = `${pointer.x + 14}px`;
    div.style.top = `${pointer.y + 12}px`;
  });
  return null;
}

/** Click (not drag) picks the nearest packet on screen, else the nearest device, else clears. */
function Picker({ index, ids, layout }: { index: TimelineIndex; ids: string[]; layout: Layout }) {
  const camera = useThree((s) => s.camera);
  const gl = useThree((s) => s.gl);
  useEffect(() => {
    const el = gl.domElement;
    live.camera = camera;
    live.el = el;
    let down: { x: number; y: number } | null = null;
    const onDown = (e: PointerEvent) => {
      down = { x: e.clientX, y: e.clientY };
    };
    const onUp = (e: PointerEvent) => {
      if (!down || Math.hypot(e.clientX - down.x, e.clientY - down.y) > 5) return;
      down = null;
      const rect = el.getBoundingClientRect();
      const px = e.clientX - rect.left;
      const py = e.clientY - rect.top;
      const toScreen = (x: number, y: number, z: number) => {
        projected.set(x, y, z).project(camera);
        return [((projected.x + 1) / 2) * rect.width, ((1 - projected.y) / 2) * rect.height] as const;
      };
      const best = pickPacket(camera, rect, px, py);
      if (best >= 0) {
        selectionStore.getState().selectRow(best, index.trace.packet[best]);
        return;
      }
      let node = -1;
      let nodeD = 45;
      ids.forEach((id) => {
        const p = layout.pos.get(id);
        if (!p) return;
        const [sx, sy] = toScreen(p[0], 0.45, p[2]);
        const d = Math.hypot(sx - px, sy - py);
        if (d < nodeD) {
          nodeD = d;
          node = index.trace.nodes.findIndex((n) => n.name === id);
        }
      });
      if (node >= 0) selectionStore.getState().selectNode(node);
      else selectionStore.getState().clear();
    };
    el.addEventListener('pointerdown', onDown);
    el.addEventListener('pointerup', onUp);
    return () => {
      el.removeEventListener('pointerdown', onDown);
      el.removeEventListener('pointerup', onUp);
    };
  }, [camera, gl, index, ids, layout]);
  return null;
}

export function Scene3D({ scene, index }: { scene: Scene; index: TimelineIndex }) {
  const layout = useMemo(() => layoutScene(scene), [scene]);
  const selectedNode = useStore(selectionStore, (s) => s.node);
  const highlight = useMemo(() => new Set(scene.view?.highlight ?? []), [scene]);
  const nodes = useMemo(
    () => scene.nodes.map((n) => ({ id: n.id, kind: n.kind, label: n.label ?? n.id, addresses: nodeAddresses(n.config), config: n.config })),
    [scene],
  );
  const ids = useMemo(() => scene.nodes.map((n) => n.id), [scene]);
  // Trace link/node ids, resolved to layout positions by name.
  const traceLinks = useMemo(
    () =>
      index.trace.links.map((l) => ({
        id: l.id,
        a: layout.pos.get(index.trace.nodes[l.a]?.name ?? '') ?? ([0, 0, 0] as Vec3),
        b: layout.pos.get(index.trace.nodes[l.b]?.name ?? '') ?? ([0, 0, 0] as Vec3),
      })),
    [index, layout],
  );
  const nodePos = useMemo(() => index.trace.nodes.map((n) => layout.pos.get(n.name) ?? ([0, 0, 0] as Vec3)), [index, layout]);
  const initial = cameraPose(scene.view?.camera ?? 'perspective', layout, 1.8);
  const selectedName = selectedNode >= 0 ? index.trace.nodes[selectedNode]?.name : undefined;
  const gridSize = Math.ceil(layout.radius * 2 + 30);
  const bench = useStore(viewStore, (s) => s.benchPackets);
  const isBench = useMemo(() => new URLSearchParams(window.location.search).has('bench'), []);

  return (
    <>
      <Canvas
        camera={{ position: initial.pos.toArray(), fov: FOV, near: 0.1, far: 500 }}
        gl={{ preserveDrawingBuffer: true, antialias: false }}
        dpr={[1, 2]}
        onCreated={({ gl }) => gl.setClearColor('#0b0f17')}
      >
        <fog attach="fog" args={['#0b0f17', layout.radius * 4, layout.radius * 10]} />
        <ambientLight intensity={0.55} />
        <hemisphereLight args={['#c8d8ff', '#1a1f2b', 0.6]} />
        <directionalLight position={[6, 12, 8]} intensity={1.4} />
        <gridHelper args={[gridSize, gridSize, '#243048', '#161d2b']} position={[layout.center[0], 0, layout.center[2]]} />
        <Controls layout={layout} />
        <Picker index={index} ids={ids} layout={layout} />
        <Links links={traceLinks} index={index} />
        {nodes.map((n) => (
          <Device
            key={n.id}
            {...n}
            position={layout.pos.get(n.id) ?? [0, 0, 0]}
            highlighted={highlight.has(n.id)}
            selected={selectedName === n.id}
            index={index}
          />
        ))}
        <Collisions index={index} links={traceLinks} nodePos={nodePos} />
        <Packets index={index} links={traceLinks} nodePos={nodePos} />
        <Hover index={index} />
        <FirstFrame />
        {(isBench || bench > 0) && <BenchProbe />}
      </Canvas>
      <div
        className="pkt-tip"
        ref={(el) => {
          tipEl.current = el;
        }}
        data-testid="packet-tooltip"
        style={{ display: 'none' }}
      />
    </>
  );
}
