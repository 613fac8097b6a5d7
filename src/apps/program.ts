/**
 * The base of every program that runs on a simulated host: it writes output lines, owns its timers
 * (all cancelled when it exits or the host crashes), and leaves the host's process list on exit.
 */
import type { EventHandler, TimerId } from '../sim/kernel';
import type { IpDevice, Process } from '../net/ip/ip-device';

export abstract class Program implements Process {
  private readonly timers = new Set<TimerId>();
  private running = false;
  /** Set when the run ended while the program ran: nothing it owns acts on the network any more. */
  private observationOver = false;

  /** The registered name it was started as (`ping`); set by `startCommand`. */
  name?: string;

  constructor(protected readonly device: IpDevice) {}

  /** Simulated time now, ns. */
  protected get now(): number {
    return this.device.ctx.now;
  }

  /** Whether the program is still running. */
  get alive(): boolean {
    return this.running;
  }

  /** Starts the program on its device. */
  launch(): this {
    this.running = true;
    this.device.processes.add(this);
    this.main();
    return this;
  }

  /** The program's entry point. */
  protected abstract main(): void;

  /** Called once when the program stops for any reason. */
  protected onExit(): void {}

  /** Prints a line of output (nothing once the run has ended: its sockets may still call back at that instant). */
  protected print(line: string): void {
    if (this.observationOver && !this.running) return;
    this.device.log(line);
  }

  /** Runs `fn` after `delayNs`, unless the program has exited by then. */
  protected after<A>(delayNs: number, fn: EventHandler<A>, arg?: A): TimerId {
    const id: TimerId = this.device.ctx.kernel.after(
      delayNs,
      (a: A) => {
        this.timers.delete(id);
        if (this.running) fn(a);
      },
      arg,
    );
    this.timers.add(id);
    return id;
  }

  /** Cancels a timer set with {@link after}. */
  protected cancel(id: TimerId): void {
    if (this.timers.delete(id)) this.device.ctx.kernel.cancel(id);
  }

  /** Ends the program normally. */
  exit(): void {
    if (!this.running) return;
    this.running = false;
    for (const id of this.timers) this.device.ctx.kernel.cancel(id);
    this.timers.clear();
    this.device.processes.delete(this);
    if (!this.observationOver) this.onExit();
  }

  /** Ctrl-C: the run ended while the program was running. Programs with a summary print it. */
  interrupt(): void {
    this.exit();
  }

  /**
   * The run ended while the program was running. The end of a run is the end of observation, not an
   * event in the network: the program prints what it would print when interrupted ({@link interrupt})
   * and stops, but its sockets are left as they are (no FIN, no RST, nothing more on the wire).
   */
  endOfRun(): void {
    this.observationOver = true;
    this.interrupt();
  }

  /** Kills the program (the host crashed). */
  kill(): void {
    this.exit();
  }
}
