/** Reading one host's history out of a trace up to a time: its state rows, its links' state. */
import { Place, RecordKind, type Trace } from '../../sim/trace';

/** Calls `fn(key, value, time)` for each state row of `node` with time <= `t`, in trace order. */
export function forEachState(trace: Trace, node: number, t: number, fn: (key: string, value: string, time: number, row: number) => void): void {
  for (let r = 0; r < trace.length && trace.time[r] <= t; r++) {
    if (trace.kind[r] === RecordKind.State && trace.dir[r] === Place.Node && trace.place[r] === node)
      fn(trace.string(trace.code[r]), trace.string(trace.frame[r]), trace.time[r], r);
  }
}

/** The time the host was last powered down (crashed) at or before `t` and is still down, else undefined. */
export function downSince(trace: Trace, node: number, t: number): number | undefined {
  let since: number | undefined;
  forEachState(trace, node, t, (key, value, time) => {
    if (key === 'power') since = value === 'down' ? time : undefined;
  });
  return since;
}

/** The time of the host's last crash at or before `t` (its volatile tables start empty after it), or -1. */
export function lastCrash(trace: Trace, node: number, t: number): number {
  let at = -1;
  forEachState(trace, node, t, (key, value, time) => {
    if (key === 'power' && value === 'down') at = time;
  });
  return at;
}

/** Whether link `link` carries frames at `t` (its `up` state rows; `initiallyUp` before any). */
export function linkUpAt(trace: Trace, link: number, t: number, initiallyUp: boolean): boolean {
  let up = initiallyUp;
  for (let r = 0; r < trace.length && trace.time[r] <= t; r++) {
    if (trace.kind[r] === RecordKind.State && trace.dir[r] === Place.Link && trace.place[r] === link && trace.string(trace.code[r]) === 'up') {
      up = trace.string(trace.frame[r]) === 'true';
    }
  }
  return up;
}
