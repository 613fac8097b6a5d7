/**
 * The default capture: every conversation once, at the interface of the device that started it —
 * what a tcpdump on each client would show, merged into one file.
 *
 * A capture of every link shows a packet once per hop it crosses. Wireshark's TCP analysis does not
 * tell capture interfaces apart, so it reads the copies as retransmissions and their payloads as
 * "New fragment overlaps old data" (malformed), none of which happened in the network. Here each
 * conversation has one capture point:
 *
 * - a conversation is TCP or UDP by its two address:port ends, ICMP echo by its two addresses and
 *   identifier, any other IP protocol by its two addresses; an ICMP error (destination unreachable,
 *   time exceeded, parameter problem) belongs to the conversation of the packet it quotes, and a
 *   later IP fragment to the conversation of its first fragment;
 * - its capture point is the link end its first frame was sent from (the initiator's own interface);
 * - there, it sees the conversation's frames on that link: sent ones at transmission start, received
 *   ones at arrival (frames lost in flight never arrive), like a capture on that device;
 * - frames that are not IPv4 (ARP) are seen at the capture point on their link, the sender's if
 *   both ends of the link are capture points, so none is shown twice.
 */
import { Place, RecordKind, type Trace } from '../sim/trace';

/** One capture point: a link end (`a` or `b`). */
interface ConversationPoint {
  readonly link: number;
  readonly side: 'a' | 'b';
}

/** Capture points, in order of first use, and for each FrameTx record the point that sees it (-1: none). */
export interface ConversationCapture {
  readonly points: ConversationPoint[];
  /** Per trace record: index into `points`, or -1. */
  readonly pointOf: Int32Array;
}

const ETHERTYPE_VLAN = 0x8100;
const ETHERTYPE_QINQ = 0x88a8;
const ETHERTYPE_IPV4 = 0x0800;
const PROTO_ICMP = 1;
const PROTO_TCP = 6;
const PROTO_UDP = 17;
/** ICMP types that quote the packet they answer: destination unreachable, source quench, redirect, time exceeded, parameter problem. */
const ICMP_ERRORS = new Set([3, 4, 5, 11, 12]);

/** Conversation key of the IPv4 packet at `ip` in `b`, or null when it is not IPv4. */
function ipKey(b: Uint8Array, ip: number, fragments: Map<string, string>, quoted: boolean): string | null {
  if (b.length < ip + 20 || b[ip] >> 4 !== 4) return null;
  const ihl = (b[ip] & 0x0f) * 4;
  const proto = b[ip + 9];
  const src = ((b[ip + 12] << 24) | (b[ip + 13] << 16) | (b[ip + 14] << 8) | b[ip + 15]) >>> 0;
  const dst = ((b[ip + 16] << 24) | (b[ip + 17] << 16) | (b[ip + 18] << 8) | b[ip + 19]) >>> 0;
  const flagsFrag = (b[ip + 6] << 8) | b[ip + 7];
  const offset = flagsFrag & 0x1fff;
  const more = (flagsFrag & 0x2000) !== 0;
  const fragId = `${src}>${dst}/${proto}/${(b[ip + 4] << 8) | b[ip + 5]}`;
  if (offset !== 0 && !quoted) {
    return fragments.get(fragId) ?? `ip/${proto}/${pair(src, dst)}`;
  }
  const t = ip + ihl;
  let key: string;
  if ((proto === PROTO_TCP || proto === PROTO_UDP) && b.length >= t + 4) {
    const sport = (b[t] << 8) | b[t + 1];
    const dport = (b[t + 2] << 8) | b[t + 3];
    key = `${proto}/${pair(src * 65536 + sport, dst * 65536 + dport)}`;
  } else if (proto === PROTO_ICMP && b.length >= t + 8) {
    const type = b[t];
    if (ICMP_ERRORS.has(type) && !quoted) {
      const inner = ipKey(b, t + 8, fragments, true);
      if (inner !== null) return inner;
    }
    key = type === 0 || type === 8 ? `echo/${pair(src, dst)}/${(b[t + 4] << 8) | b[t + 5]}` : `ip/${proto}/${pair(src, dst)}`;
  } else {
    key = `ip/${proto}/${pair(src, dst)}`;
  }
  if (more && !quoted) fragments.set(fragId, key);
  return key;
}

/** Two endpoint numbers in a fixed order, so both directions give one key. */
function pair(x: number, y: number): string {
  return x < y ? `${x}-${y}` : `${y}-${x}`;
}

/** IPv4 header offset in an Ethernet frame (through 802.1Q tags), or -1. */
function ipv4Offset(b: Uint8Array): number {
  if (b.length < 14) return -1;
  let o = 12;
  let type = (b[o] << 8) | b[o + 1];
  while ((type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ) && b.length >= o + 6) {
    o += 4;
    type = (b[o] << 8) | b[o + 1];
  }
  return type === ETHERTYPE_IPV4 ? o + 2 : -1;
}

/** Chooses each conversation's capture point and which frames each point sees. */
export function conversationCapture(trace: Trace): ConversationCapture {
  const n = trace.length;
  const pointOf = new Int32Array(n).fill(-1);
  const points: ConversationPoint[] = [];
  const pointIndex = new Map<number, number>(); // link * 2 + side -> index
  const pointAt = (link: number, fromA: boolean): number => {
    const k = link * 2 + (fromA ? 0 : 1);
    let i = pointIndex.get(k);
    if (i === undefined) {
      i = points.length;
      points.push({ link, side: fromA ? 'a' : 'b' });
      pointIndex.set(k, i);
    }
    return i;
  };
  const convPoint = new Map<string, number>();
  const fragments = new Map<string, string>();
  const nonIp: number[] = [];

  for (let r = 0; r < n; r++) {
    if (trace.kind[r] !== RecordKind.FrameTx) continue;
    const bytes = trace.frameBytes(trace.frame[r]);
    const ip = ipv4Offset(bytes);
    const key = ip < 0 ? null : ipKey(bytes, ip, fragments, false);
    if (key === null) {
      nonIp.push(r);
      continue;
    }
    const link = trace.place[r];
    let p = convPoint.get(key);
    if (p === undefined) {
      p = pointAt(link, trace.dir[r] === Place.AtoB);
      convPoint.set(key, p);
    }
    if (points[p].link === link) pointOf[r] = p;
  }
  for (const r of nonIp) {
    const link = trace.place[r];
    const fromA = trace.dir[r] === Place.AtoB;
    const sender = pointIndex.get(link * 2 + (fromA ? 0 : 1));
    const receiver = pointIndex.get(link * 2 + (fromA ? 1 : 0));
    const p = sender ?? receiver;
    if (p !== undefined) pointOf[r] = p;
  }
  return { points, pointOf };
}
