/**
 * Pure readers of TCP in a trace (no React): the connections, their published variables over time
 * (from the state rows TCP writes, see `src/protocols/tcp/tcp-trace.ts`), and the data of a
 * time-sequence graph (from the frames).
 */
import { formatIpv4 } from '../../protocols/addr';
import { readU16 } from '../../protocols/bytes';
import { ETHERTYPE_IPV4 } from '../../protocols/ethernet/ethernet';
import { IP_PROTO_TCP, readIpv4Dst, readIpv4Protocol, readIpv4Src, readIpv4TotalLength } from '../../protocols/ipv4/ipv4';
import { readTcpHeader, TCP_ACK, TCP_FIN, TCP_SYN } from '../../protocols/tcp/tcp-header';
import { parseTcpConnectionId, parseTcpStateKey, type TcpTraceField } from '../../protocols/tcp/tcp-trace';
import { Place, RecordKind, type Trace } from '../../sim/trace';

/** A TCP connection as one of its ends published it. */
export interface TcpConnectionInfo {
  /** Node that owns this end. */
  readonly node: string;
  readonly nodeId: number;
  /** `10.0.0.1:40000>10.0.0.2:5001` (local > remote). */
  readonly id: string;
  readonly local: string;
  readonly localPort: number;
  readonly remote: string;
  readonly remotePort: number;
  /** Time of its first and last state row, ns. */
  readonly opened: number;
  readonly lastChange: number;
  /** Its last published state. */
  readonly finalState: string;
}

/** Every connection end in the trace, in order of first appearance. */
export function listTcpConnections(trace: Trace): TcpConnectionInfo[] {
  const byKey = new Map<string, { nodeId: number; id: string; opened: number; last: number; state: string }>();
  for (let r = 0; r < trace.length; r++) {
    if (trace.kind[r] !== RecordKind.State || trace.dir[r] !== Place.Node) continue;
    const k = parseTcpStateKey(trace.string(trace.code[r]));
    if (!k) continue;
    const key = `${trace.place[r]} ${k.connection}`;
    let e = byKey.get(key);
    if (!e) {
      e = { nodeId: trace.place[r], id: k.connection, opened: trace.time[r], last: trace.time[r], state: '' };
      byKey.set(key, e);
    }
    if (k.field === 'state') {
      e.state = trace.string(trace.frame[r]);
      e.last = trace.time[r];
    }
  }
  const out: TcpConnectionInfo[] = [];
  for (const e of byKey.values()) {
    const ends = parseTcpConnectionId(e.id);
    if (!ends) continue;
    out.push({ node: trace.nodes[e.nodeId].name, nodeId: e.nodeId, id: e.id, ...ends, opened: e.opened, lastChange: e.last, finalState: e.state });
  }
  return out;
}

/** A value from `time` on. */
export interface Step<T> {
  readonly time: number;
  readonly value: T;
}

/** A connection's published variables over time (step functions). Times in ns; `ssthresh` is Infinity before the first loss. */
export interface TcpSeries {
  readonly state: Step<string>[];
  readonly cwnd: Step<number>[];
  readonly ssthresh: Step<number>[];
  readonly srtt: Step<number>[];
  readonly rttvar: Step<number>[];
  readonly rto: Step<number>[];
  readonly flight: Step<number>[];
  readonly rwnd: Step<number>[];
}

/** The series of one connection end (`conn.nodeId` + `conn.id`). */
export function tcpSeries(trace: Trace, conn: Pick<TcpConnectionInfo, 'nodeId' | 'id'>): TcpSeries {
  const s: { [K in TcpTraceField]: Step<string>[] } = { state: [], cwnd: [], ssthresh: [], srtt: [], rttvar: [], rto: [], flight: [], rwnd: [] };
  for (let r = 0; r < trace.length; r++) {
    if (trace.kind[r] !== RecordKind.State || trace.dir[r] !== Place.Node || trace.place[r] !== conn.nodeId) continue;
    const k = parseTcpStateKey(trace.string(trace.code[r]));
    if (!k || k.connection !== conn.id) continue;
    s[k.field].push({ time: trace.time[r], value: trace.string(trace.frame[r]) });
  }
  const num = (steps: Step<string>[]) => steps.map((x) => ({ time: x.time, value: x.value === 'inf' ? Infinity : Number(x.value) }));
  return {
    state: s.state,
    cwnd: num(s.cwnd),
    ssthresh: num(s.ssthresh),
    srtt: num(s.srtt),
    rttvar: num(s.rttvar),
    rto: num(s.rto),
    flight: num(s.flight),
    rwnd: num(s.rwnd),
  };
}

/** The value of a step series at `t` (the last step at or before `t`), or undefined before the first. */
export function valueAt<T>(steps: readonly Step<T>[], t: number): T | undefined {
  let lo = 0;
  let hi = steps.length - 1;
  let found: T | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (steps[mid].time <= t) {
      found = steps[mid].value;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** A segment the connection's owner sent, for the time-sequence graph. Sequence numbers are relative to its ISN. */
interface TsgSegment {
  /** Transmission start on the sender's own link, ns. */
  readonly time: number;
  readonly seq: number;
  /** Sequence space taken: data bytes, plus one for SYN and for FIN. */
  readonly length: number;
  readonly flags: number;
  /** Sent before (its range does not go beyond what was already sent). */
  readonly retransmission: boolean;
  /** Lost somewhere on the way (a drop row for its packet). */
  readonly lost: boolean;
  /** Trace row of the frame. */
  readonly row: number;
}

/** Time-sequence graph data from the sender's side (Stevens style). */
export interface TimeSequenceGraph {
  /** The sender's initial sequence number (raw), or undefined if its SYN is not in the trace. */
  readonly isn: number | undefined;
  readonly segments: TsgSegment[];
  /** Cumulative ACK from the peer, at its arrival at the sender. */
  readonly acks: Step<number>[];
  /** Right edge of the peer's receive window (ack + window), at the ACK's arrival. */
  readonly window: Step<number>[];
}

/** The link the node transmits on first (its own link), as [linkId, direction]. */
function ownLinks(trace: Trace, nodeId: number): Map<number, number> {
  const m = new Map<number, number>();
  for (const l of trace.links) {
    if (l.a === nodeId) m.set(l.id, Place.AtoB);
    else if (l.b === nodeId) m.set(l.id, Place.BtoA);
  }
  return m;
}

/** Builds the time-sequence graph of `conn` (its owner as the sender) from the frames on the owner's links. */
export function timeSequenceGraph(trace: Trace, conn: Pick<TcpConnectionInfo, 'nodeId' | 'local' | 'localPort' | 'remote' | 'remotePort'>): TimeSequenceGraph {
  const links = ownLinks(trace, conn.nodeId);
  const lostPackets = new Set<number>();
  for (let r = 0; r < trace.length; r++) if (trace.kind[r] === RecordKind.Drop && trace.packet[r] >= 0) lostPackets.add(trace.packet[r]);
  const segments: TsgSegment[] = [];
  const acks: Step<number>[] = [];
  const windowEdge: Step<number>[] = [];
  let isn: number | undefined;
  let highest = -1;
  for (let r = 0; r < trace.length; r++) {
    if (trace.kind[r] !== RecordKind.FrameTx) continue;
    const dir = links.get(trace.place[r]);
    if (dir === undefined) continue;
    const b = trace.frameBytes(trace.frame[r]);
    if (b.length < 34 || readU16(b, 12) !== ETHERTYPE_IPV4 || readIpv4Protocol(b, 14) !== IP_PROTO_TCP) continue;
    const ihl = (b[14] & 0x0f) * 4;
    const t = 14 + ihl;
    if (b.length < t + 20) continue;
    const src = formatIpv4(readIpv4Src(b, 14));
    const dst = formatIpv4(readIpv4Dst(b, 14));
    const h = readTcpHeader(b, t);
    const dataLen = readIpv4TotalLength(b, 14) - ihl - (b[t + 12] >> 4) * 4;
    const outgoing = trace.dir[r] === dir;
    if (outgoing && src === conn.local && dst === conn.remote && h.srcPort === conn.localPort && h.dstPort === conn.remotePort) {
      if (h.flags & TCP_SYN) isn = h.seq;
      if (isn === undefined) isn = h.seq;
      const seq = (h.seq - isn) >>> 0;
      const length = dataLen + (h.flags & TCP_SYN ? 1 : 0) + (h.flags & TCP_FIN ? 1 : 0);
      if (length === 0) continue; // pure ACKs are not part of the sender's sequence line
      const end = seq + length;
      segments.push({ time: trace.time[r], seq, length, flags: h.flags, retransmission: end <= highest, lost: lostPackets.has(trace.packet[r]), row: r });
      if (end > highest) highest = end;
    } else if (!outgoing && src === conn.remote && dst === conn.local && h.srcPort === conn.remotePort && h.dstPort === conn.localPort && h.flags & TCP_ACK) {
      if (isn === undefined) continue;
      const ack = (h.ack - isn) >>> 0;
      acks.push({ time: trace.arrival[r], value: ack });
      windowEdge.push({ time: trace.arrival[r], value: ack + h.window });
    }
  }
  return { isn, segments, acks, window: windowEdge };
}
