/** What the user picked: a trace row (a frame on one hop), the packet it belongs to, or a device. */
import { createStore } from 'zustand/vanilla';

export interface SelectionState {
  /** Selected trace row (frame transmission, drop, log or state row), or -1. */
  row: number;
  /** Packet identity of the selected row (all hops of it light up), or -1. */
  packet: number;
  /** Selected device (trace node id), or -1. */
  node: number;
  /** Byte range under the pointer in the inspector, [start, end) or null. */
  hoverBytes: readonly [number, number] | null;
  selectRow(row: number, packet: number): void;
  selectNode(node: number): void;
  setHoverBytes(range: readonly [number, number] | null): void;
  clear(): void;
}

export const selectionStore = createStore<SelectionState>()((set) => ({
  row: -1,
  packet: -1,
  node: -1,
  hoverBytes: null,
  selectRow: (row, packet) => set({ row, packet, node: -1, hoverBytes: null }),
  selectNode: (node) => set({ node, row: -1, packet: -1, hoverBytes: null }),
  setHoverBytes: (hoverBytes) => set({ hoverBytes }),
  clear: () => set({ row: -1, packet: -1, node: -1, hoverBytes: null }),
}));
