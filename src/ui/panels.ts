/**
 * The panel registry: the tabbed area at the bottom right (Console, Ladder, TCP, Load...) shows every
 * registered panel that applies to the loaded scene. A feature adds a panel with one
 * `registerPanel` call in its own module, imported from `panel-list.ts`; App.tsx stays unchanged.
 */
import type { ComponentType } from 'react';
import type { Scene } from '../scenario/scene';
import type { Trace } from '../sim/trace';
import type { TimelineIndex } from '../timeline';

/** What `applies` sees: the validated scene and the trace of its run. */
export interface PanelContext {
  readonly scene: Scene;
  readonly trace: Trace;
}

/** What a panel's body (and head) is rendered with. */
export interface PanelProps {
  readonly scene: Scene;
  readonly index: TimelineIndex;
}

/** A registered panel. */
export interface PanelDef {
  /** Stable id (also `data-panel` on the tab and the body). */
  readonly id: string;
  /** The tab's label. */
  readonly title: string;
  /** Tooltip of the tab. */
  readonly description?: string;
  /** Whether the panel has something to show for this scene (cheap: it runs on every scene load). */
  applies(ctx: PanelContext): boolean;
  /** The panel body; fills the area below the tabs. */
  readonly component: ComponentType<PanelProps>;
  /** Optional controls shown in the head, right of the tabs. */
  readonly head?: ComponentType<PanelProps>;
  /** Needs room: while it is the open tab the area spans the full width (the event list steps aside). */
  readonly wide?: boolean;
  /** Tab order, ascending (default 100; Console 0, Ladder 10). */
  readonly order?: number;
}

const panels = new Map<string, PanelDef>();
const listeners = new Set<() => void>();
let version = 0;

/** Registers (or replaces, by id) a panel. */
export function registerPanel(def: PanelDef): void {
  panels.set(def.id, def);
  version++;
  listeners.forEach((l) => l());
}

/**
 * Removes a panel (tests, hot reload).
 * @public
 */
export function unregisterPanel(id: string): void {
  if (panels.delete(id)) {
    version++;
    listeners.forEach((l) => l());
  }
}

/** Every registered panel, in tab order. */
function allPanels(): PanelDef[] {
  return [...panels.values()].sort((a, b) => (a.order ?? 100) - (b.order ?? 100) || a.id.localeCompare(b.id));
}

/** The panels that apply to a scene, in tab order. A panel whose `applies` throws is left out. */
export function panelsFor(ctx: PanelContext): PanelDef[] {
  return allPanels().filter((p) => {
    try {
      return p.applies(ctx);
    } catch {
      return false;
    }
  });
}

/** For `useSyncExternalStore`: changes whenever a panel is registered or removed. */
export function subscribePanels(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
export function panelsVersion(): number {
  return version;
}
