/**
 * A validated scene, as `parseScene` returns it: every default filled in, durations as integer
 * nanoseconds, rates as bits per second. Scene files are data (YAML or JSON); see design.md "Scenes".
 */
import type { LinkParams } from '../net/link-params';
import type { faultVariants, FaultOf } from './faults';

/** Layout coordinates `[x, y, z]`; the `{x, y}` form of a scene becomes `[x, y, 0]`. */
export type Position = readonly [x: number, y: number, z: number];

/** One device. `config` is the kind's own fields, as validated by the kind's `DeviceConfigSpec`. */
export interface SceneNode {
  /** Unique id, e.g. `h1`: letters, digits, `.`, `_`, `-`. */
  readonly id: string;
  /** Device kind, e.g. `host`, `switch`, `router` (a key of the catalog it was validated with). */
  readonly kind: string;
  /** Display name; the id when absent. */
  readonly label?: string;
  readonly position?: Position;
  /** The kind's config (e.g. `HostConfig`), defaults applied. */
  readonly config: unknown;
}

/** One end of a link: a node and, for devices with declared interfaces, which one. */
export interface LinkEnd {
  readonly node: string;
  /**
   * Interface name: as the scene wrote it (`r1:eth1`), or else the next free declared interface
   * in link order. Absent for `per-link` devices (switch, hub), whose ports are one per link.
   */
  readonly iface?: string;
}

/** A point-to-point link; its parameters default to `DEFAULT_LINK_PARAMS` (src/net/link-params.ts). */
export interface SceneLink extends Readonly<LinkParams> {
  /** Unique id; `<a>-<b>` (node ids) when the scene gives none. Faults name links by it. */
  readonly id: string;
  readonly a: LinkEnd;
  readonly b: LinkEnd;
}

/** A command a node runs at a time, e.g. `{ on: h1, at: 1ms, cmd: "ping 10.0.1.5 -c 3" }`. */
export interface SceneRun {
  readonly on: string;
  /** ns from the start; at most the scene's duration. */
  readonly at: number;
  readonly cmd: string;
}

/**
 * A scheduled fault. One variant per entry of `faultVariants` (src/scenario/validate.ts), told
 * apart by `kind`: `link-set` changes link parameters, `node-set` crashes or restarts a node.
 */
export type SceneFault = FaultOf<(typeof faultVariants)[number]>;

/**
 * `{ at, link, set: { loss?, latency?, jitter?, bandwidth?, up?, queue? } }`.
 * @public
 */
export type LinkSetFault = Extract<SceneFault, { kind: 'link-set' }>;

/**
 * `{ at, node, set: { up } }`: `up: false` crashes the node, `up: true` restarts it.
 * @public
 */
export type NodeSetFault = Extract<SceneFault, { kind: 'node-set' }>;

/** Camera presets of the 3D view. */
export type CameraPreset = 'top' | 'perspective' | 'side';

/** How the scene opens in the viewer. */
export interface SceneView {
  readonly camera?: CameraPreset;
  /** Node or link ids to draw attention to. */
  readonly highlight?: readonly string[];
}

/** A whole validated scene. */
export interface Scene {
  readonly version: 1;
  readonly title: string;
  readonly description?: string;
  /** Seed of every RNG stream (default 1). */
  readonly seed: number;
  /** How long the simulation runs, ns (> 0). */
  readonly duration: number;
  readonly nodes: readonly SceneNode[];
  readonly links: readonly SceneLink[];
  readonly run: readonly SceneRun[];
  readonly faults: readonly SceneFault[];
  readonly view?: SceneView;
}
