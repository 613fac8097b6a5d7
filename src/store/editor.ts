/**
 * The scene editor's state: the scene being edited as one YAML document (the only copy of its
 * topology), the undo and redo stacks of inverse commands, the selection on the canvas, field
 * errors and the "My scenes" save state. Edits go through `exec` with a command from
 * src/scenario/edit; the text view's edits replace the document and are undoable the same way.
 */
import type { Document } from 'yaml';
import { createStore } from 'zustand/vanilla';
import { deviceCatalog } from '../net/device-registry';
import { applyCommand, type EditCommand, type SceneData } from '../scenario/edit/commands';
import { BLANK_SCENE_TEXT, checkField, parseSceneDoc, sceneDocData, sceneDocText } from '../scenario/edit/doc';
import type { EditPath } from '../scenario/edit/ops';
import { sceneTextLimitError } from '../scenario/limits';
import { loadScene, loadSceneData } from '../scenario/load';
import type { SceneError } from '../scenario/validate';
import { newSceneId, putMyScene } from './my-scenes';

/** One undo (or redo) step: a command's inverse, or the scene text before a text-view edit. */
type HistoryEntry = { readonly kind: 'cmd'; readonly command: EditCommand } | { readonly kind: 'text'; readonly name: string; readonly text: string };

/** What the canvas has selected. */
export interface EditorSelection {
  readonly nodes: readonly string[];
  readonly link: string | null;
}

/** A cable whose interface at `node` is ambiguous: one of `choices` is asked for. */
interface PendingConnect {
  readonly a: string;
  readonly b: string;
  readonly node: string;
  readonly choices: readonly string[];
  readonly ifaceA?: string;
  readonly ifaceB?: string;
}

/** Where "My scenes" saving stands. */
type SaveStatus = { readonly state: 'idle' | 'saving' | 'saved' } | { readonly state: 'error'; readonly message: string };

export interface EditorState {
  /** The editor is shown. */
  open: boolean;
  /** Id under "My scenes". */
  id: string;
  name: string;
  doc: Document;
  /** The document's text (what is saved and exported). */
  text: string;
  data: SceneData;
  /** Validation of the whole scene, with lines in `text`. */
  errors: SceneError[];
  /** Text typed in the text view that does not parse yet (the document keeps the last good one). */
  draft: string | null;
  undo: HistoryEntry[];
  redo: HistoryEntry[];
  selection: EditorSelection;
  /** A message for the last refused edit (e.g. an ambiguous interface), shown by the panel. */
  message: string | null;
  save: SaveStatus;
  /** A connection waiting for the user to pick an interface of `node`. */
  pendingConnect: PendingConnect | null;
  /** Bumped on every change of the document (views key their effects on it). */
  revision: number;
  /** A new cable addresses the devices it joins that have no address on that segment. */
  autoAddress: boolean;
}

const catalog = deviceCatalog();

function validate(text: string): SceneError[] {
  const r = loadScene(text, 'scene.yaml');
  return r.ok ? [] : r.errors;
}

/**
 * Validation after an edit: the document's data is checked as it is (a valid scene needs no
 * line numbers, so its text is not parsed a second time); only a scene with errors is validated
 * again from its text, for the lines the text view marks.
 */
function validateEdited(text: string, data: SceneData): SceneError[] {
  return loadSceneData(data).ok ? [] : validate(text);
}

function fresh(
  text: string,
  id: string,
  name: string,
): Pick<EditorState, 'id' | 'name' | 'doc' | 'text' | 'data' | 'errors' | 'draft' | 'undo' | 'redo' | 'selection' | 'message'> {
  const refused = sceneTextLimitError(text);
  if (refused) {
    // Too large or too deep to parse safely: shown as a draft with the reason; the canvas is blank.
    const blank = fresh(BLANK_SCENE_TEXT, id, name);
    return { ...blank, draft: text, errors: [refused], message: limitMessage(refused) };
  }
  const doc = parseSceneDoc(text);
  return {
    id,
    name,
    doc,
    text,
    data: sceneDocData(doc),
    errors: validate(text),
    draft: null,
    undo: [],
    redo: [],
    selection: { nodes: [], link: null },
    message: null,
  };
}

export const editorStore = createStore<EditorState>()(() => ({
  open: false,
  ...fresh(BLANK_SCENE_TEXT, newSceneId(), 'My network'),
  save: { state: 'idle' },
  pendingConnect: null,
  revision: 0,
  autoAddress: true,
}));

let saveSeq = 0;

/** Saves the scene under "My scenes" now; a failure is put on screen through `save`. */
export async function saveNow(): Promise<void> {
  const { id, name, text } = editorStore.getState();
  const seq = ++saveSeq;
  editorStore.setState({ save: { state: 'saving' } });
  try {
    await putMyScene({ id, name, text, updated: Date.now() });
    if (seq === saveSeq) editorStore.setState({ save: { state: 'saved' } });
  } catch (e) {
    editorStore.setState({ save: { state: 'error', message: `Could not save to this browser's storage: ${e instanceof Error ? e.message : String(e)}` } });
  }
}

/** After a document change: text, data, validation, revision, autosave. */
function changed(name: string | null = null): void {
  const s = editorStore.getState();
  const text = sceneDocText(s.doc);
  const data = sceneDocData(s.doc);
  editorStore.setState({ pendingConnect: null, text, data, errors: validateEdited(text, data), draft: null, revision: s.revision + 1, message: name });
  void saveNow();
}

/** Opens scene text in the editor (a new scene under "My scenes" unless `id` is given). */
export function openInEditor(text: string, name: string, id: string = newSceneId()): void {
  editorStore.setState({ open: true, ...fresh(text, id, name), revision: editorStore.getState().revision + 1, save: { state: 'idle' } });
  void saveNow();
}

function limitMessage(e: SceneError): string {
  return `${e.line !== undefined ? `Line ${e.line}: ` : ''}${e.message}`;
}

/** Applies a command; it becomes one undo step. A command that does not fit leaves the scene as it was. */
export function exec(command: EditCommand): boolean {
  const s = editorStore.getState();
  try {
    const inverse = applyCommand(s.doc, command);
    editorStore.setState({ undo: [...s.undo, { kind: 'cmd', command: inverse }], redo: [] });
  } catch (e) {
    editorStore.setState({ message: `${command.name}: ${e instanceof Error ? e.message : String(e)}` });
    return false;
  }
  changed();
  return true;
}

/**
 * Applies a command and then the follow-up `next` computes from the scene it left (e.g. addressing
 * what a new cable joined), as one undo step. Either failing leaves the scene as it was.
 */
export function execThen(command: EditCommand, next: (data: SceneData) => EditCommand | null): boolean {
  const s = editorStore.getState();
  try {
    const first = applyCommand(s.doc, command);
    let second: EditCommand | null = null;
    try {
      const follow = next(sceneDocData(s.doc));
      if (follow) second = applyCommand(s.doc, follow);
    } catch (e) {
      applyCommand(s.doc, first);
      throw e;
    }
    const inverse: EditCommand = { name: command.name, ops: [...(second?.ops ?? []), ...first.ops] };
    editorStore.setState({ undo: [...s.undo, { kind: 'cmd', command: inverse }], redo: [] });
  } catch (e) {
    editorStore.setState({ message: `${command.name}: ${e instanceof Error ? e.message : String(e)}` });
    return false;
  }
  changed();
  return true;
}

/** Applies one history entry; returns the entry that reverses it. */
function replay(entry: HistoryEntry): HistoryEntry {
  const s = editorStore.getState();
  if (entry.kind === 'cmd') return { kind: 'cmd', command: applyCommand(s.doc, entry.command) };
  const before = s.text;
  editorStore.setState({ doc: parseSceneDoc(entry.text) });
  return { kind: 'text', name: entry.name, text: before };
}

function entryName(e: HistoryEntry): string {
  return e.kind === 'cmd' ? e.command.name : e.name;
}

/** Undoes the last edit. */
export function undo(): void {
  const s = editorStore.getState();
  const entry = s.undo[s.undo.length - 1];
  if (!entry) return;
  const back = replay(entry);
  editorStore.setState({ undo: s.undo.slice(0, -1), redo: [...s.redo, back] });
  changed(`Undid: ${entryName(entry)}`);
}

/** Redoes the last undone edit. */
export function redo(): void {
  const s = editorStore.getState();
  const entry = s.redo[s.redo.length - 1];
  if (!entry) return;
  const back = replay(entry);
  editorStore.setState({ redo: s.redo.slice(0, -1), undo: [...s.undo, back] });
  changed(`Redid: ${entryName(entry)}`);
}

/**
 * Text typed in the text view. Text that parses as YAML replaces the document (one undo step);
 * text that does not is kept as a draft with its syntax errors, and the canvas keeps the last good scene.
 */
export function setText(text: string): void {
  const s = editorStore.getState();
  if (text === s.text) return;
  // Text beyond the scene limits (e.g. nested thousands of levels deep) is never parsed.
  const refused = sceneTextLimitError(text);
  if (refused) {
    editorStore.setState({ draft: text, errors: [refused], message: limitMessage(refused) });
    return;
  }
  const doc = parseSceneDoc(text);
  if (doc.errors.length > 0) {
    editorStore.setState({ draft: text, errors: validate(text) });
    return;
  }
  editorStore.setState({ doc, undo: [...s.undo, { kind: 'text', name: 'Edit text', text: s.text }], redo: [] });
  const after = sceneDocText(doc);
  // Keep the user's own text (spacing, comments) exactly: the document prints it back unchanged
  // only after normalising, so the text shown is what they typed.
  changed();
  if (after !== text) editorStore.setState({ text, errors: validate(text) });
}

/** Sets a field after checking it with scene validation; returns the validator's messages when refused. */
export function setFieldChecked(path: EditPath, value: unknown, command: EditCommand): string[] {
  const errors = checkField(editorStore.getState().data, path, value, loadSceneData);
  if (errors.length > 0) return errors.map((e) => e.message);
  exec(command);
  return [];
}

/** Selects devices (and clears the link), or a link. */
export function select(sel: Partial<EditorSelection>): void {
  editorStore.setState({ selection: { nodes: sel.nodes ?? [], link: sel.link ?? null } });
}

/** Renames the scene under "My scenes". */
export function renameScene(name: string): void {
  editorStore.setState({ name });
  void saveNow();
}

/** The device kinds the palette offers: every registered kind, in registration order. */
export function paletteKinds(): { kind: string; description: string }[] {
  return [...catalog.values()].map((s) => ({ kind: s.kind, description: s.description }));
}

export { catalog as editorCatalog };
