/** A stand-in for the browser's Worker, for tests of the runner and of the stores that simulate in the background. */
import type { SimReply, SimRequest } from '../../src/runner/protocol';
import { runSimRequest } from '../../src/runner/run-request';

/**
 * A stand-in for the browser's Worker: runs the real worker code in this thread, then delivers each
 * reply (structured-cloned, buffers transferred) in its own task. It keeps delivering after
 * `terminate`, the worst a real one could do, so only the run ids keep stale replies out.
 */
export class FakeWorker {
  static made: FakeWorker[] = [];
  /** Workers in the order they were given a run (an idle one is reused). */
  static running: FakeWorker[] = [];
  static failToStart = false;
  onmessage: ((e: { data: SimReply }) => void) | null = null;
  onerror: ((e: { message: string; preventDefault(): void }) => void) | null = null;
  terminated = false;
  constructor() {
    FakeWorker.made.push(this);
  }
  postMessage(req: SimRequest): void {
    FakeWorker.running.push(this);
    if (FakeWorker.failToStart) {
      setTimeout(() => this.onerror?.({ message: 'blocked', preventDefault() {} }), 0);
      return;
    }
    let clock = 0;
    const replies: SimReply[] = [];
    // A clock that advances 10 ms per look (every 256 events): a chunk every 1,024 events.
    runSimRequest(
      req,
      (reply, transfer) => replies.push(structuredClone(reply, { transfer })),
      () => (clock += 10),
    );
    const deliver = (i: number) => {
      if (i === replies.length) return;
      this.onmessage?.({ data: replies[i] });
      setTimeout(() => deliver(i + 1), 0);
    };
    setTimeout(() => deliver(0), 0);
  }
  terminate(): void {
    this.terminated = true;
  }
}
