/**
 * The editor's store given hostile scene text (typed into the text view or opened as a file): text
 * nested deeper than the scene limit is refused with a message that names the limit and where it
 * is passed, never parsed (which would overflow the stack), and the last good scene stays.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BLANK_SCENE_TEXT } from '../../src/scenario/edit/doc';
import { editorStore, openInEditor, setText } from '../../src/store/editor';

const DEEP = [
  ['flow lists', `version: 1\ntitle: deep\nnodes: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`, 3, 72],
  ['JSON objects', `{"version": 1,\n"nodes": ${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`, 2, 10 + 5 * 63],
  ['block sequences', `version: 1\nnodes:\n  ${'- '.repeat(5_000)}x\n`, 3, 1],
] as const;

describe('editor store: deeply nested text', () => {
  it.each(DEEP)('typed in the text view (%s): refused with the limit and its line, the scene kept', (_, text, line) => {
    openInEditor(BLANK_SCENE_TEXT, 'deep');
    const before = editorStore.getState().text;
    expect(() => setText(text)).not.toThrow();
    const s = editorStore.getState();
    expect(s.text).toBe(before);
    expect(s.draft).toBe(text);
    expect(s.errors).toHaveLength(1);
    expect(s.errors[0].message).toMatch(/levels deep \(level 65 at line \d+, column \d+\); at most 64 are allowed/);
    expect(s.errors[0].line).toBe(line);
    expect(s.message).toMatch(new RegExp(`^Line ${line}: `));
  });

  it.each(DEEP)('opened as a file (%s): the editor opens blank with the error, no exception', (_, text, line, column) => {
    expect(() => openInEditor(text, 'hostile')).not.toThrow();
    const s = editorStore.getState();
    expect(s.text).toBe(BLANK_SCENE_TEXT);
    expect(s.draft).toBe(text);
    expect(s.errors[0]).toMatchObject({ line });
    if (column > 1) expect(s.errors[0].column).toBe(column);
  });

  // (Block indentation grows as the square of the depth; 600 levels stay under the 1 MB limit.)
  it('nesting of one kind deeper than the limit is refused; any mix is never thrown', () => {
    const nest = (depth: number, kinds: readonly string[]): string => {
      let open = '';
      let close = '';
      for (let i = 0; i < depth; i++) {
        const k = kinds[i % kinds.length];
        if (k === '- ') open += `\n${'  '.repeat(i)}- `;
        else {
          open += k;
          close = (k === '[' ? ']' : '}') + close;
        }
      }
      return `version: 1\nnodes: ${open}x${close}\n`;
    };
    fc.assert(
      fc.property(fc.integer({ min: 65, max: 600 }), fc.constantFrom('[', '{"k": ', '- '), (depth, kind) => {
        const text = nest(depth, [kind]);
        setText(text);
        const s = editorStore.getState();
        return s.draft === text && s.errors.length === 1 && /levels deep/.test(s.errors[0].message);
      }),
      { numRuns: 100 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 600 }), fc.array(fc.constantFrom('[', '{"k": ', '- '), { minLength: 2, maxLength: 4 }), (depth, kinds) => {
        const text = nest(depth, kinds);
        setText(text);
        // Within the limits or not, the text is refused or taken with its errors, never thrown.
        return editorStore.getState().errors.length > 0;
      }),
      { numRuns: 100 },
    );
  });
});
