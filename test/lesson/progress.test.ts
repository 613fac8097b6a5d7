// Saved progress: versioned, validated, corrupt data never crashes and is kept as a backup.
import { describe, expect, it } from 'vitest';
import { emptyProgress, mergeProgress, parseProgressText, progressFileText, readProgress } from '../../src/lesson';

describe('progress data', () => {
  it('round-trips through an export file', () => {
    const p = { ...emptyProgress(), lessons: { a: { step: 2, visited: [0, 1, 2], answers: { '1': { choice: 0, correct: true } }, tries: {} } } };
    const r = parseProgressText(progressFileText(p, '2020-01-01T00:00:00Z'));
    expect(r).toEqual({ ok: true, progress: p });
  });
  it('rejects garbage with a reason', () => {
    expect(parseProgressText('{nope').ok).toBe(false);
    const r = readProgress({ version: 1, active: null, lessons: { a: { step: 'x' } } });
    expect(r.ok).toBe(false);
    expect(readProgress({ version: 99 }).ok).toBe(false);
  });
  it('reads version 0 (a bare map)', () => {
    const r = readProgress({ a: { step: 0, visited: [0], answers: {}, tries: {} } });
    expect(r.ok && r.progress.lessons.a.step).toBe(0);
  });
  it('merging keeps the more advanced progress per lesson', () => {
    const a = { ...emptyProgress(), lessons: { x: { step: 3, visited: [0, 1, 2, 3], answers: {}, tries: {} } } };
    const b = { ...emptyProgress(), lessons: { x: { step: 0, visited: [0], answers: {}, tries: {} }, y: { step: 0, visited: [0], answers: {}, tries: {} } } };
    const m = mergeProgress(a, b);
    expect(m.lessons.x.step).toBe(3);
    expect(m.lessons.y).toBeDefined();
  });
});
