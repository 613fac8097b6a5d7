/**
 * A server's own response time (sojourn): from a request's arrival (`rr.recv`) to its answer
 * (`rr.reply` of the same root and attempt), queueing included; requests refused or dropped
 * (`rr.shed`) have none. This is the latency a server adds, seen from the server, without the
 * network or the load balancer in front of it.
 */
import { percentileSorted } from './percentile';
import type { RrNodeEvents } from './rr-events';

/** Served requests of one server, in answer order. */
export interface ServerSojourns {
  /** When the answer left, ns. */
  readonly time: Float64Array;
  /** Arrival to answer, ns. */
  readonly sojourn: Float64Array;
}

/** The sojourn of every request `server` answered after a worker took it. */
export function serverSojourns(server: RrNodeEvents): ServerSojourns {
  const arrived = new Map<number, number>();
  const key = (root: number, attempt: number) => root * 256 + (attempt & 0xff);
  const { recv, replies } = server;
  const time: number[] = [];
  const sojourn: number[] = [];
  let i = 0;
  for (let j = 0; j < replies.time.length; j++) {
    // Rows are in time order, and an answer comes after its arrival: read arrivals up to it.
    while (i < recv.time.length && recv.time[i] <= replies.time[j]) {
      arrived.set(key(recv.extra[i], recv.value[i]), recv.time[i]);
      i++;
    }
    const k = key(replies.extra[j], replies.value[j]);
    const at = arrived.get(k);
    if (at === undefined) continue;
    arrived.delete(k);
    time.push(replies.time[j]);
    sojourn.push(replies.time[j] - at);
  }
  return { time: Float64Array.from(time), sojourn: Float64Array.from(sojourn) };
}

/** Percentile `p` (0..1) of the sojourns of answers sent in [from, to) ns; NaN for none. */
export function sojournPercentile(s: ServerSojourns, from: number, to: number, p: number): number {
  const sel: number[] = [];
  for (let i = 0; i < s.time.length; i++) if (s.time[i] >= from && s.time[i] < to) sel.push(s.sojourn[i]);
  return percentileSorted(Float64Array.from(sel).sort(), p);
}
