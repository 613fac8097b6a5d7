/**
 * Reading QUIC 1-RTT packets out of captured frames in tests, the way Wireshark does with a key
 * log: the traffic secrets come from the `tls keylog` state rows the simulation publishes.
 */
import { readU16 } from '../../src/protocols/bytes';
import { decodeFrames, type QuicFrame } from '../../src/protocols/quic/frames';
import { CID_LENGTH } from '../../src/protocols/quic/packet';
import { packetKeys, unprotectPacket, type PacketKeys } from '../../src/protocols/quic/protection';
import { fromHex } from '../../src/protocols/quic/wire';
import type { TraceView } from './net';

/** The 1-RTT packet keys of one side (`SERVER` or `CLIENT`), from `node`'s key log rows. */
export function appKeys(net: TraceView, node: string, side: 'SERVER' | 'CLIENT'): PacketKeys {
  const line = net
    .states(node, 'tls keylog')
    .map((r) => r.value)
    .find((v) => v.startsWith(`${side}_TRAFFIC_SECRET_0 `));
  if (!line) throw new Error(`no ${side}_TRAFFIC_SECRET_0 in ${node}'s key log`);
  return packetKeys(fromHex(line.split(' ')[2]));
}

/** The UDP payload of an Ethernet/IPv4/UDP frame. */
export function udpPayload(bytes: Uint8Array): Uint8Array {
  const ip = 14;
  const udp = ip + (bytes[ip] & 0x0f) * 4;
  return bytes.subarray(udp + 8, udp + readU16(bytes, udp + 4));
}

/** The frames of a datagram that is one 1-RTT packet (undefined if it is not one, or does not open). */
export function oneRttFrames(bytes: Uint8Array, keys: PacketKeys): QuicFrame[] | undefined {
  const d = udpPayload(bytes);
  if (d.length === 0 || (d[0] & 0x80) !== 0) return undefined;
  const opened = unprotectPacket(keys, d, 0, 1 + CID_LENGTH, d.length, -1);
  return opened ? decodeFrames(opened.payload) : undefined;
}

/** The Destination Connection ID of a 1-RTT packet, hex. */
export function shortHeaderDcid(bytes: Uint8Array): string {
  const d = udpPayload(bytes);
  return [...d.subarray(1, 1 + CID_LENGTH)].map((x) => x.toString(16).padStart(2, '0')).join('');
}
