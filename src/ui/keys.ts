/**
 * Keyboard conventions shared by the panels (WAI-ARIA Authoring Practices): which keys a focused
 * control keeps for itself (so the app's global shortcuts leave them alone), and a roving tab index
 * for groups of buttons (one tab stop; arrows, Home and End move within the group).
 */

const TEXT_ENTRY = new Set(['INPUT', 'SELECT', 'TEXTAREA']);
/** Roles whose widgets (or whose containers) use the arrow keys, Home and End themselves. */
const ARROW_ROLES = '[role=radio],[role=tab],[role=option],[role=slider],[role=listbox],[role=menuitem],[role=radiogroup],[role=tablist],[data-roving]';
/** Controls that Space and Enter press. */
const PRESSABLE = 'button, a[href], summary, [role=button], [role=checkbox], [role=switch], [role=radio], [role=tab], [role=option], [role=menuitem]';
const ARROWS = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']);

/**
 * Whether the focused element `target` handles `key` itself: text fields keep every key; buttons,
 * links and checkboxes keep Space and Enter; composite widgets (radios, tabs, options, sliders and
 * roving groups) also keep the arrows, Home, End, PageUp and PageDown.
 */
export function ownsKey(target: EventTarget | null, key: string): boolean {
  const el = target instanceof HTMLElement ? target : null;
  if (!el || el === document.body) return false;
  if (TEXT_ENTRY.has(el.tagName) || el.isContentEditable) return true;
  if (key === ' ' || key === 'Enter') return el.matches(PRESSABLE);
  if (ARROWS.has(key)) return !!el.closest(ARROW_ROLES);
  return false;
}

/**
 * Key handler for a group with a roving tab index: the arrows along `orientation` (both for
 * `both`), Home and End move the focus among the group's `items`; `select` (radios: selection
 * follows focus) also clicks the newly focused item. Returns true when it handled the key.
 */
export function rovingKey(
  e: { key: string; currentTarget: EventTarget; preventDefault(): void },
  items: string,
  orientation: 'horizontal' | 'vertical' | 'both',
  select = false,
): boolean {
  const group = e.currentTarget as HTMLElement;
  const list = [...group.querySelectorAll<HTMLElement>(items)];
  const at = list.findIndex((el) => el === document.activeElement || el.contains(document.activeElement));
  if (at < 0 || list.length === 0) return false;
  const back = (orientation !== 'vertical' && e.key === 'ArrowLeft') || (orientation !== 'horizontal' && e.key === 'ArrowUp');
  const fwd = (orientation !== 'vertical' && e.key === 'ArrowRight') || (orientation !== 'horizontal' && e.key === 'ArrowDown');
  let to: number;
  if (back) to = (at - 1 + list.length) % list.length;
  else if (fwd) to = (at + 1) % list.length;
  else if (e.key === 'Home') to = 0;
  else if (e.key === 'End') to = list.length - 1;
  else return false;
  e.preventDefault();
  list[to].focus();
  if (select) list[to].click();
  return true;
}
