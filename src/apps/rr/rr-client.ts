/**
 * rr-client: a population of clients sending RR requests to a server (or a load balancer).
 *
 *   rr-client 10.0.9.2 --rate 2000                 open loop: Poisson arrivals, 2000 requests/s
 *   rr-client 10.0.9.2 --rate 500@0s,2000@5s --ramp  ... ramping from 500/s to 2000/s over 5 s
 *   rr-client 10.0.9.2 --think 1s                  closed loop: each client waits ~1 s, sends,
 *                                                  waits for the answer (retries included), again
 *   rr-client 10.0.9.2 --once --spread 10ms        a burst: each client makes one request (retries
 *                                                  included), starting at a uniformly random time
 *                                                  in the first 10 ms (default: all at once)
 *
 * plus the retry policy options of caller-policy.ts. On a `clients` device each client sends from
 * its own address (all from the same source port); on a host they share its address.
 * `--clients N` uses the first N clients (default: all of a population, 100 on a host);
 * `--for T` stops starting requests after T. Each client's requests go through one shared retry
 * budget and circuit breaker (one client library per population, a simplification).
 */
import { formatIpv4, parseIpv4 } from '../../protocols/addr';
import { IP_PROTO_UDP } from '../../protocols/ipv4/ipv4';
import { encodeRr, encodeRrInto, RR_HEADER_BYTES, RR_PORT } from '../../protocols/rr/rr';
import { UDP_HEADER_BYTES } from '../../protocols/udp/udp';
import { UdpService, type UdpSocket } from '../../protocols/udp/udp-service';
import type { IpDevice } from '../../net/ip/ip-device';
import { ClientPool } from '../../net/devices/clients/client-pool';
import type { RngStream } from '../../sim/rng';
import { parseArgs, type OptionSpec } from '../command';
import { registerApp } from '../registry';
import { RrCaller } from './caller';
import { CallerProgram } from './caller-program';
import { ByteSlab } from '../../sim/byte-slab';
import { CALLER_OPTIONS, CALLER_USAGE, callerPolicyFrom, type CallerPolicy } from './caller-policy';
import { maxRate, parseRateSchedule, rateAt, type RateSchedule } from './rate-schedule';

interface RrClientOptions {
  dst: number;
  port: number;
  clients?: number;
  /** Open loop: arrivals per second over time. */
  rate?: RateSchedule;
  /** Closed loop: mean think time, ns. */
  thinkNs?: number;
  /** Exponential (default) or constant think times. */
  thinkConst: boolean;
  /** One request per client, started uniformly within this many ns (0: all at once). */
  onceSpreadNs?: number;
  /** Stop starting requests after this long, ns. */
  forNs?: number;
  policy: CallerPolicy;
}

/** Source port of a population's clients. */
const POOL_PORT = 40000;

class RrClient extends CallerProgram {
  private caller!: RrCaller;
  private socket: UdpSocket | null = null;
  private pool: ClientPool | null = null;
  private clients = 0;
  private startedAt = 0;
  /** Arrivals, client choice and think times. */
  readonly rng: RngStream;
  private readonly rttOk: number[] = [];
  /** Where outgoing datagrams are encoded. */
  private readonly slab = new ByteSlab();

  constructor(
    device: IpDevice,
    private readonly o: RrClientOptions,
  ) {
    super(device, 'rr-client:retry');
    this.rng = device.stack.rng('rr-client');
  }

  protected main(): void {
    const { dst, port } = this.o;
    if (this.device instanceof ClientPool) {
      const pool = this.device;
      const err = pool.bindPool(POOL_PORT, (_i, _from, _port, datagram, offset, end) => this.caller.onMessage(datagram, offset, end));
      if (err) return this.fail(err);
      this.pool = pool;
      this.clients = Math.min(this.o.clients ?? pool.count, pool.count);
      this.caller = new RrCaller(
        this,
        this.o.policy,
        (slot, m) => {
          // Encoded straight into the UDP datagram the client sends (no copy).
          const datagram = this.slab.take(UDP_HEADER_BYTES + RR_HEADER_BYTES + m.bodyLength);
          encodeRrInto(datagram, UDP_HEADER_BYTES, m);
          pool.sendDatagramFrom(slot, POOL_PORT, dst, port, datagram);
        },
        1,
      );
    } else {
      const udp = this.device.stack.transport<UdpService>(IP_PROTO_UDP);
      const s = udp?.bind(0, { onMessage: (m) => this.caller.onMessage(m.data) });
      if (!s || typeof s === 'string') return this.fail(s ?? 'UDP not available');
      this.socket = s;
      this.clients = this.o.clients ?? 100;
      this.caller = new RrCaller(this, this.o.policy, (_slot, m) => s.send(dst, port, encodeRr(m)), 1);
    }
    this.startedAt = this.now;
    const mode = this.o.rate
      ? `open loop, ${this.o.rate.points.map((p) => `${p.rate}/s@${p.atNs / 1e9}s`).join(' ')}`
      : this.o.onceSpreadNs !== undefined
        ? `one request each, spread over ${this.o.onceSpreadNs / 1e6}ms`
        : `closed loop, think ${this.o.thinkNs! / 1e6}ms`;
    this.print(`rr-client: ${this.clients} clients -> ${formatIpv4(dst)}:${port}, ${mode}, retry ${this.o.policy.backoff.kind} x${this.o.policy.maxAttempts}`);
    if (this.o.rate) this.scheduleArrival();
    else if (this.o.onceSpreadNs !== undefined) {
      const spread = this.o.onceSpreadNs;
      for (let i = 0; i < this.clients; i++) this.after(spread > 0 ? Math.round(this.rng.uniform(0, spread)) : 0, this.onceSend, i);
    }
    // Closed loop: start each client part-way through a think time, so the load is steady from the
    // start (exponential thinking is memoryless; constant thinking starts at a uniform phase).
    else
      for (let i = 0; i < this.clients; i++)
        this.after(this.o.thinkConst ? Math.round(this.rng.uniform(0, this.o.thinkNs!)) : this.think(), this.clientSend, i);
  }

  private fail(why: string): void {
    this.print(`rr-client: ${why}`);
    this.exit();
  }

  private stopped(): boolean {
    return this.o.forNs !== undefined && this.now - this.startedAt >= this.o.forNs;
  }

  // Open loop: a Poisson process at the schedule's rate, by thinning at its highest rate.
  private scheduleArrival(): void {
    const peak = maxRate(this.o.rate!);
    if (peak <= 0) return;
    this.timer(Math.max(1, Math.round(this.rng.exponential(1e9 / peak))), this.arrival, undefined);
  }

  private readonly arrival = (): void => {
    if (!this.alive || this.stopped()) return;
    const peak = maxRate(this.o.rate!);
    if (this.rng.next() * peak < rateAt(this.o.rate!, this.now - this.startedAt)) {
      this.caller.call(this.rng.int(this.clients), this.recordRt);
    }
    this.scheduleArrival();
  };

  // Closed loop: each client sends, waits for the outcome, thinks, sends again.
  private readonly clientSend = (i: number): void => {
    if (!this.alive || this.stopped()) return;
    this.caller.call(i, (outcome, c) => {
      this.recordRt(outcome, c);
      this.timer(this.think(), this.clientSend, i);
    });
  };

  // A burst: each client's one request.
  private readonly onceSend = (i: number): void => {
    if (!this.alive || this.stopped()) return;
    this.caller.call(i, this.recordRt);
  };

  private think(): number {
    const mean = this.o.thinkNs!;
    return Math.max(1, Math.round(this.o.thinkConst ? mean : this.rng.exponential(mean)));
  }

  private readonly recordRt = (outcome: string, c: { startedAt: number }): void => {
    if (outcome === 'ok' && this.rttOk.length < 1_000_000) this.rttOk.push(this.now - c.startedAt);
  };

  override interrupt(): void {
    if (!this.alive) return;
    const k = this.caller.counts;
    const ok = [...this.rttOk].sort((a, b) => a - b);
    const pct = (p: number) => (ok.length ? `${(ok[Math.min(ok.length - 1, Math.floor(p * ok.length))] / 1e6).toFixed(2)}` : '-');
    this.print(`--- rr-client statistics ---`);
    this.print(
      `${k.requests} requests, ${k.ok} ok, ${k.failed} failed, ${k.attempts} attempts (${k.attempts - Math.min(k.attempts, k.requests)} retries), ${k.timeouts} timeouts`,
    );
    this.print(`response time ms p50/p90/p99 = ${pct(0.5)}/${pct(0.9)}/${pct(0.99)}`);
    this.exit();
  }

  protected override onExit(): void {
    this.caller?.close();
    this.socket?.close();
    if (this.pool) this.pool.unbindPool(POOL_PORT);
  }
}

/** Parses `IP` or `IP:port`. */
export function parseTarget(text: string, defaultPort = RR_PORT): { ip: number; port: number } | string {
  const [ipText, portText] = text.split(':');
  const ip = parseIpv4(ipText);
  if (ip === undefined) return `${text}: give an IPv4 address, optionally with :port`;
  const port = portText === undefined ? defaultPort : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return `${text}: port must be 1 to 65535`;
  return { ip, port };
}

/** rr-client's options, as its parser reads them (also the terminal's completions). */
const RR_CLIENT_OPTIONS: OptionSpec = {
  ...CALLER_OPTIONS,
  p: 'int',
  rate: 'string',
  ramp: 'flag',
  think: 'seconds',
  'think-const': 'flag',
  once: 'flag',
  spread: 'seconds',
  clients: 'int',
  for: 'seconds',
};

registerApp<RrClientOptions>({
  name: 'rr-client',
  options: RR_CLIENT_OPTIONS,
  summary: 'a population of clients sending RR requests, open or closed loop, with a retry policy',
  usage: `rr-client DESTINATION[:port] (--rate R[@T],... [--ramp] | --think T [--think-const] | --once [--spread T]) [--clients N] [--for T] ${CALLER_USAGE}`,
  parse(argv) {
    const r = parseArgs(argv, RR_CLIENT_OPTIONS);
    if (!r.ok) return r;
    const { positional, options } = r.args;
    if (positional.length !== 1) return { ok: false, error: positional.length ? `unexpected "${positional[1]}"` : 'missing destination' };
    const target = parseTarget(positional[0], (options.p as number | undefined) ?? RR_PORT);
    if (typeof target === 'string') return { ok: false, error: target };
    const modes = [options.rate !== undefined, options.think !== undefined, options.once === true].filter(Boolean).length;
    if (modes !== 1) return { ok: false, error: 'give one of --rate (open loop), --think (closed loop) or --once (one request per client)' };
    if (options.spread !== undefined && options.once !== true) return { ok: false, error: '--spread needs --once' };
    let rate: RateSchedule | undefined;
    if (options.rate !== undefined) {
      const s = parseRateSchedule(options.rate as string, options.ramp === true);
      if (typeof s === 'string') return { ok: false, error: `--rate ${s}` };
      rate = s;
    }
    if (options.think !== undefined && (options.think as number) <= 0) return { ok: false, error: '--think must be longer than 0' };
    const policy = callerPolicyFrom(options);
    if (typeof policy === 'string') return { ok: false, error: policy };
    const clients = options.clients as number | undefined;
    if (clients !== undefined && clients < 1) return { ok: false, error: '--clients must be at least 1' };
    return {
      ok: true,
      options: {
        dst: target.ip,
        port: target.port,
        clients,
        rate,
        thinkNs: options.think as number | undefined,
        thinkConst: options['think-const'] === true,
        onceSpreadNs: options.once === true ? ((options.spread as number | undefined) ?? 0) : undefined,
        forNs: options.for as number | undefined,
        policy,
      },
    };
  },
  create: (device, o) => new RrClient(device, o),
});
