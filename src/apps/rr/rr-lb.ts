/**
 * rr-lb: a load balancer for RR in front of several back ends.
 *
 *   rr-lb --backends 10.0.2.1,10.0.2.2[:port] [-p 9000] [--policy rr|least|p2c]
 *         [--health 100ms] [--health-timeout 50ms] [--fall 2] [--rise 2]
 *
 * Each request goes to one healthy back end: round robin, least connections (fewest requests in
 * flight), or random of two (pick two at random, take the one with fewer in flight). The answer
 * comes back through the balancer. Every `--health` interval it probes each back end; `--fall`
 * probes in a row without an answer within `--health-timeout` mark it down (no more requests),
 * `--rise` answers in a row mark it up again. With no healthy back end a request is answered
 * `Unavailable`. The balancer does not retry: retries are the clients' policy.
 *
 * Trace rows: `rr.backend <ip>` = "up" | "down" (state), `rr.lb` = "<root> <backend ip>" per
 * request forwarded, `rr.inflight <ip>` = "<n>" on change.
 */
import { formatIpv4 } from '../../protocols/addr';
import { IP_PROTO_UDP } from '../../protocols/ipv4/ipv4';
import { checkRr, encodeRr, readRr, RR_PORT, RrStatus, RrType } from '../../protocols/rr/rr';
import { UdpService, type UdpSocket } from '../../protocols/udp/udp-service';
import type { IpDevice } from '../../net/ip/ip-device';
import type { TimerId } from '../../sim/kernel';
import type { RngStream } from '../../sim/rng';
import { parseArgs, type OptionSpec } from '../command';
import { Program } from '../program';
import { registerApp } from '../registry';
import { parseTarget } from './rr-client';

type LbPolicy = 'rr' | 'least' | 'p2c';

interface RrLbOptions {
  port: number;
  backends: { ip: number; port: number }[];
  policy: LbPolicy;
  healthNs: number;
  healthTimeoutNs: number;
  fall: number;
  rise: number;
}

interface Backend {
  readonly ip: number;
  readonly port: number;
  readonly name: string;
  up: boolean;
  inFlight: number;
  /** Consecutive probe results. */
  misses: number;
  hits: number;
  /** Id of the probe awaiting an answer (0 = none). */
  probeId: number;
}

interface Pending {
  from: number;
  fromPort: number;
  origId: number;
  backend: Backend;
  timer: TimerId;
}

/** How long the balancer remembers a forwarded request without a deadline. */
const DEFAULT_FORGET_NS = 10e9;

class RrLb extends Program {
  private socket: UdpSocket | null = null;
  private readonly backends: Backend[];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private nextProbe = 1;
  private cursor = 0;
  private readonly rng: RngStream;

  constructor(
    device: IpDevice,
    private readonly o: RrLbOptions,
  ) {
    super(device);
    this.rng = device.stack.rng('rr-lb');
    this.backends = o.backends.map((b) => ({ ...b, name: formatIpv4(b.ip), up: true, inFlight: 0, misses: 0, hits: 0, probeId: 0 }));
  }

  protected main(): void {
    const udp = this.device.stack.transport<UdpService>(IP_PROTO_UDP);
    const s = udp?.bind(this.o.port, { onMessage: (m) => this.onDatagram(m.from, m.fromPort, m.data) });
    if (!s || typeof s === 'string') {
      this.print(`rr-lb: ${s ?? 'UDP not available'}`);
      this.exit();
      return;
    }
    this.socket = s;
    for (const b of this.backends) this.device.state(`rr.backend ${b.name}`, 'up');
    this.print(`rr-lb: port ${this.o.port} -> ${this.backends.map((b) => b.name).join(', ')} (${this.o.policy}), health every ${this.o.healthNs / 1e6}ms`);
    this.after(this.o.healthNs, this.probeAll);
  }

  private readonly probeAll = (): void => {
    for (const b of this.backends) {
      const id = this.nextProbe++;
      b.probeId = id;
      this.socket!.send(b.ip, b.port, encodeRr({ type: RrType.Probe, status: 0, tier: 0, attempt: 1, requestId: id, rootId: 0, deadlineUs: 0, bodyLength: 0 }));
      this.after(this.o.healthTimeoutNs, this.probeTimeout, { b, id });
    }
    this.after(this.o.healthNs, this.probeAll);
  };

  private readonly probeTimeout = ({ b, id }: { b: Backend; id: number }): void => {
    if (b.probeId !== id) return; // answered
    b.probeId = 0;
    b.hits = 0;
    b.misses++;
    if (b.up && b.misses >= this.o.fall) this.setUp(b, false);
  };

  private setUp(b: Backend, up: boolean): void {
    b.up = up;
    this.device.state(`rr.backend ${b.name}`, up ? 'up' : 'down');
    this.print(`rr-lb: back end ${b.name} is ${up ? 'UP' : 'DOWN'}`);
  }

  private onDatagram(from: number, fromPort: number, data: Uint8Array): void {
    if (checkRr(data) !== undefined) return;
    const m = readRr(data);
    if (m.type === RrType.ProbeReply) {
      const b = this.backends.find((x) => x.ip === from && x.probeId === m.requestId);
      if (!b) return;
      b.probeId = 0;
      b.misses = 0;
      b.hits++;
      if (!b.up && b.hits >= this.o.rise) this.setUp(b, true);
      return;
    }
    if (m.type === RrType.Response) {
      const p = this.pending.get(m.requestId);
      if (!p || p.backend.ip !== from) return;
      this.forget(m.requestId, p);
      this.socket!.send(p.from, p.fromPort, encodeRr({ ...m, requestId: p.origId }));
      return;
    }
    if (m.type !== RrType.Request) return;
    const b = this.pick();
    if (!b) {
      this.socket!.send(from, fromPort, encodeRr({ ...m, type: RrType.Response, status: RrStatus.Unavailable, bodyLength: 0 }));
      return;
    }
    const id = this.nextId++;
    if (this.nextId > 0xffff_ffff) this.nextId = 1;
    const forget = m.deadlineUs ? Math.max(1, m.deadlineUs * 1000 - this.now) : DEFAULT_FORGET_NS;
    const p: Pending = { from, fromPort, origId: m.requestId, backend: b, timer: 0 };
    p.timer = this.after(forget, () => this.forget(id, p));
    this.pending.set(id, p);
    b.inFlight++;
    this.device.state(`rr.inflight ${b.name}`, `${b.inFlight}`);
    this.device.state('rr.lb', `${m.rootId} ${b.name}`);
    this.socket!.send(b.ip, b.port, encodeRr({ ...m, requestId: id }));
  }

  private forget(id: number, p: Pending): void {
    if (this.pending.get(id) !== p) return;
    this.pending.delete(id);
    this.cancel(p.timer);
    p.backend.inFlight--;
    this.device.state(`rr.inflight ${p.backend.name}`, `${p.backend.inFlight}`);
  }

  private pick(): Backend | undefined {
    const up = this.backends.filter((b) => b.up);
    if (up.length === 0) return undefined;
    switch (this.o.policy) {
      case 'rr':
        return up[this.cursor++ % up.length];
      case 'least': {
        let best = up[0];
        for (const b of up) if (b.inFlight < best.inFlight) best = b;
        return best;
      }
      case 'p2c': {
        const a = up[this.rng.int(up.length)];
        const b = up[this.rng.int(up.length)];
        return b.inFlight < a.inFlight ? b : a;
      }
    }
  }

  protected override onExit(): void {
    this.socket?.close();
  }
}

/** rr-lb's options, as its parser reads them (also the terminal's completions). */
const RR_LB_OPTIONS: OptionSpec = { p: 'int', backends: 'string', policy: 'string', health: 'seconds', 'health-timeout': 'seconds', fall: 'int', rise: 'int' };

registerApp<RrLbOptions>({
  name: 'rr-lb',
  options: RR_LB_OPTIONS,
  summary: 'an RR load balancer (round robin, least connections, random of two) with health checks',
  usage: 'rr-lb --backends IP[:port],IP[:port],... [-p port] [--policy rr|least|p2c] [--health T] [--health-timeout T] [--fall N] [--rise N]',
  parse(argv) {
    const r = parseArgs(argv, RR_LB_OPTIONS);
    if (!r.ok) return r;
    const { positional, options } = r.args;
    if (positional.length) return { ok: false, error: `unexpected "${positional[0]}"` };
    if (options.backends === undefined) return { ok: false, error: 'missing --backends' };
    const backends: { ip: number; port: number }[] = [];
    for (const text of (options.backends as string).split(',')) {
      const t = parseTarget(text.trim());
      if (typeof t === 'string') return { ok: false, error: `--backends ${t}` };
      backends.push(t);
    }
    const policy = (options.policy as string | undefined) ?? 'rr';
    if (policy !== 'rr' && policy !== 'least' && policy !== 'p2c') return { ok: false, error: '--policy must be rr, least or p2c' };
    const healthNs = (options.health as number | undefined) ?? 100e6;
    const healthTimeoutNs = (options['health-timeout'] as number | undefined) ?? Math.round(healthNs / 2);
    if (healthNs <= 0 || healthTimeoutNs <= 0) return { ok: false, error: '--health and --health-timeout must be longer than 0' };
    const fall = (options.fall as number | undefined) ?? 2;
    const rise = (options.rise as number | undefined) ?? 2;
    if (fall < 1 || rise < 1) return { ok: false, error: '--fall and --rise must be at least 1' };
    return { ok: true, options: { port: (options.p as number | undefined) ?? RR_PORT, backends, policy, healthNs, healthTimeoutNs, fall, rise } };
  },
  create: (device, o) => new RrLb(device, o),
});
