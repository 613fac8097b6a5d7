// A question's verdict is judged once per session: the panel asks for it on every render, and
// judging scans the step's run (70-80 ms for the retry-storm lesson on the main thread).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LessonSession, parseLesson } from '../../src/lesson';

describe('lesson session', () => {
  it('answers a question from the verdict it judged before', () => {
    const parsed = parseLesson(readFileSync('lessons/01-hub-switch-router.md', 'utf8'), 'lessons/01-hub-switch-router.md');
    if (!parsed.ok) throw new Error('lesson 1 does not parse');
    const session = new LessonSession(parsed.lesson, readFileSync(`scenes/${parsed.lesson.scene}.yaml`, 'utf8'));
    const q = parsed.lesson.steps.findIndex((s) => s.question);
    expect(q).toBeGreaterThanOrEqual(0);
    const first = session.judge(q);
    expect(first.correct).toHaveLength(1);
    expect(session.judge(q)).toBe(first);
  });
});
