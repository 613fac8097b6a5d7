/**
 * udp-echo: a load client for udp-echo-server. Sends `-c` datagrams of `-s` bytes every `-i` to
 * `-p`, matches the echoes by the sequence number in the first 4 bytes, and prints ping-style
 * statistics. A line per reply is printed with `-v`, or when at most 100 datagrams are sent.
 * Loss is visible: UDP never retransmits.
 */
import { formatIpv4, parseIpv4 } from '../../protocols/addr';
import { readU32, writeU32 } from '../../protocols/bytes';
import { UdpService, type UdpSocket } from '../../protocols/udp/udp-service';
import { IP_PROTO_UDP } from '../../protocols/ipv4/ipv4';
import type { IpDevice } from '../../net/ip/ip-device';
import { parseArgs, type OptionSpec } from '../command';
import { Program } from '../program';
import { registerApp } from '../registry';
import { formatRttMs, lossLine, RttStats } from '../rtt-stats';

interface EchoClientOptions {
  dst: number;
  port: number;
  count: number;
  intervalNs: number;
  size: number;
  waitNs: number;
  verbose: boolean;
}

class UdpEcho extends Program {
  private socket: UdpSocket | null = null;
  private sent = 0;
  private received = 0;
  private startedAt = 0;
  private lastSentAt = 0;
  private sentAt: Float64Array;
  private readonly stats = new RttStats();
  private lingerTimer = 0;
  private readonly verbose: boolean;

  constructor(
    device: IpDevice,
    private readonly o: EchoClientOptions,
  ) {
    super(device);
    this.sentAt = new Float64Array(o.count).fill(-1);
    this.verbose = o.verbose || o.count <= 100;
  }

  protected main(): void {
    const udp = this.device.stack.transport<UdpService>(IP_PROTO_UDP);
    const s = udp?.bind(0, { onMessage: (m) => this.onEcho(m.data, m.from) });
    if (!s || typeof s === 'string') {
      this.print(`udp-echo: ${s ?? 'UDP not available'}`);
      this.exit();
      return;
    }
    this.socket = s;
    const d = formatIpv4(this.o.dst);
    this.print(`UDP ECHO ${d} port ${this.o.port}: ${this.o.count} datagrams of ${this.o.size} bytes`);
    this.startedAt = this.now;
    this.sendNext();
  }

  private readonly sendNext = (): void => {
    const data = new Uint8Array(this.o.size);
    if (data.length >= 4) writeU32(data, 0, this.sent);
    this.sentAt[this.sent] = this.now;
    this.lastSentAt = this.now;
    this.sent++;
    this.socket!.send(this.o.dst, this.o.port, data);
    if (this.sent < this.o.count) this.after(this.o.intervalNs, this.sendNext);
    else this.lingerTimer = this.after(this.o.waitNs, () => this.finish());
  };

  private onEcho(data: Uint8Array, from: number): void {
    if (data.length < 4) return;
    const seq = readU32(data, 0);
    if (seq >= this.sent || this.sentAt[seq] < 0) return;
    const rtt = this.now - this.sentAt[seq];
    this.sentAt[seq] = -1;
    this.received++;
    this.stats.add(rtt);
    if (this.verbose) this.print(`${data.length} bytes from ${formatIpv4(from)}: seq=${seq + 1} time=${formatRttMs(rtt)} ms`);
    if (this.sent >= this.o.count && this.received === this.sent) this.finish();
  }

  override interrupt(): void {
    this.finish();
  }

  private finish(): void {
    if (!this.alive) return;
    if (this.lingerTimer) this.cancel(this.lingerTimer);
    this.print('');
    this.print(`--- ${formatIpv4(this.o.dst)} udp-echo statistics ---`);
    this.print(lossLine(this.sent, this.received, 0, this.lastSentAt - this.startedAt));
    const rtt = this.stats.summary();
    if (rtt) this.print(rtt);
    this.exit();
  }

  protected override onExit(): void {
    this.socket?.close();
  }
}

/** udp-echo's options, as its parser reads them (also the terminal's completions). */
const UDP_ECHO_OPTIONS: OptionSpec = { p: 'int', c: 'int', i: 'seconds', s: 'int', W: 'seconds', v: 'flag' };

registerApp<EchoClientOptions>({
  name: 'udp-echo',
  options: UDP_ECHO_OPTIONS,
  summary: 'send UDP datagrams to an echo server and report loss and round-trip times',
  usage: 'udp-echo DESTINATION [-p port] [-c count] [-i interval] [-s size] [-W timeout] [-v]',
  parse(argv) {
    const r = parseArgs(argv, UDP_ECHO_OPTIONS);
    if (!r.ok) return r;
    const { positional, options } = r.args;
    if (positional.length !== 1) return { ok: false, error: positional.length ? `unexpected "${positional[1]}"` : 'missing destination' };
    const dst = parseIpv4(positional[0]);
    if (dst === undefined) return { ok: false, error: `${positional[0]}: give an IPv4 address` };
    const size = (options.s as number | undefined) ?? 64;
    if (size < 4 || size > 65507) return { ok: false, error: '-s must be 4 to 65507 bytes' };
    const count = (options.c as number | undefined) ?? 10;
    if (count < 1 || count > 10_000_000) return { ok: false, error: '-c must be 1 to 10000000' };
    return {
      ok: true,
      options: {
        dst,
        port: (options.p as number | undefined) ?? 7,
        count,
        intervalNs: (options.i as number | undefined) ?? 1e9,
        size,
        waitNs: (options.W as number | undefined) ?? 1e9,
        verbose: options.v === true,
      },
    };
  },
  create: (device, o) => new UdpEcho(device, o),
});
