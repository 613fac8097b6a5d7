/**
 * The timeline index built next to one trace (in the worker) and attached to an identical copy (on the
 * page) answers every query exactly like an index built over the copy itself.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScene } from '../../src/scenario/load';
import { simulate } from '../../src/scenario/simulate';
import { TraceChunker, traceFromChunks } from '../../src/runner/trace-chunk';
import { buildTimeline, framesInFlight, hopsOfPacket, logLinesUntil, nextEventTime, stateAt } from '../../src/timeline';
import { timelineIndexFromParts, timelineIndexParts, timelineIndexTransferList } from '../../src/timeline/index-transfer';

const MS = 1_000_000;

describe('timeline index moved between threads', () => {
  for (const [name, until] of [
    ['tcp-loss', undefined],
    ['retry-storm', 3000 * MS],
  ] as const) {
    it(`${name}: the transferred index equals one built on the page's copy of the trace`, () => {
      const file = `scenes/${name}.yaml`;
      const loaded = loadScene(readFileSync(file, 'utf8'), file);
      if (!loaded.ok) throw new Error(file);
      const workerTrace = simulate(loaded.scene, { untilNs: until }).trace;
      const pageTrace = traceFromChunks([new TraceChunker(workerTrace).next()]);
      const parts = timelineIndexParts(buildTimeline(workerTrace));
      const moved = structuredClone(parts, { transfer: timelineIndexTransferList(parts) });
      const index = timelineIndexFromParts(moved, pageTrace);
      const local = buildTimeline(pageTrace);
      expect(index.trace).toBe(pageTrace);
      const { trace: _a, packetRows: _b, ...want } = local;
      const { trace: _c, packetRows: _d, ...got } = index;
      expect(got).toEqual(want);
      // Queries a user makes at a few playhead times agree.
      for (const t of [0, local.endTime / 3, local.endTime / 2, local.endTime]) {
        expect(framesInFlight(index, t)).toEqual(framesInFlight(local, t));
        expect(nextEventTime(index, t)).toBe(nextEventTime(local, t));
        expect(logLinesUntil(index, t)).toEqual(logLinesUntil(local, t));
        expect([...stateAt(index, 1, t)]).toEqual([...stateAt(local, 1, t)]);
      }
      const someRow = local.motion[local.motion.length >> 1];
      expect(hopsOfPacket(index, pageTrace.packet[someRow])).toEqual(hopsOfPacket(local, pageTrace.packet[someRow]));
    });
  }

  it('refuses parts built over a trace of another length', () => {
    const file = 'scenes/router-ping.yaml';
    const loaded = loadScene(readFileSync(file, 'utf8'), file);
    if (!loaded.ok) throw new Error(file);
    const trace = simulate(loaded.scene).trace;
    const short = simulate(loaded.scene, { untilNs: 2 * MS }).trace;
    expect(() => timelineIndexFromParts(timelineIndexParts(buildTimeline(short)), trace)).toThrow(/does not fit/);
  });
});
