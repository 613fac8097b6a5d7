/** View options of the 3D scene: the camera preset (with a nonce so re-picking the same preset re-applies it). */
import { createStore } from 'zustand/vanilla';
import type { CameraPreset } from '../scenario/scene';

export interface ViewState {
  camera: CameraPreset;
  /** Bumped on every preset request. */
  cameraNonce: number;
  setCamera(preset: CameraPreset): void;
}

export const viewStore = createStore<ViewState>()((set, get) => ({
  camera: 'perspective',
  cameraNonce: 0,
  setCamera: (camera) => set({ camera, cameraNonce: get().cameraNonce + 1 }),
}));
