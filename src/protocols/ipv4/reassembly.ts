/**
 * IPv4 reassembly (RFC 791 section 3.2): fragments are collected per (source, destination,
 * protocol, identification) until the datagram is whole.
 *
 * Deterministic by construction: time comes in as `nowNs` arguments, there are no timers; the owner
 * calls {@link Reassembler.expire} (e.g. from a kernel event at {@link Reassembler.nextExpiryNs}).
 * Simplifications (like Linux, stricter than RFC 791's "later data overwrites"): a fragment that
 * overlaps received data without being an exact duplicate, or that contradicts the known end,
 * discards the whole datagram; a non-final fragment whose length is not a multiple of 8 is ignored.
 */

import { SEC } from '../../sim/time';
import type { Ipv4 } from '../addr';
import { isFragment, ipv4HeaderChecksum, IPV4_HEADER_BYTES, IPV4_MAX_TOTAL_LENGTH, type Ipv4Header } from './ipv4';

/** Linux's default `ipfrag_time` (30 s); RFC 791 suggests 15 s as the initial timer. */
export const DEFAULT_REASSEMBLY_TIMEOUT_NS = 30 * SEC;

/** An incomplete datagram dropped by {@link Reassembler.expire}. */
export interface ExpiredDatagram {
  src: Ipv4;
  dst: Ipv4;
  protocol: number;
  id: number;
  /** When its first fragment arrived. */
  firstArrivalNs: number;
  /** Distinct payload bytes received. */
  receivedBytes: number;
  /**
   * The fragment at offset 0 if it arrived: RFC 792 sends ICMP "fragment reassembly time
   * exceeded" (type 11 code 1) only then, quoting it.
   */
  first?: { header: Ipv4Header; payload: Uint8Array };
}

interface Piece {
  off: number;
  data: Uint8Array;
}

interface Pending {
  src: Ipv4;
  dst: Ipv4;
  protocol: number;
  id: number;
  firstArrivalNs: number;
  /** Payload length once the last fragment (MF clear) is seen, else -1. */
  total: number;
  /** Sorted by offset, non-overlapping. */
  pieces: Piece[];
  received: number;
  first?: { header: Ipv4Header; payload: Uint8Array };
}

/**
 * The header of a reassembled datagram, from any of its fragments' headers (they share src, dst,
 * protocol, id and, from the first fragment, tos/ttl/DF): offset 0, MF clear, length and checksum set.
 */
export function reassembledHeader(fragmentHeader: Ipv4Header, payloadLength: number): Ipv4Header {
  const h: Ipv4Header = {
    ...fragmentHeader,
    totalLength: IPV4_HEADER_BYTES + payloadLength,
    fragmentOffset: 0,
    moreFragments: false,
  };
  h.checksum = ipv4HeaderChecksum(h);
  return h;
}

/** Options for {@link Reassembler}. */
export interface ReassemblerOptions {
  /** How long an incomplete datagram is kept after its first fragment; default 30 s. */
  timeoutNs?: number;
}

/** Collects IPv4 fragments into datagrams. */
export class Reassembler {
  /** How long an incomplete datagram is kept after its first fragment arrived. */
  readonly timeoutNs: number;
  /** Datagrams discarded because of overlapping or contradictory fragments (not counting expiry). */
  discarded = 0;
  private readonly pending = new Map<string, Pending>();

  constructor(options: ReassemblerOptions = {}) {
    this.timeoutNs = options.timeoutNs ?? DEFAULT_REASSEMBLY_TIMEOUT_NS;
  }

  /** Incomplete datagrams held. */
  get size(): number {
    return this.pending.size;
  }

  /**
   * Takes one packet's header and payload. Returns the whole reassembled payload when this fragment
   * completes its datagram (a packet that is not a fragment comes straight back), else `undefined`.
   * Fragment data is copied, so the caller may reuse `payload`. Use {@link reassembledHeader} for
   * the header of the whole datagram.
   */
  add(header: Ipv4Header, payload: Uint8Array, nowNs: number): Uint8Array | undefined {
    if (!isFragment(header)) return payload;
    const off = header.fragmentOffset;
    const end = off + payload.length;
    if (header.moreFragments && (payload.length === 0 || payload.length % 8 !== 0)) return undefined;
    if (end > IPV4_MAX_TOTAL_LENGTH - IPV4_HEADER_BYTES) return undefined;

    const key = `${header.src}|${header.dst}|${header.protocol}|${header.id}`;
    let p = this.pending.get(key);
    if (!p) {
      p = {
        src: header.src,
        dst: header.dst,
        protocol: header.protocol,
        id: header.id,
        firstArrivalNs: nowNs,
        total: -1,
        pieces: [],
        received: 0,
      };
      this.pending.set(key, p);
    }
    if (!this.insert(p, header, payload)) {
      this.pending.delete(key);
      this.discarded++;
      return undefined;
    }
    if (p.total < 0 || p.received < p.total || !p.first) return undefined;
    // Pieces never overlap, so received === total means no holes.
    this.pending.delete(key);
    const whole = new Uint8Array(p.total);
    for (const piece of p.pieces) whole.set(piece.data, piece.off);
    return whole;
  }

  /** Forgets every incomplete datagram (the device restarted). */
  clear(): void {
    this.pending.clear();
  }

  /** Adds a fragment to `p`; false when the datagram must be discarded. */
  private insert(p: Pending, header: Ipv4Header, payload: Uint8Array): boolean {
    const off = header.fragmentOffset;
    const end = off + payload.length;
    if (!header.moreFragments) {
      if (p.total >= 0 && p.total !== end) return false;
      const last = p.pieces[p.pieces.length - 1];
      if (last && last.off + last.data.length > end) return false;
      p.total = end;
    } else if (p.total >= 0 && end > p.total) {
      return false;
    }
    // Find the insertion point (pieces sorted by offset).
    let i = p.pieces.length;
    while (i > 0 && p.pieces[i - 1].off > off) i--;
    const before = p.pieces[i - 1];
    if (before && before.off === off && before.data.length === payload.length) return true; // duplicate
    if (before && before.off + before.data.length > off) return false;
    const after = p.pieces[i];
    if (after && after.off < end) return false;
    const data = payload.slice();
    if (data.length > 0) {
      p.pieces.splice(i, 0, { off, data });
      p.received += data.length;
    }
    if (off === 0 && !p.first) p.first = { header: { ...header }, payload: data };
    return true;
  }

  /**
   * Drops every incomplete datagram whose first fragment arrived `timeoutNs` or more before
   * `nowNs`, returning them in arrival order.
   */
  expire(nowNs: number): ExpiredDatagram[] {
    const dropped: ExpiredDatagram[] = [];
    for (const [key, p] of this.pending) {
      if (nowNs - p.firstArrivalNs < this.timeoutNs) continue;
      this.pending.delete(key);
      const e: ExpiredDatagram = {
        src: p.src,
        dst: p.dst,
        protocol: p.protocol,
        id: p.id,
        firstArrivalNs: p.firstArrivalNs,
        receivedBytes: p.received,
      };
      if (p.first) e.first = p.first;
      dropped.push(e);
    }
    return dropped;
  }

  /** The earliest time at which {@link expire} would drop something, or `undefined` if nothing is held. */
  nextExpiryNs(): number | undefined {
    let next: number | undefined;
    for (const p of this.pending.values()) {
      const t = p.firstArrivalNs + this.timeoutNs;
      if (next === undefined || t < next) next = t;
    }
    return next;
  }
}
