/**
 * The 3D view: devices, links and packets of the loaded scene, orbit controls, camera presets and
 * follow mode, hub collision flashes, and a hover tooltip (same picking as selection).
 */
import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { addAfterEffect, useFrame, useThree } from '@react-three/fiber';
import { Canvas } from './canvas';
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import './three-console';
import type { Scene } from '../scenario/scene';
import { isLinkDirection, RecordKind } from '../sim/trace';
import { useStore } from 'zustand';
import { playbackStore } from '../store/playback';
import { selectionStore } from '../store/selection';
import { openFaultMenu } from '../store/fault-menu';
import { viewStore } from '../store/view';
import { frameProtocol, frameProtocolName, type TimelineIndex } from '../timeline';
import { Collisions } from './Collisions';
import { Device } from './Devices';
import { layoutScene, nodeAddresses, type Layout, type Vec3 } from './layout';
import { Links } from './Links';
import { sceneExtras } from './extras';
import { drawnPackets } from './packet-buffer';
import { Packets } from './Packets';

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

const projected = new THREE.Vector3();
const live: { camera: THREE.Camera | null; el: HTMLCanvasElement | null; layout: Layout | null } = { camera: null, el: null, layout: null };

/** Where a device is drawn, in client (page) pixels, or null: for tests and tooling (a link's middle is between its ends). */
export function deviceOnScreen(id: string): { x: number; y: number } | null {
  const { camera, el, layout } = live;
  const p = layout?.pos.get(id);
  if (!camera || !el || !p) return null;
  const rect = el.getBoundingClientRect();
  projected.set(p[0], 0.2, p[2]).project(camera);
  return { x: rect.left + ((projected.x + 1) / 2) * rect.width, y: rect.top + ((1 - projected.y) / 2) * rect.height };
}

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

/** What is under a canvas point: a drawn packet, else a device, else a link (its line within 12 px), else nothing. */
type Hit = { kind: 'packet'; row: number } | { kind: 'node'; node: number } | { kind: 'link'; name: string } | null;

/** Distance from (px, py) to the segment (ax, ay)-(bx, by). */
function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const u = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
  return Math.hypot(px - (ax + u * dx), py - (ay + u * dy));
}

function hitAt(camera: THREE.Camera, rect: DOMRect, px: number, py: number, index: TimelineIndex, ids: string[], layout: Layout): Hit {
  const toScreen = (x: number, y: number, z: number) => {
    projected.set(x, y, z).project(camera);
    return [((projected.x + 1) / 2) * rect.width, ((1 - projected.y) / 2) * rect.height] as const;
  };
  const best = pickPacket(camera, rect, px, py);
  if (best >= 0) return { kind: 'packet', row: best };
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
  if (node >= 0) return { kind: 'node', node };
  let link: string | null = null;
  let linkD = 12;
  for (const l of index.trace.links) {
    const a = layout.pos.get(index.trace.nodes[l.a]?.name ?? '');
    const b = layout.pos.get(index.trace.nodes[l.b]?.name ?? '');
    if (!a || !b) continue;
    const [ax, ay] = toScreen(a[0], 0.2, a[2]);
    const [bx, by] = toScreen(b[0], 0.2, b[2]);
    const d = segmentDistance(px, py, ax, ay, bx, by);
    if (d < linkD) {
      linkD = d;
      link = l.name;
    }
  }
  return link ? { kind: 'link', name: link } : null;
}

/** Opens the fault menu on what is under the point (the device or packet is selected too). */
function openMenuOn(hit: Hit, index: TimelineIndex, x: number, y: number): void {
  if (!hit) return;
  if (hit.kind === 'packet') {
    selectionStore.getState().selectRow(hit.row, index.trace.packet[hit.row]);
    openFaultMenu({ kind: 'packet', packet: index.trace.packet[hit.row], row: hit.row }, x, y);
  } else if (hit.kind === 'node') {
    selectionStore.getState().selectNode(hit.node);
    openFaultMenu({ kind: 'node', node: index.trace.nodes[hit.node].name }, x, y);
  } else openFaultMenu({ kind: 'link', link: hit.name }, x, y);
}

/** Long-press on touch: how long, and how far the finger may wander. */
const LONG_PRESS_MS = 550;

/**
 * Click (not drag) picks the nearest packet on screen, else the nearest device, else clears.
 * Right-click or long-press opens the fault menu on a packet, device or link.
 */
function Picker({ index, ids, layout }: { index: TimelineIndex; ids: string[]; layout: Layout }) {
  const camera = useThree((s) => s.camera);
  const gl = useThree((s) => s.gl);
  useEffect(() => {
    const el = gl.domElement;
    live.camera = camera;
    live.el = el;
    live.layout = layout;
    let down: { x: number; y: number } | null = null;
    let press: ReturnType<typeof setTimeout> | null = null;
    const local = (e: { clientX: number; clientY: number }) => {
      const rect = el.getBoundingClientRect();
      return { rect, px: e.clientX - rect.left, py: e.clientY - rect.top };
    };
    const endPress = () => {
      if (press !== null) clearTimeout(press);
      press = null;
    };
    const onDown = (e: PointerEvent) => {
      down = { x: e.clientX, y: e.clientY };
      endPress();
      if (e.pointerType !== 'touch') return;
      const at = { clientX: e.clientX, clientY: e.clientY };
      press = setTimeout(() => {
        press = null;
        down = null;
        const { rect, px, py } = local(at);
        openMenuOn(hitAt(camera, rect, px, py, index, ids, layout), index, at.clientX, at.clientY);
      }, LONG_PRESS_MS);
    };
    const onMove = (e: PointerEvent) => {
      if (press !== null && down && Math.hypot(e.clientX - down.x, e.clientY - down.y) > 8) endPress();
    };
    const onUp = (e: PointerEvent) => {
      endPress();
      if (!down || e.button !== 0 || Math.hypot(e.clientX - down.x, e.clientY - down.y) > 5) return;
      down = null;
      const { rect, px, py } = local(e);
      const hit = hitAt(camera, rect, px, py, index, ids, layout);
      if (hit?.kind === 'packet') selectionStore.getState().selectRow(hit.row, index.trace.packet[hit.row]);
      else if (hit?.kind === 'node') selectionStore.getState().selectNode(hit.node);
      else selectionStore.getState().clear();
    };
    const onContext = (e: MouseEvent) => {
      e.preventDefault();
      endPress();
      down = null;
      const { rect, px, py } = local(e);
      openMenuOn(hitAt(camera, rect, px, py, index, ids, layout), index, e.clientX, e.clientY);
    };
    el.addEventListener('pointerdown', onDown);
    el.addEventListener('pointermove', onMove);
    el.addEventListener('pointerup', onUp);
    el.addEventListener('pointercancel', endPress);
    el.addEventListener('contextmenu', onContext);
    return () => {
      endPress();
      el.removeEventListener('pointerdown', onDown);
      el.removeEventListener('pointermove', onMove);
      el.removeEventListener('pointerup', onUp);
      el.removeEventListener('pointercancel', endPress);
      el.removeEventListener('contextmenu', onContext);
    };
  }, [camera, gl, index, ids, layout]);
  return null;
}

/**
 * Frees what a scene's objects hold on the GPU (geometries, textures) but keeps their materials:
 * three.js deletes a shader program when the last material using it is disposed, and compiling it
 * again for the next scene costs hundreds of ms in software WebGL. Programs are shared by every
 * material with the same parameters, so the ones kept are few (one per kind of material drawn).
 */
function releaseKeepingPrograms(root: THREE.Object3D): void {
  root.traverse((o) => {
    const { geometry, material } = o as THREE.Mesh;
    geometry?.dispose();
    for (const m of Array.isArray(material) ? material : material ? [material] : []) {
      for (const v of Object.values(m)) if (v instanceof THREE.Texture) v.dispose();
    }
  });
}

/** The loaded scene's 3D content inside the Canvas; remounted per scene (keyed by the caller). */
function SceneContent({ scene, index }: { scene: Scene; index: TimelineIndex }) {
  const root = useRef<THREE.Group>(null);
  useLayoutEffect(() => {
    const group = root.current;
    return () => {
      if (group) releaseKeepingPrograms(group);
    };
  }, []);
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
  const selectedName = selectedNode >= 0 ? index.trace.nodes[selectedNode]?.name : undefined;
  const gridSize = Math.ceil(layout.radius * 2 + 30);
  const extras = useStore(sceneExtras, (s) => s.parts);
  // dispose={null}: nothing below is disposed by the renderer on unmount; releaseKeepingPrograms frees it.
  return (
    <>
      <fog attach="fog" args={['#0b0f17', layout.radius * 4, layout.radius * 10]} />
      <group ref={root} dispose={null}>
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
        {extras.map((Part, i) => (
          <Part key={i} links={traceLinks} />
        ))}
      </group>
    </>
  );
}

/**
 * The 3D view. The Canvas (and its WebGL context, compiled shaders) outlives the scenes shown in it:
 * with `scene` null it stays mounted, hidden and idle, so switching scenes only swaps its content
 * (`sceneKey` names the scene: a new key remounts the content).
 */
export function Scene3D({ scene, index, sceneKey }: { scene: Scene | null; index: TimelineIndex | null; sceneKey?: string }) {
  const shown = scene !== null && index !== null;
  const layout = useMemo(() => (scene ? layoutScene(scene) : null), [scene]);
  const initial = useMemo(() => (layout ? cameraPose(scene?.view?.camera ?? 'perspective', layout, 1.8) : null), [layout, scene]);
  return (
    <>
      <div style={{ position: 'absolute', inset: 0, visibility: shown ? 'visible' : 'hidden' }} data-testid="view3d">
        <Canvas
          camera={{ position: initial ? initial.pos.toArray() : [0, 8, 12], fov: FOV, near: 0.1, far: 500 }}
          gl={{ preserveDrawingBuffer: true, antialias: false }}
          dpr={[1, 2]}
          frameloop={shown ? 'always' : 'never'}
          onCreated={({ gl }) => gl.setClearColor('#0b0f17')}
        >
          <ambientLight intensity={0.55} />
          <hemisphereLight args={['#c8d8ff', '#1a1f2b', 0.6]} />
          <directionalLight position={[6, 12, 8]} intensity={1.4} />
          {shown && <SceneContent key={sceneKey} scene={scene} index={index} />}
        </Canvas>
      </div>
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
