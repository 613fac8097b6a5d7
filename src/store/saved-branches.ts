/**
 * Branches kept with their scene in the browser's IndexedDB (through `idb`): one tree per scene
 * name, with the scene text it was made on (a tree is only brought back onto that same text).
 * Every call reports failure by rejecting.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

/** One stored tree. */
interface SavedTree {
  /** The scene's name (bundled scenes) or the editor's scene name. */
  readonly scene: string;
  /** The root scene's text the branches were made on. */
  readonly text: string;
  /** `encodeBranchTree`'s text. */
  readonly tree: string;
}

interface Schema extends DBSchema {
  trees: { key: string; value: SavedTree };
}

let db: Promise<IDBPDatabase<Schema>> | null = null;

function open(): Promise<IDBPDatabase<Schema>> {
  if (typeof indexedDB === 'undefined') return Promise.reject(new Error('this browser has no IndexedDB storage'));
  db ??= openDB<Schema>('packetarium-branches', 1, {
    upgrade(d) {
      d.createObjectStore('trees', { keyPath: 'scene' });
    },
  }).catch((e: unknown) => {
    db = null;
    throw e;
  });
  return db;
}

/** The tree saved for `scene` when it was made on this `text`, else undefined. */
export async function getSavedBranches(scene: string, text: string): Promise<string | undefined> {
  const t = await (await open()).get('trees', scene);
  return t && t.text === text ? t.tree : undefined;
}

/** Saves the tree of `scene` (an empty tree, `undefined`, forgets it). */
export async function saveBranches(scene: string, text: string, tree: string | undefined): Promise<void> {
  const d = await open();
  if (tree === undefined) await d.delete('trees', scene);
  else await d.put('trees', { scene, text, tree });
}
