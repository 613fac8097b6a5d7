/**
 * Comparing two runs of the same scene (a branch and its parent, or any two branches): the first
 * trace row where they differ, and the totals a comparison shows side by side. Rows are compared by
 * content (times, place, the frame's bytes, the text of state and log rows), not by the ids a trace
 * gives its strings, so two runs that interned strings in another order still compare equal.
 */
import { readU16 } from '../protocols/bytes';
import { ETHERTYPE_IPV4 } from '../protocols/ethernet/ethernet';
import { IP_PROTO_TCP, readIpv4Dst, readIpv4Protocol, readIpv4Src, readIpv4TotalLength } from '../protocols/ipv4/ipv4';
import { readTcpHeader, TCP_FIN, TCP_SYN } from '../protocols/tcp/tcp-header';
import { RecordKind, type Trace } from '../sim/trace';

/** Where two runs part: the first row that differs and its time (the earlier of the two rows'). */
export interface FirstDifference {
  readonly row: number;
  readonly timeNs: number;
}

function bytesEqual(x: Uint8Array, y: Uint8Array): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** Whether row `r` of `a` and of `b` record the same thing. */
function sameRow(a: Trace, b: Trace, r: number): boolean {
  const kind = a.kind[r];
  if (
    kind !== b.kind[r] ||
    a.dir[r] !== b.dir[r] ||
    a.time[r] !== b.time[r] ||
    a.end[r] !== b.end[r] ||
    a.arrival[r] !== b.arrival[r] ||
    a.place[r] !== b.place[r] ||
    a.packet[r] !== b.packet[r]
  ) {
    return false;
  }
  if (kind === RecordKind.FrameTx) return bytesEqual(a.frameBytes(a.frame[r]), b.frameBytes(b.frame[r]));
  if (a.string(a.code[r]) !== b.string(b.code[r])) return false;
  if (kind === RecordKind.Drop) {
    const fa = a.frame[r];
    const fb = b.frame[r];
    return fa < 0 || fb < 0 ? fa === fb : bytesEqual(a.frameBytes(fa), b.frameBytes(fb));
  }
  if (kind === RecordKind.State) return a.string(a.frame[r]) === b.string(b.frame[r]);
  return a.frame[r] === b.frame[r];
}

/**
 * The first row at which two traces of one scene differ, or null when they are the same row for
 * row. When one trace is a prefix of the other, the difference is the longer one's next row.
 */
export function firstDifference(a: Trace, b: Trace): FirstDifference | null {
  const n = Math.min(a.length, b.length);
  for (let r = 0; r < n; r++) if (!sameRow(a, b, r)) return { row: r, timeNs: Math.min(a.time[r], b.time[r]) };
  if (a.length === b.length) return null;
  return { row: n, timeNs: a.length > n ? a.time[n] : b.time[n] };
}

/** The last thing a node's programs printed. */
interface ProgramEnd {
  readonly node: string;
  /** Time of its last output line, ns. */
  readonly lastOutputNs: number;
  readonly lastLine: string;
}

/** What a comparison shows for each run. */
export interface RunTotals {
  /** Frame transmissions (a frame counts once per link it crosses). */
  readonly frames: number;
  readonly drops: number;
  /** TCP segments sent again (counted once, on the sender's own link). */
  readonly retransmissions: number;
  /** Per node that printed anything, in node order. */
  readonly programs: readonly ProgramEnd[];
}

/** Frames, drops, TCP retransmissions and when each node's programs last printed. */
export function runTotals(trace: Trace): RunTotals {
  let frames = 0;
  let drops = 0;
  let retransmissions = 0;
  /** Per TCP sender 4-tuple: where it was first seen (link and direction) and the highest sequence end sent. */
  const senders = new Map<string, { place: number; dir: number; isn: number; highest: number }>();
  const last = new Map<number, { t: number; line: string }>();
  for (let r = 0; r < trace.length; r++) {
    const kind = trace.kind[r];
    if (kind === RecordKind.Drop) drops++;
    else if (kind === RecordKind.Log) last.set(trace.place[r], { t: trace.time[r], line: trace.string(trace.code[r]) });
    if (kind !== RecordKind.FrameTx) continue;
    frames++;
    const f = trace.frameBytes(trace.frame[r]);
    if (f.length < 54 || readU16(f, 12) !== ETHERTYPE_IPV4 || readIpv4Protocol(f, 14) !== IP_PROTO_TCP) continue;
    const ihl = (f[14] & 0x0f) * 4;
    if (f.length < 14 + ihl + 20) continue;
    const h = readTcpHeader(f, 14 + ihl);
    const len = readIpv4TotalLength(f, 14) - ihl - (f[14 + ihl + 12] >> 4) * 4 + (h.flags & TCP_SYN ? 1 : 0) + (h.flags & TCP_FIN ? 1 : 0);
    if (len <= 0) continue;
    const key = `${readIpv4Src(f, 14)}:${h.srcPort}>${readIpv4Dst(f, 14)}:${h.dstPort}`;
    let s = senders.get(key);
    if (!s) {
      s = { place: trace.place[r], dir: trace.dir[r], isn: h.seq, highest: 0 };
      senders.set(key, s);
    }
    if (s.place !== trace.place[r] || s.dir !== trace.dir[r]) continue;
    const end = ((h.seq - s.isn) >>> 0) + len;
    if (end <= s.highest) retransmissions++;
    else s.highest = end;
  }
  const programs = [...last.entries()]
    .sort((x, y) => x[0] - y[0])
    .map(([node, l]) => ({ node: trace.nodes[node]?.name ?? String(node), lastOutputNs: l.t, lastLine: l.line }));
  return { frames, drops, retransmissions, programs };
}
