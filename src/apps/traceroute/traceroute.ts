/**
 * traceroute, like Linux traceroute's default UDP method: probes of 60 bytes to port 33434 and up,
 * `-q` (3) per hop with TTL 1, 2, 3 ..., `-m` (30) hops at most. A router that drops a probe for
 * TTL answers ICMP Time Exceeded and shows up as that hop; the destination answers Port
 * Unreachable, which ends the trace. A probe with no answer in `-w` (5 s) prints `*`.
 *
 * Simplification, stated: probes go one at a time (Linux sends up to 16 at once with -N); hops
 * are always shown as addresses (as with -n); the ICMP, TCP and UDP-to-port-53 methods (-I, -T,
 * -U) and the other options of the real traceroute are refused by name, as not modelled.
 */
import { formatIpv4, parseIpv4 } from '../../protocols/addr';
import type { IcmpErrorReport } from '../../protocols/transport';
import { UdpService, type UdpSocket } from '../../protocols/udp/udp-service';
import { IP_PROTO_UDP } from '../../protocols/ipv4/ipv4';
import type { IpDevice } from '../../net/ip/ip-device';
import { parseArgs, type OptionSpec } from '../command';
import { Program } from '../program';
import { registerApp } from '../registry';

const BASE_PORT = 33434;
const PROBE_DATA_BYTES = 32; // 20 IP + 8 UDP + 32 = 60-byte packets

interface TracerouteOptions {
  dst: number;
  maxHops: number;
  queries: number;
  waitNs: number;
}

class Traceroute extends Program {
  private socket: UdpSocket | null = null;
  private ttl = 1;
  private probe = 0;
  private probeSeq = 0;
  private sentAt = 0;
  private timer = 0;
  private line = '';
  private lastFrom = -1;
  private reachedEnd = false;

  constructor(
    device: IpDevice,
    private readonly o: TracerouteOptions,
  ) {
    super(device);
  }

  protected main(): void {
    const udp = this.device.stack.transport<UdpService>(IP_PROTO_UDP);
    const s = udp?.bind(0, { onMessage: () => {}, onError: (e) => this.onIcmp(e) });
    if (!s || typeof s === 'string') {
      this.print(`traceroute: ${s ?? 'UDP not available'}`);
      this.exit();
      return;
    }
    this.socket = s;
    const d = formatIpv4(this.o.dst);
    this.print(`traceroute to ${d} (${d}), ${this.o.maxHops} hops max, 60 byte packets`);
    this.sendProbe();
  }

  private sendProbe(): void {
    const port = BASE_PORT + this.probeSeq++;
    this.sentAt = this.now;
    this.socket!.send(this.o.dst, port, new Uint8Array(PROBE_DATA_BYTES).fill(0x40), { ttl: this.ttl });
    this.timer = this.after(this.o.waitNs, () => this.record(undefined));
  }

  private onIcmp(e: IcmpErrorReport): void {
    const q = e.original.payload8;
    const port = (q[2] << 8) | q[3];
    if (port !== BASE_PORT + this.probeSeq - 1) return; // an answer to an earlier, timed-out probe
    this.cancel(this.timer);
    const end = e.type === 3;
    if (end) this.reachedEnd = true;
    this.record(e.from, e.type === 3 && e.code !== 3 ? ` !${e.code === 1 ? 'H' : e.code === 0 ? 'N' : e.code === 4 ? 'F' : 'X'}` : '');
  }

  private record(from: number | undefined, flag = ''): void {
    if (this.probe === 0) this.line = `${String(this.ttl).padStart(2)} `;
    if (from === undefined) this.line += ' *';
    else {
      if (from !== this.lastFrom) this.line += ` ${formatIpv4(from)} (${formatIpv4(from)})`;
      this.line += `  ${((this.now - this.sentAt) / 1e6).toFixed(3)} ms${flag}`;
      this.lastFrom = from;
    }
    this.probe++;
    if (this.probe < this.o.queries) {
      this.sendProbe();
      return;
    }
    this.print(this.line);
    this.probe = 0;
    this.lastFrom = -1;
    if (this.reachedEnd || this.ttl >= this.o.maxHops) {
      this.exit();
      return;
    }
    this.ttl++;
    this.sendProbe();
  }

  protected override onExit(): void {
    this.socket?.close();
  }
}

/** traceroute's options, as its parser reads them (also the terminal's completions). */
const TRACEROUTE_OPTIONS: OptionSpec = {
  m: 'int',
  q: 'int',
  w: 'seconds',
  n: 'flag',
  '4': 'flag',
  I: 'unmodelled',
  T: 'unmodelled',
  U: 'unmodelled',
  f: 'unmodelled',
  p: 'unmodelled',
  N: 'unmodelled',
  s: 'unmodelled',
  i: 'unmodelled',
  A: 'unmodelled',
  F: 'unmodelled',
  '6': 'unmodelled',
};

registerApp<TracerouteOptions>({
  name: 'traceroute',
  options: TRACEROUTE_OPTIONS,
  summary: 'show the routers a packet crosses, using rising TTLs',
  usage: 'traceroute DESTINATION [-n] [-m max_ttl] [-q nqueries] [-w waittime]',
  parse(argv) {
    // -n (no name lookups) is what the model always does: hops are shown as addresses.
    const r = parseArgs(argv, TRACEROUTE_OPTIONS);
    if (!r.ok) return r;
    const { positional, options } = r.args;
    if (positional.length !== 1) return { ok: false, error: positional.length ? `unexpected "${positional[1]}"` : 'missing destination' };
    const dst = parseIpv4(positional[0]);
    if (dst === undefined) return { ok: false, error: `${positional[0]}: Name or service not known (give an IPv4 address)` };
    const maxHops = (options.m as number | undefined) ?? 30;
    const queries = (options.q as number | undefined) ?? 3;
    if (maxHops < 1 || maxHops > 255) return { ok: false, error: '-m must be 1 to 255' };
    if (queries < 1 || queries > 10) return { ok: false, error: '-q must be 1 to 10' };
    return { ok: true, options: { dst, maxHops, queries, waitNs: (options.w as number | undefined) ?? 5e9 } };
  },
  create: (device, o) => new Traceroute(device, o),
});
