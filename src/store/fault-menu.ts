/**
 * The fault menu: which thing it was opened on (a link, a device or a packet) and where on the
 * page. Opened by right-click, long-press or the keyboard menu key; its items become branch actions.
 */
import { createStore } from 'zustand/vanilla';

/** What the menu acts on. */
export type FaultTarget =
  | { readonly kind: 'link'; readonly link: string }
  | { readonly kind: 'node'; readonly node: string }
  /** `row`: the frame's trace row (its transmission start is the action's time). */
  | { readonly kind: 'packet'; readonly packet: number; readonly row: number };

export interface FaultMenuState {
  open: { readonly target: FaultTarget; readonly x: number; readonly y: number } | null;
  /** The element to give focus back to when the menu closes. */
  returnFocus: HTMLElement | null;
}

export const faultMenuStore = createStore<FaultMenuState>()(() => ({ open: null, returnFocus: null }));

/** Opens the menu for `target` at page coordinates (x, y). */
export function openFaultMenu(target: FaultTarget, x: number, y: number): void {
  const s = faultMenuStore.getState();
  // From inside the menu (a device's link), focus goes back where the first menu was opened.
  const active = s.open ? s.returnFocus : typeof document !== 'undefined' ? (document.activeElement as HTMLElement | null) : null;
  faultMenuStore.setState({ open: { target, x, y }, returnFocus: active });
}

/** Closes the menu, giving focus back to where it was. */
export function closeFaultMenu(): void {
  const back = faultMenuStore.getState().returnFocus;
  faultMenuStore.setState({ open: null, returnFocus: null });
  back?.focus?.();
}
