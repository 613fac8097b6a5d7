/**
 * A fault is a timed scene event ("at 20ms set link h1-sw1 loss 0.3"), never a mutation of a running
 * simulation. Each kind of fault is one variant: how a scene writes it (schema and identifying
 * keys), what it may refer to (check), and what it does when its time comes (apply).
 */
import type { z } from 'zod';
import type { Device } from '../../net/device';
import type { ReportIssue } from '../../net/device-config';
import type { LinkParams } from '../../net/link-params';
import type { PacketFaultEffect } from '../../net/packet-faults';
import type { Trace } from '../../sim/trace';

/** What a fault variant's `check` may ask about the rest of the scene. */
export interface FaultCheckContext {
  /**
   * Whether a node id exists (also a node with errors of its own). True for any id while some
   * node has no readable id, so one mistake is not reported again at every reference.
   */
  hasNode(id: string): boolean;
  /** Whether a link id exists; like `hasNode`, true for any id while some link has no readable id. */
  hasLink(id: string): boolean;
  /** The known ids, for "did you mean" hints. */
  readonly nodeIds: ReadonlySet<string>;
  readonly linkIds: ReadonlySet<string>;
}

/** What a fault may act on when it fires. */
export interface FaultTarget {
  /** Changes a link's (or hub cable's) properties by link id. */
  setLink(id: string, change: Partial<LinkParams>): void;
  /** The device with this scene id. */
  device(id: string): Device | undefined;
  /**
   * Loses the next `count` frames on link `id` that `matches` accepts (see
   * `FullDuplexLink.addDropRule`). Hub cables are rejected when the scene is built.
   */
  dropOnLink(id: string, matches: (frame: Uint8Array) => boolean, count: number, reason: string): void;
  /**
   * Loses every frame `matches` accepts from now on, on every point-to-point link (a partition).
   * Hub cables do not take part.
   */
  dropOnEveryLink(matches: (frame: Uint8Array) => boolean, reason: string): void;
  /**
   * Drops, delays or corrupts the first frame carrying trace packet `packetId` whose transmission
   * starts from now on, on any point-to-point link (see src/net/packet-faults.ts).
   */
  packetFault(packetId: number, effect: PacketFaultEffect, reason: string): void;
  /** The trace so far (read only), e.g. for a matcher to learn from earlier frames. */
  readonly trace: Trace;
}

/**
 * One kind of fault. A raw fault is matched to the variant with the most of its `keys` present;
 * its `schema` (which includes `at`) then validates it, and `check` looks at the rest of the scene.
 */
export interface FaultVariant<K extends string, T extends { at: number }> {
  readonly kind: K;
  /** Keys that identify the variant in a scene, e.g. `['link', 'set']`; the first is its target. */
  readonly keys: readonly [string, ...string[]];
  readonly schema: z.ZodType<T>;
  check?(fault: T, ctx: FaultCheckContext, report: ReportIssue): void;
  /** Carries the fault out at its time. */
  apply(fault: T, target: FaultTarget): void;
}

/** A validated fault of variant `V`, tagged with its kind. */
export type FaultOf<V> = V extends FaultVariant<infer K, infer T> ? { readonly [P in keyof ({ kind: K } & T)]: ({ kind: K } & T)[P] } : never;

/** Declares a fault variant (keeps `K` and `T` inferred). */
export function faultVariant<K extends string, T extends { at: number }>(v: FaultVariant<K, T>): FaultVariant<K, T> {
  return v;
}
