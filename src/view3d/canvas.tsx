/**
 * The 3D view's `<Canvas>`: @react-three/fiber's root on a canvas that fills its container, with a
 * catalogue of only the three.js classes the view draws as JSX elements. r3f's own `Canvas` registers
 * the whole `three` namespace (`extend(THREE)`), which keeps every class of three.js in the bundle;
 * registering these few lets the bundler drop the rest. A JSX element missing here fails loudly at
 * run time ("is not part of the THREE namespace"); a unit test keeps this list and the view in step.
 */
import { createRoot, events, extend, type ReconcilerRoot, type RenderProps } from '@react-three/fiber';
import { Component, Suspense, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import {
  AmbientLight,
  BoxGeometry,
  CircleGeometry,
  ConeGeometry,
  CylinderGeometry,
  DirectionalLight,
  Fog,
  GridHelper,
  Group,
  HemisphereLight,
  Mesh,
  MeshBasicMaterial,
  MeshStandardMaterial,
  PlaneGeometry,
  Points,
  RingGeometry,
  SphereGeometry,
} from 'three';

/** The three.js classes the 3D view uses as JSX elements (`<mesh>`, `<boxGeometry>`, ...). */
export const CATALOGUE = {
  AmbientLight,
  BoxGeometry,
  CircleGeometry,
  ConeGeometry,
  CylinderGeometry,
  DirectionalLight,
  Fog,
  GridHelper,
  Group,
  HemisphereLight,
  Mesh,
  MeshBasicMaterial,
  MeshStandardMaterial,
  PlaneGeometry,
  Points,
  RingGeometry,
  SphereGeometry,
};

extend(CATALOGUE);

/** Passes an error thrown while rendering inside the canvas out to the component around it. */
class Forward extends Component<{ set: (e: unknown) => void; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }
  override componentDidCatch(error: unknown): void {
    this.props.set(error);
  }
  override render(): ReactNode {
    return this.state.failed ? null : this.props.children;
  }
}

type Size = { width: number; height: number; top: number; left: number };

/** A canvas filling its container, rendering `children` with @react-three/fiber. */
export function Canvas({
  children,
  camera,
  gl,
  dpr,
  frameloop,
  onCreated,
}: Pick<RenderProps<HTMLCanvasElement>, 'camera' | 'gl' | 'dpr' | 'frameloop' | 'onCreated'> & { children?: ReactNode }) {
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const root = useRef<ReconcilerRoot<HTMLCanvasElement> | null>(null);
  const [size, setSize] = useState<Size | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [ready, setReady] = useState(0);
  if (error) throw error;

  useLayoutEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const measure = () => {
      const r = el.getBoundingClientRect();
      setSize((s) =>
        s && s.width === r.width && s.height === r.height && s.top === r.top && s.left === r.left
          ? s
          : { width: r.width, height: r.height, top: r.top, left: r.left },
      );
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // Configure and render whenever anything changes, as r3f's Canvas does: the root keeps what did not.
  useLayoutEffect(() => {
    const el = canvas.current;
    if (!el || !size || size.width <= 0 || size.height <= 0) return;
    const r = (root.current ??= createRoot(el));
    r.configure({
      camera,
      gl,
      dpr,
      frameloop,
      size,
      events,
      onCreated: (state) => {
        state.events.connect?.(wrap.current ?? el);
        onCreated?.(state);
      },
    }).catch(setError);
    if (r.ready.status === 'fulfilled')
      r.render(
        <Forward set={setError}>
          <Suspense fallback={null}>{children}</Suspense>
        </Forward>,
      );
    // A renderer still being created: render again once it is there.
    else if (r.ready.status === 'pending') void r.ready.then(() => setReady((n) => n + 1), setError);
  }, [size, ready, camera, gl, dpr, frameloop, onCreated, children]);

  useLayoutEffect(
    () => () => {
      root.current?.unmount();
      root.current = null;
    },
    [],
  );

  return (
    <div ref={wrap} style={{ position: 'relative', width: '100%', height: '100%', overflow: 'hidden' }}>
      <canvas ref={canvas} style={{ display: 'block' }} />
    </div>
  );
}
