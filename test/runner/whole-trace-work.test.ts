// Whole-trace work happens where the trace is built (the simulation worker), not on the page that
// receives it: the frame colour classes, the RR events and the state keys travel with the last
// chunk, and the page's readers use them instead of scanning the trace again.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SimReply, SimRequest } from '../../src/runner/protocol';
import { runSimRequest } from '../../src/runner/run-request';
import { traceFromChunks } from '../../src/runner/trace-chunk';
import { colorClassOfFrame } from '../../src/protocols/color-class';
import { registerBuiltinProtocols } from '../../src/protocols/builtin';
import { timelineIndexFromParts } from '../../src/timeline/index-transfer';
import { knowRrEvents, readRrEvents, rrEventsOf } from '../../src/timeline/metrics/rr-events';
import { knowStateKeyCodes, readStateKeyCodes, traceHasStateKey } from '../../src/timeline/state-keys';

function run(file: string): { done: Extract<SimReply, { type: 'done' }>; chunks: Extract<SimReply, { type: 'chunk' | 'done' }>['chunk'][] } {
  const out: SimReply[] = [];
  let clock = 0;
  const req: SimRequest = { type: 'run', runId: 1, text: readFileSync(file, 'utf8'), fileName: file };
  runSimRequest(
    req,
    (reply, transfer) => out.push(structuredClone(reply, { transfer })),
    () => (clock += 1),
  );
  const done = out.at(-1);
  if (done?.type !== 'done') throw new Error(`${file}: no done reply`);
  return { done, chunks: out.flatMap((r) => (r.type === 'chunk' || r.type === 'done' ? [r.chunk] : [])) };
}

describe('the last reply carries what needs the whole trace', () => {
  it('every frame arrives classified, as dissecting its bytes on the page would', () => {
    registerBuiltinProtocols();
    const { done, chunks } = run('scenes/h2-vs-h3-loss.yaml');
    const trace = traceFromChunks(chunks);
    const index = timelineIndexFromParts(done.index, trace);
    expect(trace.frameTotal).toBeGreaterThan(100);
    for (let f = 0; f < trace.frameTotal; f++) expect(index.frameProto[f]).toBe(colorClassOfFrame(trace.frameBytes(f)));
  });

  it('the RR events and state keys are those of the trace, and the page reads them without a scan', () => {
    const { done, chunks } = run('scenes/retry-amplification.yaml');
    const trace = traceFromChunks(chunks);
    expect(done.rr).toEqual(readRrEvents(trace));
    expect([...done.stateKeys]).toEqual([...readStateKeyCodes(trace)]);
    knowRrEvents(trace, done.rr);
    knowStateKeyCodes(trace, done.stateKeys);
    expect(rrEventsOf(trace)).toBe(done.rr);
    expect(traceHasStateKey(trace, (k) => k.startsWith('rr.'))).toBe(true);
    expect(traceHasStateKey(trace, (k) => k.startsWith('tcp '))).toBe(false);
  });
});

describe('state keys', () => {
  it('are the keys of node state rows only: log lines and values do not count', () => {
    const { chunks } = run('scenes/router-ping.yaml');
    const trace = traceFromChunks(chunks);
    const keys = [...readStateKeyCodes(trace)].map((c) => trace.string(c));
    expect(keys.length).toBeGreaterThan(0);
    // ping prints "64 bytes from ..." lines: a log, not a state key.
    expect(traceHasStateKey(trace, (k) => k.startsWith('64 bytes from'))).toBe(false);
  });
});
