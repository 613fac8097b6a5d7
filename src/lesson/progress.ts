/**
 * A student's progress through the lessons, as stored in the browser and exported to a file:
 * versioned, validated on load. The store (src/store/lesson.ts) owns the storage; this module only
 * says what valid progress is and how to read older versions.
 */
import { z } from 'zod';

const PROGRESS_VERSION = 1;

const answerSchema = z.strictObject({ choice: z.number().int().min(0), correct: z.boolean() });
const trySchema = z.strictObject({ values: z.record(z.string(), z.unknown()), passed: z.boolean() });

const lessonProgressSchema = z.strictObject({
  /** Step shown last (-1 = the introduction). */
  step: z.number().int().min(-1),
  /** Steps seen, by index. */
  visited: z.array(z.number().int().min(0)),
  /** Question answers by step index (as strings: JSON object keys). */
  answers: z.record(z.string().regex(/^\d+$/), answerSchema),
  tries: z.record(z.string().regex(/^\d+$/), trySchema),
  /** ISO time the lesson was finished, if it was. */
  completedAt: z.string().optional(),
});
export type LessonProgress = z.infer<typeof lessonProgressSchema>;

const progressSchema = z.strictObject({
  version: z.literal(PROGRESS_VERSION),
  /** The lesson open when the page was left, and whether it was in presenter mode. */
  active: z.string().nullable(),
  lessons: z.record(z.string(), lessonProgressSchema),
});
export type Progress = z.infer<typeof progressSchema>;

export function emptyProgress(): Progress {
  return { version: PROGRESS_VERSION, active: null, lessons: {} };
}

export function emptyLessonProgress(): LessonProgress {
  return { step: -1, visited: [], answers: {}, tries: {} };
}

/** Reads progress data of any known version; an error says what is wrong with it. */
export function readProgress(data: unknown): { ok: true; progress: Progress } | { ok: false; error: string } {
  if (!data || typeof data !== 'object') return { ok: false, error: 'not a progress object' };
  const version = (data as { version?: unknown }).version;
  if (typeof version === 'number' && version > PROGRESS_VERSION)
    return { ok: false, error: `progress version ${version} is newer than this app understands (${PROGRESS_VERSION})` };
  // Version 0 (no version field): a bare map of lesson id -> progress.
  const migrated = version === undefined ? { version: PROGRESS_VERSION, active: null, lessons: data } : data;
  const r = progressSchema.safeParse(migrated);
  if (r.success) return { ok: true, progress: r.data };
  const issue = r.error.issues[0];
  return { ok: false, error: `${issue.path.join('.') || 'progress'}: ${issue.message}` };
}

/** Parses exported progress text (JSON). */
export function parseProgressText(text: string): { ok: true; progress: Progress } | { ok: false; error: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (data && typeof data === 'object' && 'packetarium' in data) data = (data as { progress?: unknown }).progress;
  return readProgress(data);
}

/** Progress as an export file. */
export function progressFileText(p: Progress, exportedAt: string): string {
  return JSON.stringify({ packetarium: 'lesson-progress', exportedAt, progress: p }, null, 2);
}

/** Imported progress merged into current: per lesson, the one with more done wins. */
export function mergeProgress(current: Progress, incoming: Progress): Progress {
  const score = (l: LessonProgress | undefined) =>
    l ? l.visited.length + Object.keys(l.answers).length + Object.keys(l.tries).length + (l.completedAt ? 100 : 0) : -1;
  const lessons = { ...current.lessons };
  for (const [id, l] of Object.entries(incoming.lessons)) if (score(l) >= score(lessons[id])) lessons[id] = l;
  return { version: PROGRESS_VERSION, active: current.active, lessons };
}
