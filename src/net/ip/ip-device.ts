/**
 * A device with an IPv4 stack and programs running on it: the common base of hosts, servers and
 * routers (a router is an IP device that forwards).
 */
import type { SimContext } from '../context';
import { Device } from '../device';
import type { Frame } from '../frame';
import type { Nic } from '../nic';
import { IpStack } from './ip-stack';

/** A running program on a device; killed when the device crashes. */
export interface Process {
  /** Stops the program and cancels its timers. */
  kill(): void;
  /** The program's name (`ping`), for signals sent by name; absent for daemons of the device itself. */
  readonly name?: string;
  /** SIGINT (Ctrl-C): the program prints what it prints when interrupted and stops. */
  interrupt?(): void;
}

export class IpDevice extends Device {
  readonly stack: IpStack;
  readonly processes = new Set<Process>();

  constructor(ctx: SimContext, name: string, nodeId: number, forwarding: boolean) {
    super(ctx, name, nodeId);
    this.stack = new IpStack(this, forwarding);
  }

  protected onFrame(nic: Nic, frame: Frame): void {
    this.stack.onFrame(nic, frame);
  }

  protected override onCrash(): void {
    for (const p of [...this.processes]) p.kill();
    this.processes.clear();
    this.stack.reset();
  }
}
