/**
 * The scene's devices as a keyboard-reachable list over the 3D view (a listbox: ↑ / ↓ move, Enter or
 * Space shows the device in the inspector, as a click on it in 3D does). It stays out of sight until
 * it has the focus, like a skip link.
 */
import { useState, type KeyboardEvent } from 'react';
import { selectionStore, useStore } from '../store';
import type { Trace } from '../sim/trace';

export function DeviceList({ trace }: { trace: Trace }) {
  const node = useStore(selectionStore, (s) => s.node);
  const [cursor, setCursor] = useState(0);
  const nodes = trace.nodes;
  const at = Math.min(cursor, nodes.length - 1);
  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>) => {
    const to = e.key === 'ArrowDown' ? at + 1 : e.key === 'ArrowUp' ? at - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? nodes.length - 1 : null;
    if (to !== null) setCursor(Math.max(0, Math.min(nodes.length - 1, to)));
    else if (e.key === 'Enter' || e.key === ' ') selectionStore.getState().selectNode(nodes[at].id);
    else return;
    e.preventDefault();
  };
  if (nodes.length === 0) return null;
  return (
    <ul
      className="device-list"
      role="listbox"
      aria-label="Devices (↑ ↓ to move, Enter to inspect)"
      tabIndex={0}
      data-testid="device-list"
      aria-activedescendant={`dev-${nodes[at].id}`}
      onKeyDown={onKeyDown}
    >
      {nodes.map((n, i) => (
        <li
          key={n.id}
          id={`dev-${n.id}`}
          role="option"
          aria-selected={node === n.id}
          className={i === at ? 'cursor' : undefined}
          onClick={() => {
            setCursor(i);
            selectionStore.getState().selectNode(n.id);
          }}
        >
          {n.name} <span className="muted">{n.kind}</span>
        </li>
      ))}
    </ul>
  );
}
