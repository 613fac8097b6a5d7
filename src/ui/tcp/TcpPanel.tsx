/**
 * The TCP panel: pick a connection (or select one of its frames anywhere), read its variables at the
 * playhead (state, cwnd, ssthresh, SRTT, RTO, bytes in flight), and see its time-sequence graph
 * (Stevens / tcptrace style) with the congestion window below it. The playhead line moves
 * imperatively: playing never re-renders React here; the table re-renders only when a value changes.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { playbackStore, selectionStore, useStore } from '../../store';
import type { TimelineIndex } from '../../timeline';
import {
  listTcpConnections,
  tcpSeries,
  timeSequenceGraph,
  valueAt,
  type TcpConnectionInfo,
  type TcpSeries,
  type TimeSequenceGraph,
} from '../../timeline/tcp/tcp-connections';
import { formatTime } from '../format';
import type { PanelProps } from '../panels';
import { connForTuple, connKey, formatBytes, formatMs, tcpTupleOfRow } from './tcp-model';
import { TimeSequenceChart } from './TimeSequenceChart';

interface ConnData {
  readonly conn: TcpConnectionInfo;
  readonly tsg: TimeSequenceGraph;
  readonly series: TcpSeries;
  /** Sequence space sent beyond SYN and FIN: the end sends data. */
  readonly dataBytes: number;
}

/** Per trace: connection ends and their (lazily built) graph data. */
function useConnections(index: TimelineIndex) {
  return useMemo(() => {
    const trace = index.trace;
    const conns = listTcpConnections(trace);
    const cache = new Map<string, ConnData>();
    const data = (conn: TcpConnectionInfo): ConnData => {
      const k = connKey(conn);
      let d = cache.get(k);
      if (!d) {
        const tsg = timeSequenceGraph(trace, conn);
        let dataBytes = 0;
        for (const s of tsg.segments) if (!s.retransmission) dataBytes += s.length;
        d = { conn, tsg, series: tcpSeries(trace, conn), dataBytes: Math.max(0, dataBytes - 2) };
        cache.set(k, d);
      }
      return d;
    };
    return { conns, data };
  }, [index]);
}

export function TcpPanel({ index }: PanelProps) {
  const { conns, data } = useConnections(index);
  const [picked, setPicked] = useState<string | null>(null);
  const fallback = useMemo(() => conns.find((c) => data(c).dataBytes > 0) ?? conns[0], [conns, data]);
  const conn = conns.find((c) => connKey(c) === picked) ?? fallback;

  // Selecting a TCP frame anywhere (3D, event list, ladder) shows its connection.
  useEffect(() => {
    const pick = (row: number) => {
      const tuple = tcpTupleOfRow(index.trace, row);
      if (!tuple) return;
      const c = connForTuple(conns, tuple, (x) => data(x).dataBytes > 0);
      if (c) setPicked(connKey(c));
    };
    return selectionStore.subscribe((s, prev) => {
      if (s.row !== prev.row && s.row >= 0) pick(s.row);
    });
  }, [index, conns, data]);

  if (!conn) return <div className="empty big">No TCP connection in this scene.</div>;
  const d = data(conn);
  return (
    <div className="tcp-panel" data-testid="tcp-panel">
      <div className="tcp-side">
        <label className="tcp-pick">
          <span>Connection</span>
          <select data-testid="tcp-connection" value={connKey(conn)} onChange={(e) => setPicked(e.target.value)}>
            {conns.map((c) => (
              <option key={connKey(c)} value={connKey(c)}>
                {c.node}: {c.local}:{c.localPort} → {c.remote}:{c.remotePort}
                {data(c).dataBytes > 0 ? '' : ' (receives)'}
              </option>
            ))}
          </select>
        </label>
        <TcpStats series={d.series} />
        <p className="tcp-hint">Click a segment to select that frame; click elsewhere in the graph to move the playhead.</p>
      </div>
      <TimeSequenceChart key={connKey(conn)} index={index} tsg={d.tsg} series={d.series} title={`${conn.node} sending to ${conn.remote}:${conn.remotePort}`} />
    </div>
  );
}

const ROWS: { key: keyof TcpSeries; label: string; help: string; fmt: (v: never) => string }[] = [
  { key: 'state', label: 'State', help: 'RFC 9293 connection state', fmt: (v: string | undefined) => v ?? '—' },
  { key: 'cwnd', label: 'cwnd', help: 'Congestion window: how much the sender allows itself in flight', fmt: formatBytes },
  { key: 'ssthresh', label: 'ssthresh', help: 'Slow-start threshold (∞ until the first loss)', fmt: formatBytes },
  { key: 'flight', label: 'In flight', help: 'Bytes sent and not yet acknowledged (SND.NXT − SND.UNA)', fmt: formatBytes },
  { key: 'rwnd', label: 'rwnd', help: "The peer's advertised receive window", fmt: formatBytes },
  { key: 'srtt', label: 'SRTT', help: 'Smoothed round-trip time (RFC 6298)', fmt: formatMs },
  { key: 'rttvar', label: 'RTTVAR', help: 'Round-trip time variation', fmt: formatMs },
  { key: 'rto', label: 'RTO', help: 'Retransmission timeout, backoff included', fmt: formatMs },
];

/** The connection's variables at the playhead. Re-renders only when one of them changes. */
function TcpStats({ series }: { series: TcpSeries }) {
  const text = useStore(playbackStore, (s) =>
    ROWS.map((r) => (r.fmt as (v: unknown) => string)(valueAt(series[r.key] as { time: number; value: unknown }[], s.time))).join('\u0000'),
  );
  const values = text.split('\u0000');
  return (
    <table className="tcp-stats" data-testid="tcp-stats">
      <tbody>
        {ROWS.map((r, i) => (
          <tr key={r.key} title={r.help} data-field={r.key}>
            <th>{r.label}</th>
            <td>{values[i]}</td>
          </tr>
        ))}
        <tr>
          <th>at</th>
          <td className="muted">
            <PlayheadText />
          </td>
        </tr>
      </tbody>
    </table>
  );
}

/** The playhead time, written into the DOM directly. */
function PlayheadText() {
  const el = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    const put = (t: number) => {
      if (el.current) el.current.textContent = formatTime(t);
    };
    put(playbackStore.getState().time);
    return playbackStore.subscribe((s, p) => {
      if (s.time !== p.time) put(s.time);
    });
  }, []);
  return <span ref={el} />;
}
