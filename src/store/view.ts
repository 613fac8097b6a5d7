/** View options of the 3D scene: the camera preset (with a nonce so re-picking the same preset re-applies it), follow mode. */
import { createStore } from 'zustand/vanilla';
import type { CameraPreset } from '../scenario/scene';

export interface ViewState {
  camera: CameraPreset;
  /** Bumped on every preset request. */
  cameraNonce: number;
  /** The camera follows the selected packet while it is on screen. */
  follow: boolean;
  /** Ladder diagram: equal spacing per event instead of true time scale. */
  ladderCompressed: boolean;
  /** The bottom panel tab asked for (a restored comparison opens Load), with a nonce like the camera's. */
  panelRequest: { id: string; nonce: number } | null;
  setCamera(preset: CameraPreset): void;
  setFollow(on: boolean): void;
  setLadderCompressed(on: boolean): void;
  /** Asks the bottom panel to show the tab `id` (if the scene has it). */
  showPanel(id: string): void;
}

export const viewStore = createStore<ViewState>()((set, get) => ({
  camera: 'perspective',
  cameraNonce: 0,
  follow: false,
  ladderCompressed: false,
  panelRequest: null,
  setCamera: (camera) => set({ camera, cameraNonce: get().cameraNonce + 1 }),
  setFollow: (follow) => set({ follow }),
  setLadderCompressed: (ladderCompressed) => set({ ladderCompressed }),
  showPanel: (id) => set({ panelRequest: { id, nonce: (get().panelRequest?.nonce ?? 0) + 1 } }),
}));
