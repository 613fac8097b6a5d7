/**
 * The trace as JSON, for scripts and notebooks: topology, then one object per record with times
 * in ns and frames as hex. Produced in chunks so a large trace never becomes one giant string.
 */
import { isLinkDirection, Place, RecordKind, type Trace } from '../sim/trace';

const KIND_NAMES: Record<number, string> = {
  [RecordKind.FrameTx]: 'frame',
  [RecordKind.Drop]: 'drop',
  [RecordKind.State]: 'state',
  [RecordKind.Log]: 'log',
};

function hex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
  return s;
}

/** One record as a plain object. */
function recordToJson(trace: Trace, i: number): Record<string, unknown> {
  const kind = trace.kind[i];
  const base: Record<string, unknown> = { kind: KIND_NAMES[kind], time: trace.time[i] };
  const onLink = isLinkDirection(trace.dir[i]);
  const where = onLink || trace.dir[i] === Place.Link ? { link: trace.links[trace.place[i]].name } : { node: trace.nodes[trace.place[i]].name };
  switch (kind) {
    case RecordKind.FrameTx:
      return {
        ...base,
        ...where,
        dir: trace.dir[i] === Place.AtoB ? 'a>b' : 'b>a',
        end: trace.end[i],
        arrival: trace.arrival[i],
        packet: trace.packet[i],
        bytes: hex(trace.frameBytes(trace.frame[i])),
      };
    case RecordKind.Drop:
      return {
        ...base,
        ...where,
        started: trace.end[i],
        reason: trace.string(trace.code[i]),
        packet: trace.packet[i],
        bytes: trace.frame[i] >= 0 ? hex(trace.frameBytes(trace.frame[i])) : undefined,
      };
    case RecordKind.State:
      return { ...base, ...where, key: trace.string(trace.code[i]), value: trace.string(trace.frame[i]) };
    default:
      return { ...base, ...where, text: trace.string(trace.code[i]) };
  }
}

/** Yields the JSON document in pieces: `{"nodes":[...],"links":[...],"hash":"...","records":[...]}`. */
export function* traceJsonChunks(trace: Trace, rowsPerChunk = 5000): Generator<string> {
  const nodes = trace.nodes.map((n) => ({ name: n.name, kind: n.kind }));
  const links = trace.links.map((l) => ({ name: l.name, a: trace.nodes[l.a].name, b: trace.nodes[l.b].name, aIf: l.aIf, bIf: l.bIf }));
  yield `{"nodes":${JSON.stringify(nodes)},"links":${JSON.stringify(links)},"hash":"${trace.hash()}","records":[`;
  for (let start = 0; start < trace.length; start += rowsPerChunk) {
    const parts: string[] = [];
    for (let i = start; i < Math.min(trace.length, start + rowsPerChunk); i++) parts.push(JSON.stringify(recordToJson(trace, i)));
    yield (start > 0 ? ',\n' : '\n') + parts.join(',\n');
  }
  yield '\n]}\n';
}
