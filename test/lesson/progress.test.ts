// Saved progress: versioned, validated, corrupt data never crashes and is kept as a backup.
import { beforeEach, describe, expect, it } from 'vitest';
import { emptyProgress, mergeProgress, parseProgressText, progressFileText, readProgress } from '../../src/lesson';

class MemoryStorage {
  map = new Map<string, string>();
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.map.set(k, v);
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
}

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

describe('the lesson store and localStorage', () => {
  let ls: MemoryStorage;
  beforeEach(() => {
    ls = new MemoryStorage();
    (globalThis as { localStorage?: unknown }).localStorage = ls;
  });
  it('corrupt saved progress is backed up, reported and replaced by empty progress', async () => {
    const store = await import('../../src/store/lesson');
    ls.setItem(store.PROGRESS_KEY, '{"version":1,"lessons":{"a":{"step":"oops"}}}');
    const r = store.loadSavedProgress();
    expect(r.progress).toEqual(emptyProgress());
    expect(r.notice).toMatch(/could not be read/);
    expect(ls.getItem(store.PROGRESS_BACKUP_KEY)).toBe('{"version":1,"lessons":{"a":{"step":"oops"}}}');
  });
  it('import validates and backs up the current progress first', async () => {
    const store = await import('../../src/store/lesson');
    store.reloadSavedProgress();
    expect(store.importProgressText('not json').ok).toBe(false);
    const p = { ...emptyProgress(), lessons: { z: { step: 1, visited: [0, 1], answers: {}, tries: {} } } };
    expect(store.importProgressText(progressFileText(p, 'now')).ok).toBe(true);
    expect(ls.getItem(store.PROGRESS_BACKUP_KEY)).not.toBeNull();
    expect(JSON.parse(ls.getItem(store.PROGRESS_KEY)!).lessons.z.step).toBe(1);
  });
});
