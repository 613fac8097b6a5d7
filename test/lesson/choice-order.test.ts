// Choices are shown shuffled, so the right answer's position gives nothing away, yet every student
// (and the presenter's screen) sees the same order on every reload.
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { choiceOrder, parseLesson } from '../../src/lesson';

describe('choiceOrder', () => {
  it('is a permutation of the written choices, the same every time it is asked', () => {
    fc.assert(
      fc.property(fc.string(), fc.nat(200), fc.integer({ min: 1, max: 6 }), (id, step, n) => {
        const order = choiceOrder(id, step, n);
        expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        expect(choiceOrder(id, step, n)).toEqual(order);
      }),
    );
  });

  it('moves the first written choice away from the top in a fair share of questions', () => {
    let movedOff = 0;
    const total = 2000;
    for (let i = 0; i < total; i++) if (choiceOrder(`lesson-${i % 37}`, i, 3)[0] !== 0) movedOff++;
    // A fair shuffle of three puts another choice first two times in three.
    expect(movedOff / total).toBeGreaterThan(0.55);
    expect(movedOff / total).toBeLessThan(0.78);
  });

  it('in the shipped lessons, the choice written first is not always shown first', () => {
    const firstShownAt: number[] = [];
    for (const f of readdirSync('lessons').filter((x) => x.endsWith('.md') && x !== 'README.md')) {
      const parsed = parseLesson(readFileSync(`lessons/${f}`, 'utf8'), `lessons/${f}`);
      if (!parsed.ok) throw new Error(`${f} does not parse`);
      parsed.lesson.steps.forEach((s, i) => {
        if (s.question) firstShownAt.push(choiceOrder(parsed.lesson.id, i, s.question.choices.length).indexOf(0));
      });
    }
    expect(firstShownAt.length).toBeGreaterThan(5);
    expect(new Set(firstShownAt).size).toBeGreaterThan(1);
  });
});
