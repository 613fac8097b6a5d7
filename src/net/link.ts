/**
 * A full-duplex point-to-point link. Each direction has its own transmitter with a FIFO queue
 * (tail drop), serialization at the link's bandwidth, then propagation latency plus jitter. Loss is
 * decided per frame from the link's own random stream; a lost frame still occupies the wire and is
 * recorded as dropped where it would have arrived.
 */
import type { LaneId } from '../sim/kernel';
import type { RngStream } from '../sim/rng';
import type { SimContext } from './context';
import { frameBytes, frameLength, serializationNs, type Frame } from './frame';
import type { LinkParams } from './link-params';
import type { Attachment, Nic } from './nic';
import { FrameQueue } from './frame-queue';
import { corruptFrame, type PacketFaults } from './packet-faults';

const ETH_HEADER = 14;

class Direction implements Attachment {
  readonly queue = new FrameQueue();
  busyUntil = 0;
  drainScheduled = false;

  constructor(
    readonly link: FullDuplexLink,
    /** 0 = a to b, 1 = b to a */
    readonly dir: 0 | 1,
    /** Kernel lane of this direction's arrivals (they come in transmission order unless there is jitter). */
    readonly lane: LaneId,
  ) {}

  get up(): boolean {
    return this.link.params.up;
  }
  get mtu(): number {
    return this.link.params.mtu;
  }
  get linkId(): number {
    return this.link.id;
  }

  transmit(frame: Frame): void {
    this.link.transmit(this, frame);
  }
}

/** A rule that loses the next `count` frames `matches` accepts (a fault), in either direction. */
interface DropRule {
  readonly matches: (frame: Uint8Array) => boolean;
  count: number;
  readonly reason: string;
}

export class FullDuplexLink {
  readonly ab: Direction;
  private dropRules: DropRule[] = [];
  readonly ba: Direction;
  /** Bumped whenever the link goes down, so frames in flight at that moment are lost. */
  private epoch = 0;
  private readonly lossRng: RngStream;
  private readonly jitterRng: RngStream;
  /** The run's packet fault rules (drop, delay or corrupt packet N), when the scene has any. */
  packetFaults: PacketFaults | undefined = undefined;

  constructor(
    private readonly ctx: SimContext,
    readonly id: number,
    readonly name: string,
    readonly a: Nic,
    readonly b: Nic,
    readonly params: LinkParams,
  ) {
    this.ab = new Direction(this, 0, ctx.kernel.lane());
    this.ba = new Direction(this, 1, ctx.kernel.lane());
    a.attachment = this.ab;
    b.attachment = this.ba;
    this.lossRng = ctx.rng.stream(`link:${name}:loss`);
    this.jitterRng = ctx.rng.stream(`link:${name}:jitter`);
  }

  /** Changes link properties from now on (a fault). Taking a link down loses what is in flight. */
  set(change: Partial<LinkParams>): void {
    const wasUp = this.params.up;
    Object.assign(this.params, change);
    const t = this.ctx.now;
    for (const [k, v] of Object.entries(change)) {
      this.ctx.trace.linkState(t, this.id, k, String(v));
    }
    if (wasUp && !this.params.up) {
      this.epoch++;
      this.flush(this.ab);
      this.flush(this.ba);
    }
  }

  /**
   * Loses the next `count` frames for which `matches(frame bytes)` is true, in either direction:
   * they are transmitted and vanish in flight, recorded as a drop with `reason`. `matches` sees
   * every frame put on the link while the rule lasts.
   */
  addDropRule(matches: (frame: Uint8Array) => boolean, count: number, reason: string): void {
    if (count > 0) this.dropRules.push({ matches, count, reason });
  }

  /** The reason of the first rule that takes this frame, or undefined. */
  private ruleDrop(frame: Frame): string | undefined {
    const bytes = frameBytes(frame);
    let hit: string | undefined;
    for (const r of this.dropRules) {
      if (r.matches(bytes) && hit === undefined) {
        hit = r.reason;
        r.count--;
      }
    }
    if (hit !== undefined) this.dropRules = this.dropRules.filter((r) => r.count > 0);
    return hit;
  }

  transmit(d: Direction, frame: Frame): void {
    const t = this.ctx.now;
    if (!this.params.up) {
      this.dropAtSender(d, frame, 'link down');
      return;
    }
    if (frameLength(frame) - ETH_HEADER > this.params.mtu) {
      this.dropAtSender(d, frame, `larger than the link MTU (${this.params.mtu})`);
      return;
    }
    if (d.busyUntil <= t && d.queue.length === 0) {
      this.startTx(d, frame);
      return;
    }
    if (d.queue.length >= this.params.queue) {
      this.dropAtSender(d, frame, `queue full (${this.params.queue} frames): tail drop`);
      return;
    }
    d.queue.push(frame);
    if (!d.drainScheduled) {
      d.drainScheduled = true;
      this.ctx.kernel.at(d.busyUntil, this.drain, d);
    }
  }

  private readonly drain = (d: Direction): void => {
    d.drainScheduled = false;
    const next = d.queue.shift();
    if (!next) return;
    this.startTx(d, next);
    if (d.queue.length > 0) {
      d.drainScheduled = true;
      this.ctx.kernel.at(d.busyUntil, this.drain, d);
    }
  };

  private startTx(d: Direction, sent: Frame): void {
    const p = this.params;
    const start = this.ctx.now;
    let frame = sent;
    const end = start + serializationNs(frame, p.bandwidth);
    d.busyUntil = end;
    let delay = p.latency;
    if (p.jitter > 0) delay = Math.max(0, delay + Math.round(this.jitterRng.uniform(-p.jitter, p.jitter)));
    let packetRule: string | undefined;
    const pf = this.packetFaults?.pending ? this.packetFaults.take(frame.packetId) : undefined;
    if (pf) {
      const e = pf.effect;
      if (e.kind === 'drop') packetRule = pf.reason;
      else if (e.kind === 'delay') delay += e.ns;
      else {
        const bad = corruptFrame(frame);
        if (bad) frame = bad;
        else packetRule = `${pf.reason}: Ethernet FCS check failed at the receiver`;
      }
      this.ctx.trace.linkState(start, this.id, 'packet fault', `${pf.reason} (packet ${frame.packetId})`);
    }
    const arrival = end + delay;
    const frameId = this.ctx.trace.frameTx(start, end, arrival, this.id, d.dir, frame.head, frame.body, frame.packetId);
    const ruled = packetRule ?? (this.dropRules.length > 0 ? this.ruleDrop(frame) : undefined);
    // Draw the coin even when a rule takes the frame, so a drop fault leaves later coin flips alone.
    const coin = p.loss > 0 && this.lossRng.chance(p.loss);
    const lost = ruled !== undefined || coin;
    const f = this.spare.pop() ?? new InFlight();
    f.d = d;
    f.frame = frame;
    f.frameId = frameId;
    f.start = start;
    f.epoch = this.epoch;
    f.reason = ruled;
    this.ctx.kernel.atInLane(d.lane, arrival, lost ? this.lose : this.arrive, f);
  }

  /** In-flight records done with, for reuse (one per frame on the wire would be millions of objects). */
  private readonly spare: InFlight[] = [];

  private release(f: InFlight): void {
    f.frame = null!;
    this.spare.push(f);
  }

  private readonly arrive = (f: InFlight): void => {
    const { d, frame } = f;
    if (f.epoch !== this.epoch) {
      this.ctx.trace.drop({
        time: this.ctx.now,
        started: f.start,
        place: this.id,
        dir: d.dir,
        reason: 'link went down in flight',
        frameId: f.frameId,
        packetId: frame.packetId,
      });
      this.release(f);
      return;
    }
    this.release(f);
    (d.dir === 0 ? this.b : this.a).deliver(frame);
  };

  private readonly lose = (f: InFlight): void => {
    const reason = f.reason ?? `lost on link (loss ${this.params.loss})`;
    this.ctx.trace.drop({ time: this.ctx.now, started: f.start, place: this.id, dir: f.d.dir, reason, frameId: f.frameId, packetId: f.frame.packetId });
    this.release(f);
  };

  private dropAtSender(d: Direction, frame: Frame, reason: string): void {
    const t = this.ctx.now;
    this.ctx.trace.drop({ time: t, place: this.id, dir: d.dir, reason, head: frame.head, body: frame.body, packetId: frame.packetId });
  }

  private flush(d: Direction): void {
    for (let f = d.queue.shift(); f; f = d.queue.shift()) this.dropAtSender(d, f, 'link down');
  }
}

/** A frame on the wire: what its arrival (or loss) needs to know. Reused once it has landed. */
class InFlight {
  d!: Direction;
  frame!: Frame;
  frameId = 0;
  /** When its transmission began, ns. */
  start = 0;
  epoch = 0;
  /** Set when a drop rule took the frame. */
  reason: string | undefined = undefined;
}
