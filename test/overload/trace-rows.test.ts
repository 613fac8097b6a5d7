/** The compact RR trace-row values: cached strings must always say what they were asked to. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { doneText, pairText, recvText, replyText, sendText, shedText } from '../../src/apps/rr/trace-rows';

describe('RR trace-row values', () => {
  it('rr.reply carries its status, attempt and root delta for every attempt (1 to 255)', () => {
    // Attempts of 8 and more once shared cache slots with other rows and came back wrong.
    expect(replyText(0, 8, 0)).toBe('0 8 0');
    expect(replyText(0, 0, 1)).toBe('0 0 1');
    expect(replyText(1, 55, -3)).toBe('1 55 -3');
    expect(replyText(7, 255, 5)).toBe('7 255 5');
  });

  it('every format gives the plain text of its numbers, in any order of calls (property)', () => {
    // Small deltas too: neighbouring cache slots are where mix-ups would show.
    const delta = fc.oneof(fc.integer({ min: -40, max: 40 }), fc.integer({ min: -(1 << 20), max: 1 << 20 }));
    const byte = fc.integer({ min: 0, max: 255 });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 7 }), byte, byte, fc.integer({ min: 0, max: 15 }), delta), { minLength: 1, maxLength: 50 }), (rows) => {
        for (const [status, attempt, other, tier, d] of rows) {
          expect(replyText(status, attempt, d)).toBe(`${status} ${attempt} ${d}`);
          expect(recvText(attempt, tier, d)).toBe(`${attempt} ${tier} ${d}`);
          expect(pairText(attempt, d)).toBe(`${attempt} ${d}`);
          expect(sendText(attempt, Math.abs(d), undefined)).toBe(`${attempt} ${Math.abs(d)}`);
          expect(doneText('timeout', other, Math.abs(d))).toBe(`timeout ${other} ${Math.abs(d)}`);
          expect(shedText('queue', d)).toBe(`queue ${d}`);
        }
      }),
      { seed: 5, numRuns: 200 },
    );
  });
});
