/**
 * ping, like Linux iputils ping: ICMP echo requests every `-i` (default 1 s), `-c` of them (default
 * until interrupted), `-s` data bytes (default 56), `-t` TTL, `-W` seconds to wait for the last
 * reply (default 10), `-M do|want|dont` path-MTU discovery. Prints a line per reply or error and
 * the statistics at the end.
 *
 * `-M`: iputils leaves the socket at the kernel default, IP_PMTUDISC_WANT (`want`): DF is set while
 * the packet fits the path MTU the host knows, and a bigger one is fragmented by the host without
 * DF. `do` always sets DF and a packet over the known path MTU is refused locally ("local error:
 * message too long, mtu=1400"), counted as an error; `dont` never sets DF.
 *
 * Simplification, stated: the data is a byte pattern with no embedded timestamp; the RTT comes
 * from the simulator's clock. `-M probe` is not offered.
 */
import { formatIpv4, parseIpv4 } from '../../protocols/addr';
import type { IcmpErrorReport } from '../../protocols/transport';
import { IcmpService, type EchoReply } from '../../protocols/icmp/icmp-service';
import { icmpCodeName, icmpTypeName } from '../../protocols/icmp/icmp';
import { IP_PROTO_ICMP } from '../../protocols/ipv4/ipv4';
import type { IpDevice } from '../../net/ip/ip-device';
import { parseArgs, type OptionSpec } from '../command';
import { Program } from '../program';
import { registerApp } from '../registry';
import { formatRttMs, lossLine, RttStats } from '../rtt-stats';

interface PingOptions {
  dst: number;
  count: number;
  intervalNs: number;
  size: number;
  ttl?: number;
  waitNs: number;
  /** `-M`: path-MTU discovery mode (default `want`). */
  pmtudisc: PmtuDisc;
  /** `-q`: only the first line and the summary. */
  quiet?: boolean;
}

/** ping's `-M` modes (IP_PMTUDISC_DO, _WANT, _DONT). */
type PmtuDisc = 'do' | 'want' | 'dont';

const DF_MODE: Record<PmtuDisc, boolean | 'want'> = { do: true, want: 'want', dont: false };

class Ping extends Program {
  private identifier = 0;
  private sent = 0;
  private received = 0;
  private errors = 0;
  private startedAt = 0;
  private lastSentAt = 0;
  private readonly sentAt = new Map<number, number>();
  private readonly stats = new RttStats();
  private lingerTimer = 0;

  constructor(
    device: IpDevice,
    private readonly o: PingOptions,
  ) {
    super(device);
  }

  private get icmp(): IcmpService | undefined {
    return this.device.stack.transport<IcmpService>(IP_PROTO_ICMP);
  }

  protected main(): void {
    const icmp = this.icmp;
    if (!icmp) {
      this.print('ping: socket: Protocol not supported');
      this.exit();
      return;
    }
    this.identifier = this.device.stack.rng('ping:id').int(0x10000);
    icmp.listen(this.identifier, { onReply: (r) => this.onReply(r), onError: (e, seq) => this.onError(e, seq) });
    const dst = formatIpv4(this.o.dst);
    this.print(`PING ${dst} (${dst}) ${this.o.size}(${this.o.size + 28}) bytes of data.`);
    this.startedAt = this.now;
    this.sendNext();
  }

  private sendNext = (): void => {
    const seq = this.sent + 1;
    const data = new Uint8Array(this.o.size);
    for (let i = 0; i < data.length; i++) data[i] = (i + 8) & 0xff;
    this.sentAt.set(seq & 0xffff, this.now);
    this.lastSentAt = this.now;
    if (!this.icmp!.sendEcho(this.o.dst, this.identifier, seq & 0xffff, data, this.o.ttl, DF_MODE[this.o.pmtudisc])) {
      // Like Linux: no route means the socket cannot even send; say so once and stop.
      this.sentAt.delete(seq & 0xffff);
      this.print('ping: connect: Network is unreachable');
      this.exit();
      return;
    }
    this.sent++;
    if (this.o.count === 0 || this.sent < this.o.count) this.after(this.o.intervalNs, this.sendNext);
    else {
      this.lingerTimer = this.after(this.o.waitNs, () => this.finish());
      this.maybeDone(); // the last one may have failed locally already
    }
  };

  private onReply(r: EchoReply): void {
    const t0 = this.sentAt.get(r.sequence);
    if (t0 === undefined) return;
    this.sentAt.delete(r.sequence);
    const rtt = this.now - t0;
    this.received++;
    this.stats.add(rtt);
    if (!this.o.quiet) this.print(`${r.bytes} bytes from ${formatIpv4(r.from)}: icmp_seq=${r.sequence} ttl=${r.ttl} time=${formatRttMs(rtt)} ms`);
    this.maybeDone();
  }

  private onError(e: IcmpErrorReport, seq: number): void {
    if (!this.sentAt.delete(seq)) return;
    this.errors++;
    if (e.code === 4 && e.type === 3 && this.device.stack.addresses.includes(e.from)) {
      // Refused by this host (EMSGSIZE): iputils reads it from the socket's error queue.
      this.print(`ping: local error: message too long, mtu=${e.mtu}`);
      this.maybeDone();
      return;
    }
    const what = e.type === 11 ? 'Time to live exceeded' : describeUnreachable(e);
    if (!this.o.quiet) this.print(`From ${formatIpv4(e.from)} icmp_seq=${seq} ${what}`);
    this.maybeDone();
  }

  private maybeDone(): void {
    if (this.o.count > 0 && this.sent >= this.o.count && this.sentAt.size === 0) this.finish();
  }

  /** Ctrl-C: print the statistics and stop. */
  override interrupt(): void {
    this.finish();
  }

  private finish(): void {
    if (!this.alive) return;
    if (this.lingerTimer) this.cancel(this.lingerTimer);
    const dst = formatIpv4(this.o.dst);
    this.print('');
    this.print(`--- ${dst} ping statistics ---`);
    this.print(lossLine(this.sent, this.received, this.errors, this.lastSentAt - this.startedAt));
    const rtt = this.stats.summary();
    if (rtt) this.print(rtt);
    this.exit();
  }

  protected override onExit(): void {
    this.icmp?.unlisten(this.identifier);
  }
}

function describeUnreachable(e: IcmpErrorReport): string {
  switch (e.code) {
    case 0:
      return 'Destination Net Unreachable';
    case 1:
      return 'Destination Host Unreachable';
    case 2:
      return 'Destination Protocol Unreachable';
    case 3:
      return 'Destination Port Unreachable';
    case 4:
      return `Frag needed and DF set (mtu = ${e.mtu})`;
    default:
      return `${icmpTypeName(e.type)} (${icmpCodeName(e.type, e.code) ?? `code ${e.code}`})`;
  }
}

/** iputils ping options the model does not reproduce. */
const PING_UNMODELLED: OptionSpec = {
  f: 'unmodelled',
  I: 'unmodelled',
  w: 'unmodelled',
  D: 'unmodelled',
  a: 'unmodelled',
  b: 'unmodelled',
  p: 'unmodelled',
  R: 'unmodelled',
  O: 'unmodelled',
  Q: 'unmodelled',
  l: 'unmodelled',
  '6': 'unmodelled',
  v: 'unmodelled',
};

/** ping's options, as its parser reads them (also the terminal's completions). */
const PING_OPTIONS: OptionSpec = {
  ...PING_UNMODELLED,
  c: 'int',
  i: 'seconds',
  s: 'int',
  t: 'int',
  W: 'seconds',
  M: 'string',
  q: 'flag',
  n: 'flag',
  '4': 'flag',
};

registerApp<PingOptions>({
  name: 'ping',
  options: PING_OPTIONS,
  summary: 'send ICMP echo requests and report replies and round-trip times',
  usage: 'ping DESTINATION [-c count] [-i interval] [-s size] [-t ttl] [-W timeout] [-M do|want|dont]',
  parse(argv) {
    // -n (no name lookups) is what the model always does: it prints addresses, never names.
    const r = parseArgs(argv, PING_OPTIONS);
    if (!r.ok) return r;
    const { positional, options } = r.args;
    if (positional.length !== 1) return { ok: false, error: positional.length ? `unexpected "${positional[1]}"` : 'missing destination' };
    const dst = parseIpv4(positional[0]);
    if (dst === undefined) return { ok: false, error: `${positional[0]}: Name or service not known (give an IPv4 address)` };
    const size = (options.s as number | undefined) ?? 56;
    if (size > 65507) return { ok: false, error: `-s ${size}: packet size too large (at most 65507)` };
    const ttl = options.t as number | undefined;
    if (ttl !== undefined && (ttl < 1 || ttl > 255)) return { ok: false, error: `-t ${ttl}: ttl out of range (1-255)` };
    const intervalNs = (options.i as number | undefined) ?? 1e9;
    if (intervalNs <= 0) return { ok: false, error: '-i must be greater than 0' };
    const pmtudisc = (options.M as string | undefined) ?? 'want';
    if (pmtudisc !== 'do' && pmtudisc !== 'want' && pmtudisc !== 'dont') {
      return { ok: false, error: `invalid -M argument: ${pmtudisc} (do, want or dont)` };
    }
    return {
      ok: true,
      options: {
        dst,
        count: (options.c as number | undefined) ?? 0,
        intervalNs,
        size,
        ttl,
        waitNs: (options.W as number | undefined) ?? 10e9,
        pmtudisc,
        quiet: options.q === true,
      },
    };
  },
  create: (device, o) => new Ping(device, o),
});
