/** Opening the fault menu on a trace row from a list or diagram (right-click on an event or a ladder band). */
import type { MouseEvent } from 'react';
import { openFaultMenu } from '../../store/fault-menu';
import { selectionStore } from '../../store/selection';
import type { TimelineIndex } from '../../timeline';

/** Selects row `r` and opens the packet menu on it (rows of no packet keep the browser's menu). */
export function onPacketContextMenu(index: TimelineIndex, r: number, e: MouseEvent): void {
  const packet = index.trace.packet[r];
  if (packet < 0) return;
  e.preventDefault();
  selectionStore.getState().selectRow(r, packet);
  openFaultMenu({ kind: 'packet', packet, row: r }, e.clientX, e.clientY);
}
