/**
 * The client side of RR: sends requests, times attempts out, retries by its policy (backoff,
 * retry budget, circuit breaker, deadline) and reports each request's outcome once. Used by the
 * load client for every simulated client, and by a tier server for its calls to the next tier.
 *
 * A response counts only for the attempt in flight: one for an attempt that already timed out is
 * ignored (the client has stopped listening for it), so the work the server did for it is wasted.
 *
 * Trace rows (state rows on the caller's node; see src/timeline/metrics/rr-events.ts and, for
 * why ids are written relative to the node's last id, trace-rows.ts):
 *   rr.send    = "<attempt> <back>[ <root>]"      every attempt sent (back = last id - id; root
 *                                                 only when it is not the request itself)
 *   rr.timeout = "<attempt> <back>"               an attempt timed out
 *   rr.done    = "<outcome> <attempts> <back>"    a request finished (ok or why it failed); its
 *                                                 response time runs from its first rr.send
 *   rr.breaker = "closed" | "open" | "half-open"
 */
import type { RngStream } from '../../sim/rng';
import type { TimerId } from '../../sim/kernel';
import { checkRr, readRr, RrStatus, RrType, type RrMessage } from '../../protocols/rr/rr';
import { backoffDelay } from './backoff';
import type { CallerPolicy } from './caller-policy';
import { CircuitBreaker, type BreakerState } from './circuit-breaker';
import { RetryBudget } from './retry-budget';
import { nodeRefs, type RrRows } from './trace-rows';

/** How a request ended. */
export type CallOutcome = 'ok' | 'timeout' | 'error' | 'overloaded' | 'deadline' | 'unavailable' | 'breaker';

/** What the caller needs from the program it runs in. */
export interface CallerHost {
  readonly now: number;
  /** Runs `fn(arg)` after `delayNs` (the caller cancels its own timers when closed). */
  timer<A>(delayNs: number, fn: (arg: A) => void, arg: A): TimerId;
  /** {@link timer} for attempt timeouts: mostly equal delays, so they can wait in one kernel lane. */
  timeoutTimer<A>(delayNs: number, fn: (arg: A) => void, arg: A): TimerId;
  cancelTimer(id: TimerId): void;
  state(key: string, value: string): void;
  /** Where the rr.send, rr.timeout and rr.done rows go (the node's). */
  readonly rows: RrRows;
  log(line: string): void;
  /**
   * Backoff jitter: a stream of its own, so two runs that differ only in retry policy offer the
   * same load (the host's arrivals and think times do not shift with the number of retries).
   */
  readonly retryRng: RngStream;
  /** The node this runs on (any object standing for it): request ids are numbered per node. */
  readonly node: object;
}

/** Sends request `m` from client `slot` (encoding it at once: `m` is reused). */
export type CallerSend = (slot: number, m: RrMessage) => void;

/** Called once per request with how it ended. */
export type CallDone = (outcome: CallOutcome, request: CallInfo) => void;

/** A finished request, as the done callback sees it. */
interface CallInfo {
  readonly id: number;
  readonly slot: number;
  readonly rootId: number;
  readonly startedAt: number;
  readonly attempts: number;
}

/**
 * A request in progress. A class rather than an object literal: its time and timer fields soon
 * hold numbers too large for small integers, and instances of a class follow that change once,
 * where literals kept being created in the old shape and converted one by one.
 */
class Call implements CallInfo {
  attempts = 0;
  timer: TimerId = 0;
  /** Whether an attempt is in flight (answers to it count). */
  listening = false;
  prevDelay = 0;

  constructor(
    readonly id: number,
    readonly slot: number,
    readonly rootId: number,
    readonly startedAt: number,
    /** When the request as a whole gives up, ns (Infinity: never). */
    readonly deadline: number,
    readonly done: CallDone | undefined,
  ) {}
}

const STATUS_OUTCOME: Record<number, CallOutcome> = {
  [RrStatus.Overloaded]: 'overloaded',
  [RrStatus.DeadlineExceeded]: 'deadline',
  [RrStatus.Error]: 'error',
  [RrStatus.Unavailable]: 'unavailable',
};

export class RrCaller {
  private readonly ids: { lastId: number };
  private closed = false;
  private readonly msg: RrMessage = { type: RrType.Request, status: RrStatus.Ok, tier: 0, attempt: 0, requestId: 0, rootId: 0, deadlineUs: 0, bodyLength: 0 };
  private readonly calls = new Map<number, Call>();
  /** The response being handled (read into one reused message). */
  private readonly received: RrMessage = {
    type: RrType.Response,
    status: RrStatus.Ok,
    tier: 0,
    attempt: 0,
    requestId: 0,
    rootId: 0,
    deadlineUs: 0,
    bodyLength: 0,
  };
  readonly budget: RetryBudget | undefined;
  readonly breaker: CircuitBreaker | undefined;
  /** Counters for summaries. */
  readonly counts = { requests: 0, attempts: 0, ok: 0, failed: 0, timeouts: 0, late: 0 };

  constructor(
    private readonly host: CallerHost,
    readonly policy: CallerPolicy,
    private readonly send: CallerSend,
    /** The tier this caller's requests carry (1 for the load clients; a server sets its own). */
    public tier: number,
  ) {
    this.budget = policy.budget ? new RetryBudget(policy.budget.ratio, policy.budget.burst) : undefined;
    this.breaker = policy.breaker ? new CircuitBreaker(policy.breaker, (s) => this.onBreaker(s)) : undefined;
    this.ids = nodeRefs(host.node);
  }

  /** Requests in flight (waiting for an answer or a retry). */
  get inFlight(): number {
    return this.calls.size;
  }

  /**
   * Starts a request for client `slot`. `rootId` links it to the top-level request it serves
   * (itself when absent); `deadline` (absolute ns) caps it, e.g. the caller's own caller's.
   */
  call(slot: number, done?: CallDone, rootId?: number, deadline = Infinity): number {
    // Ids count up per node (trace-rows.ts); 2^32 requests on one node are out of reach.
    const id = ++this.ids.lastId;
    const now = this.host.now;
    const own = this.policy.deadlineNs !== undefined ? now + this.policy.deadlineNs : Infinity;
    const c = new Call(id, slot, rootId ?? id, now, Math.min(own, deadline), done);
    this.counts.requests++;
    this.budget?.deposit();
    if (this.breaker && !this.breaker.allow(now)) {
      this.finish(c, 'breaker');
      return id;
    }
    this.calls.set(id, c);
    this.attempt(c);
    return id;
  }

  private readonly attempt = (c: Call): void => {
    c.timer = 0;
    const now = this.host.now;
    c.attempts++;
    this.counts.attempts++;
    const give = Math.min(this.policy.timeoutNs, c.deadline - now);
    const msg = this.msg;
    msg.tier = this.tier;
    msg.attempt = Math.min(c.attempts, 255);
    msg.requestId = c.id;
    msg.rootId = c.rootId;
    msg.deadlineUs = Math.min(0xffff_ffff, Math.ceil((now + give) / 1000));
    msg.bodyLength = this.policy.size;
    this.host.rows.send(c.attempts, this.ids.lastId - c.id, c.rootId === c.id ? undefined : c.rootId);
    c.listening = true;
    this.send(c.slot, msg);
    c.timer = this.host.timeoutTimer(give, this.onTimeout, c);
  };

  private readonly onTimeout = (c: Call): void => {
    c.timer = 0;
    c.listening = false;
    this.counts.timeouts++;
    this.host.rows.timeout(c.attempts, this.ids.lastId - c.id);
    this.breaker?.failure(this.host.now);
    this.retryOrFail(c, 'timeout');
  };

  /** Handles a payload that arrived for this caller, `data[offset, end)` (responses; anything else is ignored). */
  onMessage(data: Uint8Array, offset = 0, end = data.length): void {
    if (checkRr(data, offset, end) !== undefined) return;
    const m = readRr(data, offset, this.received);
    if (m.type !== RrType.Response) return;
    const c = this.calls.get(m.requestId);
    if (!c || !c.listening || m.attempt !== Math.min(c.attempts, 255)) {
      this.counts.late++;
      return;
    }
    this.host.cancelTimer(c.timer);
    c.timer = 0;
    c.listening = false;
    const now = this.host.now;
    if (m.status === RrStatus.Ok) {
      this.breaker?.success(now);
      this.finish(c, 'ok');
      return;
    }
    this.breaker?.failure(now);
    this.retryOrFail(c, STATUS_OUTCOME[m.status] ?? 'error');
  }

  private retryOrFail(c: Call, why: CallOutcome): void {
    const now = this.host.now;
    if (c.attempts >= this.policy.maxAttempts || now >= c.deadline) {
      this.finish(c, why);
      return;
    }
    if (this.budget && !this.budget.withdraw()) {
      this.finish(c, why);
      return;
    }
    if (this.breaker && !this.breaker.allow(now)) {
      this.finish(c, 'breaker');
      return;
    }
    const delay = backoffDelay(this.policy.backoff, c.attempts, c.prevDelay, this.host.retryRng);
    c.prevDelay = delay;
    if (now + delay >= c.deadline) {
      this.finish(c, why);
      return;
    }
    c.timer = this.host.timer(delay, this.attempt, c);
  }

  private finish(c: Call, outcome: CallOutcome): void {
    this.calls.delete(c.id);
    if (outcome === 'ok') this.counts.ok++;
    else this.counts.failed++;
    this.host.rows.done(outcome, c.attempts, this.ids.lastId - c.id);
    c.done?.(outcome, c);
  }

  private onBreaker(s: BreakerState): void {
    this.host.state('rr.breaker', s);
    this.host.log(`rr: circuit breaker ${s}`);
    if (s === 'open' && this.breaker) {
      // Show half-open in the trace when the open time is up, not only at the next call.
      const breaker = this.breaker;
      this.host.timer(
        breaker.policy.openNs,
        () => {
          if (!this.closed) breaker.tick(this.host.now);
        },
        undefined,
      );
    }
  }

  /** Stops everything in flight (the program exits). */
  close(): void {
    this.closed = true;
    for (const c of this.calls.values()) if (c.timer > 0) this.host.cancelTimer(c.timer);
    this.calls.clear();
  }
}
