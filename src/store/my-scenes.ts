/**
 * "My scenes": scenes built in the editor, kept in the browser's IndexedDB (through `idb`). Every
 * call reports failure by rejecting; the editor store shows the message on screen.
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

/** Every stored scene, newest first. */
export async function listMyScenes(): Promise<MyScene[]> {
  const all = await (await open()).getAll('scenes');
  return all.sort((a, b) => b.updated - a.updated || a.name.localeCompare(b.name));
}

/** The stored scene with `id`. */
export async function getMyScene(id: string): Promise<MyScene | undefined> {
  return (await open()).get('scenes', id);
}

/** Saves (creates or replaces) a scene. */
export async function putMyScene(scene: MyScene): Promise<void> {
  await (await open()).put('scenes', scene);
}

/** Deletes a scene. */
export async function deleteMyScene(id: string): Promise<void> {
  await (await open()).delete('scenes', id);
}
