/**
 * The scene editor: palette, canvas, a property form generated from each device kind's config
 * spec, the timeline strip of commands and faults, the problem list, the YAML text view and
 * "My scenes". Every change is a command on the one scene document (src/store/editor.ts).
 */
import { useEffect, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import {
  addDevice,
  addFault,
  addRun,
  duplicateDevice,
  linkId,
  moveDevice,
  nodeIndex,
  removeDevice,
  removeEntry,
  renameDevice,
  setField,
  disconnect,
} from '../../scenario/edit/commands';
import type { EditPath } from '../../scenario/edit/ops';
import { BLANK_SCENE_TEXT, checkField } from '../../scenario/edit/doc';
import { loadSceneData } from '../../scenario/load';
import { formatPath } from '../../scenario/validate';
import { editorCatalog, editorStore, exec, openInEditor, paletteKinds, redo, renameScene, saveNow, select, setFieldChecked, undo } from '../../store/editor';
import { deleteMyScene, getMyScene, listMyScenes, type MyScene } from '../../store/my-scenes';
import { connectDevices, EditorCanvas, planPositions } from './EditorCanvas';
import { LINK_FIELDS, parseValueText, SCENE_FIELDS, specFields, valueText, type FieldDef } from './fields';
import { TextView } from './TextView';
import { CommandInput } from './CommandInput';
import { sceneWarnings } from '../../scenario/edit/warnings';
import { addressSegments } from '../../scenario/edit/addressing';
import { addDefaultRoutes } from '../../scenario/edit/routes';
import { autoLayout } from '../../scenario/edit/layout';
import './editor.css';

/** What the app lends the editor. */
export interface EditorHost {
  /** Bundled scene names and their text, for "Edit a copy". */
  readonly sceneNames: readonly string[];
  sceneText(name: string): string | undefined;
  /** Simulates the text in the worker and shows it in every view. */
  run(text: string, name: string): void;
  /** A link that carries the whole scene. */
  shareLink(text: string): Promise<string>;
  close(): void;
}

/** One form field: typed as YAML, checked on every keystroke by scene validation, written on Enter or leaving it. */
function Field({ path, def, value }: { path: EditPath; def: FieldDef; value: unknown }) {
  const shown = valueText(value);
  const [text, setTextValue] = useState(shown);
  const [errors, setErrors] = useState<string[]>([]);
  const check = (t: string): { ok: boolean; value?: unknown } => {
    const parsed = parseValueText(t);
    if (!parsed.ok) {
      setErrors([parsed.message]);
      return { ok: false };
    }
    return { ok: true, value: parsed.value };
  };
  const onChange = (t: string) => {
    setTextValue(t);
    const p = check(t);
    if (!p.ok) return;
    // Check as typed, without writing: the validator's messages for this path.
    setErrors(checkField(editorStore.getState().data, path, p.value, loadSceneData).map((e) => e.message));
  };
  const commit = () => {
    if (text === shown) return;
    const p = check(text);
    if (!p.ok) return;
    const refused = setFieldChecked(path, p.value, setField(editorStore.getState().data, path, p.value, `Set ${formatPath(path)}`));
    setErrors(refused);
  };
  const id = `f-${formatPath(path)}`;
  return (
    <div className={`editor-field${errors.length ? ' bad' : ''}`}>
      <label htmlFor={id}>{def.key}</label>
      <input
        id={id}
        data-field={formatPath(path)}
        value={text}
        placeholder={def.hint}
        aria-invalid={errors.length > 0}
        spellCheck={false}
        onChange={(e) => onChange(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') setTextValue(shown);
        }}
      />
      {errors.length > 0 && (
        <div className="editor-field-error" role="alert">
          {errors.join('; ')}
        </div>
      )}
    </div>
  );
}

function IdField({ id }: { id: string }) {
  const [text, setTextValue] = useState(id);
  const [error, setError] = useState('');
  const commit = () => {
    if (text === id) return;
    const data = editorStore.getState().data;
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(text)) return setError(`"${text}": ids use letters, digits, ".", "_" and "-"`);
    if (nodeIndex(data, text) >= 0) return setError(`"${text}" is already a device`);
    setError('');
    exec(renameDevice(data, id, text));
    select({ nodes: [text] });
  };
  return (
    <div className={`editor-field${error ? ' bad' : ''}`}>
      <label htmlFor="f-id">id</label>
      <input
        id="f-id"
        data-field="id"
        value={text}
        onChange={(e) => setTextValue(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
      />
      {error && (
        <div className="editor-field-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

function Properties() {
  const data = useStore(editorStore, (s) => s.data);
  const selection = useStore(editorStore, (s) => s.selection);
  if (selection.link) {
    const i = (data.links ?? []).findIndex((l) => linkId(l) === selection.link);
    const link = data.links?.[i];
    if (!link) return null;
    return (
      <section className="editor-section" aria-label="Link properties">
        <h3>
          Link {selection.link}{' '}
          <span className="muted">
            {String(link.a)} — {String(link.b)}
          </span>
        </h3>
        {LINK_FIELDS.map((f) => (
          <Field key={`${f.key}=${valueText(link[f.key])}`} path={['links', i, f.key]} def={f} value={link[f.key]} />
        ))}
        <button onClick={() => exec(disconnect(data, selection.link!))}>Delete link</button>
      </section>
    );
  }
  if (selection.nodes.length === 1) {
    const i = nodeIndex(data, selection.nodes[0]);
    const node = data.nodes?.[i];
    if (!node) return null;
    const spec = editorCatalog.get(String(node.kind));
    return (
      <section className="editor-section" aria-label="Device properties">
        <h3>
          {String(node.kind)} <span className="muted">{spec?.description ?? ''}</span>
        </h3>
        <IdField key={String(node.id)} id={String(node.id)} />
        <Field
          key={`${i}label=${valueText(node.label)}`}
          path={['nodes', i, 'label']}
          def={{ key: 'label', hint: 'text', optional: true }}
          value={node.label}
        />
        {specFields(spec).map((f) => (
          <Field key={`${i}${f.key}=${valueText(node[f.key])}`} path={['nodes', i, f.key]} def={f} value={node[f.key]} />
        ))}
        <div className="editor-row">
          <button onClick={() => exec(duplicateDevice(data, String(node.id)))} title="Ctrl+D">
            Duplicate
          </button>
          <button
            onClick={() => {
              exec(removeDevice(data, String(node.id)));
              select({});
            }}
            title="Delete"
          >
            Delete
          </button>
        </div>
      </section>
    );
  }
  return (
    <section className="editor-section" aria-label="Scene properties">
      <h3>Scene</h3>
      {SCENE_FIELDS.map((f) => (
        <Field key={`${f.key}=${valueText(data[f.key])}`} path={[f.key]} def={f} value={data[f.key]} />
      ))}
    </section>
  );
}

function PendingConnect() {
  const p = useStore(editorStore, (s) => s.pendingConnect);
  if (!p || p.choices.length === 0) return null;
  return (
    <div className="editor-pending" role="dialog" aria-label="Pick an interface">
      <span>Which interface of {p.node}?</span>
      {p.choices.map((c) => (
        <button key={c} data-iface={c} onClick={() => (p.node === p.a ? connectDevices(p.a, p.b, c, p.ifaceB) : connectDevices(p.a, p.b, p.ifaceA, c))}>
          {c}
        </button>
      ))}
      <button onClick={() => editorStore.setState({ pendingConnect: null, message: null })}>Cancel</button>
    </div>
  );
}

/** The editor's strip of timed commands and faults, with the form that adds one. */
// eslint-disable-next-line max-lines-per-function -- the list and its add form share the draft entry's state and its validation message
function Timeline() {
  const data = useStore(editorStore, (s) => s.data);
  const errors = useStore(editorStore, (s) => s.errors);
  const ids = (data.nodes ?? []).map((n) => String(n?.id));
  const links = (data.links ?? []).map(linkId);
  const [on, setOn] = useState('');
  const [at, setAt] = useState('1ms');
  const [cmd, setCmd] = useState('');
  const [fLink, setFLink] = useState('');
  const [fAt, setFAt] = useState('40ms');
  const [fWhat, setFWhat] = useState('down');
  const errorAt = (prefix: string) =>
    errors
      .filter((e) => e.path.startsWith(prefix))
      .map((e) => e.message)
      .join('; ');
  return (
    <section className="editor-section" aria-label="Timeline">
      <ol className="editor-timeline">
        {(data.run ?? []).map((r, i) => (
          <li key={`r${i}`} data-run={i}>
            <span className="t">{String(r?.at)}</span> <b>{String(r?.on)}</b> <code>{String(r?.cmd)}</code>
            <button aria-label={`Delete command ${i + 1}`} onClick={() => exec(removeEntry('run', i))}>
              ×
            </button>
            {errorAt(`run[${i}]`) && <div className="editor-field-error">{errorAt(`run[${i}]`)}</div>}
          </li>
        ))}
        {(data.faults ?? []).map((f, i) => (
          <li key={`f${i}`} data-fault={i} className="fault">
            <span className="t">{String(f?.at)}</span> <b>{String(f?.link ?? f?.node)}</b> <code>{valueText(f?.set)}</code>
            <button aria-label={`Delete fault ${i + 1}`} onClick={() => exec(removeEntry('faults', i))}>
              ×
            </button>
            {errorAt(`faults[${i}]`) && <div className="editor-field-error">{errorAt(`faults[${i}]`)}</div>}
          </li>
        ))}
      </ol>
      <form
        className="editor-row"
        onSubmit={(e) => {
          e.preventDefault();
          const d = on || ids[0];
          if (d && cmd.trim()) {
            exec(addRun(editorStore.getState().data, d, at, cmd.trim()));
            setCmd('');
          }
        }}
      >
        <select aria-label="Device" data-testid="run-on" value={on} onChange={(e) => setOn(e.target.value)}>
          {ids.map((id) => (
            <option key={id}>{id}</option>
          ))}
        </select>
        <input aria-label="At" data-testid="run-at" className="short" value={at} onChange={(e) => setAt(e.target.value)} />
        <CommandInput value={cmd} on={on || ids[0] || ''} onChange={setCmd} />
        <button type="submit">Add command</button>
      </form>
      <form
        className="editor-row"
        onSubmit={(e) => {
          e.preventDefault();
          const l = fLink || links[0];
          if (l)
            exec(
              addFault(editorStore.getState().data, {
                at: fAt,
                link: l,
                set: fWhat === 'down' ? { up: false } : fWhat === 'up' ? { up: true } : { loss: 0.3 },
              }),
            );
        }}
      >
        <select aria-label="Link" value={fLink} onChange={(e) => setFLink(e.target.value)}>
          {links.map((id) => (
            <option key={id}>{id}</option>
          ))}
        </select>
        <input aria-label="Fault at" className="short" value={fAt} onChange={(e) => setFAt(e.target.value)} />
        <select aria-label="Fault" value={fWhat} onChange={(e) => setFWhat(e.target.value)}>
          <option value="down">goes down</option>
          <option value="up">comes up</option>
          <option value="loss">loses 30%</option>
        </select>
        <button type="submit">Add fault</button>
      </form>
    </section>
  );
}

function Problems() {
  const errors = useStore(editorStore, (s) => s.errors);
  const data = useStore(editorStore, (s) => s.data);
  const warnings = sceneWarnings(data);
  if (errors.length === 0 && warnings.length === 0) return <p className="editor-ok">No problems.</p>;
  return (
    <ul className="editor-problems" aria-label="Problems">
      {errors.slice(0, 50).map((e, i) => (
        <li key={`e${i}`} className="error">
          {e.line !== undefined ? `line ${e.line}: ` : ''}
          {e.path ? `${e.path}: ` : ''}
          {e.message}
        </li>
      ))}
      {warnings.map((w, i) => (
        <li key={`w${i}`} className="warning">
          {w}
        </li>
      ))}
    </ul>
  );
}

function MyScenes({ onClose }: { onClose(): void }) {
  const [list, setList] = useState<MyScene[] | null>(null);
  const [error, setError] = useState('');
  const refresh = () =>
    listMyScenes().then(
      ({ scenes, problems }) => {
        setList(scenes);
        setError(problems.join(' '));
      },
      (e: unknown) => setError(`Could not read My scenes: ${e instanceof Error ? e.message : String(e)}`),
    );
  useEffect(() => void refresh(), []);
  return (
    <div className="editor-popover" role="dialog" aria-label="My scenes">
      <h3>My scenes</h3>
      {error && (
        <p className="editor-field-error" role="alert">
          {error}
        </p>
      )}
      {list?.length === 0 && <p className="muted">Nothing saved yet.</p>}
      <ul className="editor-myscenes">
        {list?.map((s) => (
          <li key={s.id} data-my-scene={s.name}>
            <button
              className="link"
              onClick={() => {
                void getMyScene(s.id).then((m) => m && openInEditor(m.text, m.name, m.id));
                onClose();
              }}
            >
              {s.name}
            </button>
            <button aria-label={`Delete ${s.name}`} onClick={() => void deleteMyScene(s.id).then(refresh, (e: unknown) => setError(String(e)))}>
              Delete
            </button>
          </li>
        ))}
      </ul>
      <button onClick={onClose}>Close</button>
    </div>
  );
}

function download(name: string, text: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type: 'application/yaml' }));
  a.download = `${name.replace(/[^\w.-]+/g, '-') || 'scene'}.yaml`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** Largest file the editor opens (the share-link limit is smaller; see src/embed/codec.ts). */
const MAX_FILE_BYTES = 1024 * 1024;

/** Reads a dropped or chosen file; binary or huge files are refused with a message. */
async function openFile(file: File): Promise<void> {
  if (file.size > MAX_FILE_BYTES) {
    editorStore.setState({ message: `${file.name}: ${Math.round(file.size / 1024)} KB is larger than the ${MAX_FILE_BYTES / 1024} KB a scene may be` });
    return;
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    editorStore.setState({ message: `${file.name}: not a text file (a scene is YAML or JSON)` });
    return;
  }
  if (text.includes('\u0000')) {
    editorStore.setState({ message: `${file.name}: not a text file (a scene is YAML or JSON)` });
    return;
  }
  openInEditor(text, file.name.replace(/\.(ya?ml|json)$/i, ''));
}

function Section({ title, children, open = true }: { title: string; children: ReactNode; open?: boolean }) {
  return (
    <details className="editor-details" open={open}>
      <summary>{title}</summary>
      {children}
    </details>
  );
}

/** The keys of the editor: Delete, Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y, Ctrl+D, C, arrows, Escape. */
function useEditorKeys(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement | null;
      if (el && (el.tagName === 'INPUT' || el.tagName === 'SELECT' || el.tagName === 'TEXTAREA' || el.isContentEditable)) return;
      const s = editorStore.getState();
      const mod = e.ctrlKey || e.metaKey;
      const sel = s.selection.nodes;
      let handled = true;
      if (mod && (e.key === 'z' || e.key === 'Z')) {
        if (e.shiftKey) redo();
        else undo();
      } else if (mod && (e.key === 'y' || e.key === 'Y')) redo();
      else if (mod && (e.key === 'd' || e.key === 'D') && sel.length === 1) exec(duplicateDevice(s.data, sel[0]));
      else if ((e.key === 'Delete' || e.key === 'Backspace') && (sel.length > 0 || s.selection.link)) {
        if (s.selection.link) exec(disconnect(s.data, s.selection.link));
        else for (const id of sel) exec(removeDevice(editorStore.getState().data, id));
        select({});
      } else if ((e.key === 'c' || e.key === 'C') && !mod && sel.length === 2) connectDevices(sel[0], sel[1]);
      else if (e.key.startsWith('Arrow') && sel.length === 1 && !mod) {
        const p = planPositions(s.data).get(sel[0]) ?? [0, 0];
        const step = e.shiftKey ? 2 : 0.5;
        const d: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
        exec(moveDevice(s.data, sel[0], [p[0] + d[e.key][0], p[1] + d[e.key][1]]));
      } else if (e.key === 'Escape') select({});
      else handled = false;
      if (handled) {
        e.preventDefault();
        e.stopImmediatePropagation();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
}

/** The helpers a network tool has: address the selection's subnets (or all), default routes, auto-layout. */
function HelperButtons() {
  const selection = useStore(editorStore, (s) => s.selection);
  const say = (message: string) => editorStore.setState({ message });
  const address = () => {
    const data = editorStore.getState().data;
    const link = selection.link ? (data.links ?? []).findIndex((l) => linkId(l) === selection.link) : -1;
    const scope = link >= 0 ? { links: [link] } : selection.nodes.length > 0 ? { nodes: selection.nodes } : undefined;
    const cmd = addressSegments(editorCatalog, data, scope);
    if (cmd) exec(cmd);
    else say(scope ? 'Every device on this subnet has its address' : 'Every device has its address');
  };
  const routes = () => {
    const r = addDefaultRoutes(editorCatalog, editorStore.getState().data);
    if (!r.ok) say(`Default routes: ${r.message}`);
    else if (r.command) exec(r.command);
    else say('Every host has a gateway and every router a route to every subnet');
  };
  const layout = () => {
    const cmd = autoLayout(editorCatalog, editorStore.getState().data);
    if (cmd) exec(cmd);
    else say('Already laid out');
  };
  const scoped = selection.link !== null || selection.nodes.length > 0;
  return (
    <span className="editor-helpers" role="group" aria-label="Helpers">
      <button data-testid="editor-address" onClick={address} title="Give devices without an address one on their subnet (a free /24 for a new subnet)">
        {scoped ? 'Address this subnet' : 'Address all'}
      </button>
      <button data-testid="editor-routes" onClick={routes} title="Gateways for hosts and routes for routers, for a network shaped like a tree">
        Add default routes
      </button>
      <button data-testid="editor-layout" onClick={layout} title="Routers in the middle, each segment around its router, on the grid">
        Auto-layout
      </button>
    </span>
  );
}

/** The editor's canvas area (in the app's view) with the palette over it. */
// eslint-disable-next-line max-lines-per-function -- the palette, its helpers and the canvas share the armed and dragged kind
export function EditorStage() {
  const [armed, setArmed] = useState<string | null>(null);
  const [dragging, setDragging] = useState<string | null>(null);
  const [snap, setSnap] = useState(true);
  const message = useStore(editorStore, (s) => s.message);
  const autoAddress = useStore(editorStore, (s) => s.autoAddress);
  const kinds = paletteKinds();
  useEffect(() => {
    if (!dragging) return;
    // The canvas places the kind on its own pointerup; anywhere else the drag just ends.
    const end = () => setTimeout(() => setDragging(null), 0);
    window.addEventListener('pointerup', end);
    window.addEventListener('pointercancel', end);
    return () => {
      window.removeEventListener('pointerup', end);
      window.removeEventListener('pointercancel', end);
    };
  }, [dragging]);
  const placeByKey = (kind: string) => {
    const data = editorStore.getState().data;
    const used = new Set([...planPositions(data).values()].map(([x, y]) => `${x},${y}`));
    let x = -4;
    let y = 3;
    while (used.has(`${x},${y}`)) {
      x += 2;
      if (x > 6) {
        x = -4;
        y -= 2;
      }
    }
    if (exec(addDevice(data, kind, { position: [x, y] }))) {
      const nodes = editorStore.getState().data.nodes ?? [];
      select({ nodes: [String(nodes[nodes.length - 1]?.id)] });
    }
  };
  return (
    <div
      className="editor-stage"
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        e.preventDefault();
        const file = e.dataTransfer.files[0];
        if (file) void openFile(file);
      }}
    >
      <div className="editor-palette" role="toolbar" aria-label="Devices">
        {kinds.map((k) => (
          <button
            key={k.kind}
            data-kind={k.kind}
            className={armed === k.kind ? 'on' : ''}
            title={`${k.description} — drag onto the canvas, or click then click the canvas (Enter places it at a free spot)`}
            onClick={() => setArmed(armed === k.kind ? null : k.kind)}
            onPointerDown={(e) => {
              if (e.button !== 0) return;
              // Touch captures the pointer to the button; release it so the canvas sees the release.
              if (e.currentTarget.hasPointerCapture?.(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId);
              setDragging(k.kind);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                placeByKey(k.kind);
              }
            }}
          >
            {k.kind}
          </button>
        ))}
        <label className="editor-snap">
          <input type="checkbox" checked={snap} onChange={(e) => setSnap(e.target.checked)} /> snap
        </label>
        <HelperButtons />
        <label className="editor-snap editor-auto" title="A new cable gives the devices it joins an address on their segment">
          <input type="checkbox" checked={autoAddress} onChange={(e) => editorStore.setState({ autoAddress: e.target.checked })} /> auto-address
        </label>
      </div>
      <EditorCanvas
        armed={armed}
        dropKind={dragging}
        onPlaced={() => {
          setArmed(null);
          setDragging(null);
        }}
        snap={snap}
      />
      <PendingConnect />
      {message && (
        <div className="editor-message" role="status">
          {message}
        </div>
      )}
    </div>
  );
}

/** The editor's side panel. */
// eslint-disable-next-line max-lines-per-function -- the panel's layout of palette, canvas, forms and text view, wired to one editor store; each part is its own component
export function EditorPanel({ host }: { host: EditorHost }) {
  const name = useStore(editorStore, (s) => s.name);
  const save = useStore(editorStore, (s) => s.save);
  const undoCount = useStore(editorStore, (s) => s.undo.length);
  const redoCount = useStore(editorStore, (s) => s.redo.length);
  const undoName = useStore(editorStore, (s) => {
    const e = s.undo[s.undo.length - 1];
    return e ? (e.kind === 'cmd' ? e.command.name : e.name) : '';
  });
  const [myScenes, setMyScenes] = useState(false);
  const [share, setShare] = useState<string | null>(null);
  const [copyOf, setCopyOf] = useState('');
  useEditorKeys();
  return (
    <aside className="panel editor-panel" aria-label="Scene editor" data-testid="editor-panel">
      <div className="editor-head">
        <input className="editor-name" aria-label="Scene name" data-testid="editor-name" value={name} onChange={(e) => renameScene(e.target.value)} />
        <span className={`editor-save ${save.state}`} data-testid="editor-save" role={save.state === 'error' ? 'alert' : undefined}>
          {save.state === 'error' ? save.message : save.state === 'saved' ? 'Saved in this browser' : save.state === 'saving' ? 'Saving…' : ''}
        </span>
      </div>
      <div className="editor-row editor-actions">
        <button data-testid="editor-run" className="primary" onClick={() => host.run(editorStore.getState().text, editorStore.getState().name)}>
          Run ▶
        </button>
        <button data-testid="editor-undo" disabled={undoCount === 0} title={`Undo ${undoName} (Ctrl+Z)`} onClick={undo}>
          Undo
        </button>
        <button data-testid="editor-redo" disabled={redoCount === 0} title="Redo (Ctrl+Shift+Z)" onClick={redo}>
          Redo
        </button>
        <button data-testid="editor-my-scenes" onClick={() => setMyScenes(true)}>
          My scenes
        </button>
        <button data-testid="editor-export" onClick={() => download(editorStore.getState().name, editorStore.getState().text)}>
          Export YAML
        </button>
        <button
          data-testid="editor-share"
          onClick={() =>
            void host
              .shareLink(editorStore.getState().text)
              .then(setShare, (e: unknown) => setShare(`Cannot share: ${e instanceof Error ? e.message : String(e)}`))
          }
        >
          Share link
        </button>
        <button onClick={host.close} title="Back to the bundled scenes">
          Close
        </button>
      </div>
      <div className="editor-row editor-actions">
        <button data-testid="editor-new" onClick={() => openInEditor(BLANK_SCENE_TEXT, 'My network')}>
          New
        </button>
        <select aria-label="Edit a copy of" data-testid="editor-copy-of" value={copyOf} onChange={(e) => setCopyOf(e.target.value)}>
          <option value="">bundled scene…</option>
          {host.sceneNames.map((n) => (
            <option key={n}>{n}</option>
          ))}
        </select>
        <button
          data-testid="editor-copy"
          disabled={!copyOf}
          onClick={() => {
            const t = host.sceneText(copyOf);
            if (t) openInEditor(t, `${copyOf} (copy)`);
          }}
        >
          Edit a copy
        </button>
        <label className="editor-open">
          Open…
          <input
            type="file"
            accept=".yaml,.yml,.json,application/json,text/yaml"
            data-testid="editor-open"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void openFile(f);
              e.target.value = '';
            }}
          />
        </label>
        {save.state === 'error' && <button onClick={() => void saveNow()}>Retry save</button>}
      </div>
      {share !== null && (
        <div className="editor-share" role="status">
          <input readOnly aria-label="Share link" data-testid="editor-share-link" value={share} onFocus={(e) => e.target.select()} />
          <button onClick={() => setShare(null)}>×</button>
        </div>
      )}
      {myScenes && <MyScenes onClose={() => setMyScenes(false)} />}
      <div className="editor-scroll">
        <Properties />
        <Section title="Timeline">
          <Timeline />
        </Section>
        <Section title="Problems">
          <Problems />
        </Section>
        <Section title="YAML">
          <TextView />
        </Section>
      </div>
    </aside>
  );
}
