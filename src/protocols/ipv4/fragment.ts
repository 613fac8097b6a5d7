/**
 * IPv4 fragmentation (RFC 791 section 3.2, "An Example Fragmentation Procedure").
 *
 * Simplification: headers carry no options, so every fragment has a 20-byte header (RFC 791's
 * copy-flag handling of options does not arise).
 */

import { ipv4HeaderChecksum, IPV4_HEADER_BYTES, IPV4_MAX_TOTAL_LENGTH, validateIpv4Header, type Ipv4Header } from './ipv4';

/** The smallest MTU every IPv4 link must support (RFC 791: a 68-byte datagram passes unfragmented). */
export const IPV4_MIN_MTU = 68;

/** One fragment: its header (total length, offset, MF and checksum set) and its slice of the payload. */
export interface Ipv4Fragment {
  header: Ipv4Header;
  /** A view into the payload passed to {@link fragmentPacket}, not a copy. */
  payload: Uint8Array;
}

/** Why a packet could not be sent over the link. */
type FragmentErrorKind =
  /** DF is set and the packet is larger than the MTU: answer with ICMP "fragmentation needed" carrying `mtu`. */
  | 'dont-fragment'
  /** The MTU is below 68. */
  | 'mtu-too-small'
  /** Header + payload exceed 65535 bytes, or fragment offsets would. */
  | 'too-big'
  /** A header field is out of range (see `validateIpv4Header`). */
  | 'invalid-header';

/** What {@link fragmentPacket} returns instead of fragments. */
export interface FragmentError {
  error: FragmentErrorKind;
  message: string;
  /** The MTU that was asked for (the next-hop MTU for ICMP type 3 code 4). */
  mtu: number;
}

/**
 * Splits a datagram for a link with the given MTU (bytes of IP packet per frame). A packet that fits
 * comes back as one fragment (its header with total length and checksum filled in). Otherwise each
 * fragment carries a multiple of 8 bytes of data except the last; offsets are relative to
 * `header.fragmentOffset` and the last keeps `header.moreFragments`, so fragments can be fragmented
 * again. `header.totalLength` and `header.checksum` are ignored. Returns a {@link FragmentError}
 * (not an array; test with `Array.isArray`) when DF forbids fragmenting or the input is unusable.
 */
export function fragmentPacket(header: Ipv4Header, payload: Uint8Array, mtu: number): Ipv4Fragment[] | FragmentError {
  const fail = (error: FragmentErrorKind, message: string): FragmentError => ({ error, message, mtu });
  const total = IPV4_HEADER_BYTES + payload.length;
  if (total > IPV4_MAX_TOTAL_LENGTH) return fail('too-big', `IPv4: ${total} bytes exceeds ${IPV4_MAX_TOTAL_LENGTH}`);
  const bad = validateIpv4Header({ ...header, totalLength: total });
  if (bad) return fail('invalid-header', bad);
  if (total <= mtu) return [piece(header, payload, 0, payload.length, header.moreFragments)];
  if (!Number.isInteger(mtu) || mtu < IPV4_MIN_MTU) {
    return fail('mtu-too-small', `IPv4: MTU ${mtu} is below the minimum ${IPV4_MIN_MTU}`);
  }
  if (header.dontFragment) {
    return fail('dont-fragment', `IPv4: ${total} bytes exceed MTU ${mtu} and DF is set`);
  }
  if (header.fragmentOffset + payload.length > IPV4_MAX_TOTAL_LENGTH - IPV4_HEADER_BYTES) {
    return fail('too-big', `IPv4: fragment data would end past offset ${IPV4_MAX_TOTAL_LENGTH - IPV4_HEADER_BYTES}`);
  }
  const step = (mtu - IPV4_HEADER_BYTES) & ~7;
  const fragments: Ipv4Fragment[] = [];
  for (let rel = 0; rel < payload.length; rel += step) {
    const len = Math.min(step, payload.length - rel);
    const last = rel + len === payload.length;
    fragments.push(piece(header, payload, rel, len, last ? header.moreFragments : true));
  }
  return fragments;
}

function piece(h: Ipv4Header, payload: Uint8Array, rel: number, len: number, mf: boolean): Ipv4Fragment {
  const header: Ipv4Header = {
    ...h,
    totalLength: IPV4_HEADER_BYTES + len,
    fragmentOffset: h.fragmentOffset + rel,
    moreFragments: mf,
  };
  header.checksum = ipv4HeaderChecksum(header);
  return { header, payload: payload.subarray(rel, rel + len) };
}
