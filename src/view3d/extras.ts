/**
 * Parts added to the 3D view from outside it at run time (the dev-only bench module adds its frame
 * probe and synthetic packets this way), rendered inside the Canvas after the scene's own parts.
 */
import type { ComponentType } from 'react';
import { createStore } from 'zustand/vanilla';
import type { Vec3 } from './layout';

/** What an extra part is given: the view's links (trace order) as world-space ends. */
export interface SceneExtraProps {
  links: readonly { a: Vec3; b: Vec3 }[];
}

type ScenePart = ComponentType<SceneExtraProps>;

interface ExtrasState {
  parts: readonly ScenePart[];
}

/** The extra parts, in the order added. */
export const sceneExtras = createStore<ExtrasState>()(() => ({ parts: [] }));

/** Adds a part to every 3D view (mounted now and later). */
export function addSceneExtra(part: ScenePart): void {
  sceneExtras.setState((s) => ({ parts: [...s.parts, part] }));
}
