// The event list scrolls through every row of a multi-million-row trace (the 60 s storm has 3.5
// million): browsers cap an element's height near 33.5 million px, 1.5 million rows of 22 px.
import { describe, expect, it } from 'vitest';
import { scrollScale } from '../../src/ui/EventList';

const CHROMIUM_MAX_PX = 33_554_400;
const ROW_H = 22;

describe('event list scroll area', () => {
  it('is the true height for lists a browser can hold', () => {
    const s = scrollScale(1000, 300);
    expect(s.height).toBe(1000 * ROW_H);
    expect(s.fromScroll(440)).toBe(440);
  });

  it('stays under the browser cap for 3.5 million rows, and its bottom shows the last row', () => {
    const rows = 3_479_333;
    const viewport = 300;
    const s = scrollScale(rows, viewport);
    expect(s.height).toBeLessThan(CHROMIUM_MAX_PX);
    const bottom = s.fromScroll(s.height - viewport);
    expect(Math.ceil((bottom + viewport) / ROW_H)).toBe(rows);
    expect(s.fromScroll(0)).toBe(0);
    // Follow-the-playhead round trip: a row's offset maps to a scroll position and back.
    const rowTop = 2_000_000 * ROW_H;
    expect(s.fromScroll(s.toScroll(rowTop))).toBeCloseTo(rowTop, 3);
  });
});
