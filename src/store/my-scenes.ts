/**
 * "My scenes": scenes built in the editor, kept in the browser's IndexedDB (through `idb`). Every
 * call reports failure by rejecting; the editor store shows the message on screen. What is read
 * back is checked ({@link readMyScene}): a damaged, old or hostile record is left out with a message
 * naming it, and the others are listed as usual.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

/** One stored scene. */
export interface MyScene {
  /** Stable id, e.g. `s-1733612345678-3`. */
  readonly id: string;
  readonly name: string;
  /** The scene's YAML, exactly as the editor last printed it. */
  readonly text: string;
  /** Last save, ms since the epoch (for ordering the list). */
  readonly updated: number;
}

/** Longest id and name a record may have; its text is held to the editor's file limit. */
const MAX_ID = 100;
const MAX_NAME = 200;
/** The largest scene text the editor opens (as `EditorPanel`'s file limit). */
const MAX_TEXT_BYTES = 1024 * 1024;

/** A record as read back from storage: a scene, or why it was left out. */
export type StoredSceneRead = { ok: true; scene: MyScene } | { ok: false; error: string };

/**
 * Checks a record read back from storage, whatever it holds. Records saved before `updated`
 * existed are kept (as saved at time 0); anything else out of shape is refused with one sentence.
 */
export function readMyScene(raw: unknown): StoredSceneRead {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, error: 'My scenes: a stored entry is not a scene record; it was left out' };
  const r = raw as Record<string, unknown>;
  const { id, name, text, updated } = r;
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID)
    return { ok: false, error: 'My scenes: a stored scene has no usable id; it was left out' };
  const which = `My scenes: the stored scene ${JSON.stringify(id.replace(/[^\x20-\x7e]/g, '?'))}`;
  if (typeof name !== 'string' || name.length > MAX_NAME) return { ok: false, error: `${which} has no usable name; it was left out` };
  if (typeof text !== 'string') return { ok: false, error: `${which} holds no scene text; it was left out` };
  if (text.length > MAX_TEXT_BYTES) return { ok: false, error: `${which} is over ${MAX_TEXT_BYTES / 1024} KB; it was left out` };
  if (updated !== undefined && (typeof updated !== 'number' || !Number.isFinite(updated)))
    return { ok: false, error: `${which} has a damaged save time; it was left out` };
  return { ok: true, scene: { id, name, text, updated: (updated as number | undefined) ?? 0 } };
}

interface Schema extends DBSchema {
  scenes: { key: string; value: MyScene };
}

const DB_NAME = 'packetarium';
let db: Promise<IDBPDatabase<Schema>> | null = null;

function open(): Promise<IDBPDatabase<Schema>> {
  if (typeof indexedDB === 'undefined') return Promise.reject(new Error('this browser has no IndexedDB storage'));
  db ??= openDB<Schema>(DB_NAME, 1, {
    upgrade(d) {
      d.createObjectStore('scenes', { keyPath: 'id' });
    },
  }).catch((e: unknown) => {
    db = null;
    throw e;
  });
  return db;
}

let counter = 0;
/** A new scene id. */
export function newSceneId(): string {
  return `s-${Date.now()}-${++counter}`;
}

/** Every stored scene that reads back whole, newest first, and a message for each left out. */
export async function listMyScenes(): Promise<{ scenes: MyScene[]; problems: string[] }> {
  const all: unknown[] = await (await open()).getAll('scenes');
  return sortedScenes(all);
}

/** {@link readMyScene} over every record: the good ones newest first, and what was left out. */
export function sortedScenes(records: readonly unknown[]): { scenes: MyScene[]; problems: string[] } {
  const scenes: MyScene[] = [];
  const problems: string[] = [];
  for (const raw of records) {
    const r = readMyScene(raw);
    if (r.ok) scenes.push(r.scene);
    else problems.push(r.error);
  }
  scenes.sort((a, b) => b.updated - a.updated || a.name.localeCompare(b.name));
  return { scenes, problems };
}

/** The stored scene with `id` (undefined: none); rejects with the message when its record is damaged. */
export async function getMyScene(id: string): Promise<MyScene | undefined> {
  const raw: unknown = await (await open()).get('scenes', id);
  if (raw === undefined) return undefined;
  const r = readMyScene(raw);
  if (!r.ok) throw new Error(r.error);
  return r.scene;
}

/** Saves (creates or replaces) a scene. */
export async function putMyScene(scene: MyScene): Promise<void> {
  await (await open()).put('scenes', scene);
}

/** Deletes a scene. */
export async function deleteMyScene(id: string): Promise<void> {
  await (await open()).delete('scenes', id);
}
