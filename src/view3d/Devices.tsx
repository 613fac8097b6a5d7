/** Device models built from primitives, one look per kind, with name/IP labels. */
import { useEffect, useMemo } from 'react';
import * as THREE from 'three';
import { DEVICE_COLORS } from './colors';
import { makeLabel } from './labels';
import type { Vec3 } from './layout';

interface DeviceProps {
  id: string;
  kind: string;
  label: string;
  addresses: string[];
  position: Vec3;
  highlighted: boolean;
  selected: boolean;
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

function Unknown({ color }: { color: string }) {
  return (
    <mesh position={[0, 0.4, 0]}>
      <sphereGeometry args={[0.4, 24, 16]} />
      <meshStandardMaterial color={color} />
    </mesh>
  );
}

/** How far in front of the device (toward +z, the default camera) its label hangs. */
const LABEL_DEPTH: Record<string, number> = { host: 0.55, server: 0.7, switch: 0.6, hub: 0.8, router: 0.78 };

export function Device({ id, kind, label, addresses, position, highlighted, selected }: DeviceProps) {
  const color = DEVICE_COLORS[kind] ?? '#9aa5b1';
  const sprite = useMemo(() => makeLabel([label === id ? label : `${label} (${id})`, ...addresses]), [id, label, addresses]);
  useEffect(() => () => {
    sprite.material.map?.dispose();
    sprite.material.dispose();
  }, [sprite]);
  const depth = LABEL_DEPTH[kind] ?? 0.6;
  const Model = kind === 'host' ? Host : kind === 'server' ? Server : kind === 'switch' ? Switch : kind === 'hub' ? Hub : kind === 'router' ? Router : Unknown;
  return (
    <group position={position} name={`device:${id}`}>
      <Model color={color} />
      <primitive object={sprite} position={[0, 0.02, depth]} />
      {(highlighted || selected) && (
        <mesh rotation={[-Math.PI / 2, 0, 0]} position={[0, 0.01, 0]}>
          <ringGeometry args={[0.85, selected ? 1.0 : 0.93, 48]} />
          <meshBasicMaterial color={selected ? '#ffffff' : '#fbbf24'} transparent opacity={selected ? 0.9 : 0.55} side={THREE.DoubleSide} />
        </mesh>
      )}
    </group>
  );
}
