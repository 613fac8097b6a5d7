/** A FIFO of frames backed by a ring buffer (no array shifting on the hot path). */
import type { Frame } from './frame';

export class FrameQueue {
  private items: (Frame | undefined)[] = new Array(16);
  private head = 0;
  private count = 0;

  get length(): number {
    return this.count;
  }

  /** Adds a frame at the tail. */
  push(f: Frame): void {
    if (this.count === this.items.length) this.grow();
    this.items[(this.head + this.count) % this.items.length] = f;
    this.count++;
  }

  /** Puts a frame back at the head (a sender retrying the frame it just tried). */
  unshiftFront(f: Frame): void {
    if (this.count === this.items.length) this.grow();
    this.head = (this.head - 1 + this.items.length) % this.items.length;
    this.items[this.head] = f;
    this.count++;
  }

  /** Removes and returns the head frame. */
  shift(): Frame | undefined {
    if (this.count === 0) return undefined;
    const f = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.items.length;
    this.count--;
    return f;
  }

  private grow(): void {
    const bigger: (Frame | undefined)[] = new Array(this.items.length * 2);
    for (let i = 0; i < this.count; i++) bigger[i] = this.items[(this.head + i) % this.items.length];
    this.items = bigger;
    this.head = 0;
  }
}
