/**
 * `ss -tan` / `ss -uan` (and -l, without -a only connected sockets) at a time, in iproute2's
 * columns. TCP sockets come from the state rows TCP publishes (`tcp <conn> state`, `tcp *:<port>
 * state`); Send-Q is the connection's `flight` (bytes sent and not yet acknowledged).
 *
 * Simplifications, stated: Recv-Q is always 0 (the model's programs read at once); a listener's
 * backlog shows as 128. UDP sockets are not published by the model: a UDP socket shows (UNCONN,
 * bound to 0.0.0.0) once the host has sent a datagram from its port, and stays until a crash.
 */
import { readU16, readU32 } from '../../protocols/bytes';
import { parseTcpConnectionId, parseTcpStateKey } from '../../protocols/tcp/tcp-trace';
import { RecordKind } from '../../sim/trace';
import type { HostInfo, HostStateSource } from './host-info';
import type { CommandResult } from './result';
import { forEachState, lastCrash } from './trace-scan';

const SS_USAGE = `Usage: ss [ OPTIONS ]
   -a, --all           display all sockets
   -l, --listening     display listening sockets
   -n, --numeric       don't resolve service names
   -t, --tcp           display only TCP sockets
   -u, --udp           display only UDP sockets`;

/** ss's names for TCP states. */
const SS_STATE: Readonly<Record<string, string>> = {
  LISTEN: 'LISTEN',
  SYN_SENT: 'SYN-SENT',
  SYN_RECEIVED: 'SYN-RECV',
  ESTABLISHED: 'ESTAB',
  FIN_WAIT_1: 'FIN-WAIT-1',
  FIN_WAIT_2: 'FIN-WAIT-2',
  CLOSE_WAIT: 'CLOSE-WAIT',
  CLOSING: 'CLOSING',
  LAST_ACK: 'LAST-ACK',
  TIME_WAIT: 'TIME-WAIT',
};

/** Service names `ss` and `tcpdump` print without -n (from /etc/services). */
export const SERVICE_NAMES: Readonly<Record<number, string>> = { 7: 'echo', 22: 'ssh', 53: 'domain', 80: 'http', 443: 'https', 8080: 'http-alt' };

interface Row {
  state: string;
  sendQ: string;
  local: string;
  peer: string;
}

/** `ss [-t] [-u] [-a] [-l] [-n]`. */
export function ssCommand(src: HostStateSource, info: HostInfo, t: number, argv: readonly string[]): CommandResult {
  const flags = new Set<string>();
  for (const a of argv.slice(1)) {
    const long: Record<string, string> = { '--all': 'a', '--listening': 'l', '--numeric': 'n', '--tcp': 't', '--udp': 'u' };
    if (long[a]) flags.add(long[a]);
    else if (/^-[a-z]+$/.test(a)) {
      for (const c of a.slice(1)) {
        if (!'altun'.includes(c)) return { stdout: '', stderr: `ss: invalid option -- '${c}'\n${SS_USAGE}\n`, exitCode: 255 };
        flags.add(c);
      }
    } else return { stdout: '', stderr: `ss: unexpected argument "${a}"\n${SS_USAGE}\n`, exitCode: 255 };
  }
  const tcp = flags.has('t') || !flags.has('u');
  const udp = flags.has('u');
  const listening = flags.has('l');
  const all = flags.has('a');
  const port = (p: string) => (flags.has('n') ? p : (SERVICE_NAMES[Number(p)] ?? p));
  const since = lastCrash(src.trace, info.node, t);
  const rows: Row[] = [];
  if (tcp) {
    const conns = new Map<string, { state: string; flight: string }>();
    forEachState(src.trace, info.node, t, (key, value, time) => {
      if (time < since) return;
      const listen = /^tcp \*:(\d+) state$/.exec(key);
      if (listen) {
        conns.set(`*:${listen[1]}`, { state: value, flight: '128' });
        return;
      }
      const k = parseTcpStateKey(key);
      if (!k || (k.field !== 'state' && k.field !== 'flight')) return;
      const c = conns.get(k.connection) ?? { state: 'CLOSED', flight: '0' };
      if (k.field === 'state') c.state = value;
      else c.flight = value;
      conns.set(k.connection, c);
    });
    for (const [id, c] of conns) {
      const state = SS_STATE[c.state];
      if (!state) continue;
      const isListen = state === 'LISTEN';
      if (listening ? !isListen : !all && isListen) continue;
      if (id.startsWith('*:')) {
        rows.push({ state, sendQ: c.flight, local: `0.0.0.0:${port(id.slice(2))}`, peer: '0.0.0.0:*' });
        continue;
      }
      const e = parseTcpConnectionId(id);
      if (!e) continue;
      const flight = /^\d+$/.test(c.flight) ? c.flight : '0';
      rows.push({ state, sendQ: flight, local: `${e.local}:${port(String(e.localPort))}`, peer: `${e.remote}:${port(String(e.remotePort))}` });
    }
  }
  if (udp && (all || listening)) {
    for (const p of udpPorts(src, info, t, since)) rows.push({ state: 'UNCONN', sendQ: '0', local: `0.0.0.0:${port(String(p))}`, peer: '0.0.0.0:*' });
  }
  const lw = Math.max(18, ...rows.map((r) => r.local.length));
  const pw = Math.max(17, ...rows.map((r) => r.peer.length));
  const line = (s: string, rq: string, sq: string, l: string, p: string) =>
    `${s.padEnd(10)} ${rq.padEnd(6)} ${sq.padEnd(6)} ${l.padStart(lw)} ${p.padStart(pw)}`.trimEnd();
  const out = [line('State', 'Recv-Q', 'Send-Q', 'Local Address:Port', 'Peer Address:Port') + ' Process'];
  for (const r of rows) out.push(line(r.state, '0', r.sendQ, r.local, r.peer));
  return { stdout: out.map((l) => `${l}\n`).join(''), stderr: '', exitCode: 0 };
}

/** UDP ports the host has sent from since its last crash, in order of first use. */
function udpPorts(src: HostStateSource, info: HostInfo, t: number, since: number): number[] {
  const trace = src.trace;
  const mine = new Map<number, number>();
  for (const i of info.interfaces) if (i.link >= 0) mine.set(i.link, i.end);
  const addrs = new Set(info.interfaces.map((i) => i.cidr.addr));
  const ports: number[] = [];
  for (let r = 0; r < trace.length && trace.time[r] <= t; r++) {
    if (trace.kind[r] !== RecordKind.FrameTx || trace.time[r] < since || mine.get(trace.place[r]) !== trace.dir[r]) continue;
    const b = trace.frameBytes(trace.frame[r]);
    if (b.length < 42 || readU16(b, 12) !== 0x0800 || b[23] !== 17 || !addrs.has(readU32(b, 26))) continue;
    if ((readU16(b, 20) & 0x1fff) !== 0) continue; // a later fragment has no UDP header
    const p = readU16(b, 14 + (b[14] & 0x0f) * 4);
    if (!ports.includes(p)) ports.push(p);
  }
  return ports;
}
