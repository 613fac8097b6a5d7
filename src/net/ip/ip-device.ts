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

/** A service a device runs from boot (a DHCP client, server or relay): started, it returns its handle or an error text. */
type ServiceStart = () => Process | string;

export class IpDevice extends Device {
  readonly stack: IpStack;
  readonly processes = new Set<Process>();
  private readonly services: ServiceStart[] = [];
  /** False while the host waits for its address (a DHCP client before its first lease). */
  private configured = true;
  private readonly waiting: (() => void)[] = [];

  constructor(ctx: SimContext, name: string, nodeId: number, forwarding: boolean) {
    super(ctx, name, nodeId);
    this.stack = new IpStack(this, forwarding);
  }

  /** Runs `start` at boot (time 0) and after every restart; a crash kills what it started. */
  addService(start: ServiceStart): void {
    if (this.services.length === 0) this.ctx.kernel.at(0, () => this.startServices());
    this.services.push(start);
  }

  private startServices(): void {
    for (const start of this.services) {
      const p = start();
      if (typeof p === 'string') this.log(p);
      else this.processes.add(p);
    }
  }

  /** Marks the host as waiting for its address; {@link setConfigured} ends the wait. */
  awaitConfiguration(): void {
    this.configured = false;
  }

  /** The host has its address: programs waiting for it start now. */
  setConfigured(): void {
    this.configured = true;
    for (const fn of this.waiting.splice(0)) fn();
  }

  /** Runs `fn` now, or once the host has its address (programs started before a DHCP lease wait for it). */
  whenConfigured(fn: () => void): void {
    if (this.configured) fn();
    else this.waiting.push(fn);
  }

  protected onFrame(nic: Nic, frame: Frame): void {
    this.stack.onFrame(nic, frame);
  }

  protected override onCrash(): void {
    for (const p of [...this.processes]) p.kill();
    this.processes.clear();
    this.stack.reset();
  }

  protected override onRestart(): void {
    super.onRestart();
    this.startServices();
  }
}
