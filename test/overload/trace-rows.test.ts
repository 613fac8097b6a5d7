/** The compact RR trace rows: cached string ids must always say what they were asked to. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RrRows } from '../../src/apps/rr/trace-rows';
import type { Device } from '../../src/net/device';
import { Kernel } from '../../src/sim/kernel';
import { Trace } from '../../src/sim/trace';

/** RR rows of one node writing into a fresh trace, and a reader of the last row's "key=value". */
function recorder() {
  const trace = new Trace();
  trace.defineNode('n', 'host');
  const device = { ctx: { trace, kernel: new Kernel() }, nodeId: 0 } as unknown as Device;
  const rows = new RrRows(device);
  const last = () => {
    const r = trace.length - 1;
    return `${trace.string(trace.code[r])}=${trace.string(trace.frame[r])}`;
  };
  return { rows, last };
}

describe('RR trace-row values', () => {
  it('rr.reply carries its status, attempt and root delta for every attempt (1 to 255)', () => {
    // Attempts of 8 and more once shared cache slots with other rows and came back wrong.
    const { rows, last } = recorder();
    const cases: [number, number, number][] = [
      [0, 1, 1],
      [0, 9, 0],
      [0, 8, 0],
      [0, 0, 1],
      [1, 55, -3],
      [7, 255, 5],
    ];
    for (const [s, a, d] of cases) {
      rows.reply(s, a, d);
      expect(last()).toBe(`rr.reply=${s} ${a} ${d}`);
    }
  });

  it('every row gives the plain text of its numbers, in any order of calls (property)', () => {
    // Small deltas too: neighbouring cache slots are where mix-ups would show.
    const delta = fc.oneof(fc.integer({ min: -40, max: 40 }), fc.integer({ min: -(1 << 20), max: 1 << 20 }));
    const byte = fc.integer({ min: 0, max: 255 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 7 }), byte, byte, fc.integer({ min: 0, max: 15 }), delta), { minLength: 1, maxLength: 50 }),
        (calls) => {
          const { rows, last } = recorder();
          for (const [status, attempt, other, tier, d] of calls) {
            rows.reply(status, attempt, d);
            expect(last()).toBe(`rr.reply=${status} ${attempt} ${d}`);
            rows.recv(attempt, tier, d);
            expect(last()).toBe(`rr.recv=${attempt} ${tier} ${d}`);
            rows.timeout(attempt, d);
            expect(last()).toBe(`rr.timeout=${attempt} ${d}`);
            rows.send(attempt, Math.abs(d), undefined);
            expect(last()).toBe(`rr.send=${attempt} ${Math.abs(d)}`);
            rows.send(attempt, Math.abs(d), other);
            expect(last()).toBe(`rr.send=${attempt} ${Math.abs(d)} ${other}`);
            rows.done('timeout', other, Math.abs(d));
            expect(last()).toBe(`rr.done=timeout ${other} ${Math.abs(d)}`);
            rows.shed('queue', d);
            expect(last()).toBe(`rr.shed=queue ${d}`);
            rows.queue(other * 20);
            expect(last()).toBe(`rr.queue=${other * 20}`);
          }
        },
      ),
      { seed: 5, numRuns: 200 },
    );
  });
});
