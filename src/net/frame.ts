/**
 * A frame as the simulator moves it: real bytes split in two so forwarding stays cheap and the trace
 * stays small. `head` holds the headers a hop may rewrite (Ethernet, and the IPv4 header for IP
 * packets); `body` holds bytes that cross hops unchanged (the IP payload), shared by reference.
 * The bytes on the wire are `head` then `body`, zero-padded to 60 bytes.
 */
import { MIN_FRAME_BYTES, type SharedBytes } from '../sim/trace';

export interface Frame {
  readonly head: Uint8Array;
  readonly body: SharedBytes | null;
  /** Identity of the packet across hops (a router's rewrite keeps it); -1 when none. */
  readonly packetId: number;
}

/** Bytes of Ethernet overhead on the wire not in the frame: preamble+SFD (8), FCS (4), gap (12). */
const WIRE_OVERHEAD_BYTES = 24;

/** Frame length as captured: headers + body, padded to the 60-byte minimum. */
export function frameLength(f: Frame): number {
  const n = f.head.length + (f.body ? f.body.bytes.length : 0);
  return n < MIN_FRAME_BYTES ? MIN_FRAME_BYTES : n;
}

/** Time to clock a frame onto a link of `bitsPerSecond`, counting preamble, FCS and gap. */
export function serializationNs(f: Frame, bitsPerSecond: number): number {
  return Math.round(((frameLength(f) + WIRE_OVERHEAD_BYTES) * 8 * 1e9) / bitsPerSecond);
}

/** The full frame bytes (without padding), for code that wants one contiguous view. */
export function frameBytes(f: Frame): Uint8Array {
  if (!f.body) return f.head;
  const out = new Uint8Array(f.head.length + f.body.bytes.length);
  out.set(f.head, 0);
  out.set(f.body.bytes, f.head.length);
  return out;
}
