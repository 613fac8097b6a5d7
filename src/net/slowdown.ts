/**
 * A per-device speed knob that faults turn and programs read: the factor by which the device's
 * programs stretch the time their work takes (a server's service time). 1 is normal speed; a
 * `slowdown` fault sets 5 to make everything five times slower (a slow disk, a noisy neighbour, a
 * garbage-collection storm). Kept beside the device rather than on it, so any kind of device can
 * be slowed without knowing about it.
 */
import type { Device } from './device';

const factors = new WeakMap<Device, number>();

/** The device's current work-time multiplier (1 when never set). */
export function slowdownOf(device: Device): number {
  return factors.get(device) ?? 1;
}

/** Sets the multiplier (>= 0; 1 restores normal speed) and publishes it as state `slowdown`. */
export function setSlowdown(device: Device, factor: number): void {
  if (!(factor >= 0) || !Number.isFinite(factor)) throw new RangeError(`slowdown factor must be a finite number >= 0, got ${factor}`);
  if (factor === 1) factors.delete(device);
  else factors.set(device, factor);
  device.state('slowdown', factor === 1 ? '' : `x${factor}`);
}
