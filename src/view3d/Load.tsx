/**
 * Live overload-lab models, read from the trace at the playhead inside `useFrame` (never through
 * React state): a client population drawn as one point cloud of thousands of small points (lit
 * while that many clients wait for an answer; a ring under it shows the breaker state when the
 * clients have one), and bars on a server for busy workers and queued requests.
 */
import { useEffect, useMemo, useRef } from 'react';
import { useFrame } from '@react-three/fiber';
import * as THREE from 'three';
import { playbackStore } from '../store/playback';
import { upperBound, type TimelineIndex } from '../timeline';
import { rrEventsOf, type RrNodeEvents } from '../timeline/metrics';

/** Most points drawn for one population (one point per client up to this). */
const MAX_POPULATION_POINTS = 20_000;
const IDLE = new THREE.Color('#7b93c4');
const WAITING = new THREE.Color('#ffd166');
const BREAKER_COLORS: Record<string, string> = { closed: '#48d597', 'half-open': '#f5c542', open: '#ff5a5a' };

/** A label whose text changes (a canvas texture redrawn only when the text does). */
class LiveLabel {
  readonly canvas = document.createElement('canvas');
  readonly texture = new THREE.CanvasTexture(this.canvas);
  readonly sprite: THREE.Sprite;
  private text = '';
  constructor(width = 512, height = 64) {
    this.canvas.width = width;
    this.canvas.height = height;
    this.texture.colorSpace = THREE.SRGBColorSpace;
    const mat = new THREE.SpriteMaterial({ map: this.texture, depthTest: false, depthWrite: false, transparent: true });
    this.sprite = new THREE.Sprite(mat);
    this.sprite.renderOrder = 11;
  }
  set(text: string, color = '#f0f4ff'): void {
    if (text === this.text) return;
    this.text = text;
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const { width: w, height: h } = this.canvas;
    ctx.clearRect(0, 0, w, h);
    if (!text) {
      this.texture.needsUpdate = true;
      return;
    }
    // The font shrinks (down to 60%) rather than let a long text run off the canvas.
    let size = 34;
    ctx.font = `600 ${size}px system-ui, sans-serif`;
    const fits = (w - 32) / ctx.measureText(text).width;
    if (fits < 1) {
      size = Math.max(20, Math.floor(size * fits));
      ctx.font = `600 ${size}px system-ui, sans-serif`;
    }
    const tw = Math.min(w - 4, ctx.measureText(text).width + 28);
    ctx.fillStyle = 'rgba(14, 18, 28, 0.82)';
    ctx.beginPath();
    ctx.roundRect((w - tw) / 2, 4, tw, h - 8, 14);
    ctx.fill();
    ctx.fillStyle = color;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(text, w / 2, h / 2 + 1);
    this.texture.needsUpdate = true;
  }
  dispose(): void {
    this.texture.dispose();
    this.sprite.material.dispose();
  }
}

function useLiveLabel(width?: number, height?: number): LiveLabel {
  const label = useMemo(() => new LiveLabel(width, height), [width, height]);
  useEffect(() => () => label.dispose(), [label]);
  return label;
}

/** Radius of a population's disc of points. */
export function populationRadius(count: number): number {
  const n = Math.max(1, Math.min(MAX_POPULATION_POINTS, Math.floor(count)));
  return 0.55 + Math.min(1.1, Math.sqrt(n) / 90);
}

/** Sorted request start and end times of a caller (ends of open requests are left out). */
function requestTimes(e: RrNodeEvents | undefined): { starts: Float64Array; ends: Float64Array } {
  if (!e) return { starts: new Float64Array(0), ends: new Float64Array(0) };
  const r = e.requests;
  const starts = Float64Array.from(r.start).sort();
  const ends = Float64Array.from(r.end.filter((x) => Number.isFinite(x))).sort();
  return { starts, ends };
}

/** The value of a gauge (`time`/`value` steps) at `t`, 0 before the first. */
function gaugeAt(g: { time: Float64Array; value: Float64Array }, t: number): number {
  const i = upperBound(g.time, t) - 1;
  return i >= 0 ? g.value[i] : 0;
}

/**
 * A client population: `count` small points on a disc (a sunflower spiral) around the device, one
 * per client up to {@link MAX_POPULATION_POINTS}; as many as are waiting for an answer at the
 * playhead light up.
 */
// eslint-disable-next-line max-lines-per-function -- builds and animates one points geometry in useFrame; the buffers and the frame loop share scratch state
export function Population({ id, count, index }: { id: string; count: number; index: TimelineIndex | null }) {
  const n = Math.max(1, Math.min(MAX_POPULATION_POINTS, Math.floor(count)));
  const r1 = populationRadius(count);
  const { geometry, order } = useMemo(() => {
    const pos = new Float32Array(n * 3);
    const col = new Float32Array(n * 3);
    const golden = Math.PI * (3 - Math.sqrt(5));
    const r0 = 0.32;
    for (let i = 0; i < n; i++) {
      const f = (i + 0.5) / n;
      const r = Math.sqrt(r0 * r0 + f * (r1 * r1 - r0 * r0));
      const a = i * golden;
      pos[i * 3] = r * Math.cos(a);
      pos[i * 3 + 1] = 0.05;
      pos[i * 3 + 2] = r * Math.sin(a);
      col[i * 3] = IDLE.r;
      col[i * 3 + 1] = IDLE.g;
      col[i * 3 + 2] = IDLE.b;
    }
    const g = new THREE.BufferGeometry();
    g.setAttribute('position', new THREE.BufferAttribute(pos, 3));
    g.setAttribute('color', new THREE.BufferAttribute(col, 3));
    // Which points light first: a fixed shuffle, so waiting clients are scattered over the disc.
    const ord = new Uint32Array(n);
    for (let i = 0; i < n; i++) ord[i] = i;
    let seed = 2463534242;
    for (let i = n - 1; i > 0; i--) {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      const j = (seed >>> 0) % (i + 1);
      const x = ord[i];
      ord[i] = ord[j];
      ord[j] = x;
    }
    return { geometry: g, order: ord };
  }, [n, r1]);
  useEffect(() => () => geometry.dispose(), [geometry]);
  const material = useMemo(
    () =>
      new THREE.PointsMaterial({
        size: n > 5000 ? 0.05 : 0.085,
        vertexColors: true,
        sizeAttenuation: true,
        transparent: true,
        opacity: 0.95,
        depthWrite: false,
      }),
    [n],
  );
  useEffect(() => () => material.dispose(), [material]);

  const events = index ? rrEventsOf(index.trace).get(id) : undefined;
  const times = useMemo(() => requestTimes(events), [events]);
  const breaker = events?.breaker ?? [];
  const ringMat = useRef<THREE.MeshBasicMaterial>(null);
  // Wider when the breaker's state is written beside the count.
  const wide = breaker.length > 0;
  const label = useLiveLabel(wide ? 768 : 512);
  const lit = useRef(0);
  const lastBreaker = useRef('');

  useFrame(() => {
    const t = playbackStore.getState().time;
    const waiting = Math.max(0, upperBound(times.starts, t) - upperBound(times.ends, t));
    const k = Math.min(n, Math.round(count > n ? (waiting * n) / count : waiting));
    if (k !== lit.current) {
      const attr = geometry.getAttribute('color') as THREE.BufferAttribute;
      const arr = attr.array as Float32Array;
      const lo = Math.min(k, lit.current);
      const hi = Math.max(k, lit.current);
      const c = k > lit.current ? WAITING : IDLE;
      for (let i = lo; i < hi; i++) {
        const p = order[i] * 3;
        arr[p] = c.r;
        arr[p + 1] = c.g;
        arr[p + 2] = c.b;
      }
      attr.needsUpdate = true;
      lit.current = k;
    }
    let state = '';
    if (breaker.length) {
      state = 'closed';
      for (const b of breaker) {
        if (b.time > t) break;
        state = b.state;
      }
      if (state !== lastBreaker.current && ringMat.current) {
        ringMat.current.color.set(BREAKER_COLORS[state] ?? '#9aa5b1');
        lastBreaker.current = state;
      }
    }
    // With a breaker, its state is written beside the count (the ring's colour says it too).
    if (events)
      label.set(`${waiting.toLocaleString('en-US')} waiting for an answer${state ? ` · breaker ${state}` : ''}`, state === 'open' ? '#ffb3b3' : '#ffe3a3');
  });

  return (
    <group name={`population:${id}`}>
      <mesh rotation={[-Math.PI / 2, 0, 0]} position={[0, 0.02, 0]}>
        <circleGeometry args={[r1 + 0.08, 48]} />
        <meshBasicMaterial color="#141c2c" transparent opacity={0.85} />
      </mesh>
      <points geometry={geometry} material={material} />
      <mesh position={[0, 0.2, 0]}>
        <cylinderGeometry args={[0.16, 0.22, 0.3, 20]} />
        <meshStandardMaterial color="#8fa3bf" />
      </mesh>
      {breaker.length > 0 && (
        <mesh rotation={[-Math.PI / 2, 0, 0]} position={[0, 0.03, 0]}>
          <ringGeometry args={[r1 + 0.1, r1 + 0.2, 64]} />
          <meshBasicMaterial ref={ringMat} color={BREAKER_COLORS.closed} side={THREE.DoubleSide} />
        </mesh>
      )}
      {events && <primitive object={label.sprite} position={[0, 0.75, 0]} scale={[wide ? 5.4 : 3.6, 0.45, 1]} />}
    </group>
  );
}

/**
 * Busy workers and queued requests of a server at the playhead, as two bars beside the model; on a
 * load balancer (rr-lb), which back ends its health checks hold up or down.
 */
export function ServerLoad({ id, index }: { id: string; index: TimelineIndex | null }) {
  const events = index ? rrEventsOf(index.trace).get(id) : undefined;
  if (events && events.busy.time.length === 0 && events.queue.time.length === 0 && events.backends.length > 0) return <BalancerState events={events} />;
  return <WorkerBars events={events} />;
}

/** A balancer's back ends at `t`: `up`/`down` by address, in the order they were first named. */
function backendsAt(events: RrNodeEvents, t: number): { backend: string; state: string }[] {
  const out = new Map<string, string>();
  for (const b of events.backends) {
    if (b.time > t) break;
    out.set(b.backend, b.state);
  }
  return [...out].map(([backend, state]) => ({ backend, state }));
}

function BalancerState({ events }: { events: RrNodeEvents }) {
  const label = useLiveLabel(640, 64);
  useFrame(() => {
    const now = backendsAt(events, playbackStore.getState().time);
    const down = now.some((b) => b.state !== 'up');
    label.set(now.map((b) => `${b.backend} ${b.state === 'up' ? 'up' : 'DOWN'}`).join(' · '), down ? '#ffb3b3' : '#c8f5dc');
  });
  return <primitive object={label.sprite} position={[0, 1.55, 0]} scale={[4.4, 0.44, 1]} />;
}

function WorkerBars({ events }: { events: RrNodeEvents | undefined }) {
  const scale = useMemo(() => {
    if (!events) return null;
    let workers = 1;
    let queue = 1;
    for (const v of events.busy.value) workers = Math.max(workers, v);
    for (const v of events.queue.value) queue = Math.max(queue, v);
    return { workers, queue };
  }, [events]);
  const busyBar = useRef<THREE.Mesh>(null);
  const queueBar = useRef<THREE.Mesh>(null);
  const label = useLiveLabel();
  const last = useRef({ busy: -1, queue: -1 });
  const H = 1.5;
  useFrame(() => {
    if (!events || !scale) return;
    const t = playbackStore.getState().time;
    const busy = gaugeAt(events.busy, t);
    const queue = gaugeAt(events.queue, t);
    if (busy === last.current.busy && queue === last.current.queue) return;
    last.current = { busy, queue };
    const put = (m: THREE.Mesh | null, f: number) => {
      if (!m) return;
      const h = Math.max(0.001, f) * H;
      m.scale.y = h;
      m.position.y = h / 2 + 0.05;
    };
    put(busyBar.current, busy / scale.workers);
    put(queueBar.current, queue / scale.queue);
    label.set(`busy ${busy}/${scale.workers} · queue ${queue}`, queue > 0 ? '#ffcf99' : '#c8f5dc');
  });
  if (!events || !scale) return null;
  return (
    <group name={`server-load:${events.node}`}>
      {[0.48, 0.68].map((x, i) => (
        <mesh key={x} position={[x, 0.05 + H / 2, 0]}>
          <boxGeometry args={[0.16, H, 0.16]} />
          <meshBasicMaterial color={i ? '#ff9f43' : '#48d597'} transparent opacity={0.12} depthWrite={false} />
        </mesh>
      ))}
      <mesh ref={busyBar} position={[0.48, 0.05, 0]} scale={[1, 0.001, 1]}>
        <boxGeometry args={[0.14, 1, 0.14]} />
        <meshStandardMaterial color="#48d597" emissive="#1f8f5a" emissiveIntensity={0.6} />
      </mesh>
      <mesh ref={queueBar} position={[0.68, 0.05, 0]} scale={[1, 0.001, 1]}>
        <boxGeometry args={[0.14, 1, 0.14]} />
        <meshStandardMaterial color="#ff9f43" emissive="#b85f12" emissiveIntensity={0.6} />
      </mesh>
      <primitive object={label.sprite} position={[0.3, 1.95, 0]} scale={[3.4, 0.42, 1]} />
    </group>
  );
}
