/**
 * Device kinds by registration: a kind is its scene configuration ({@link DeviceConfigSpec}) plus a
 * factory for its simulation model. Adding a device is one folder and one {@link registerDevice}.
 */
import type { SimContext } from './context';
import type { Device } from './device';
import type { DeviceConfigSpec } from './device-config';
import { setDeviceShape } from './device-shapes';

/** Everything a factory needs to build one device from a validated scene node. */
export interface DeviceBuildInput<C> {
  readonly ctx: SimContext;
  /** Scene id, e.g. `r1`. */
  readonly name: string;
  /** Trace node id. */
  readonly nodeId: number;
  /** 1-based position of the node in the scene, used for readable default MACs. */
  readonly ordinal: number;
  readonly config: C;
}

/** A registered device kind. */
export interface DeviceKind<C = unknown> extends DeviceConfigSpec<C> {
  /** Builds the model. Links add interfaces by {@link Device.addNic}, or plug into its {@link Device.sharedMedium}. */
  build(input: DeviceBuildInput<C>): Device;
  /** How the 3D view draws it: `host`, `server`, `switch`, `hub`, `router`, `cloud`. */
  readonly shape: string;
}

const kinds = new Map<string, DeviceKind<never>>();

/** Registers (or replaces) a device kind. */
export function registerDevice<C>(kind: DeviceKind<C>): void {
  kinds.set(kind.kind, kind as unknown as DeviceKind<never>);
  setDeviceShape(kind.kind, kind.shape);
}

/** The registered kind called `kind`. */
export function deviceKind(kind: string): DeviceKind<unknown> | undefined {
  return kinds.get(kind) as DeviceKind<unknown> | undefined;
}

/** All registered kinds, by name. */
export function deviceCatalog(): ReadonlyMap<string, DeviceConfigSpec> {
  return kinds as unknown as ReadonlyMap<string, DeviceConfigSpec>;
}

/** A readable locally administered MAC: 02:00:00:NN:NN:II (node ordinal, interface number). */
export function defaultMac(ordinal: number, ifIndex: number): number {
  return 0x02_00_00_00_00_00 + ordinal * 0x100 + (ifIndex + 1);
}
