/**
 * A hub's shared medium: one collision domain for every station plugged into the hub, with
 * CSMA/CD as in IEEE 802.3 half duplex. A station senses the carrier before sending and defers while
 * another station's signal is reaching it; two stations that start within each other's propagation
 * delay collide. A colliding sender notices when the other signal reaches it, sends a 32-bit jam,
 * aborts and backs off for a random number of slot times (truncated binary exponential backoff,
 * from the station's own seeded stream), giving up after 16 attempts.
 *
 * Simplifications, stated: the hub repeats bit by bit with no delay of its own; a collision is
 * judged at the hub (two signals overlapping there); garbled fragments and the jam are not captured,
 * so a collision appears in the trace as a drop of the sender's frame, not as a frame of garbage.
 * A frame that collides after its sender finished (a late collision: the segment is longer than a
 * 512-bit slot allows) is lost without retry, as on real hardware.
 */
import type { RngStream } from '../../../sim/rng';
import type { SimContext } from '../../context';
import { serializationNs, type Frame } from '../../frame';
import { FrameQueue } from '../../frame-queue';
import type { LinkParams } from '../../link-params';
import type { Attachment, Nic } from '../../nic';

const SLOT_BITS = 512;
const JAM_BITS = 32;
const GAP_BITS = 96;
const MAX_ATTEMPTS = 16;
const BACKOFF_LIMIT = 10;

/** One station's cable to the hub, with its own transmitter state. */
class Leg implements Attachment {
  readonly queue = new FrameQueue();
  current: Transmission | null = null;
  attempts = 0;
  waitTimer = 0;

  constructor(
    readonly segment: HubSegment,
    readonly station: Nic,
    readonly linkId: number,
    readonly name: string,
    /** Direction of station-to-hub frames on the trace link (0 when the station is side a). */
    readonly upDir: 0 | 1,
    readonly params: LinkParams,
    readonly backoffRng: RngStream,
    readonly lossRng: RngStream,
    readonly jitterRng: RngStream,
  ) {}

  /** Whether a frame crossing this cable is lost (the cable's `loss`). */
  loses(): boolean {
    return this.params.loss > 0 && this.lossRng.chance(this.params.loss);
  }

  /** Propagation delay for one frame, with the cable's jitter. */
  delay(): number {
    const p = this.params;
    return p.jitter > 0 ? Math.max(0, p.latency + Math.round(this.jitterRng.uniform(-p.jitter, p.jitter))) : p.latency;
  }

  get up(): boolean {
    return this.params.up;
  }
  get mtu(): number {
    return this.params.mtu;
  }

  transmit(frame: Frame): void {
    this.segment.enqueue(this, frame);
  }

  bitNs(bits: number): number {
    return Math.round((bits * 1e9) / this.params.bandwidth);
  }
}

/** A frame being sent on the segment. */
class Transmission {
  collided = false;
  /** Earliest time the sender hears another signal (collision detection), Infinity if never. */
  detectAt = Infinity;
  endTimer = 0;
  aborted = false;

  constructor(
    readonly leg: Leg,
    readonly frame: Frame,
    readonly start: number,
    /** When the sender would finish if nothing collides. */
    readonly plannedEnd: number,
  ) {}

  /** When the sender actually stops putting bits on its cable. */
  actualEnd = 0;

  get latency(): number {
    return this.leg.params.latency;
  }
}

export class HubSegment {
  private readonly legs: Leg[] = [];
  /** Transmissions whose signal may still be on the medium somewhere. */
  private active: Transmission[] = [];

  constructor(
    private readonly ctx: SimContext,
    readonly hubName: string,
    readonly hubNodeId: number,
  ) {}

  /** Plugs a station into the hub through a cable with the given properties. */
  attach(station: Nic, linkId: number, name: string, upDir: 0 | 1, params: LinkParams): void {
    const rng = this.ctx.rng;
    const leg = new Leg(
      this,
      station,
      linkId,
      name,
      upDir,
      params,
      rng.stream(`hub:${this.hubName}:${name}:backoff`),
      rng.stream(`link:${name}:loss`),
      rng.stream(`link:${name}:jitter`),
    );
    station.attachment = leg;
    this.legs.push(leg);
  }

  /** Changes a cable's properties (a fault on the link). */
  setLink(linkId: number, change: Partial<LinkParams>): void {
    for (const leg of this.legs) {
      if (leg.linkId !== linkId) continue;
      Object.assign(leg.params, change);
      for (const [k, v] of Object.entries(change)) this.ctx.trace.linkState(this.ctx.now, linkId, k, String(v));
    }
  }

  /** Whether this segment carries the given trace link. */
  hasLink(linkId: number): boolean {
    return this.legs.some((l) => l.linkId === linkId);
  }

  enqueue(leg: Leg, frame: Frame): void {
    if (!leg.params.up) {
      this.dropAtStation(leg, frame, 'link down', this.ctx.now);
      return;
    }
    if (leg.queue.length >= leg.params.queue) {
      this.dropAtStation(leg, frame, `queue full (${leg.params.queue} frames): tail drop`, this.ctx.now);
      return;
    }
    leg.queue.push(frame);
    if (!leg.current && !leg.waitTimer) this.tryStart(leg);
  }

  /** Carrier sense: start now if the medium is idle at this station, else wait for it to clear. */
  private tryStart(leg: Leg): void {
    leg.waitTimer = 0;
    const now = this.ctx.now;
    const frame = leg.queue.shift();
    if (!frame) return;
    const busyUntil = this.carrierUntil(leg, now);
    if (busyUntil > now) {
      leg.queue.unshiftFront(frame);
      leg.waitTimer = this.ctx.kernel.at(busyUntil + leg.bitNs(GAP_BITS), this.retryStart, leg);
      return;
    }
    this.start(leg, frame);
  }

  private readonly retryStart = (leg: Leg): void => this.tryStart(leg);

  /** The time until which some other station's signal is present at `leg`'s station (<= now if idle). */
  private carrierUntil(leg: Leg, now: number): number {
    let until = 0;
    const d = leg.params.latency;
    for (const tx of this.active) {
      if (tx.leg === leg) continue;
      const arrive = tx.start + tx.latency + d;
      const leave = (tx.aborted ? tx.actualEnd : tx.plannedEnd) + tx.latency + d;
      if (arrive <= now && leave > now && leave > until) until = leave;
    }
    return until;
  }

  private start(leg: Leg, frame: Frame): void {
    const now = this.ctx.now;
    const tx = new Transmission(leg, frame, now, now + serializationNs(frame, leg.params.bandwidth));
    leg.current = tx;
    leg.attempts++;
    this.prune(now);
    // Collision check at the hub against every signal still arriving there.
    const myHubStart = now + leg.params.latency;
    for (const other of this.active) {
      const otherHubEnd = (other.aborted ? other.actualEnd : other.plannedEnd) + other.latency;
      const otherHubStart = other.start + other.latency;
      const myHubEnd = tx.plannedEnd + leg.params.latency;
      if (myHubStart < otherHubEnd && otherHubStart < myHubEnd) {
        this.collide(tx, other.start + other.latency + leg.params.latency);
        this.collide(other, myHubStart + other.latency);
      }
    }
    this.active.push(tx);
    if (!tx.collided) tx.endTimer = this.ctx.kernel.at(tx.plannedEnd, this.finish, tx);
  }

  private collide(tx: Transmission, detectAt: number): void {
    tx.collided = true;
    if (detectAt >= tx.detectAt) return;
    tx.detectAt = detectAt;
    if (tx.aborted) return;
    if (detectAt < tx.plannedEnd) {
      if (tx.endTimer) this.ctx.kernel.cancel(tx.endTimer);
      tx.endTimer = this.ctx.kernel.at(Math.max(detectAt, this.ctx.now), this.abort, tx);
    }
  }

  /** The sender heard a collision: jam, give up this attempt, back off. */
  private readonly abort = (tx: Transmission): void => {
    const leg = tx.leg;
    const now = this.ctx.now;
    tx.aborted = true;
    tx.actualEnd = now + leg.bitNs(JAM_BITS);
    leg.current = null;
    this.ctx.trace.state(now, this.hubNodeId, 'collision', `${leg.name}: attempt ${leg.attempts}`);
    this.dropAtStation(leg, tx.frame, `collision (attempt ${leg.attempts})`, tx.start);
    if (leg.attempts >= MAX_ATTEMPTS) {
      this.dropAtStation(leg, tx.frame, 'excessive collisions: gave up after 16 attempts', now);
      leg.attempts = 0;
      this.scheduleNext(leg, tx.actualEnd);
      return;
    }
    const k = leg.backoffRng.int(2 ** Math.min(leg.attempts, BACKOFF_LIMIT));
    leg.queue.unshiftFront(tx.frame);
    leg.waitTimer = this.ctx.kernel.at(tx.actualEnd + k * leg.bitNs(SLOT_BITS), this.retryStart, leg);
  };

  /** The sender put the last bit on its cable. Whether it got through is known at the hub later. */
  private readonly finish = (tx: Transmission): void => {
    const leg = tx.leg;
    tx.actualEnd = tx.plannedEnd;
    leg.current = null;
    leg.attempts = 0;
    this.ctx.kernel.at(tx.plannedEnd + tx.latency, this.settle, tx);
    this.scheduleNext(leg, tx.plannedEnd);
  };

  /** The frame's last bit left the hub: deliver it everywhere, or lose it to a late collision. */
  private readonly settle = (tx: Transmission): void => {
    const now = this.ctx.now;
    const leg = tx.leg;
    const trace = this.ctx.trace;
    if (tx.collided) {
      this.dropAtStation(leg, tx.frame, 'late collision: frame lost (segment too long for the slot time)', tx.start);
      return;
    }
    const f = tx.frame;
    const upId = trace.frameTx(tx.start, tx.plannedEnd, now, leg.linkId, leg.upDir, f.head, f.body, f.packetId);
    if (leg.loses()) {
      trace.drop({
        time: now,
        started: tx.start,
        place: leg.linkId,
        dir: leg.upDir,
        reason: `lost on link (loss ${leg.params.loss})`,
        frameId: upId,
        packetId: f.packetId,
      });
      return;
    }
    const repeatStart = tx.start + leg.params.latency;
    for (const out of this.legs) {
      if (out === leg || !out.params.up) continue;
      const arrival = now + out.delay();
      const dir = out.upDir === 0 ? 1 : 0;
      const id = trace.frameTx(repeatStart, now, arrival, out.linkId, dir, f.head, f.body, f.packetId);
      this.ctx.kernel.at(arrival, out.loses() ? this.lose : this.deliver, new Delivery(out, f, id, repeatStart, dir));
    }
  };

  private readonly deliver = (d: Delivery): void => d.leg.station.deliver(d.frame);

  private readonly lose = (d: Delivery): void => {
    const f = d.frame;
    this.ctx.trace.drop({
      time: this.ctx.now,
      started: d.start,
      place: d.leg.linkId,
      dir: d.dir,
      reason: `lost on link (loss ${d.leg.params.loss})`,
      frameId: d.frameId,
      packetId: f.packetId,
    });
  };

  private scheduleNext(leg: Leg, at: number): void {
    if (leg.queue.length > 0 && !leg.waitTimer) {
      leg.waitTimer = this.ctx.kernel.at(at + leg.bitNs(GAP_BITS), this.retryStart, leg);
    }
  }

  private prune(now: number): void {
    let maxLatency = 0;
    for (const l of this.legs) if (l.params.latency > maxLatency) maxLatency = l.params.latency;
    this.active = this.active.filter((tx) => {
      const end = tx.aborted ? tx.actualEnd : tx.plannedEnd;
      return end + tx.latency + maxLatency > now || (!tx.aborted && tx.leg.current === tx);
    });
  }

  private dropAtStation(leg: Leg, frame: Frame, reason: string, started: number): void {
    this.ctx.trace.drop({
      time: this.ctx.now,
      started,
      place: leg.linkId,
      dir: leg.upDir,
      reason,
      head: frame.head,
      body: frame.body,
      packetId: frame.packetId,
    });
  }
}

class Delivery {
  constructor(
    readonly leg: Leg,
    readonly frame: Frame,
    readonly frameId: number,
    readonly start: number,
    readonly dir: number,
  ) {}
}
