/**
 * tracepath, like Linux iputils tracepath: finds the hops to a destination and the path MTU along
 * the way. UDP probes with DF set go to port 44444 and up (one port per probe) with TTL 1, 2, 3 ...;
 * the first, of `-l` bytes (65535), is refused by the host itself with the interface MTU
 * (`1?: [LOCALHOST] pmtu 1500`); a router whose next link is smaller answers "fragmentation needed"
 * (`2:  10.0.1.1  0.6ms pmtu 1400`) and the same TTL is probed again at the new size; a router
 * whose TTL ran out shows as the hop; the destination's Port Unreachable ends it with
 * `Resume: pmtu 1400 hops 3 back 3` (back: hops of the way back, from the reply's TTL).
 *
 * Simplifications, stated: the host's own path-MTU cache applies to the probes (Linux's
 * IP_PMTUDISC_PROBE ignores it), so a path already learned shows on the `1?:` line; a probe waits
 * 1 s for an answer, three probes per hop before `no reply`; each hop is printed once (Linux often
 * prints the first hop twice); `asymm N` is shown when the return hops differ from the TTL; no
 * name resolution (as `-n`); the RTT comes from the simulator's clock, not the probe's timestamp.
 */
import { formatIpv4, parseIpv4 } from '../../protocols/addr';
import { IP_PROTO_UDP } from '../../protocols/ipv4/ipv4';
import type { IcmpErrorReport } from '../../protocols/transport';
import { UdpService, type UdpSocket } from '../../protocols/udp/udp-service';
import type { IpDevice } from '../../net/ip/ip-device';
import { parseArgs, type OptionSpec } from '../command';
import { Program } from '../program';
import { registerApp } from '../registry';

/** tracepath's default first destination port (-p). */
const BASE_PORT = 44444;
/** IP + UDP headers: a probe of `mtu` bytes carries mtu − 28 bytes of data. */
const OVERHEAD = 28;
/** Width of the address column (iputils HOST_COLUMN_SIZE). */
const HOST_COLUMN = 52;
const PROBE_WAIT_NS = 1e9;
const PROBES_PER_HOP = 3;

interface TracepathOptions {
  dst: number;
  maxHops: number;
  /** Initial packet length (-l), bytes. */
  length: number;
  port: number;
}

class Tracepath extends Program {
  private socket: UdpSocket | null = null;
  private mtu: number;
  private ttl = 1;
  private attempt = 0;
  private probeSeq = 0;
  private port = 0;
  private sentAt = 0;
  private timer = 0;
  private hopsTo = -1;
  private hopsFrom = -1;

  constructor(
    device: IpDevice,
    private readonly o: TracepathOptions,
  ) {
    super(device);
    this.mtu = o.length;
  }

  protected main(): void {
    const udp = this.device.stack.transport<UdpService>(IP_PROTO_UDP);
    const s = udp?.bind(0, { onMessage: () => {}, onError: (e) => this.after(0, () => this.onIcmp(e)) });
    if (!s || typeof s === 'string') {
      this.print(`tracepath: ${s ?? 'UDP not available'}`);
      this.exit();
      return;
    }
    this.socket = s;
    this.probe();
  }

  private probe(): void {
    this.port = this.o.port + this.probeSeq++;
    this.sentAt = this.now;
    const data = new Uint8Array(Math.max(0, this.mtu - OVERHEAD));
    // An error found locally (too big for the interface) comes back through onError at once.
    if (!this.socket!.send(this.o.dst, this.port, data, { ttl: this.ttl, dontFragment: true })) {
      this.print('tracepath: sendto: Network is unreachable');
      this.exit();
      return;
    }
    this.timer = this.after(PROBE_WAIT_NS, this.onTimeout);
  }

  private readonly onTimeout = (): void => {
    this.timer = 0;
    this.attempt++;
    if (this.attempt < PROBES_PER_HOP) {
      this.probe();
      return;
    }
    this.print(`${pad2(this.ttl)}:  no reply`);
    this.nextHop();
  };

  private onIcmp(e: IcmpErrorReport): void {
    const q = e.original.payload8;
    if (q.length < 4 || ((q[2] << 8) | q[3]) !== this.port || this.timer === 0) return; // a late answer
    this.cancel(this.timer);
    this.timer = 0;
    const local = e.ttl === undefined;
    let line: string;
    if (local) {
      line = `${pad2(this.ttl)}?: ${'[LOCALHOST]'.padEnd(32)} `;
    } else {
      const host = formatIpv4(e.from);
      const us = Math.floor((this.now - this.sentAt) / 1000);
      line = `${pad2(this.ttl)}:  ${host}${' '.repeat(Math.max(1, HOST_COLUMN - host.length))}${String(Math.floor(us / 1000)).padStart(3)}.${String(us % 1000).padStart(3, '0')}ms `;
    }
    const rethops = e.ttl === undefined ? -1 : e.ttl <= 64 ? 65 - e.ttl : e.ttl <= 128 ? 129 - e.ttl : 256 - e.ttl;
    if (e.type === 3 && e.code === 4) {
      this.print(`${line}pmtu ${e.mtu}`);
      this.mtu = e.mtu;
      this.attempt = 0; // the same TTL again, at the new size
      this.probe();
      return;
    }
    if (e.type === 3 && e.code === 3) {
      this.print(`${line}reached`);
      this.hopsTo = this.ttl;
      this.hopsFrom = rethops;
      this.done();
      return;
    }
    if (e.type === 11 && e.code === 0) {
      this.print(`${line}${rethops >= 0 && rethops !== this.ttl ? `asymm ${pad2(rethops)} ` : ''}`.trimEnd());
      this.nextHop();
      return;
    }
    this.print(`${line}${e.type === 3 && e.code === 2 ? '!P' : '!H'}`);
    this.done();
  }

  private nextHop(): void {
    if (this.ttl >= this.o.maxHops) {
      this.print(`     Too many hops: pmtu ${this.mtu}`);
      this.done();
      return;
    }
    this.ttl++;
    this.attempt = 0;
    this.probe();
  }

  private done(): void {
    let line = `     Resume: pmtu ${this.mtu}`;
    if (this.hopsTo >= 0) line += ` hops ${this.hopsTo}`;
    if (this.hopsFrom >= 0) line += ` back ${this.hopsFrom}`;
    this.print(line);
    this.exit();
  }

  protected override onExit(): void {
    this.socket?.close();
  }
}

function pad2(n: number): string {
  return String(n).padStart(2);
}

/** tracepath's options, as its parser reads them (also the terminal's completions). */
const TRACEPATH_OPTIONS: OptionSpec = { n: 'flag', m: 'int', l: 'int', p: 'int' };

registerApp<TracepathOptions>({
  name: 'tracepath',
  options: TRACEPATH_OPTIONS,
  summary: 'trace the path to a host, discovering its MTU',
  usage: 'tracepath [-n] [-m max_hops] [-l pktlen] [-p port] DESTINATION',
  parse(argv) {
    const r = parseArgs(argv, TRACEPATH_OPTIONS);
    if (!r.ok) return r;
    const { positional, options } = r.args;
    if (positional.length !== 1) return { ok: false, error: positional.length ? `unexpected "${positional[1]}"` : 'missing destination' };
    const dst = parseIpv4(positional[0]);
    if (dst === undefined) return { ok: false, error: `${positional[0]}: Name or service not known (give an IPv4 address)` };
    const maxHops = (options.m as number | undefined) ?? 30;
    const length = (options.l as number | undefined) ?? 65535;
    const port = (options.p as number | undefined) ?? BASE_PORT;
    if (maxHops < 1 || maxHops > 255) return { ok: false, error: '-m must be 1 to 255' };
    if (length <= OVERHEAD || length > 65535) return { ok: false, error: `pktlen must be within: ${OVERHEAD + 1} < value <= 65535` };
    if (port < 1 || port > 0xffff) return { ok: false, error: '-p must be 1 to 65535' };
    return { ok: true, options: { dst, maxHops, length, port } };
  },
  create: (device, o) => new Tracepath(device, o),
});
