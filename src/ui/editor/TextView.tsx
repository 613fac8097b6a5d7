/**
 * The scene's YAML beside the canvas (CodeMirror 6 with the YAML language), editable; validation
 * errors show at their lines. The two views stay in step: typing here replaces the document,
 * and edits on the canvas replace the text here.
 */
import { useEffect, useRef } from 'react';
import { useStore } from 'zustand';
import { Annotation, EditorState as CmState } from '@codemirror/state';
import { EditorView, keymap, lineNumbers } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { linter, lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { editorStore, setText } from '../../store/editor';
import type { SceneError } from '../../scenario/validate';

/** Marks text put in from the store (not typed), so it is not sent back. */
const external = Annotation.define<boolean>();

function diagnostics(view: EditorView, errors: readonly SceneError[]): Diagnostic[] {
  const doc = view.state.doc;
  return errors.map((e) => {
    const line = doc.line(Math.min(Math.max(1, e.line ?? 1), doc.lines));
    const from = Math.min(line.from + Math.max(0, (e.column ?? 1) - 1), line.to);
    return { from, to: line.to, severity: 'error', message: e.path ? `${e.path}: ${e.message}` : e.message };
  });
}

export function TextView() {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const text = useStore(editorStore, (s) => s.draft ?? s.text);
  const errors = useStore(editorStore, (s) => s.errors);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const v = new EditorView({
      parent: host.current!,
      state: CmState.create({
        doc: editorStore.getState().draft ?? editorStore.getState().text,
        extensions: [
          lineNumbers(),
          history(),
          keymap.of([...defaultKeymap, ...historyKeymap]),
          yaml(),
          linter(null),
          lintGutter(),
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({ 'aria-label': 'Scene YAML', 'data-testid': 'editor-text' }),
          EditorView.updateListener.of((u) => {
            if (!u.docChanged || u.transactions.every((t) => t.annotation(external) === true)) return;
            if (timer !== null) clearTimeout(timer);
            const next = u.state.doc.toString();
            timer = setTimeout(() => {
              timer = null;
              setText(next);
            }, 250);
          }),
        ],
      }),
    });
    view.current = v;
    return () => {
      if (timer !== null) clearTimeout(timer);
      v.destroy();
      view.current = null;
    };
  }, []);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const current = v.state.doc.toString();
    if (current !== text && !v.hasFocus) {
      v.dispatch({ changes: { from: 0, to: current.length, insert: text }, annotations: external.of(true) });
    }
  }, [text]);

  useEffect(() => {
    const v = view.current;
    if (v) v.dispatch(setDiagnostics(v.state, diagnostics(v, errors)));
  }, [errors, text]);

  return <div className="editor-text" ref={host} />;
}
