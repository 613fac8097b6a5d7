/**
 * The baseline the kernel benchmark compares against: a textbook binary heap holding one object
 * per pending event, with the same (time, seq) order. The ratio shows what the kernel's
 * typed-array layout buys in the same run on the same machine.
 */
interface Ev {
  time: number;
  seq: number;
  fn: (arg: unknown) => void;
  arg: unknown;
}

export class ObjectHeapQueue {
  private heap: Ev[] = [];
  private seq = 0;
  now = 0;

  after(delay: number, fn: (arg: unknown) => void, arg?: unknown): void {
    const e: Ev = { time: this.now + delay, seq: this.seq++, fn, arg };
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (less(h[p], e)) break;
      h[i] = h[p];
      i = p;
    }
    h[i] = e;
  }

  step(): boolean {
    const h = this.heap;
    if (h.length === 0) return false;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= h.length) break;
        if (c + 1 < h.length && less(h[c + 1], h[c])) c++;
        if (less(last, h[c])) break;
        h[i] = h[c];
        i = c;
      }
      h[i] = last;
    }
    this.now = top.time;
    top.fn(top.arg);
    return true;
  }
}

function less(a: Ev, b: Ev): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
