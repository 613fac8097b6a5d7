/**
 * A scene open in the editor: its YAML document (the one copy of the scene; comments and layout
 * kept), its text and its plain data. Field checks run the same validation a scene file goes
 * through and keep the messages for one path.
 */
import { parseDocument, type Document } from 'yaml';
import { formatPath, type ParseSceneResult, type SceneError } from '../validate';
import type { EditPath } from './ops';
import type { SceneData } from './commands';

/** Text of a new, empty scene. */
export const BLANK_SCENE_TEXT = `version: 1
title: My network
seed: 1
duration: 100ms
nodes: []
links: []
run: []
`;

/** Parses scene text into an editable document; syntax errors are in `doc.errors`. */
export function parseSceneDoc(text: string): Document {
  return parseDocument(text, { keepSourceTokens: false, uniqueKeys: true });
}

/** Scene text of a document (stable: untouched parts print as they were written). */
export function sceneDocText(doc: Document): string {
  return doc.toString({ lineWidth: 100, flowCollectionPadding: true });
}

/** The document's plain data (what validation reads). */
export function sceneDocData(doc: Document): SceneData {
  const data = doc.toJS({ maxAliasCount: 100 }) as unknown;
  return data && typeof data === 'object' && !Array.isArray(data) ? (data as SceneData) : {};
}

/** A copy of `data` with `value` at `path` (`undefined` removes the key). */
function withValue(data: SceneData, path: EditPath, value: unknown): SceneData {
  const copy = structuredClone(data) as Record<string | number, unknown>;
  let here: Record<string | number, unknown> = copy;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i];
    if (here[seg] === undefined || here[seg] === null || typeof here[seg] !== 'object') here[seg] = typeof path[i + 1] === 'number' ? [] : {};
    here = here[seg] as Record<string | number, unknown>;
  }
  const last = path[path.length - 1];
  if (value === undefined) delete here[last];
  else here[last] = value;
  return copy as SceneData;
}

/** Whether error path `p` (formatted) is at or under `path`. */
function errorIsAt(p: string, path: EditPath): boolean {
  const f = formatPath(path);
  return p === f || p.startsWith(`${f}.`) || p.startsWith(`${f}[`);
}

/**
 * The validator's messages for `path` if `value` were written there (empty: the value is good).
 * `validate` is the scene validation (e.g. `loadSceneData`).
 */
export function checkField(data: SceneData, path: EditPath, value: unknown, validate: (raw: unknown) => ParseSceneResult): SceneError[] {
  const result = validate(withValue(data, path, value));
  if (result.ok) return [];
  return result.errors.filter((e) => errorIsAt(e.path, path));
}
