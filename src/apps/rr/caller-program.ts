/**
 * A program that makes RR calls: what the caller needs from its host (timers straight on the
 * kernel, a lane for attempt timeouts, backoff jitter on a stream of its own, the RR trace rows),
 * shared by rr-client and rr-server (which calls the next tier).
 */
import type { IpDevice } from '../../net/ip/ip-device';
import type { LaneId, TimerId } from '../../sim/kernel';
import type { RngStream } from '../../sim/rng';
import { Program } from '../program';
import type { CallerHost } from './caller';
import { RrRows } from './trace-rows';

export abstract class CallerProgram extends Program implements CallerHost {
  /** Backoff jitter (its own stream: a change of retry policy leaves arrivals and service alone). */
  readonly retryRng: RngStream;
  readonly rows: RrRows;
  /** The kernel lane of attempt timeouts. */
  private readonly timeoutLane: LaneId;

  constructor(device: IpDevice, retryStream: string) {
    super(device);
    this.retryRng = device.stack.rng(retryStream);
    this.rows = new RrRows(device);
    this.timeoutLane = device.ctx.kernel.lane();
  }

  override get now(): number {
    return super.now;
  }
  /**
   * The caller's timers and the per-request ones, straight on the kernel: cheaper than
   * {@link Program.after} for millions of them. Their handlers check that the program still runs,
   * and the caller cancels its own when closed.
   */
  timer<A>(delayNs: number, fn: (arg: A) => void, arg: A): TimerId {
    return this.device.ctx.kernel.after(delayNs, fn, arg);
  }
  timeoutTimer<A>(delayNs: number, fn: (arg: A) => void, arg: A): TimerId {
    return this.device.ctx.kernel.afterInLane(this.timeoutLane, delayNs, fn, arg);
  }
  cancelTimer(id: TimerId): void {
    this.device.ctx.kernel.cancel(id);
  }
  state(key: string, value: string): void {
    this.device.state(key, value);
  }
  log(line: string): void {
    this.print(line);
  }
  get node(): object {
    return this.device;
  }
}
