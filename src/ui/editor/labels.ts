/**
 * Where the canvas writes each device's name and addresses: one block of lines per device (a
 * router's addresses one per line), put below the device when that space is free, else above, to
 * the right or to the left, else further down; never over another device or another label. Sizes
 * are in the canvas's own units (pixels at scale 1), estimated from the fonts the canvas uses.
 */

/** One line of a label block. */
export interface LabelLine {
  readonly text: string;
  readonly kind: 'name' | 'ip';
}

/** A device to label: its centre and its lines. */
export interface LabelItem {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  readonly lines: readonly LabelLine[];
}

/** An axis-aligned box. */
export interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** Where a block goes: the top-left of its box and how its lines are anchored. */
export interface LabelPlace {
  readonly box: Box;
  readonly anchor: 'start' | 'middle' | 'end';
  /** x of the anchor and the baseline of each line. */
  readonly textX: number;
  readonly baselines: readonly number[];
}

/** Half the side of a device's body, and the gap kept from it. */
const BODY = 22;
const GAP = 4;
/** Line heights and per-character widths of the canvas fonts (12px sans name, 10px monospace address). */
const LINE: Record<LabelLine['kind'], { height: number; char: number; ascent: number }> = {
  name: { height: 14, char: 7.2, ascent: 11 },
  ip: { height: 12, char: 6.1, ascent: 9 },
};

function overlaps(a: Box, b: Box): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

/** The box of a device's body (its ring, which takes pointer gestures). */
export function bodyBox(x: number, y: number): Box {
  return { x0: x - BODY, y0: y - BODY, x1: x + BODY, y1: y + BODY };
}

/**
 * Places every item's block so that no block overlaps a device or another block, where the
 * candidates allow; items are placed in order, so earlier ones keep the best spots.
 */
export function placeLabels(items: readonly LabelItem[], obstacles: readonly Box[] = []): Map<string, LabelPlace> {
  const bodies = items.map((i) => bodyBox(i.x, i.y));
  const taken: Box[] = [...obstacles];
  const out = new Map<string, LabelPlace>();
  items.forEach((item, index) => {
    const w = Math.max(...item.lines.map((l) => l.text.length * LINE[l.kind].char), 1);
    const h = item.lines.reduce((s, l) => s + LINE[l.kind].height, 0);
    const { x, y } = item;
    const candidates: { box: Box; anchor: LabelPlace['anchor'] }[] = [
      { box: { x0: x - w / 2, y0: y + BODY - 6, x1: x + w / 2, y1: y + BODY - 6 + h }, anchor: 'middle' },
      { box: { x0: x - w / 2, y0: y - BODY + 6 - h, x1: x + w / 2, y1: y - BODY + 6 }, anchor: 'middle' },
      { box: { x0: x + BODY + GAP, y0: y - h / 2, x1: x + BODY + GAP + w, y1: y + h / 2 }, anchor: 'start' },
      { box: { x0: x - BODY - GAP - w, y0: y - h / 2, x1: x - BODY - GAP, y1: y + h / 2 }, anchor: 'end' },
    ];
    for (let k = 1; k <= 6; k++) {
      const down = y + BODY - 6 + k * 14;
      candidates.push({ box: { x0: x - w / 2, y0: down, x1: x + w / 2, y1: down + h }, anchor: 'middle' });
      const up = y - BODY + 6 - h - k * 14;
      candidates.push({ box: { x0: x - w / 2, y0: up, x1: x + w / 2, y1: up + h }, anchor: 'middle' });
    }
    const free = (b: Box) => !taken.some((t) => overlaps(b, t)) && !bodies.some((t, j) => j !== index && overlaps(b, t));
    const chosen = candidates.find((c) => free(c.box)) ?? candidates[0];
    taken.push(chosen.box);
    let line = chosen.box.y0;
    const baselines = item.lines.map((l) => {
      const b = line + LINE[l.kind].ascent;
      line += LINE[l.kind].height;
      return b;
    });
    const textX = chosen.anchor === 'middle' ? x : chosen.anchor === 'start' ? chosen.box.x0 : chosen.box.x1;
    out.set(item.id, { box: chosen.box, anchor: chosen.anchor, textX, baselines });
  });
  return out;
}
