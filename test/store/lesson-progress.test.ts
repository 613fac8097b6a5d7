// Saved lesson progress: versioned, validated; corrupt data never crashes and is kept as a backup;
// a storage that refuses writes (private mode, quota) leaves progress for this page only.
import { beforeEach, describe, expect, it } from 'vitest';
import { emptyProgress, progressFileText, type Progress } from '../../src/lesson';
import { PROGRESS_BACKUP_KEY, PROGRESS_KEY, progressStorage } from '../../src/store/lesson-progress';

class MemoryStorage {
  map = new Map<string, string>();
  failWrites = false;
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    if (this.failWrites) throw new DOMException('quota exceeded', 'QuotaExceededError');
    this.map.set(k, v);
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
}

const progressZ: Progress = { ...emptyProgress(), lessons: { z: { step: 1, visited: [0, 1], answers: {}, tries: {} } } };

describe('progressStorage', () => {
  it('starts empty with no notice when nothing is saved, and when there is no storage at all', () => {
    expect(progressStorage(() => new MemoryStorage()).load()).toEqual({ progress: emptyProgress(), notice: null });
    const none = progressStorage(() => null);
    expect(none.load()).toEqual({ progress: emptyProgress(), notice: null });
    none.save(progressZ); // nowhere to save: no throw
  });

  it('reads back what it saved', () => {
    const ls = new MemoryStorage();
    const saved = progressStorage(() => ls);
    saved.save(progressZ);
    expect(saved.load()).toEqual({ progress: progressZ, notice: null });
  });

  it('moves unreadable data to the backup key, reports it and starts fresh', () => {
    const ls = new MemoryStorage();
    const corrupt = '{"version":1,"lessons":{"a":{"step":"oops"}}}';
    ls.setItem(PROGRESS_KEY, corrupt);
    const r = progressStorage(() => ls).load();
    expect(r.progress).toEqual(emptyProgress());
    expect(r.notice).toMatch(/could not be read/);
    expect(r.notice).toContain(PROGRESS_BACKUP_KEY);
    expect(ls.getItem(PROGRESS_BACKUP_KEY)).toBe(corrupt);
    expect(ls.getItem(PROGRESS_KEY)).toBe(corrupt); // kept until the next save
  });

  it('backs progress up under its own key', () => {
    const ls = new MemoryStorage();
    progressStorage(() => ls).backUp(progressZ);
    expect(JSON.parse(ls.getItem(PROGRESS_BACKUP_KEY)!)).toEqual(progressZ);
    expect(ls.getItem(PROGRESS_KEY)).toBeNull();
  });

  it('swallows refused writes (full storage, private mode)', () => {
    const ls = new MemoryStorage();
    ls.failWrites = true;
    const saved = progressStorage(() => ls);
    expect(() => saved.save(progressZ)).not.toThrow();
    expect(() => saved.backUp(progressZ)).not.toThrow();
    ls.map.set(PROGRESS_KEY, '{nope');
    expect(saved.load().notice).toMatch(/could not be read/);
  });

  it('treats a storage that refuses access (SecurityError) as none', () => {
    const saved = progressStorage(() => {
      throw new DOMException('denied', 'SecurityError');
    });
    expect(() => saved.save(progressZ)).not.toThrow();
    expect(saved.load()).toEqual({ progress: emptyProgress(), notice: null });
  });
});

describe('the lesson store and localStorage', () => {
  let ls: MemoryStorage;
  beforeEach(() => {
    ls = new MemoryStorage();
    (globalThis as { localStorage?: unknown }).localStorage = ls;
  });
  it('reloading corrupt saved progress backs it up and shows the notice', async () => {
    const store = await import('../../src/store/lesson');
    ls.setItem(PROGRESS_KEY, '{"version":1,"lessons":{"a":{"step":"oops"}}}');
    store.reloadSavedProgress();
    expect(store.lessonStore.getState().progress).toEqual(emptyProgress());
    expect(store.lessonStore.getState().notice).toMatch(/could not be read/);
    expect(ls.getItem(PROGRESS_BACKUP_KEY)).toBe('{"version":1,"lessons":{"a":{"step":"oops"}}}');
  });
  it('import validates and backs up the current progress first', async () => {
    const store = await import('../../src/store/lesson');
    ls.map.clear();
    store.reloadSavedProgress();
    expect(store.importProgressText('not json').ok).toBe(false);
    expect(store.importProgressText(progressFileText(progressZ, 'now')).ok).toBe(true);
    expect(ls.getItem(PROGRESS_BACKUP_KEY)).not.toBeNull();
    expect(JSON.parse(ls.getItem(PROGRESS_KEY)!).lessons.z.step).toBe(1);
  });
});
