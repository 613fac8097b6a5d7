/**
 * Round trips before the first response byte, counted from the trace of scenes/quic-handshake.yaml:
 * from the start of each visit (its first Initial leaves at once) to the `h3 first byte` row. The scene's RTT is 40 ms.
 * QUIC: 2 (1 for the handshake, 1 for the request); resumed with 0-RTT: 1.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSceneFile, simulate } from '../../../src/cli/run-scene';
import { RecordKind } from '../../../src/sim/trace';

const SCENE = fileURLToPath(new URL('../../../scenes/quic-handshake.yaml', import.meta.url));
const RTT_NS = 40_000_000;

describe('QUIC round trips', () => {
  it('2 round trips to the first byte, then 1 with 0-RTT', () => {
    const trace = simulate(loadSceneFile(SCENE), {}).trace;
    const firstQuic: number[] = [];
    const firstByte: number[] = [];
    let visits = 0;
    for (let r = 0; r < trace.length; r++) {
      if (trace.kind[r] === RecordKind.State && trace.string(trace.code[r]) === 'h3 first byte') firstByte.push(trace.time[r]);
      if (trace.kind[r] === RecordKind.Log && /: visit \d+: https/.test(trace.string(trace.code[r]))) visits++;
    }
    // Each visit sends its first Initial the moment it starts (ARP caches are warm).
    for (let r = 0; r < trace.length; r++) {
      if (trace.kind[r] === RecordKind.Log && /: visit \d+: https/.test(trace.string(trace.code[r]))) firstQuic.push(trace.time[r]);
    }
    expect(visits).toBe(2);
    expect(firstByte).toHaveLength(2);
    const rtts = firstByte.map((t, i) => Math.round((t - firstQuic[i]) / RTT_NS));
    expect(rtts).toEqual([2, 1]);
  });
});
