// A trace rebuilt from chunks and sized up front for its whole run keeps its arrays (no copy of
// millions of rows near the end) and holds exactly what the worker's trace holds.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SimReply } from '../../src/runner/protocol';
import { runSimRequest } from '../../src/runner/run-request';
import { appendTraceChunk, traceFromChunks, type TraceChunk } from '../../src/runner/trace-chunk';
import { Trace } from '../../src/sim/trace';

function chunks(file: string): TraceChunk[] {
  const out: TraceChunk[] = [];
  let clock = 0;
  runSimRequest(
    { type: 'run', runId: 1, text: readFileSync(file, 'utf8'), fileName: file, chunkMs: 1 },
    (r: SimReply) => void ((r.type === 'chunk' || r.type === 'done') && out.push(r.chunk)),
    () => (clock += 1),
  );
  return out;
}

describe('Trace.reserveCapacity', () => {
  it('a trace sized for the whole run appends every chunk without replacing its arrays', () => {
    const cs = chunks('scenes/h2-vs-h3-loss.yaml');
    expect(cs.length).toBeGreaterThan(3);
    const whole = traceFromChunks(cs);
    const raw = whole.rawColumns();
    const t = new Trace();
    t.reserveCapacity(raw.rows, raw.frameCount, raw.headsLen, raw.bodyCount, raw.bodiesLen);
    const arrays = [t.kind, t.time, t.frame, t.rawColumns().heads, t.rawColumns().bodies, t.rawColumns().frameHeadOff];
    for (const c of cs) appendTraceChunk(t, c);
    expect([t.kind, t.time, t.frame, t.rawColumns().heads, t.rawColumns().bodies, t.rawColumns().frameHeadOff]).toEqual(arrays);
    expect(arrays.every((a, i) => a === [t.kind, t.time, t.frame, t.rawColumns().heads, t.rawColumns().bodies, t.rawColumns().frameHeadOff][i])).toBe(true);
    expect(t.hash()).toBe(whole.hash());
  });

  it('reserving less than a trace holds changes nothing', () => {
    const t = traceFromChunks(chunks('scenes/router-ping.yaml'));
    const before = t.hash();
    const kind = t.kind;
    t.reserveCapacity(1, 1, 1, 1, 1);
    expect(t.kind).toBe(kind);
    expect(t.hash()).toBe(before);
  });
});
