/** One trace row in words, for the event list and the inspector: where, protocol, summary. */
import { dissectFrame, type DissectedFrame } from '../protocols/dissect';
import { registerCoreProtocols } from '../protocols/builtin-core';
import { isLinkDirection, Place, RecordKind } from '../sim/trace';
import { frameProtocol, frameProtocolName, type TimelineIndex } from '../timeline';

// The core dissectors; the app registers all of them at start (app/main.tsx), the embed adds the
// rest when its trace has frames they read (embed/sim.ts).
registerCoreProtocols();

/** A frame's colour-class name (`ARP`, `TCP`, ..., `Other`: see `protocols/color-class`), or a kind of row. */
export type RowClass = string;

export interface RowInfo {
  readonly cls: RowClass;
  readonly where: string;
  readonly proto: string;
  readonly summary: string;
}

const dissectCache = new WeakMap<TimelineIndex, Map<number, DissectedFrame>>();

/** Dissects a stored frame once per index. */
export function dissectStored(index: TimelineIndex, frameId: number): DissectedFrame {
  let cache = dissectCache.get(index);
  if (!cache) dissectCache.set(index, (cache = new Map()));
  let d = cache.get(frameId);
  if (!d) {
    d = dissectFrame(index.trace.frameBytes(frameId));
    if (cache.size > 20000) cache.clear();
    cache.set(frameId, d);
  }
  return d;
}

function nodeName(index: TimelineIndex, id: number): string {
  return index.trace.nodes[id]?.name ?? `node ${id}`;
}

/** `h1 → sw1` for a direction on a link. */
export function linkWhere(index: TimelineIndex, link: number, dir: number): string {
  const l = index.trace.links[link];
  if (!l) return `link ${link}`;
  const a = nodeName(index, l.a);
  const b = nodeName(index, l.b);
  return dir === Place.AtoB ? `${a} → ${b}` : dir === Place.BtoA ? `${b} → ${a}` : l.name;
}

/** The class used by filters and colours. */
export function rowClass(index: TimelineIndex, row: number): RowClass {
  const tr = index.trace;
  switch (tr.kind[row]) {
    case RecordKind.FrameTx:
      return frameProtocolName(frameProtocol(index, tr.frame[row]));
    case RecordKind.Drop:
      return 'Drop';
    case RecordKind.State:
      return 'State';
    default:
      return 'Log';
  }
}

export function describeRow(index: TimelineIndex, row: number): RowInfo {
  const tr = index.trace;
  const kind = tr.kind[row];
  if (kind === RecordKind.FrameTx) {
    const d = dissectStored(index, tr.frame[row]);
    return { cls: rowClass(index, row), where: linkWhere(index, tr.place[row], tr.dir[row]), proto: d.protocol, summary: d.summary };
  }
  if (kind === RecordKind.Drop) {
    const where = isLinkDirection(tr.dir[row]) ? linkWhere(index, tr.place[row], tr.dir[row]) : nodeName(index, tr.place[row]);
    const what = tr.frame[row] >= 0 ? ` — ${dissectStored(index, tr.frame[row]).summary}` : '';
    return { cls: 'Drop', where, proto: 'DROP', summary: `${tr.string(tr.code[row])}${what}` };
  }
  if (kind === RecordKind.State) {
    const where = tr.dir[row] === Place.Link ? (tr.links[tr.place[row]]?.name ?? '?') : nodeName(index, tr.place[row]);
    const v = tr.string(tr.frame[row]);
    return { cls: 'State', where, proto: 'state', summary: v === '' ? `${tr.string(tr.code[row])} removed` : `${tr.string(tr.code[row])} = ${v}` };
  }
  return { cls: 'Log', where: nodeName(index, tr.place[row]), proto: 'output', summary: tr.string(tr.code[row]) };
}
