/**
 * rr-server: an RR server with a pool of workers and a bounded queue.
 *
 *   rr-server [-p 9000] [--workers 8] [--queue 64] [--order fifo|lifo] [--service exp:20ms]
 *             [--shed-deadline] [--error-rate P] [--size BYTES]
 *             [--next IP[:port] [caller options]]   a tier: serving a request calls the next tier
 *
 * A request takes a free worker, else waits in the queue, else is refused with `Overloaded` (the
 * queue limit sheds load). With `--shed-deadline`, a request whose deadline (in its header) has
 * passed (or will have, by the time a mean service time is over) is answered `DeadlineExceeded`
 * instead of served, when it arrives or leaves the queue.
 * LIFO serves the newest request first, so under overload some requests still finish in time.
 * A worker is busy for the service time (times the device's slowdown factor), and with `--next`
 * then for the call to the next tier too (with its own retry policy); it answers `Ok`, or `Error`
 * when the next tier failed or with probability `--error-rate`. Health probes are answered at once.
 *
 * Trace rows (state rows on the server's node; roots are written as the difference from the root
 * of the node's previous recv/shed/reply row, so the values repeat: see trace-rows.ts):
 *   rr.recv  = "<attempt> <tier> <rootDelta>"     a request arrived
 *   rr.queue = "<n>", rr.busy = "<n>"             queue length and busy workers, on change
 *   rr.shed  = "queue|deadline <rootDelta>"       a request refused or dropped (and answered
 *                                                 Overloaded or DeadlineExceeded at once)
 *   rr.reply = "<status> <attempt> <rootDelta>"   a request a worker took answered (its sojourn
 *                                                 runs from the rr.recv of the same root and attempt)
 * plus the caller's rows (caller.ts) when it calls a next tier.
 */
import { IP_PROTO_UDP } from '../../protocols/ipv4/ipv4';
import { checkRr, encodeRr, encodeRrInto, readRr, RR_HEADER_BYTES, RR_PORT, RrStatus, RrType, type RrMessage } from '../../protocols/rr/rr';
import { UDP_HEADER_BYTES } from '../../protocols/udp/udp';
import { UdpService, type UdpSocket } from '../../protocols/udp/udp-service';
import type { IpDevice } from '../../net/ip/ip-device';
import { slowdownOf } from '../../net/slowdown';
import type { RngStream } from '../../sim/rng';
import { parseArgs, type OptionSpec } from '../command';
import { registerApp } from '../registry';
import { RrCaller, type CallOutcome } from './caller';
import { CallerProgram } from './caller-program';
import { CALLER_OPTIONS, CALLER_USAGE, callerPolicyFrom, type CallerPolicy } from './caller-policy';
import { parseTarget } from './rr-client';
import { nodeRefs } from './trace-rows';
import { ByteSlab } from '../../sim/byte-slab';
import { formatServiceTime, parseServiceTime, sampleServiceTime, type ServiceTime } from './service-time';

interface RrServerOptions {
  port: number;
  workers: number;
  queue: number;
  lifo: boolean;
  service: ServiceTime;
  shedDeadline: boolean;
  errorRate: number;
  /** Response body bytes. */
  size: number;
  next?: { ip: number; port: number; policy: CallerPolicy };
}

/** A request taken in. A class, so its time field turning into a large number changes its shape once (see Call in caller.ts). */
class Job {
  constructor(
    readonly from: number,
    readonly fromPort: number,
    readonly msg: RrMessage,
    readonly arrivedAt: number,
  ) {}
}

class RrServer extends CallerProgram {
  private socket: UdpSocket | null = null;
  private readonly queue: Job[] = [];
  private busy = 0;
  private caller: RrCaller | null = null;
  private readonly serviceRng: RngStream;
  readonly counts = { received: 0, served: 0, shed: 0, errors: 0 };
  private readonly refs: { lastRoot: number };
  /** The queue length and busy workers last written to the trace. */
  private shownQueue = -1;
  private shownBusy = -1;
  /** Where replies are encoded. */
  private readonly slab = new ByteSlab();
  private readonly out: RrMessage = { type: RrType.Response, status: RrStatus.Ok, tier: 0, attempt: 0, requestId: 0, rootId: 0, deadlineUs: 0, bodyLength: 0 };

  constructor(
    device: IpDevice,
    private readonly o: RrServerOptions,
  ) {
    super(device, 'rr-server:retry');
    this.serviceRng = device.stack.rng('rr-server:service');
    this.refs = nodeRefs(device);
  }

  /** The root's difference from the last one written on this node (and makes it the last). */
  private rootDelta(root: number): number {
    const d = root - this.refs.lastRoot;
    this.refs.lastRoot = root;
    return d;
  }

  private showQueue(): void {
    if (this.queue.length === this.shownQueue) return;
    this.shownQueue = this.queue.length;
    this.rows.queue(this.queue.length);
  }

  private showBusy(): void {
    if (this.busy === this.shownBusy) return;
    this.shownBusy = this.busy;
    this.rows.busy(this.busy);
  }

  protected main(): void {
    const udp = this.device.stack.transport<UdpService>(IP_PROTO_UDP);
    const s = udp?.bind(this.o.port, {
      onMessage: (m) => this.onDatagram(m.from, m.fromPort, m.data, 0, m.data.length),
      onPayload: (from, fromPort, datagram, offset, end) => this.onDatagram(from, fromPort, datagram, offset, end),
    });
    if (!s || typeof s === 'string') {
      this.print(`rr-server: ${s ?? 'UDP not available'}`);
      this.exit();
      return;
    }
    this.socket = s;
    const next = this.o.next;
    if (next) {
      const down = udp!.bind(0, { onMessage: (m) => this.caller!.onMessage(m.data) });
      if (typeof down === 'string' || !down) {
        this.print(`rr-server: ${down}`);
        this.exit();
        return;
      }
      this.downSocket = down;
      this.caller = new RrCaller(this, next.policy, (_slot, m) => down.send(next.ip, next.port, encodeRr(m)), 0);
    }
    this.print(
      `rr-server: listening on UDP port ${this.o.port}, ${this.o.workers} workers, queue ${this.o.queue} ${this.o.lifo ? 'LIFO' : 'FIFO'}, service ${formatServiceTime(this.o.service)}`,
    );
  }
  private downSocket: UdpSocket | null = null;

  /** A request (or probe) in `data[offset, end)`. */
  private onDatagram(from: number, fromPort: number, data: Uint8Array, offset: number, end: number): void {
    if (checkRr(data, offset, end) !== undefined) return;
    const msg = readRr(data, offset);
    if (msg.type === RrType.Probe) {
      this.socket!.send(from, fromPort, encodeRr({ ...msg, type: RrType.ProbeReply, bodyLength: 0 }));
      return;
    }
    if (msg.type !== RrType.Request) return;
    this.counts.received++;
    this.rows.recv(msg.attempt, msg.tier, this.rootDelta(msg.rootId));
    const job = new Job(from, fromPort, msg, this.now);
    if (this.expired(job)) return this.shed(job, 'deadline');
    if (this.busy < this.o.workers) return this.start(job);
    if (this.queue.length >= this.o.queue) return this.shed(job, 'queue');
    this.queue.push(job);
    this.showQueue();
  }

  /** With --shed-deadline: the request cannot be answered in time (its deadline minus a mean service time has passed). */
  private expired(job: Job): boolean {
    if (!this.o.shedDeadline || job.msg.deadlineUs === 0) return false;
    return this.now + this.o.service.meanNs * slowdownOf(this.device) >= job.msg.deadlineUs * 1000;
  }

  private shed(job: Job, why: 'queue' | 'deadline'): void {
    this.counts.shed++;
    this.rows.shed(why, this.rootDelta(job.msg.rootId));
    this.reply(job, why === 'queue' ? RrStatus.Overloaded : RrStatus.DeadlineExceeded, false);
  }

  private start(job: Job): void {
    this.busy++;
    this.showBusy();
    const work = Math.round(sampleServiceTime(this.o.service, this.serviceRng) * slowdownOf(this.device));
    this.timer(work, this.served, job);
  }

  private readonly served = (job: Job): void => {
    if (!this.alive) return;
    if (this.caller) {
      const deadline = job.msg.deadlineUs ? job.msg.deadlineUs * 1000 : Infinity;
      this.caller.tier = Math.min(255, job.msg.tier + 1);
      this.caller.call(0, (outcome: CallOutcome) => this.finish(job, outcome === 'ok' ? RrStatus.Ok : RrStatus.Error), job.msg.rootId, deadline);
      return;
    }
    const failed = this.o.errorRate > 0 && this.serviceRng.chance(this.o.errorRate);
    this.finish(job, failed ? RrStatus.Error : RrStatus.Ok);
  };

  private finish(job: Job, status: RrStatus): void {
    if (!this.alive) return;
    if (status === RrStatus.Ok) this.counts.served++;
    else this.counts.errors++;
    this.reply(job, status);
    this.busy--;
    // The next job: oldest first (FIFO) or newest first (LIFO); expired ones are dropped on the way.
    while (this.queue.length) {
      const next = this.o.lifo ? this.queue.pop()! : this.queue.shift()!;
      if (this.expired(next)) {
        this.shed(next, 'deadline');
        continue;
      }
      this.start(next);
      break;
    }
    this.showQueue();
    this.showBusy();
  }

  /** Answers `job`; `row`: whether to record an rr.reply row (a shed request has its rr.shed row). */
  private reply(job: Job, status: RrStatus, row = true): void {
    const m = job.msg;
    if (row) this.rows.reply(status, m.attempt, this.rootDelta(m.rootId));
    const out = this.out;
    out.status = status;
    out.tier = m.tier;
    out.attempt = m.attempt;
    out.requestId = m.requestId;
    out.rootId = m.rootId;
    out.deadlineUs = m.deadlineUs;
    out.bodyLength = status === RrStatus.Ok ? this.o.size : 0;
    // Encoded straight into the UDP datagram that carries it (no copy).
    const datagram = this.slab.take(UDP_HEADER_BYTES + RR_HEADER_BYTES + out.bodyLength);
    encodeRrInto(datagram, UDP_HEADER_BYTES, out);
    this.socket!.sendDatagram(job.from, job.fromPort, datagram);
  }

  /** Requests waiting for a worker. */
  get queueLength(): number {
    return this.queue.length;
  }

  /** Workers serving a request. */
  get busyWorkers(): number {
    return this.busy;
  }

  protected override onExit(): void {
    this.caller?.close();
    this.socket?.close();
    this.downSocket?.close();
  }
}

/** rr-server's options, as its parser reads them (also the terminal's completions). */
const RR_SERVER_OPTIONS: OptionSpec = {
  ...CALLER_OPTIONS,
  p: 'int',
  workers: 'int',
  queue: 'int',
  order: 'string',
  service: 'string',
  'shed-deadline': 'flag',
  'error-rate': 'number',
  next: 'string',
};

registerApp<RrServerOptions>({
  name: 'rr-server',
  options: RR_SERVER_OPTIONS,
  summary: 'an RR server: worker pool, bounded FIFO/LIFO queue, service-time distribution, optional next tier',
  usage: `rr-server [-p port] [--workers N] [--queue N] [--order fifo|lifo] [--service const:T|exp:T|lognormal:T:SIGMA] [--shed-deadline] [--error-rate P] [--size BYTES] [--next IP[:port] ${CALLER_USAGE}]`,
  parse(argv) {
    const r = parseArgs(argv, RR_SERVER_OPTIONS);
    if (!r.ok) return r;
    const { positional, options } = r.args;
    if (positional.length) return { ok: false, error: `unexpected "${positional[0]}"` };
    const port = (options.p as number | undefined) ?? RR_PORT;
    if (port < 1 || port > 65535) return { ok: false, error: '-p must be 1 to 65535' };
    const workers = (options.workers as number | undefined) ?? 8;
    if (workers < 1) return { ok: false, error: '--workers must be at least 1' };
    const queue = (options.queue as number | undefined) ?? 64;
    const order = (options.order as string | undefined) ?? 'fifo';
    if (order !== 'fifo' && order !== 'lifo') return { ok: false, error: '--order must be fifo or lifo' };
    const service = parseServiceTime((options.service as string | undefined) ?? 'exp:10ms');
    if (typeof service === 'string') return { ok: false, error: `--service ${service}` };
    const errorRate = (options['error-rate'] as number | undefined) ?? 0;
    if (!(errorRate >= 0 && errorRate <= 1)) return { ok: false, error: '--error-rate must be 0 to 1' };
    let next: RrServerOptions['next'];
    if (options.next !== undefined) {
      const t = parseTarget(options.next as string);
      if (typeof t === 'string') return { ok: false, error: `--next ${t}` };
      const policy = callerPolicyFrom(options);
      if (typeof policy === 'string') return { ok: false, error: policy };
      next = { ...t, policy };
    }
    const size = (options.size as number | undefined) ?? 64;
    if (size > 1400) return { ok: false, error: '--size must be at most 1400 bytes' };
    return {
      ok: true,
      options: { port, workers, queue, lifo: order === 'lifo', service, shedDeadline: options['shed-deadline'] === true, errorRate, size, next },
    };
  },
  create: (device, o) => new RrServer(device, o),
});
