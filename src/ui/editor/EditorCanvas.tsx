/**
 * The editor's canvas: the scene's plan seen from above (as the 3D view's top camera shows it), an
 * SVG layer with editing gestures. Click a palette kind then the canvas to place; drag a device to
 * move it; drag from a device's ring (or Shift-drag) to another device to cable them; Delete,
 * Ctrl+D, C (connect the two selected) and the arrow keys work from the keyboard.
 */
import { useMemo, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { useStore } from 'zustand';
import { deviceShape } from '../../net/device-shapes';
import { addDevice, connect, linkId, moveDevice, planPoint, type SceneData } from '../../scenario/edit/commands';
import { addressSegments } from '../../scenario/edit/addressing';
import { editorCatalog, editorStore, exec, execThen, select } from '../../store/editor';
import { placeLabels, type LabelItem, type LabelLine, type LabelPlace } from './labels';

/** Pixels per scene unit. */
const SCALE = 48;

/** Positions by id: the scene's own, else a circle (drawn only; not written until moved). */
export function planPositions(data: SceneData): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  const nodes = (data.nodes ?? []).filter((n) => n && typeof n.id === 'string');
  const missing = nodes.filter((n) => !Array.isArray(n.position));
  const r = Math.max(3, missing.length * 0.9);
  let k = 0;
  for (const n of nodes) {
    const p = n.position as unknown[] | undefined;
    if (Array.isArray(p) && typeof p[0] === 'number') out.set(String(n.id), planPoint(data, p));
    else {
      const a = (2 * Math.PI * k++) / Math.max(1, missing.length);
      out.set(String(n.id), [Math.round(r * Math.cos(a) * 2) / 2, Math.round(r * Math.sin(a) * 2) / 2]);
    }
  }
  return out;
}

function endNode(v: unknown): string {
  return typeof v === 'string' ? v.split(':')[0] : '';
}

/** Connects two devices; an ambiguous interface is asked for in the panel (`pendingConnect`). */
export function connectDevices(a: string, b: string, ifaceA?: string, ifaceB?: string): void {
  const { data, autoAddress } = editorStore.getState();
  const r = connect(editorCatalog, data, a, b, { ifaceA, ifaceB, params: { latency: '1ms', bandwidth: '100Mbps' }, newInterface: autoAddress });
  if (r.ok) {
    const link = data.links?.length ?? 0;
    if (autoAddress) execThen(r.command, (after) => addressSegments(editorCatalog, after, { links: [link] }));
    else exec(r.command);
    select({ link: null, nodes: [b] });
  } else {
    editorStore.setState({ message: r.problem.message, pendingConnect: { a, b, node: r.problem.node, choices: r.problem.choices, ifaceA, ifaceB } });
  }
}

/** Each device's label lines (its name, then each address on a line) and where they go on the canvas. */
function nodeLabels(data: SceneData, pos: Map<string, [number, number]>): Map<string, { lines: LabelLine[]; place: LabelPlace }> {
  const items: LabelItem[] = [];
  for (const n of data.nodes ?? []) {
    if (!n || typeof n.id !== 'string' || !pos.has(n.id)) continue;
    const [x, y] = pos.get(n.id)!;
    const lines: LabelLine[] = [{ text: typeof n.label === 'string' ? n.label : n.id, kind: 'name' }];
    if (typeof n.ip === 'string') lines.push({ text: n.ip, kind: 'ip' });
    if (Array.isArray(n.interfaces)) {
      for (const i of n.interfaces as unknown[]) {
        const ip = typeof i === 'string' ? i : (i as { ip?: unknown } | null)?.ip;
        if (typeof ip === 'string') lines.push({ text: ip, kind: 'ip' });
      }
    }
    items.push({ id: n.id, x: x * SCALE, y: -y * SCALE, lines });
  }
  // The links' latency labels stay where they are: labels go around them.
  const obstacles = (data.links ?? []).flatMap((l) => {
    const a = pos.get(endNode(l?.a));
    const b = pos.get(endNode(l?.b));
    if (!a || !b || typeof l.latency !== 'string') return [];
    const mx = ((a[0] + b[0]) / 2) * SCALE;
    const my = (-(a[1] + b[1]) / 2) * SCALE - 6;
    const w = l.latency.length * 6.1;
    return [{ x0: mx - w / 2, y0: my - 9, x1: mx + w / 2, y1: my + 3 }];
  });
  const places = placeLabels(items, obstacles);
  return new Map(items.map((i) => [i.id, { lines: [...i.lines], place: places.get(i.id)! }]));
}

const SHAPE_GLYPH: Record<string, string> = { host: '▭', server: '▤', switch: '⇄', hub: '✳', router: '⊕', cloud: '☁' };

/** The editor's plan: an SVG of the scene's devices and links, with place, drag and cable gestures. */
// eslint-disable-next-line max-lines-per-function -- one SVG whose pointer gestures (place, move, cable) share the drag state kept in this component
export function EditorCanvas({
  armed,
  onPlaced,
  readOnly,
  snap,
  dropKind = null,
}: {
  armed: string | null;
  onPlaced(): void;
  readOnly?: boolean;
  snap: boolean;
  /** A kind being dragged from the palette: released over the canvas, it is placed there. */
  dropKind?: string | null;
}) {
  const data = useStore(editorStore, (s) => s.data);
  const selection = useStore(editorStore, (s) => s.selection);
  const svg = useRef<SVGSVGElement>(null);
  const [drag, setDrag] = useState<{ id: string; mode: 'move' | 'cable'; x: number; y: number; moved: boolean } | null>(null);
  const pos = useMemo(() => planPositions(data), [data]);
  const bounds = useMemo(() => {
    let minX = -6,
      maxX = 6,
      minY = -4,
      maxY = 4;
    for (const [x, y] of pos.values()) {
      minX = Math.min(minX, x - 2);
      maxX = Math.max(maxX, x + 2);
      minY = Math.min(minY, y - 2);
      maxY = Math.max(maxY, y + 2);
    }
    return { minX, maxX, minY, maxY };
  }, [pos]);
  const vb = `${bounds.minX * SCALE} ${-bounds.maxY * SCALE} ${(bounds.maxX - bounds.minX) * SCALE} ${(bounds.maxY - bounds.minY) * SCALE}`;

  const toScene = (e: { clientX: number; clientY: number }): [number, number] => {
    const el = svg.current!;
    const pt = el.createSVGPoint();
    pt.x = e.clientX;
    pt.y = e.clientY;
    const m = el.getScreenCTM();
    const p = m ? pt.matrixTransform(m.inverse()) : pt;
    const x = p.x / SCALE;
    const y = -p.y / SCALE;
    return snap ? [Math.round(x * 2) / 2, Math.round(y * 2) / 2] : [Math.round(x * 100) / 100, Math.round(y * 100) / 100];
  };

  const placeAt = (kind: string, e: ReactPointerEvent) => {
    if (exec(addDevice(editorStore.getState().data, kind, { position: toScene(e) }))) {
      const nodes = editorStore.getState().data.nodes ?? [];
      select({ nodes: [String(nodes[nodes.length - 1]?.id)] });
    }
    onPlaced();
  };

  const onBackground = (e: ReactPointerEvent<SVGSVGElement>) => {
    if (readOnly) return;
    if (e.target !== svg.current && (e.target as Element).getAttribute('data-bg') === null) return;
    if (armed) {
      placeAt(armed, e);
    } else {
      select({});
    }
  };

  const onNodeDown = (e: ReactPointerEvent, id: string, ring: boolean) => {
    e.stopPropagation();
    if (readOnly) {
      select({ nodes: [id] });
      return;
    }
    (e.target as Element).setPointerCapture?.(e.pointerId);
    const [x, y] = toScene(e);
    setDrag({ id, mode: ring || e.shiftKey ? 'cable' : 'move', x, y, moved: false });
    if (e.ctrlKey || e.metaKey) {
      const nodes = selection.nodes.includes(id) ? selection.nodes.filter((n) => n !== id) : [...selection.nodes, id];
      select({ nodes });
    } else if (!selection.nodes.includes(id)) select({ nodes: [id] });
  };

  const onMove = (e: ReactPointerEvent) => {
    if (!drag) return;
    const [x, y] = toScene(e);
    if (x !== drag.x || y !== drag.y) setDrag({ ...drag, x, y, moved: true });
  };

  const onUp = (e: ReactPointerEvent) => {
    if (dropKind && !drag && !readOnly) {
      placeAt(dropKind, e);
      return;
    }
    if (!drag) return;
    const d = drag;
    setDrag(null);
    if (!d.moved) return;
    if (d.mode === 'move') {
      exec(moveDevice(editorStore.getState().data, d.id, toScene(e)));
      return;
    }
    const [x, y] = toScene(e);
    let target: string | null = null;
    for (const [id, [px, py]] of pos) if (id !== d.id && Math.hypot(px - x, py - y) < 0.8) target = id;
    if (target) connectDevices(d.id, target);
  };

  const nodes = (data.nodes ?? []).filter((n) => n && typeof n.id === 'string');
  const links = (data.links ?? []).filter((l) => l && typeof l.a === 'string' && typeof l.b === 'string');
  const labels = useMemo(() => nodeLabels(data, pos), [data, pos]);
  return (
    <svg
      ref={svg}
      className={`editor-canvas${armed || dropKind ? ' armed' : ''}${readOnly ? ' read-only' : ''}`}
      data-testid="editor-canvas"
      viewBox={vb}
      preserveAspectRatio="xMidYMid meet"
      onPointerDown={onBackground}
      onPointerMove={onMove}
      onPointerUp={onUp}
      role="application"
      aria-label="Network canvas"
    >
      <defs>
        <pattern id="editor-grid" width={SCALE / 2} height={SCALE / 2} patternUnits="userSpaceOnUse">
          <path d={`M ${SCALE / 2} 0 L 0 0 0 ${SCALE / 2}`} fill="none" stroke="var(--line)" strokeWidth="0.5" />
        </pattern>
      </defs>
      <rect
        data-bg=""
        x={bounds.minX * SCALE}
        y={-bounds.maxY * SCALE}
        width={(bounds.maxX - bounds.minX) * SCALE}
        height={(bounds.maxY - bounds.minY) * SCALE}
        fill="url(#editor-grid)"
      />
      {links.map((l) => {
        const id = linkId(l);
        const a = pos.get(endNode(l.a));
        const b = pos.get(endNode(l.b));
        if (!a || !b) return null;
        const selected = selection.link === id;
        return (
          <g
            key={id}
            className={`editor-link${selected ? ' selected' : ''}${l.up === false ? ' down' : ''}`}
            data-link={id}
            tabIndex={0}
            role="button"
            aria-label={`link ${id}`}
            aria-pressed={selected}
            onPointerDown={(e) => {
              e.stopPropagation();
              select({ link: id });
            }}
            onKeyDown={(e) => {
              if (e.key !== 'Enter' && e.key !== ' ') return;
              e.preventDefault();
              e.stopPropagation();
              select({ link: id });
            }}
          >
            <line x1={a[0] * SCALE} y1={-a[1] * SCALE} x2={b[0] * SCALE} y2={-b[1] * SCALE} className="hit" />
            <line x1={a[0] * SCALE} y1={-a[1] * SCALE} x2={b[0] * SCALE} y2={-b[1] * SCALE} />
            <text x={((a[0] + b[0]) / 2) * SCALE} y={(-(a[1] + b[1]) / 2) * SCALE - 6} className="editor-link-label">
              {typeof l.latency === 'string' ? l.latency : ''}
            </text>
          </g>
        );
      })}
      {drag?.mode === 'cable' && drag.moved && pos.get(drag.id) && (
        <line className="editor-cable-preview" x1={pos.get(drag.id)![0] * SCALE} y1={-pos.get(drag.id)![1] * SCALE} x2={drag.x * SCALE} y2={-drag.y * SCALE} />
      )}
      {nodes.map((n) => {
        const id = String(n.id);
        const home = pos.get(id)!;
        let [x, y] = home;
        if (drag?.mode === 'move' && drag.moved && selection.nodes.includes(id) && drag.id === id) [x, y] = [drag.x, drag.y];
        const shape = deviceShape(String(n.kind)) ?? 'host';
        const selected = selection.nodes.includes(id);
        const label = labels.get(id);
        return (
          <g
            key={id}
            className={`editor-node shape-${shape}${selected ? ' selected' : ''}`}
            data-node={id}
            transform={`translate(${x * SCALE} ${-y * SCALE})`}
            tabIndex={0}
            role="button"
            aria-label={`${id} (${String(n.kind)})`}
            aria-pressed={selected}
            onKeyDown={(e) => {
              // Enter or Space selects; with Shift or Ctrl it adds to (or takes from) the selection.
              if (e.key !== 'Enter' && e.key !== ' ') return;
              // (Space here selects; it does not also start playback.)
              e.preventDefault();
              e.stopPropagation();
              if (e.shiftKey || e.ctrlKey || e.metaKey) select({ nodes: selected ? selection.nodes.filter((m) => m !== id) : [...selection.nodes, id] });
              else select({ nodes: [id] });
            }}
          >
            <circle r={22} className="ring" onPointerDown={(e) => onNodeDown(e, id, true)} />
            <rect x={-16} y={-16} width={32} height={32} rx={shape === 'router' ? 16 : 5} className="body" onPointerDown={(e) => onNodeDown(e, id, false)} />
            <text className="glyph" y={5} textAnchor="middle">
              {SHAPE_GLYPH[shape] ?? '●'}
            </text>
            {label &&
              label.lines.map((line, k) => (
                <text
                  key={k}
                  className={line.kind === 'name' ? 'editor-node-label' : 'editor-node-ip'}
                  x={label.place.textX - home[0] * SCALE}
                  y={label.place.baselines[k] + home[1] * SCALE}
                  textAnchor={label.place.anchor}
                >
                  {line.text}
                </text>
              ))}
          </g>
        );
      })}
    </svg>
  );
}
