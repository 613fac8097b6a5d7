/**
 * Device models built from primitives, with name/IP labels. A device is drawn by its kind's `shape`
 * (net/device-registry.ts), so a new kind that looks like a server needs no change here; a shape
 * no one registered falls back to a plain box labelled with the kind. `registerShape` adds a look.
 */
import { useEffect, useMemo, type ComponentType } from 'react';
import * as THREE from 'three';
import { deviceShape } from '../net/device-shapes';
import type { TimelineIndex } from '../timeline';
import { DEVICE_COLORS } from './colors';
import { makeLabel } from './labels';
import type { Vec3 } from './layout';
import { Population, populationRadius, ServerLoad } from './Load';
import { PowerState } from './PowerState';

interface DeviceProps {
  id: string;
  kind: string;
  label: string;
  addresses: string[];
  position: Vec3;
  highlighted: boolean;
  selected: boolean;
  /** The node's scene config (e.g. a population's `count`). */
  config?: unknown;
  /** The run shown, for models that show live state (queues, waiting clients). */
  index?: TimelineIndex | null;
}

/** What a shape's model is drawn with. */
interface ShapeProps {
  readonly id: string;
  readonly kind: string;
  readonly color: string;
  readonly config: unknown;
  readonly index: TimelineIndex | null;
}

interface ShapeDef {
  readonly model: ComponentType<ShapeProps>;
  /** How far in front of the device (toward +z, the default camera) its label hangs. */
  readonly labelDepth: number | ((config: unknown) => number);
}

const shapes = new Map<string, ShapeDef>();

/** Registers (or replaces) how a device shape is drawn. */
function registerShape(shape: string, model: ComponentType<ShapeProps>, labelDepth: ShapeDef['labelDepth'] = 0.6): void {
  shapes.set(shape, { model, labelDepth });
}

/** The shape a device kind is drawn with: its registered `shape`, else the kind's own name. */
function shapeOf(kind: string): string {
  return deviceShape(kind) ?? kind;
}

/** A population's client count from its config, or undefined. */
function countOf(config: unknown): number | undefined {
  const c = (config as { count?: unknown } | null)?.count;
  return typeof c === 'number' && c > 0 ? c : undefined;
}

function Host({ color }: { color: string }) {
  return (
    <group>
      {/* monitor */}
      <mesh position={[0, 0.75, 0]} castShadow>
        <boxGeometry args={[1.0, 0.68, 0.08]} />
        <meshStandardMaterial color={color} metalness={0.2} roughness={0.6} />
      </mesh>
      <mesh position={[0, 0.75, 0.045]}>
        <planeGeometry args={[0.88, 0.56]} />
        <meshStandardMaterial color="#0d2a4a" emissive="#1f6feb" emissiveIntensity={0.55} />
      </mesh>
      <mesh position={[0, 0.3, 0]}>
        <boxGeometry args={[0.1, 0.3, 0.08]} />
        <meshStandardMaterial color="#4a5568" />
      </mesh>
      <mesh position={[0, 0.14, 0]}>
        <boxGeometry args={[0.5, 0.04, 0.3]} />
        <meshStandardMaterial color="#4a5568" />
      </mesh>
    </group>
  );
}

function Server({ color }: { color: string }) {
  return (
    <group>
      <mesh position={[0, 0.8, 0]}>
        <boxGeometry args={[0.62, 1.5, 0.7]} />
        <meshStandardMaterial color={color} metalness={0.3} roughness={0.5} />
      </mesh>
      {[0.3, 0.6, 0.9, 1.2].map((y) => (
        <group key={y}>
          <mesh position={[0, y, 0.356]}>
            <boxGeometry args={[0.54, 0.16, 0.01]} />
            <meshStandardMaterial color="#2d3748" />
          </mesh>
          <mesh position={[0.2, y, 0.365]}>
            <sphereGeometry args={[0.025, 8, 8]} />
            <meshStandardMaterial color="#48bb78" emissive="#48bb78" emissiveIntensity={1} />
          </mesh>
        </group>
      ))}
    </group>
  );
}

function Switch({ color }: { color: string }) {
  const ports = [-0.5, -0.3, -0.1, 0.1, 0.3, 0.5];
  return (
    <group>
      <mesh position={[0, 0.2, 0]}>
        <boxGeometry args={[1.4, 0.24, 0.7]} />
        <meshStandardMaterial color={color} metalness={0.3} roughness={0.5} />
      </mesh>
      {ports.map((x) => (
        <mesh key={x} position={[x, 0.2, 0.355]}>
          <boxGeometry args={[0.1, 0.08, 0.02]} />
          <meshStandardMaterial color="#a7f3d0" emissive="#34d399" emissiveIntensity={0.6} />
        </mesh>
      ))}
    </group>
  );
}

function Hub({ color }: { color: string }) {
  return (
    <group>
      <mesh position={[0, 0.16, 0]}>
        <cylinderGeometry args={[0.62, 0.62, 0.24, 40]} />
        <meshStandardMaterial color={color} metalness={0.2} roughness={0.6} />
      </mesh>
      <mesh position={[0, 0.29, 0]}>
        <cylinderGeometry args={[0.3, 0.3, 0.03, 32]} />
        <meshStandardMaterial color="#fde68a" emissive="#f59e0b" emissiveIntensity={0.4} />
      </mesh>
    </group>
  );
}

function Router({ color }: { color: string }) {
  const arrows = [0, Math.PI / 2, Math.PI, (3 * Math.PI) / 2];
  return (
    <group>
      <mesh position={[0, 0.22, 0]}>
        <cylinderGeometry args={[0.58, 0.58, 0.38, 40]} />
        <meshStandardMaterial color={color} metalness={0.3} roughness={0.45} />
      </mesh>
      {arrows.map((a, i) => (
        <group key={a} rotation={[0, a, 0]}>
          <mesh position={[i % 2 ? 0.28 : 0.14, 0.43, 0]} rotation={[0, 0, i % 2 ? -Math.PI / 2 : Math.PI / 2]}>
            <coneGeometry args={[0.09, 0.18, 3]} />
            <meshStandardMaterial color="#e0e7ff" emissive="#c7d2fe" emissiveIntensity={0.4} />
          </mesh>
        </group>
      ))}
    </group>
  );
}

/** A shape no one registered: a plain box with the kind written on top. */
function Generic({ color, kind }: ShapeProps) {
  const sprite = useMemo(() => makeLabel([kind], { color: '#ffe8a3', height: 0.3 }), [kind]);
  useEffect(
    () => () => {
      sprite.material.map?.dispose();
      sprite.material.dispose();
    },
    [sprite],
  );
  return (
    <group>
      <mesh position={[0, 0.35, 0]}>
        <boxGeometry args={[0.7, 0.7, 0.7]} />
        <meshStandardMaterial color={color} metalness={0.1} roughness={0.7} />
      </mesh>
      <primitive object={sprite} position={[0, 1.15, 0]} />
    </group>
  );
}

/** A cloud of spheres (a network drawn as one thing). */
function Cloud({ color }: { color: string }) {
  const puffs: [number, number, number, number][] = [
    [0, 0.45, 0, 0.38],
    [-0.36, 0.36, 0.05, 0.28],
    [0.36, 0.36, 0.05, 0.28],
    [0.15, 0.62, -0.1, 0.26],
  ];
  return (
    <group>
      {puffs.map(([x, y, z, r]) => (
        <mesh key={`${x}${y}`} position={[x, y, z]}>
          <sphereGeometry args={[r, 20, 14]} />
          <meshStandardMaterial color={color} roughness={0.9} />
        </mesh>
      ))}
    </group>
  );
}

/** A client population (shape `clients`; also `cloud` with a `count`): thousands of points, lit while waiting. */
function Clients(p: ShapeProps) {
  return <Population id={p.id} count={countOf(p.config) ?? 1} index={p.index} />;
}

registerShape('host', ({ color }) => <Host color={color} />, 0.55);
registerShape(
  'server',
  ({ color, id, index }) => (
    <>
      <Server color={color} />
      <ServerLoad id={id} index={index} />
    </>
  ),
  0.7,
);
registerShape('switch', ({ color }) => <Switch color={color} />, 0.6);
registerShape('hub', ({ color }) => <Hub color={color} />, 0.8);
registerShape('router', ({ color }) => <Router color={color} />, 0.78);
registerShape('clients', Clients, (config) => populationRadius(countOf(config) ?? 1) + 0.15);
registerShape(
  'cloud',
  (p) => (countOf(p.config) !== undefined ? <Clients {...p} /> : <Cloud color={p.color} />),
  (config) => (countOf(config) !== undefined ? populationRadius(countOf(config)!) + 0.15 : 0.6),
);

export function Device({ id, kind, label, addresses, position, highlighted, selected, config, index = null }: DeviceProps) {
  const shape = shapeOf(kind);
  const color = DEVICE_COLORS[kind] ?? DEVICE_COLORS[shape] ?? '#9aa5b1';
  const count = countOf(config);
  const sprite = useMemo(
    () => makeLabel([label === id ? label : `${label} (${id})`, ...(count !== undefined ? [`${count.toLocaleString('en-US')} clients`] : []), ...addresses]),
    [id, label, addresses, count],
  );
  useEffect(
    () => () => {
      sprite.material.map?.dispose();
      sprite.material.dispose();
    },
    [sprite],
  );
  const def = shapes.get(shape);
  const Model = def?.model ?? Generic;
  const depth = typeof def?.labelDepth === 'function' ? def.labelDepth(config) : (def?.labelDepth ?? 0.6);
  const ring = count !== undefined && def ? populationRadius(count) + 0.25 : 0;
  return (
    <group position={position} name={`device:${id}`}>
      <Model id={id} kind={kind} color={color} config={config} index={index} />
      <PowerState id={id} index={index} />
      <primitive object={sprite} position={[0, 0.02, depth]} />
      {(highlighted || selected) && (
        <mesh rotation={[-Math.PI / 2, 0, 0]} position={[0, 0.01, 0]}>
          <ringGeometry args={[Math.max(0.85, ring), Math.max(0.85, ring) + (selected ? 0.15 : 0.08), 48]} />
          <meshBasicMaterial color={selected ? '#ffffff' : '#fbbf24'} transparent opacity={selected ? 0.9 : 0.55} side={THREE.DoubleSide} />
        </mesh>
      )}
    </group>
  );
}
