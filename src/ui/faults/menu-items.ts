/**
 * What the fault menu offers for a link, a device or a packet, as branch actions (the words of
 * src/scenario/branch/action.ts without their time). Items with a value build their action from
 * what is typed; the menu checks it with `parseAction` as it is typed.
 */
import type { Scene } from '../../scenario/scene';
import { RecordKind, type Trace } from '../../sim/trace';
import type { FaultTarget } from '../../store/fault-menu';

/** One entry of the menu. */
export interface FaultMenuItem {
  readonly id: string;
  readonly label: string;
  /** The action, for items without a value. */
  readonly action?: string;
  /** Items with a value: its example, and the action built from it. */
  readonly value?: { readonly placeholder: string; readonly unit: string; build(value: string): string };
  /** Opens the menu of another target (a device's links). */
  readonly open?: FaultTarget;
  /** Time of the action when it is not the playhead, ns. */
  readonly at?: number;
}

/** The two sides of the network when link `id` is taken away: node names, each sorted. */
function sidesOf(trace: Trace, id: string): [string[], string[]] | null {
  const link = trace.links.find((l) => l.name === id);
  if (!link) return null;
  const adj = trace.nodes.map(() => [] as number[]);
  for (const l of trace.links) {
    if (l === link) continue;
    adj[l.a]?.push(l.b);
    adj[l.b]?.push(l.a);
  }
  const side = (start: number) => {
    const seen = new Set([start]);
    const todo = [start];
    while (todo.length) {
      for (const n of adj[todo.pop()!]) {
        if (seen.has(n)) continue;
        seen.add(n);
        todo.push(n);
      }
    }
    return seen;
  };
  const a = side(link.a);
  if (a.has(link.b)) return null;
  const b = side(link.b);
  const names = (s: Set<number>) => [...s].sort((x, y) => x - y).map((n) => trace.nodes[n].name);
  return [names(a), names(b)];
}

const pct = (v: string) => (/^\d+(\.\d+)?$/.test(v.trim()) ? `${v.trim()}%` : v.trim());
const withUnit = (unit: string) => (v: string) => (/^\d+(\.\d+)?$/.test(v.trim()) ? `${v.trim()}${unit}` : v.trim());

/** The menu for `target`. */
export function faultMenuItems(target: FaultTarget, scene: Scene, trace: Trace): FaultMenuItem[] {
  switch (target.kind) {
    case 'link': {
      const id = target.link;
      const items: FaultMenuItem[] = [
        { id: 'cut', label: `Cut ${id}`, action: `link ${id} down` },
        { id: 'restore', label: `Restore ${id}`, action: `link ${id} up` },
        { id: 'loss', label: 'Loss', value: { placeholder: '30', unit: '%', build: (v) => `link ${id} loss ${pct(v)}` } },
        { id: 'latency', label: 'Latency', value: { placeholder: '50', unit: 'ms', build: (v) => `link ${id} latency ${withUnit('ms')(v)}` } },
        { id: 'jitter', label: 'Jitter', value: { placeholder: '5', unit: 'ms', build: (v) => `link ${id} jitter ${withUnit('ms')(v)}` } },
        { id: 'bandwidth', label: 'Bandwidth cap', value: { placeholder: '1', unit: 'Mbps', build: (v) => `link ${id} bandwidth ${withUnit('Mbps')(v)}` } },
        { id: 'queue', label: 'Queue size', value: { placeholder: '20', unit: 'frames', build: (v) => `link ${id} queue ${v.trim()}` } },
      ];
      const sides = sidesOf(trace, id);
      if (sides) items.push({ id: 'partition', label: `Partition at ${id}`, action: `partition ${sides[0].join(',')} | ${sides[1].join(',')}` });
      items.push({ id: 'heal', label: 'Heal partitions', action: 'heal' });
      return items;
    }
    case 'node': {
      const id = target.node;
      const items: FaultMenuItem[] = [
        { id: 'crash', label: `Crash ${id}`, action: `node ${id} crash` },
        { id: 'restart', label: `Restart ${id}`, action: `node ${id} restart` },
      ];
      if (scene.run.some((r) => r.on === id)) {
        items.push({
          id: 'slow',
          label: 'Slow down',
          value: { placeholder: '3', unit: '×', build: (v) => `node ${id} slow ${withUnit('x')(v.replace(/×$/, 'x'))}` },
        });
      }
      for (const l of scene.links) {
        if (l.a.node === id || l.b.node === id) items.push({ id: `link:${l.id}`, label: `Link ${l.id} …`, open: { kind: 'link', link: l.id } });
      }
      return items;
    }
    case 'packet': {
      const p = target.packet;
      const at = target.row >= 0 && trace.kind[target.row] === RecordKind.FrameTx ? trace.time[target.row] : undefined;
      return [
        { id: 'drop', label: `Drop packet ${p}`, action: `drop packet ${p}`, at },
        { id: 'delay', label: 'Delay it', value: { placeholder: '5', unit: 'ms', build: (v) => `delay packet ${p} ${withUnit('ms')(v)}` }, at },
        { id: 'corrupt', label: 'Corrupt it (bad checksum)', action: `corrupt packet ${p}`, at },
      ];
    }
  }
}
