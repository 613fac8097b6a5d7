/**
 * The shape every protocol header module follows (ns-3's Serialize / Deserialize /
 * GetSerializedSize / Print): `encode`, `decode`, `byteLength`, `describe`.
 */

/** A named field of a decoded header, with where its bytes are, for the inspector's tree and hex view. */
export interface Field {
  /** Wireshark-style filter name, e.g. `ip.ttl`. */
  readonly key: string;
  /** Human label, e.g. `Time to Live`. */
  readonly label: string;
  /** Display value, e.g. `64` or `0x1c46 [correct]`. */
  readonly value: string;
  /** Byte offset within the whole frame. */
  readonly offset: number;
  /** Length in bytes (0 for fields inside a byte, shown with their byte). */
  readonly length: number;
  readonly children?: readonly Field[];
}

/** One protocol layer of a dissected frame. */
export interface Layer {
  /** Short protocol id, e.g. `eth`, `arp`, `ip`, `icmp`, `udp`. */
  readonly protocol: string;
  /** Tree heading, like Wireshark's: `Internet Protocol Version 4, Src: 10.0.0.1, Dst: 10.0.0.2`. */
  readonly title: string;
  readonly offset: number;
  readonly length: number;
  readonly fields: readonly Field[];
  /** Where the model departs from the RFC, said plainly for the inspector (never silently). */
  readonly notes?: readonly string[];
}

/** Result of decoding: never throws on bad input. */
export type Decoded<T> = { ok: true; value: T; length: number } | { ok: false; error: string };

/** A header codec. `offset` is where the header starts within `bytes`. */
export interface Codec<T> {
  readonly protocol: string;
  encode(value: T): Uint8Array;
  decode(bytes: Uint8Array, offset?: number): Decoded<T>;
  byteLength(value: T): number;
  describe(bytes: Uint8Array, offset?: number): Layer | { error: string };
}
