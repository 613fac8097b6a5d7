/**
 * The fault menu (right-click, long-press or the menu key on a link, a device or a packet): each
 * item makes a branch with that fault at the playhead. Values are typed inline and checked as they
 * are typed; Enter applies, Escape closes, arrow keys move between items.
 */
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { parseAction, formatActionTime } from '../../scenario/branch';
import { actAt, actAtPlayhead } from '../../store/branches';
import { closeFaultMenu, faultMenuStore, openFaultMenu, type FaultMenuState, type FaultTarget } from '../../store/fault-menu';
import { playbackStore, sceneStore, selectionStore, useStore, viewStore } from '../../store';
import { faultMenuItems, type FaultMenuItem } from './menu-items';
import { formatTime } from '../format';

function title(t: FaultTarget): string {
  return t.kind === 'link' ? `Link ${t.link}` : t.kind === 'node' ? `Device ${t.node}` : `Packet ${t.packet}`;
}

/** Applies an item's action (at its own time or the playhead); returns the error to show, if any. */
function apply(item: FaultMenuItem, text: string): string | null {
  const r = item.at !== undefined ? actAt(item.at, text) : actAtPlayhead(text);
  if (!r.ok) return r.error;
  closeFaultMenu();
  viewStore.getState().showPanel('faults');
  return null;
}

function ValueItem({ item }: { item: FaultMenuItem }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const v = item.value!;
  const text = value.trim() ? v.build(value) : '';
  // Checked as typed: the action's words (names are checked when it is applied).
  const check = text ? parseAction(`0ms ${text}`) : null;
  const typedError = check && !check.ok ? check.error.replace(/^"0ms /, '"') : null;
  const submit = () => {
    if (!text) return setError(`type a value, e.g. ${v.placeholder}${v.unit === 'frames' ? '' : v.unit}`);
    if (typedError) return setError(typedError);
    setError(apply(item, text));
  };
  return (
    <div className="fm-value" role="none">
      <label>
        <span>{item.label}</span>
        <input
          role="menuitem"
          data-testid={`fault-menu-${item.id}`}
          inputMode="decimal"
          placeholder={v.placeholder}
          value={value}
          aria-invalid={typedError ? true : undefined}
          onChange={(e) => {
            setValue(e.target.value);
            setError(null);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              submit();
            }
          }}
        />
        <span className="fm-unit">{v.unit}</span>
        <button tabIndex={-1} onClick={submit} disabled={!text || !!typedError}>
          Apply
        </button>
      </label>
      {(error ?? typedError) && <div className="fm-error">{error ?? typedError}</div>}
    </div>
  );
}

/** Moves focus between the menu's items with the arrow keys (Home/End too). */
function onMenuKey(e: KeyboardEvent<HTMLDivElement>) {
  const items = [...e.currentTarget.querySelectorAll<HTMLElement>('[role=menuitem]')];
  const i = items.indexOf(document.activeElement as HTMLElement);
  let next = -1;
  if (e.key === 'ArrowDown') next = (i + 1) % items.length;
  else if (e.key === 'ArrowUp') next = (i - 1 + items.length) % items.length;
  else if (e.key === 'Home') next = 0;
  else if (e.key === 'End') next = items.length - 1;
  else if (e.key === 'Escape' || e.key === 'Tab') {
    e.preventDefault();
    closeFaultMenu();
    return;
  }
  if (next >= 0) {
    e.preventDefault();
    items[next]?.focus();
  }
  e.stopPropagation();
}

/** Where a menu opened from the keyboard goes: by the focused element, else the middle of the 3D view. */
function keyboardMenuPoint(): { x: number; y: number } {
  const el = document.activeElement;
  const box = (el && el !== document.body ? el : document.querySelector('.view'))?.getBoundingClientRect();
  return box ? { x: box.left + Math.min(box.width / 2, 40), y: box.top + Math.min(box.height / 2, 24) } : { x: 40, y: 80 };
}

/**
 * Shift+F10 or the ContextMenu key opens the menu on the selection: the selected packet, else the
 * selected device (whose menu leads to its links).
 */
function onMenuKeyDown(e: globalThis.KeyboardEvent): void {
  if (!(e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10'))) return;
  const el = e.target as HTMLElement | null;
  if (el?.closest('.fault-menu') || (el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.isContentEditable))) return;
  const s = sceneStore.getState();
  const sel = selectionStore.getState();
  if (!s.trace) return;
  const { x, y } = keyboardMenuPoint();
  if (sel.row >= 0 && sel.packet >= 0) openFaultMenu({ kind: 'packet', packet: sel.packet, row: sel.row }, x, y);
  else if (sel.node >= 0 && s.trace.nodes[sel.node]) openFaultMenu({ kind: 'node', node: s.trace.nodes[sel.node].name }, x, y);
  else return;
  e.preventDefault();
}

/** The menu, when open (mounted once by the app), and the keyboard's way to open it. */
export function FaultMenu() {
  const open = useStore(faultMenuStore, (s) => s.open);
  const scene = useStore(sceneStore, (s) => s.scene);
  const trace = useStore(sceneStore, (s) => s.trace);
  useEffect(() => {
    window.addEventListener('keydown', onMenuKeyDown);
    return () => window.removeEventListener('keydown', onMenuKeyDown);
  }, []);
  if (!open || !scene || !trace) return null;
  return <MenuBody key={`${JSON.stringify(open.target)}@${open.x},${open.y}`} open={open} items={faultMenuItems(open.target, scene, trace)} />;
}

function MenuBody({ open, items }: { open: NonNullable<FaultMenuState['open']>; items: FaultMenuItem[] }) {
  const box = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    // Keep the menu on screen.
    el.style.left = `${Math.max(4, Math.min(open.x, window.innerWidth - el.offsetWidth - 4))}px`;
    el.style.top = `${Math.max(4, Math.min(open.y, window.innerHeight - el.offsetHeight - 4))}px`;
    el.style.visibility = 'visible';
    el.querySelector<HTMLElement>('[role=menuitem]')?.focus();
  }, [open]);
  useEffect(() => {
    const away = (e: PointerEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) closeFaultMenu();
    };
    window.addEventListener('pointerdown', away, true);
    return () => window.removeEventListener('pointerdown', away, true);
  }, []);
  const t = playbackStore.getState().time;
  return (
    <div
      ref={box}
      className="fault-menu"
      role="menu"
      aria-label={`Faults: ${title(open.target)}`}
      data-testid="fault-menu"
      style={{ left: open.x, top: open.y, visibility: 'hidden' }}
      onKeyDown={onMenuKey}
      onContextMenu={(e) => e.preventDefault()}
    >
      <div className="fm-title" role="presentation">
        {title(open.target)} <span className="fm-time">at {formatTime(items[0]?.at ?? t)}</span>
      </div>
      {items.map((item) =>
        item.value ? (
          <ValueItem key={item.id} item={item} />
        ) : (
          <button
            key={item.id}
            role="menuitem"
            data-testid={`fault-menu-${item.id}`}
            title={item.action ? `${formatActionTime(Math.round(item.at ?? t))} ${item.action}` : undefined}
            onClick={() => {
              if (item.open) openFaultMenu(item.open, open.x, open.y);
              else if (item.action) setError(apply(item, item.action));
            }}
          >
            {item.label}
          </button>
        ),
      )}
      {error && (
        <div className="fm-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
