/**
 * A cable and the addresses it brings are one undo step in the editor's store (execThen): undo
 * gives back the scene text exactly; a follow-up that fails leaves the scene as it was.
 */
import { describe, expect, it } from 'vitest';
import { addressSegments } from '../../src/scenario/edit/addressing';
import { connect } from '../../src/scenario/edit/commands';
import { editorCatalog, editorStore, execThen, openInEditor, redo, undo } from '../../src/store/editor';

const TEXT = `version: 1
title: two devices # kept
seed: 1
duration: 10ms
nodes:
  - { id: h1, kind: host }
  - { id: r1, kind: router }
links: []
run: []
`;

function cable(): ReturnType<typeof connect> {
  return connect(editorCatalog, editorStore.getState().data, 'h1', 'r1', { newInterface: true });
}

describe('editor store: a command and its follow-up as one step', () => {
  it('cables and addresses in one undo step; undo and redo give back the texts exactly', () => {
    openInEditor(TEXT, 'two');
    const r = cable();
    if (!r.ok) throw new Error(r.problem.message);
    expect(execThen(r.command, (data) => addressSegments(editorCatalog, data, { links: [0] }))).toBe(true);
    const after = editorStore.getState().text;
    expect(after).toMatch(/id: h1, kind: host, ip: 10\.0\.0\.1\/24/);
    expect(after).toMatch(/interfaces: \[ 10\.0\.0\.254\/24 \]/);
    expect(editorStore.getState().undo).toHaveLength(1);
    expect(editorStore.getState().errors).toEqual([]);
    undo();
    expect(editorStore.getState().text).toBe(TEXT);
    redo();
    expect(editorStore.getState().text).toBe(after);
  });

  it('a follow-up that throws leaves the scene and the history as they were, and says why', () => {
    openInEditor(TEXT, 'two');
    const r = cable();
    if (!r.ok) throw new Error(r.problem.message);
    expect(
      execThen(r.command, () => {
        throw new Error('no room');
      }),
    ).toBe(false);
    expect(editorStore.getState().text).toBe(TEXT);
    expect(editorStore.getState().undo).toHaveLength(0);
    expect(editorStore.getState().message).toMatch(/no room/);
  });
});
