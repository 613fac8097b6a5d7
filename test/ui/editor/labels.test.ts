// The canvas's label placement: no label over a device or another label, where there is room.
import { describe, expect, it } from 'vitest';
import { bodyBox, placeLabels, type Box, type LabelItem } from '../../../src/ui/editor/labels';

const overlap = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

function check(items: LabelItem[]): void {
  const places = placeLabels(items);
  const boxes = items.map((i) => places.get(i.id)!.box);
  for (let i = 0; i < items.length; i++) {
    for (let j = 0; j < items.length; j++) {
      if (j !== i) expect(overlap(boxes[i], bodyBox(items[j].x, items[j].y)), `${items[i].id}'s label over ${items[j].id}`).toBe(false);
      if (j > i) expect(overlap(boxes[i], boxes[j]), `${items[i].id} and ${items[j].id}`).toBe(false);
    }
  }
}

const ip = (text: string) => ({ text, kind: 'ip' as const });
const name = (text: string) => ({ text, kind: 'name' as const });

describe('canvas labels', () => {
  it("router-ping's row: the router's two addresses stacked under it, clear of the switches beside it", () => {
    const row = ['h1', 'sw1', 'r1', 'sw2', 'h2'].map((id, k) => ({ id, x: (k - 2) * 144, y: 0, lines: [name(id)] as LabelItem['lines'] }));
    row[0] = { ...row[0], lines: [name('h1'), ip('10.0.0.1/24')] };
    row[2] = { ...row[2], lines: [name('r1'), ip('10.0.0.254/24'), ip('10.0.1.254/24')] };
    check(row);
    const r1 = placeLabels(row).get('r1')!;
    expect(r1.anchor).toBe('middle');
    expect(r1.baselines).toHaveLength(3);
  });

  it('devices packed closely still get labels clear of each other (moved aside or further away)', () => {
    const items: LabelItem[] = [];
    for (let k = 0; k < 6; k++) items.push({ id: `r${k}`, x: k * 96, y: (k % 2) * 48, lines: [name(`r${k}`), ip(`10.0.${k}.254/24`), ip(`10.1.${k}.254/24`)] });
    check(items);
  });
});
