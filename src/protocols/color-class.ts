/**
 * The classes frames are coloured by in the 3D view, the ladder, the scrubber and the legend. A
 * protocol brings its class with its dissector's registration (`registerEtherType(type, d, cls)`),
 * so a new protocol is a folder and a registration, never an edit to the views.
 */
import { readU16 } from './bytes';
import { ETHERNET_HEADER_BYTES, ETHERTYPE_IPV4 } from './ethernet/ethernet';

/** A colour class: the name the legend shows and its colour (CSS hex). */
export interface ColorClass {
  readonly name: string;
  readonly color: string;
}

/** Frames of no registered class. Always class 0. */
const OTHER_COLOR_CLASS: ColorClass = { name: 'Other', color: '#b0b8c8' };

/** IPv4 protocol number of UDP (kept here: this module imports no protocol module above Ethernet). */
const UDP_PROTOCOL = 17;

const classes: ColorClass[] = [OTHER_COLOR_CLASS];
const byEtherType = new Map<number, number>();
const byIpProtocol = new Map<number, number>();
const byUdpPort = new Map<number, number>();

/** Where a class is keyed: an EtherType, an IPv4 protocol number, or a UDP port. */
export type ColorClassTable = 'etherType' | 'ipProtocol' | 'udpPort';

/** Index of `cls` (by name), adding it at the end of the list the first time it is seen. */
function classIndex(cls: ColorClass): number {
  const i = classes.findIndex((c) => c.name === cls.name);
  if (i >= 0) return i;
  classes.push(cls);
  return classes.length - 1;
}

/** Frames whose EtherType (or IPv4 protocol) is `key` take class `cls`. */
export function registerColorClass(table: ColorClassTable, key: number, cls: ColorClass): void {
  (table === 'etherType' ? byEtherType : table === 'ipProtocol' ? byIpProtocol : byUdpPort).set(key, classIndex(cls));
}

/** Every class, in registration order (index = class); class 0 is {@link OTHER_COLOR_CLASS}. */
export function colorClasses(): readonly ColorClass[] {
  return classes;
}

/** How many leading bytes of a frame `colorClassOfFrame` reads (Ethernet, the longest IPv4 header, UDP's ports). */
export const COLOR_CLASS_BYTES = ETHERNET_HEADER_BYTES + 60 + 4;

/**
 * The class of an Ethernet II frame: its UDP port's (lower port first, for an unfragmented first
 * datagram), else its IPv4 protocol's, else its EtherType's, else 0.
 */
export function colorClassOfFrame(frame: Uint8Array): number {
  if (frame.length < ETHERNET_HEADER_BYTES) return 0;
  const etherType = readU16(frame, 12);
  if (etherType === ETHERTYPE_IPV4 && frame.length >= ETHERNET_HEADER_BYTES + 20) {
    const ip = ETHERNET_HEADER_BYTES;
    if (byUdpPort.size > 0 && frame[ip + 9] === UDP_PROTOCOL && (readU16(frame, ip + 6) & 0x1fff) === 0) {
      const udp = ip + (frame[ip] & 0x0f) * 4;
      if (frame.length >= udp + 4) {
        const a = readU16(frame, udp);
        const b = readU16(frame, udp + 2);
        const byPort = byUdpPort.get(Math.min(a, b)) ?? byUdpPort.get(Math.max(a, b));
        if (byPort !== undefined) return byPort;
      }
    }
    const byProto = byIpProtocol.get(frame[ETHERNET_HEADER_BYTES + 9]);
    if (byProto !== undefined) return byProto;
  }
  return byEtherType.get(etherType) ?? 0;
}
