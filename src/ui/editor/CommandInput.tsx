/**
 * The timeline strip's command line: completion while typing (program names, options and their
 * values from the program's usage, the scene's addresses) in a list under the field, and the
 * program's own error and usage for the line as typed. Arrow keys move in the list, Enter or Tab
 * takes the highlighted suggestion, Escape closes it. (The usage line is the row's last item, on a
 * line of its own.)
 */
import { useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { completeCommand, type Completion } from '../../scenario/edit/complete';
import { editorStore } from '../../store/editor';

/** The suggestions under the field; a pointer press takes one (without taking the focus from the field). */
function CompletionList({ items, active, onTake }: { items: readonly Completion[]; active: number; onTake(line: string): void }) {
  if (items.length === 0) return null;
  return (
    <ul className="editor-cmd-list" id="editor-cmd-list" role="listbox" aria-label="Completions">
      {items.map((c, i) => (
        <li
          key={c.line}
          id={`editor-cmd-${i}`}
          role="option"
          aria-selected={i === active}
          className={i === active ? 'active' : ''}
          onPointerDown={(e) => {
            e.preventDefault();
            onTake(c.line);
          }}
        >
          <code>{c.label}</code> <span className="muted">{c.detail}</span>
        </li>
      ))}
    </ul>
  );
}

/** The command field of the timeline strip, with completion and the program's usage. */
export function CommandInput({ value, on, onChange }: { value: string; on: string; onChange(v: string): void }) {
  const data = useStore(editorStore, (s) => s.data);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const input = useRef<HTMLInputElement>(null);
  const help = useMemo(() => completeCommand(value, data, on), [value, data, on]);
  const items = open ? help.completions : [];
  const take = (line: string) => {
    onChange(line);
    setActive(-1);
    setOpen(true);
    input.current?.focus();
  };
  return (
    <>
      <div className="editor-cmd">
        <input
          ref={input}
          aria-label="Command"
          data-testid="run-cmd"
          placeholder="ping 10.0.1.5 -c 3"
          value={value}
          spellCheck={false}
          autoComplete="off"
          role="combobox"
          aria-expanded={items.length > 0}
          aria-controls="editor-cmd-list"
          aria-autocomplete="list"
          aria-activedescendant={active >= 0 && items[active] ? `editor-cmd-${active}` : undefined}
          onChange={(e) => {
            onChange(e.target.value);
            setOpen(true);
            setActive(-1);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' && items.length > 0) {
              e.preventDefault();
              setActive((a) => (a + 1) % items.length);
            } else if (e.key === 'ArrowUp' && items.length > 0) {
              e.preventDefault();
              setActive((a) => (a <= 0 ? items.length - 1 : a - 1));
            } else if ((e.key === 'Enter' || e.key === 'Tab') && active >= 0 && items[active]) {
              e.preventDefault();
              take(items[active].line);
            } else if (e.key === 'Escape' && items.length > 0) {
              e.preventDefault();
              e.stopPropagation();
              setOpen(false);
            }
          }}
        />
        <CompletionList items={items} active={active} onTake={take} />
      </div>
      {value.trim() !== '' && (help.error || help.usage) && (
        <div className={help.error ? 'editor-field-error editor-cmd-help' : 'muted editor-cmd-help'} data-testid="run-cmd-help" role="status">
          {help.error ?? `usage: ${help.usage}`}
        </div>
      )}
    </>
  );
}
