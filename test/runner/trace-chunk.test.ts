/**
 * A trace streamed in chunks while its scene runs (as the simulation worker does) and appended to
 * another trace (as the page does) is the same trace: same hash, same rows, same frame bytes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadScene, type Scene } from '../../src/scenario/load';
import { simulate } from '../../src/scenario/simulate';
import { SlicedRun } from '../../src/scenario/sliced-run';
import { appendTraceChunk, chunkTransferList, TraceChunker, traceFromChunks, type TraceChunk } from '../../src/runner/trace-chunk';
import { Trace } from '../../src/sim/trace';

const S = 1_000_000_000;

function scene(name: string): Scene {
  const file = `scenes/${name}.yaml`;
  const r = loadScene(readFileSync(file, 'utf8'), file);
  if (!r.ok) throw new Error(`${file}: ${JSON.stringify(r.errors)}`);
  return r.scene;
}

/** Runs `sc` in slices of the given sizes (cycling), cutting a chunk after each, as the worker does. */
function chunkedRun(sc: Scene, sliceSizes: number[], untilNs?: number): { chunks: TraceChunk[]; run: SlicedRun } {
  const run = new SlicedRun(sc, { untilNs });
  const chunker = new TraceChunker(run.trace);
  const chunks: TraceChunk[] = [];
  for (let i = 0; !run.runSlice(sliceSizes[i % sliceSizes.length]); i++) chunks.push(chunker.next());
  chunks.push(chunker.next());
  return { chunks, run };
}

/** Sends a chunk through the structured clone algorithm with its buffers transferred, like postMessage. */
function posted(chunk: TraceChunk): TraceChunk {
  const transfer = chunkTransferList(chunk);
  const copy = structuredClone(chunk, { transfer });
  expect(chunk.kind.byteLength, 'the sender gave its buffers away').toBe(0);
  return copy;
}

const bytesOf = (v: ArrayBufferView) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);

function expectSameRows(got: Trace, want: Trace): void {
  expect(got.length).toBe(want.length);
  expect(got.frameTotal).toBe(want.frameTotal);
  expect(got.nodes).toEqual(want.nodes);
  expect(got.links).toEqual(want.links);
  const n = want.length;
  for (const col of ['kind', 'dir', 'time', 'end', 'arrival', 'place', 'code', 'frame', 'packet'] as const) {
    expect(bytesOf(got[col].subarray(0, n)).equals(bytesOf(want[col].subarray(0, n))), col).toBe(true);
  }
  // Spot-check frame bytes and strings through the read API, spread over the whole trace.
  const step = Math.max(1, Math.floor(want.frameTotal / 200));
  for (let f = 0; f < want.frameTotal; f += step) expect(got.frameBytes(f)).toEqual(want.frameBytes(f));
  if (want.frameTotal > 0) expect(got.frameBytes(want.frameTotal - 1)).toEqual(want.frameBytes(want.frameTotal - 1));
  for (let r = 0; r < n; r += Math.max(1, Math.floor(n / 200)))
    expect(got.string(got.code[r] >= 0 ? got.code[r] : 0)).toBe(want.string(want.code[r] >= 0 ? want.code[r] : 0));
}

describe('trace chunks', () => {
  const cases: [string, number | undefined][] = [
    ['router-ping', undefined],
    ['tcp-loss', undefined],
    ['http-evolution', undefined],
    ['quic-handshake', undefined],
    ['retry-storm', undefined],
    ['littles-law', 2 * S],
    ['bench-retry-storm', 1 * S],
  ];
  for (const [name, until] of cases) {
    it(`${name}: chunks cut while it runs, posted and appended, make the trace Node simulates in one go`, () => {
      const sc = scene(name);
      const whole = simulate(sc, { untilNs: until });
      const { chunks, run } = chunkedRun(sc, [997], until);
      expect(run.events).toBe(whole.events);
      expect(run.simTimeNs).toBe(whole.simTimeNs);
      if (whole.events > 5000) expect(chunks.filter((c) => c.kind.length > 0).length).toBeGreaterThan(3);
      const rebuilt = traceFromChunks(chunks.map(posted));
      expect(rebuilt.hash()).toBe(whole.trace.hash());
      expectSameRows(rebuilt, whole.trace);
    });
  }

  it('any slicing of a run gives the same trace (random slice sizes)', () => {
    const sc = scene('retry-amplification');
    const whole = simulate(sc);
    const want = whole.trace.hash();
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4000 }), { minLength: 1, maxLength: 12 }), (sizes) => {
        const { chunks, run } = chunkedRun(sc, sizes);
        expect(run.events).toBe(whole.events);
        expect(traceFromChunks(chunks).hash()).toBe(want);
      }),
      { numRuns: 12 },
    );
  });

  it('refuses a chunk that does not start where the trace ends, and leaves the trace as it was', () => {
    const { chunks } = chunkedRun(scene('router-ping'), [5]);
    expect(chunks.length).toBeGreaterThan(2);
    const trace = new Trace();
    appendTraceChunk(trace, chunks[0]);
    const before = trace.hash();
    expect(() => appendTraceChunk(trace, chunks[2])).toThrow(/out of order/);
    expect(() => appendTraceChunk(trace, chunks[0])).toThrow(/out of order/);
    expect(trace.hash()).toBe(before);
    appendTraceChunk(trace, chunks[1]);
    expect(trace.length).toBe(chunks[0].kind.length + chunks[1].kind.length);
  });

  it('an empty chunk (nothing happened in a slice) changes nothing', () => {
    const sc = scene('router-ping');
    const run = new SlicedRun(sc);
    const chunker = new TraceChunker(run.trace);
    run.runSlice(30);
    const first = chunker.next();
    const empty = chunker.next();
    expect(empty.kind.length).toBe(0);
    expect(empty.strings).toEqual([]);
    const trace = traceFromChunks([first, empty]);
    expect(trace.hash()).toBe(run.trace.hash());
  });
});
