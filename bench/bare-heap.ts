/**
 * The ceiling the kernel benchmark compares against: the hold model run on a bare binary heap of
 * typed arrays (time and sequence as Float64Array keys, a handler index as Int32Array), with no
 * cancellation, no lanes, no handles and no argument slots. It is about the fastest a (time, seq)
 * ordered event loop can be in V8, so `kernel / bare` says how much of that speed the kernel keeps
 * while giving the simulator everything it needs.
 */

/** Runs `events` events of the hold model with `pending` events waiting; returns events/s. */
export function bareHeapHold(pending: number, events: number, delays: Float64Array): { wallMs: number; eventsPerSec: number } {
  const cap = pending + 1;
  const time = new Float64Array(cap);
  const seq = new Float64Array(cap);
  const fn = new Int32Array(cap);
  let size = 0;
  let nextSeq = 0;
  let now = 0;
  let d = 0;
  const mask = delays.length - 1;

  const push = (t: number, h: number): void => {
    const s = nextSeq++;
    let i = size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = time[p];
      if (pt < t || (pt === t && seq[p] < s)) break;
      time[i] = pt;
      seq[i] = seq[p];
      fn[i] = fn[p];
      i = p;
    }
    time[i] = t;
    seq[i] = s;
    fn[i] = h;
  };

  /** Removes the root: moves the last entry down from the top. */
  const pop = (): void => {
    const t = time[--size];
    const s = seq[size];
    const h = fn[size];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= size) break;
      if (c + 1 < size && (time[c + 1] < time[c] || (time[c + 1] === time[c] && seq[c + 1] < seq[c]))) c++;
      if (t < time[c] || (t === time[c] && s < seq[c])) break;
      time[i] = time[c];
      seq[i] = seq[c];
      fn[i] = fn[c];
      i = c;
    }
    time[i] = t;
    seq[i] = s;
    fn[i] = h;
  };

  // Handlers are called through a table, as the kernel calls them through its slots.
  const handlers: (() => void)[] = [() => push(now + delays[d++ & mask], 0)];
  for (let i = 0; i < pending; i++) push(now + delays[d++ & mask], 0);
  const t0 = performance.now();
  for (let n = 0; n < events; n++) {
    now = time[0];
    const h = fn[0];
    pop();
    handlers[h]();
  }
  const wallMs = performance.now() - t0;
  return { wallMs, eventsPerSec: events / (wallMs / 1000) };
}
