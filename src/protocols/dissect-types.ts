/**
 * The contract between the frame dissector (`dissect.ts`) and the per-protocol dissectors that
 * register with it. Types only, so protocol modules can implement it without importing the registry.
 */

import type { Ipv4 } from './addr';
import type { Layer } from './codec';

/** Facts lower layers hand to upper ones while one frame is dissected. */
export interface DissectContext {
  /** Set by the IPv4 dissector for what it carries (UDP needs it for the pseudo-header checksum). */
  ipv4?: { src: Ipv4; dst: Ipv4; ttl: number; protocol: number };
}

/** The registry tables a dissector can hand its payload on to. */
export type DissectTable = 'etherType' | 'ipProtocol' | 'udpPort' | 'tcpPort';

/** What a dissector made of its bytes. */
export interface DissectStep {
  readonly layer: Layer;
  /** The Protocol column for a frame whose top layer this is, e.g. `ARP`. */
  readonly protocol: string;
  /** The Info column, e.g. `Who has 10.0.0.2? Tell 10.0.0.1`; omitted keeps the lower layer's. */
  readonly summary?: string;
  /**
   * Where this layer's data (payload included) ends. Bytes after it, up to the `end` the dissector
   * was given, are trailer of the layer below (Ethernet padding).
   */
  readonly end: number;
  /** Continue with the payload: the first of `keys` registered in `table` dissects `[offset, end)`. */
  readonly next?: {
    readonly table: DissectTable;
    readonly keys: readonly number[];
    readonly offset: number;
    readonly end: number;
  };
}

/** A dissector that could not make sense of its bytes (a malformed packet). */
export interface DissectFailure {
  readonly error: string;
  /** What could still be shown of the layer (e.g. a header whose length field overruns the frame). */
  readonly layer?: Layer;
}

/** Dissects the bytes `[offset, end)` of a frame. Must not throw. */
export type Dissector = (bytes: Uint8Array, offset: number, end: number, ctx: DissectContext) => DissectStep | DissectFailure;
