// Plays every lesson in lessons/ headlessly: each step's condition is reached, every question's
// correct answer is the one (and only one) the simulation confirms, and every "try it" goal is
// reached with the documented change and not without it.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkLessonRefs, formatLessonError, LessonSession, parseLesson } from '../../src/lesson';

const files = readdirSync('lessons')
  .filter((f) => f.endsWith('.md') && f !== 'README.md')
  .sort();

describe('lessons', () => {
  it('there are seven lessons', () => {
    expect(files.length).toBeGreaterThanOrEqual(7);
  });

  for (const f of files) {
    describe(f, () => {
      const parsed = parseLesson(readFileSync(`lessons/${f}`, 'utf8'), `lessons/${f}`);
      it('parses', () => {
        expect(parsed.ok ? [] : parsed.errors.map(formatLessonError)).toEqual([]);
      });
      if (!parsed.ok) return;
      const lesson = parsed.lesson;
      const session = new LessonSession(lesson, readFileSync(`scenes/${lesson.scene}.yaml`, 'utf8'));

      it('is 5 to 15 minutes and refers only to what its scene has', () => {
        expect(lesson.minutes).toBeGreaterThanOrEqual(5);
        expect(lesson.minutes).toBeLessThanOrEqual(15);
        expect(checkLessonRefs(lesson, session.runFor(0).scene, session.raw).map(formatLessonError)).toEqual([]);
      });

      it('reaches every step, in order', () => {
        const moments = session.stepMoments();
        const unmet = moments.flatMap((m, i) => (m.met ? [] : [`step ${i + 1} "${lesson.steps[i].title}"`]));
        expect(unmet).toEqual([]);
        for (let i = 1; i < moments.length; i++)
          expect(moments[i].time).toBeGreaterThanOrEqual(lesson.steps[i].directives.at !== undefined ? 0 : moments[i - 1].time);
      });

      lesson.steps.forEach((step, i) => {
        if (step.question) {
          it(`question ${i + 1} "${step.title}": exactly one choice is confirmed by the simulation, the others refuted`, () => {
            const v = session.judge(i);
            expect(v.correct, `confirmed choices: ${v.correct.map((k) => step.question!.choices[k].text).join(' | ')}`).toHaveLength(1);
          });
        }
        if (step.tryIt) {
          it(`try it ${i + 1} "${step.title}": the documented change reaches the goal, the start does not`, () => {
            const without = session.tryIt(i, {});
            expect(without.ok ? without.passed : without.errors).toBe(false);
            const withFix = session.tryIt(i, step.tryIt!.solution);
            expect(withFix.ok ? withFix.passed : withFix.errors).toBe(true);
          });
        }
      });
    });
  }
}, 300_000);
