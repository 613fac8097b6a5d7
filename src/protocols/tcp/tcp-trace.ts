/**
 * The trace points TCP publishes with `host.state(key, value)`, and how to read their keys back.
 *
 * Key scheme: `tcp <local ip>:<port>><remote ip>:<port> <field>` on the node that owns the
 * connection, e.g. `tcp 10.0.0.1:40000>10.0.0.2:5001 cwnd`. Listening sockets publish
 * `tcp *:<port> state` (`LISTEN`, then `CLOSED`). Values:
 *
 * | field | value |
 * | --- | --- |
 * | `state` | RFC 9293 state name: `SYN_SENT`, `ESTABLISHED`, `TIME_WAIT`, `CLOSED`, ... |
 * | `cwnd` | congestion window, bytes |
 * | `ssthresh` | slow-start threshold, bytes, or `inf` before the first loss |
 * | `srtt` | smoothed RTT, ns (after the first sample) |
 * | `rttvar` | RTT variation, ns (after the first sample) |
 * | `rto` | retransmission timeout, ns (backoff included) |
 * | `flight` | bytes in flight: SND.NXT − SND.UNA (SYN and FIN count as one byte each) |
 * | `rwnd` | the peer's advertised receive window, bytes |
 *
 * A row is written only when the value changes.
 */

/** The fields a connection publishes. */
const TCP_TRACE_FIELDS = ['state', 'cwnd', 'ssthresh', 'srtt', 'rttvar', 'rto', 'flight', 'rwnd'] as const;
export type TcpTraceField = (typeof TCP_TRACE_FIELDS)[number];

/** `10.0.0.1:40000>10.0.0.2:5001`: a connection as seen from its local end. */
export function tcpConnectionId(local: string, localPort: number, remote: string, remotePort: number): string {
  return `${local}:${localPort}>${remote}:${remotePort}`;
}

/** The full state key for a connection field. */
export function tcpStateKey(connection: string, field: TcpTraceField): string {
  return `tcp ${connection} ${field}`;
}

const KEY_RE = /^tcp (\S+:\d+>\S+:\d+) (\w+)$/;

/** Splits a state key written by TCP into connection id and field, or undefined for other keys. */
export function parseTcpStateKey(key: string): { connection: string; field: TcpTraceField } | undefined {
  const m = KEY_RE.exec(key);
  if (!m || !(TCP_TRACE_FIELDS as readonly string[]).includes(m[2])) return undefined;
  return { connection: m[1], field: m[2] as TcpTraceField };
}

/** The endpoints of a connection id. */
export function parseTcpConnectionId(id: string): { local: string; localPort: number; remote: string; remotePort: number } | undefined {
  const m = /^([\d.]+):(\d+)>([\d.]+):(\d+)$/.exec(id);
  if (!m) return undefined;
  return { local: m[1], localPort: Number(m[2]), remote: m[3], remotePort: Number(m[4]) };
}
