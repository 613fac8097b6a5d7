/**
 * Where the lesson player keeps the student's progress: one key in localStorage, versioned and
 * validated on the way in (src/lesson/progress.ts). Unreadable data is copied to a backup key and
 * reported, never dropped; a storage that is missing, full or refuses access (private mode) leaves
 * progress living for this page only. The lesson store (`lesson.ts`) reads it once at start and
 * saves after every change.
 */
import { emptyProgress, parseProgressText, type Progress } from '../lesson';

export const PROGRESS_KEY = 'packetarium.lessons.progress';
export const PROGRESS_BACKUP_KEY = 'packetarium.lessons.progress.backup';

/** The part of the Web Storage API progress needs. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** Saved progress as read, with a message for the student when it could not be read. */
interface LoadedProgress {
  readonly progress: Progress;
  readonly notice: string | null;
}

/** Reading and writing the student's progress. */
export interface ProgressStorage {
  /** The saved progress; unreadable data is moved to the backup key and reported. */
  load(): LoadedProgress;
  /** Saves `progress` (silently does nothing when storage refuses). */
  save(progress: Progress): void;
  /** Keeps a copy of `progress` under the backup key (before an import replaces it). */
  backUp(progress: Progress): void;
}

/** The page's localStorage, or null where there is none or it may not be used. */
function browserStorage(): KeyValueStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/**
 * Progress kept in the storage `getStorage` returns, looked up at every call (null: none). A storage
 * that throws, on lookup or on use, counts as none for reads and as refusing for writes.
 */
export function progressStorage(getStorage: () => KeyValueStorage | null = browserStorage): ProgressStorage {
  const read = (key: string): string | null => {
    try {
      return getStorage()?.getItem(key) ?? null;
    } catch {
      return null;
    }
  };
  const write = (key: string, value: string): void => {
    try {
      getStorage()?.setItem(key, value);
    } catch {
      // Private mode or full storage: progress lives for this page only.
    }
  };
  return {
    load() {
      const text = read(PROGRESS_KEY);
      if (!text) return { progress: emptyProgress(), notice: null };
      const r = parseProgressText(text);
      if (r.ok) return { progress: r.progress, notice: null };
      // If the backup cannot be written either, the original stays under PROGRESS_KEY until the next save.
      write(PROGRESS_BACKUP_KEY, text);
      return {
        progress: emptyProgress(),
        notice: `Saved lesson progress could not be read (${r.error}). A copy was kept in localStorage as "${PROGRESS_BACKUP_KEY}"; starting fresh.`,
      };
    },
    save: (progress) => write(PROGRESS_KEY, JSON.stringify(progress)),
    backUp: (progress) => write(PROGRESS_BACKUP_KEY, JSON.stringify(progress)),
  };
}
