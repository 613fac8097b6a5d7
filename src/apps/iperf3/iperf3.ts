/**
 * iperf3-style bulk TCP transfer. `iperf3 -s [-p 5201] [--one-off]` receives and reports; `iperf3 -c HOST
 * [-p 5201] [-t 10s | -n BYTES] [-i 1s]` sends as fast as TCP allows and reports per interval in
 * iperf3's format (Transfer, Bitrate, Retr, Cwnd), then a summary with sender and receiver lines.
 *
 * With `-t` the client stops writing at that time and its last interval ends there: it prints its
 * summary then, while what it already wrote into the socket still drains before its FIN. Cwnd is
 * Linux's `tcpi_snd_cwnd` × MSS, which is never inflated during fast recovery (Linux uses PRR,
 * RFC 6937): while this model's NewReno is inflated (RFC 5681 §3.2), the column shows ssthresh,
 * the window recovery converges to. Interrupted (Ctrl-C), it prints the summary so far and
 * `iperf3: interrupt - the client has terminated` (or server).
 *
 * Simplifications, stated: one TCP connection (no separate control connection), so the server's
 * report ends when the client's FIN arrives; the sender's per-interval Transfer counts bytes
 * acknowledged, not bytes written to the socket; the client's receiver line uses the bytes
 * acknowledged by the end, instead of asking the server.
 */
import { formatIpv4, parseIpv4 } from '../../protocols/addr';
import { IP_PROTO_TCP } from '../../protocols/ipv4/ipv4';
import type { TcpSocket } from '../../protocols/tcp/tcp-connection';
import type { TcpListener, TcpService } from '../../protocols/tcp/tcp-service';
import type { IpDevice } from '../../net/ip/ip-device';
import { parseArgs, type OptionSpec } from '../command';
import { Program } from '../program';
import { registerApp } from '../registry';
import type { CongestionControl } from '../../protocols/tcp/congestion';
import { formatTransfer, reportLine, SEPARATOR } from './format';

interface Iperf3Options {
  server: boolean;
  host: number;
  port: number;
  oneOff: boolean;
  durationNs: number;
  bytes: number;
  intervalNs: number;
}

const DASHES = '-----------------------------------------------------------';
const STREAM_ID = 5;
const CHUNK = 128 * 1024;

/**
 * The congestion window iperf3 reports (Linux's tcpi_snd_cwnd × MSS). Linux does not inflate cwnd
 * in fast recovery (PRR, RFC 6937, brings it down to ssthresh), so the RFC 5681 inflation this
 * model's NewReno applies during recovery is left out: ssthresh is shown instead.
 */
function reportedCwnd(cc: CongestionControl): number {
  return cc.inRecovery ? Math.min(cc.cwnd, cc.ssthresh) : cc.cwnd;
}

class Iperf3 extends Program {
  private listener: TcpListener | null = null;
  private socket: TcpSocket | null = null;
  private startedAt = 0;
  private intervalStart = 0;
  /** Bytes counted (acked for the client, received for the server) so far and at the interval start. */
  private total = 0;
  private intervalBase = 0;
  private retrBase = 0;
  private written = 0;
  private sending = false;
  private finished = false;
  private tests = 0;

  constructor(
    device: IpDevice,
    private readonly o: Iperf3Options,
  ) {
    super(device);
  }

  private get tcp(): TcpService | undefined {
    return this.device.stack.transport<TcpService>(IP_PROTO_TCP);
  }

  protected main(): void {
    const tcp = this.tcp;
    if (!tcp) {
      this.print('iperf3: error - TCP not available');
      this.exit();
      return;
    }
    if (this.o.server) this.listen(tcp);
    else this.connect(tcp);
  }

  // ---------------------------------------------------------------- server

  private listen(tcp: TcpService): void {
    const l = tcp.listen(this.o.port, {
      onAccept: (s) => {
        this.socket = s;
        this.listener?.close();
        this.listener = null;
        this.print(`Accepted connection from ${formatIpv4(s.remoteIp)}, port ${s.remotePort}`);
        this.print(
          `[${String(STREAM_ID).padStart(3)}] local ${formatIpv4(s.localIp)} port ${s.localPort} connected to ${formatIpv4(s.remoteIp)} port ${s.remotePort}`,
        );
        this.print('[ ID] Interval           Transfer     Bitrate');
        this.begin();
        return {
          onData: (_s, data) => {
            this.total += data.length;
          },
          onEnd: (sock) => {
            this.report(true);
            sock.close();
          },
          onClose: (_s, error) => {
            if (error && !this.finished) this.print(`iperf3: error - ${error}`);
            if (!this.finished) this.report(true);
            this.socket = null;
            if (this.o.oneOff) this.exit();
            else this.listen(tcp);
          },
        };
      },
    });
    if (typeof l === 'string') {
      this.print(`iperf3: error - unable to start listener for connections: ${l}`);
      this.exit();
      return;
    }
    this.listener = l;
    this.tests++;
    this.finished = false;
    this.total = 0;
    this.print(DASHES);
    this.print(`Server listening on ${this.o.port} (test #${this.tests})`);
    this.print(DASHES);
  }

  // ---------------------------------------------------------------- client

  private connect(tcp: TcpService): void {
    this.print(`Connecting to host ${formatIpv4(this.o.host)}, port ${this.o.port}`);
    const s = tcp.connect(this.o.host, this.o.port, {
      onConnect: (sock) => {
        this.print(
          `[${String(STREAM_ID).padStart(3)}] local ${formatIpv4(sock.localIp)} port ${sock.localPort} connected to ${formatIpv4(sock.remoteIp)} port ${sock.remotePort}`,
        );
        this.print('[ ID] Interval           Transfer     Bitrate         Retr  Cwnd');
        this.begin();
        this.sending = true;
        if (this.o.bytes === 0) this.after(this.o.durationNs, () => this.timeUp());
        this.fill();
      },
      onDrain: () => {
        this.countAcked();
        this.fill();
      },
      onEnd: (sock) => sock.close(),
      onClose: (_s, error) => {
        if (error) {
          this.print(`iperf3: error - ${this.startedAt ? error : `unable to connect to server: ${error}`}`);
          if (this.startedAt && !this.finished) this.report(true);
          this.exit();
          return;
        }
        this.countAcked();
        if (!this.finished) this.report(true);
        this.exit();
      },
    });
    if (typeof s === 'string') {
      this.print(`iperf3: error - unable to connect to server: ${s}`);
      this.exit();
      return;
    }
    this.socket = s;
  }

  /** Bytes the server has acknowledged (data only: SYN and FIN excluded). */
  private countAcked(): void {
    const s = this.socket;
    if (!s) return;
    this.total = Math.min(this.written, Math.max(0, s.una - 1));
  }

  /** Keeps the send buffer topped up while sending. */
  private fill(): void {
    const s = this.socket;
    if (!s || !this.sending) return;
    const cap = this.device.stack.transport<TcpService>(IP_PROTO_TCP)!.config.sendBuffer;
    while (s.bufferedAmount < cap) {
      let n = CHUNK;
      if (this.o.bytes > 0) n = Math.min(n, this.o.bytes - this.written);
      if (n <= 0) break;
      if (!s.send(new Uint8Array(n))) break;
      this.written += n;
    }
    if (this.o.bytes > 0 && this.written >= this.o.bytes) this.stopSending();
  }

  private stopSending(): void {
    if (!this.sending) return;
    this.sending = false;
    this.socket?.close();
  }

  /**
   * `-t` is over: iperf3 stops writing and ends the test now, so its last interval ends here, and
   * exits. The socket is closed normally: what was written still drains, then FIN.
   */
  private timeUp(): void {
    this.countAcked();
    this.report(true);
    this.stopSending();
    this.exit();
  }

  // ---------------------------------------------------------------- reports

  private begin(): void {
    this.startedAt = this.now;
    this.intervalStart = this.now;
    this.intervalBase = 0;
    this.retrBase = 0;
    this.after(this.o.intervalNs, this.tick);
  }

  private readonly tick = (): void => {
    if (this.finished) return;
    this.intervalLine();
    this.after(this.o.intervalNs, this.tick);
  };

  private intervalLine(): void {
    if (!this.o.server) this.countAcked();
    const from = this.intervalStart - this.startedAt;
    const to = this.now - this.startedAt;
    if (to <= from) return;
    let extra = '';
    const s = this.socket;
    if (!this.o.server && s) {
      const retr = s.stats.retransmits - this.retrBase;
      this.retrBase = s.stats.retransmits;
      extra = `  ${String(retr).padStart(3)}   ${formatTransfer(reportedCwnd(s.cc)).padStart(11)}`;
    }
    this.print(reportLine(STREAM_ID, from, to, this.total - this.intervalBase, extra));
    this.intervalBase = this.total;
    this.intervalStart = this.now;
  }

  private report(final: boolean, interrupted = false): void {
    if (this.finished || !this.startedAt) return;
    this.finished = true;
    if (final && this.now > this.intervalStart) this.intervalLine();
    const to = this.now - this.startedAt;
    this.print(SEPARATOR);
    if (this.o.server) {
      this.print('[ ID] Interval           Transfer     Bitrate');
      this.print(reportLine(STREAM_ID, 0, to, this.total, '                  receiver'));
    } else {
      const retr = this.socket?.stats.retransmits ?? 0;
      this.print('[ ID] Interval           Transfer     Bitrate         Retr');
      this.print(reportLine(STREAM_ID, 0, to, this.total, `  ${String(retr).padStart(3)}             sender`));
      // Interrupted, the client never got the server's results: its receiver line is empty.
      this.print(reportLine(STREAM_ID, 0, to, interrupted ? 0 : this.total, '                  receiver'));
      if (!interrupted) {
        this.print('');
        this.print('iperf Done.');
      }
    }
  }

  /** Ctrl-C: the summary so far, then iperf3's interrupt message. */
  override interrupt(): void {
    if (this.startedAt && !this.finished) {
      if (!this.o.server) this.countAcked();
      this.report(true, true);
    }
    this.print(`iperf3: interrupt - the ${this.o.server ? 'server' : 'client'} has terminated`);
    this.exit();
  }

  protected override onExit(): void {
    this.listener?.close();
    // A socket the program already closed finishes its close in the kernel; an open one is reset.
    const s = this.socket;
    if (s && (s.state === 'ESTABLISHED' || s.state === 'CLOSE_WAIT' || s.state === 'SYN_SENT' || s.state === 'SYN_RECEIVED')) s.abort();
  }
}

/** iperf3's options, as its parser reads them (also the terminal's completions). */
const IPERF3_OPTIONS: OptionSpec = { s: 'flag', c: 'string', p: 'int', t: 'seconds', n: 'string', i: 'seconds', 'one-off': 'flag' };

registerApp<Iperf3Options>({
  name: 'iperf3',
  options: IPERF3_OPTIONS,
  summary: 'measure TCP throughput between two hosts',
  usage: 'iperf3 -s [-p PORT] [--one-off] | iperf3 -c HOST [-p PORT] [-t TIME | -n BYTES] [-i INTERVAL]',
  parse(argv) {
    const r = parseArgs(argv, IPERF3_OPTIONS);
    if (!r.ok) return r;
    const { positional, options } = r.args;
    if (positional.length) return { ok: false, error: `unexpected "${positional[0]}"` };
    const server = options.s === true;
    if (server === (options.c !== undefined)) return { ok: false, error: 'give -s (server) or -c HOST (client)' };
    const port = (options.p as number | undefined) ?? 5201;
    if (port < 1 || port > 65535) return { ok: false, error: '-p must be 1 to 65535' };
    const intervalNs = (options.i as number | undefined) ?? 1e9;
    if (intervalNs <= 0) return { ok: false, error: '-i must be more than 0' };
    let host = 0;
    let bytes = 0;
    if (!server) {
      const h = parseIpv4(options.c as string);
      if (h === undefined) return { ok: false, error: `-c ${String(options.c)}: give an IPv4 address` };
      host = h;
      if (options.n !== undefined) {
        const m = /^(\d+(?:\.\d+)?)([KMG]?)$/i.exec(options.n as string);
        if (!m) return { ok: false, error: `-n "${String(options.n)}" is not a byte count (like 1M or 500K)` };
        bytes = Math.round(Number(m[1]) * { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2].toUpperCase() as '' | 'K' | 'M' | 'G']);
        if (bytes < 1) return { ok: false, error: '-n must be at least 1 byte' };
      }
    }
    const durationNs = (options.t as number | undefined) ?? 10e9;
    return { ok: true, options: { server, host, port, oneOff: options['one-off'] === true, durationNs, bytes, intervalNs } };
  },
  create: (device, o) => new Iperf3(device, o),
});
