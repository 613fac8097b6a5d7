/**
 * The frame dissector behind the packet inspector and the packet list: Ethernet first, then
 * whatever is registered for the EtherType, IP protocol number, UDP or TCP port, layer by layer.
 * New protocols plug in with one `register...` call (see `builtin.ts` for the built-in ones).
 */

import type { Layer } from './codec';
import { registerColorClass, type ColorClass } from './color-class';
import type { DissectContext, DissectStep, DissectTable, Dissector } from './dissect-types';
import { describeEthernet, etherTypeName, ETHERNET_HEADER_BYTES, readEtherType } from './ethernet/ethernet';
import { bytesLabel, hex, hexBytes } from './format';

export type { Dissector } from './dissect-types';

const tables: Record<DissectTable, Map<number, Dissector>> = {
  etherType: new Map(),
  ipProtocol: new Map(),
  udpPort: new Map(),
  tcpPort: new Map(),
};

/**
 * Registers the dissector for an EtherType (replacing any earlier one), and the colour class its
 * frames are drawn in, if they have one of their own.
 */
export function registerEtherType(type: number, dissector: Dissector, colorClass?: ColorClass): void {
  tables.etherType.set(type, dissector);
  if (colorClass) registerColorClass('etherType', type, colorClass);
}

/** Registers the dissector for an IP protocol number (replacing any earlier one), with its colour class. */
export function registerIpProtocol(num: number, dissector: Dissector, colorClass?: ColorClass): void {
  tables.ipProtocol.set(num, dissector);
  if (colorClass) registerColorClass('ipProtocol', num, colorClass);
}

/**
 * Registers the dissector for a UDP port (replacing any earlier one), with the colour class its
 * datagrams are drawn in if they have one of their own. A datagram is offered to its lower port's
 * dissector first, then the higher one's.
 */
export function registerUdpPort(port: number, dissector: Dissector, colorClass?: ColorClass): void {
  tables.udpPort.set(port, dissector);
  if (colorClass) registerColorClass('udpPort', port, colorClass);
}

/**
 * Registers the dissector for a TCP port (replacing any earlier one). A segment's payload is offered
 * to its lower port's dissector first, then the higher one's. There is no stream reassembly: each
 * dissector sees one segment's payload.
 */
export function registerTcpPort(port: number, dissector: Dissector): void {
  tables.tcpPort.set(port, dissector);
}

/** A dissected frame: the layer tree plus the packet list's Protocol and Info columns. */
export interface DissectedFrame {
  layers: Layer[];
  /** The top-most protocol recognised, like Wireshark's Protocol column: `ARP`, `ICMP`, `UDP`, `IPv4`. */
  protocol: string;
  /** Like Wireshark's Info column. */
  summary: string;
  /** Set when a layer was malformed; `layers` holds what could be dissected before it. */
  error?: string;
}

const MAX_DEPTH = 16;

function dataLayer(bytes: Uint8Array, offset: number, end: number): Layer {
  const n = end - offset;
  return {
    protocol: 'data',
    title: `Data (${bytesLabel(n)})`,
    offset,
    length: n,
    fields: [
      { key: 'data.data', label: 'Data', value: hexBytes(bytes, offset, end), offset, length: n },
      { key: 'data.len', label: 'Length', value: `${n}`, offset, length: 0 },
    ],
  };
}

/**
 * Dissects an Ethernet II frame (as on the wire, without FCS). Never throws: a malformed layer (or
 * a registered dissector that throws) ends dissection with `error` set and `[Malformed Packet]` in
 * the summary. Bytes after the network-layer packet show up as Ethernet `Padding`.
 */
export function dissectFrame(bytes: Uint8Array): DissectedFrame {
  const eth = describeEthernet(bytes, 0, bytes.length);
  if ('error' in eth) return { layers: [], protocol: 'Ethernet', summary: '[Malformed Packet]', error: eth.error };
  const etherType = readEtherType(bytes, 0);
  const upper: Layer[] = [];
  let protocol = 'Ethernet';
  let summary = `Ethernet II, Type: ${etherTypeName(etherType)} (${hex(etherType, 4)})`;
  let error: string | undefined;
  let payloadEnd = bytes.length;
  const ctx: DissectContext = {};
  type Next = NonNullable<DissectStep['next']>;
  let next: Next | undefined = { table: 'etherType', keys: [etherType], offset: ETHERNET_HEADER_BYTES, end: bytes.length };

  for (let depth = 0; next && depth < MAX_DEPTH; depth++) {
    const { table, keys }: Next = next;
    // Registered dissectors are outside code: keep their ranges inside the frame.
    const end = Math.min(next.end, bytes.length);
    const offset = Math.max(ETHERNET_HEADER_BYTES, Math.min(next.offset, end));
    let dissector: Dissector | undefined;
    for (const k of keys) {
      dissector = tables[table].get(k);
      if (dissector) break;
    }
    if (!dissector) {
      if (end > offset) upper.push(dataLayer(bytes, offset, end));
      break;
    }
    let step: ReturnType<Dissector>;
    try {
      step = dissector(bytes, offset, end, ctx);
    } catch (e) {
      step = { error: `dissector for ${table} ${keys.join('/')} threw: ${e instanceof Error ? e.message : String(e)}` };
    }
    if ('error' in step) {
      if (step.layer) upper.push(step.layer);
      error = step.error;
      summary = `${summary} [Malformed Packet]`;
      break;
    }
    upper.push(step.layer);
    protocol = step.protocol;
    if (step.summary !== undefined) summary = step.summary;
    if (depth === 0) payloadEnd = Math.min(step.end, bytes.length);
    next = step.next;
  }

  const ethLayer = describeEthernet(bytes, 0, payloadEnd);
  const layers = ['error' in ethLayer ? eth : ethLayer, ...upper];
  return error === undefined ? { layers, protocol, summary } : { layers, protocol, summary, error };
}
