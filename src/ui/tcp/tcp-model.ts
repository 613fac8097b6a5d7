/** Pure helpers of the TCP panel: which connections to offer, the frame's 4-tuple, value formatting. */
import { formatIpv4 } from '../../protocols/addr';
import { readU16 } from '../../protocols/bytes';
import { ETHERTYPE_IPV4 } from '../../protocols/ethernet/ethernet';
import { IP_PROTO_TCP, readIpv4Dst, readIpv4Protocol, readIpv4Src } from '../../protocols/ipv4/ipv4';
import { RecordKind, type Trace } from '../../sim/trace';
import type { TcpConnectionInfo } from '../../timeline/tcp/tcp-connections';
import { traceHasStateKey } from '../../timeline/state-keys';

/** Whether the trace has any TCP connection state (cheap: one string look-up per distinct key). */
export function traceHasTcp(trace: Trace): boolean {
  return traceHasStateKey(trace, (key) => key.startsWith('tcp ') && key.includes('>'));
}

/** The TCP 4-tuple of a frame row, or undefined if it is not TCP over IPv4. */
export function tcpTupleOfRow(trace: Trace, row: number): { src: string; sport: number; dst: string; dport: number } | undefined {
  if (row < 0 || row >= trace.length) return undefined;
  const k = trace.kind[row];
  if ((k !== RecordKind.FrameTx && k !== RecordKind.Drop) || trace.frame[row] < 0) return undefined;
  const b = trace.frameBytes(trace.frame[row]);
  if (b.length < 34 || readU16(b, 12) !== ETHERTYPE_IPV4 || readIpv4Protocol(b, 14) !== IP_PROTO_TCP) return undefined;
  const t = 14 + (b[14] & 0x0f) * 4;
  if (b.length < t + 4) return undefined;
  return { src: formatIpv4(readIpv4Src(b, 14)), sport: readU16(b, t), dst: formatIpv4(readIpv4Dst(b, 14)), dport: readU16(b, t + 2) };
}

/** Stable key of a connection end. */
export function connKey(c: Pick<TcpConnectionInfo, 'nodeId' | 'id'>): string {
  return `${c.nodeId} ${c.id}`;
}

/**
 * The connection end to graph for a selected frame: the end that sent it, unless that end sends no
 * data (a receiver's pure ACK), then its peer (the data sender the ACK answers).
 */
export function connForTuple(
  conns: readonly TcpConnectionInfo[],
  tuple: { src: string; sport: number; dst: string; dport: number },
  sendsData: (c: TcpConnectionInfo) => boolean,
): TcpConnectionInfo | undefined {
  const sender = conns.find((c) => c.local === tuple.src && c.localPort === tuple.sport && c.remote === tuple.dst && c.remotePort === tuple.dport);
  const peer = conns.find((c) => c.local === tuple.dst && c.localPort === tuple.dport && c.remote === tuple.src && c.remotePort === tuple.sport);
  if (sender && sendsData(sender)) return sender;
  if (peer && sendsData(peer)) return peer;
  return sender ?? peer;
}

/** `4,380 B`, or `∞`. */
export function formatBytes(v: number | undefined): string {
  if (v === undefined) return '—';
  if (!Number.isFinite(v)) return '∞';
  return `${Math.round(v).toLocaleString('en-US')} B`;
}

/** ns as `12.34 ms`. */
export function formatMs(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '—';
  const ms = v / 1e6;
  return `${ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2)} ms`;
}

/** A 1-2-5 step at least `x`. */
function niceStep(x: number): number {
  if (!(x > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(x)));
  for (const m of [1, 2, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

/** Tick values from `lo` to `hi`, about `count` of them. */
export function ticks(lo: number, hi: number, count: number): number[] {
  const step = niceStep((hi - lo) / Math.max(1, count));
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(v);
  return out;
}
