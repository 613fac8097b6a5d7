/**
 * QUIC packet headers (RFC 9000 section 17) and transport parameters (section 18). Long headers
 * (Initial, 0-RTT, Handshake, Retry) carry version and both connection IDs; short headers (1-RTT)
 * only the destination connection ID, whose length the receiver must already know.
 *
 * Packetarium always writes a 2-byte packet number and a 2-byte Length field, and 8-byte
 * connection IDs.
 */
import { QuicDecodeError, QuicReader, QuicWriter } from './wire';

export const QUIC_VERSION_1 = 0x00000001;
export const CID_LENGTH = 8;
const PN_LENGTH = 2;
/** Minimum size of a UDP datagram carrying an ack-eliciting Initial packet (RFC 9000 14.1). */
export const MIN_INITIAL_DATAGRAM = 1200;
/**
 * The max_udp_payload_size Packetarium advertises and the largest datagram its PMTU search tries:
 * an Ethernet MTU of 1500 less the IPv4 and UDP headers (RFC 9000 section 18.2).
 */
export const MAX_UDP_PAYLOAD = 1472;
export const AEAD_TAG = 16;

export type LongType = 'initial' | '0rtt' | 'handshake' | 'retry';
type PacketType = LongType | '1rtt';
const LONG_CODES: Readonly<Record<LongType, number>> = { initial: 0, '0rtt': 1, handshake: 2, retry: 3 };
const LONG_TYPES: readonly LongType[] = ['initial', '0rtt', 'handshake', 'retry'];

/**
 * The unprotected header of a long-header packet, ending with the 2-byte packet number.
 * `payloadLength` is the length of the protected payload (frames + AEAD tag).
 */
export function encodeLongHeader(type: LongType, dcid: Uint8Array, scid: Uint8Array, pn: number, payloadLength: number, token?: Uint8Array): Uint8Array {
  const w = new QuicWriter();
  w.u8(0xc0 | (LONG_CODES[type] << 4) | (PN_LENGTH - 1)).u32(QUIC_VERSION_1);
  w.u8(dcid.length).bytes(dcid).u8(scid.length).bytes(scid);
  if (type === 'initial') w.vbytes(token ?? new Uint8Array(0));
  w.varint(PN_LENGTH + payloadLength, 2).u16(pn & 0xffff);
  return w.finish();
}

/** The unprotected header of a 1-RTT packet, ending with the 2-byte packet number. */
export function encodeShortHeader(dcid: Uint8Array, pn: number, keyPhase = false): Uint8Array {
  return new QuicWriter()
    .u8(0x40 | (keyPhase ? 0x04 : 0) | (PN_LENGTH - 1))
    .bytes(dcid)
    .u16(pn & 0xffff)
    .finish();
}

/** What can be read of a packet's header before removing protection. */
export interface PacketInfo {
  readonly type: PacketType;
  readonly version: number;
  readonly dcid: Uint8Array;
  readonly scid?: Uint8Array;
  readonly token?: Uint8Array;
  /** Where the (protected) packet number starts. */
  readonly pnOffset: number;
  /** Where this packet ends (the next coalesced packet starts). */
  readonly end: number;
  readonly start: number;
}

/**
 * Parses the header of the packet at `start` in a datagram. Short headers take the rest of the
 * datagram and a {@link CID_LENGTH}-byte DCID. Throws {@link QuicDecodeError}.
 */
export function parsePacketHeader(b: Uint8Array, start: number, end = b.length): PacketInfo {
  const r = new QuicReader(b, start, end);
  const first = r.u8('first byte');
  if ((first & 0x40) === 0) throw new QuicDecodeError('QUIC: fixed bit is 0');
  if ((first & 0x80) === 0) {
    const dcid = r.bytes(CID_LENGTH, 'destination connection ID');
    return { type: '1rtt', version: QUIC_VERSION_1, dcid, pnOffset: r.pos, end, start };
  }
  const version = r.u32('version');
  const dcid = r.bytes(r.u8(), 'destination connection ID');
  const scid = r.bytes(r.u8(), 'source connection ID');
  const type = LONG_TYPES[(first >> 4) & 3];
  if (type === 'retry') return { type, version, dcid, scid, token: r.bytes(Math.max(0, r.left - 16)), pnOffset: r.pos, end, start };
  const token = type === 'initial' ? r.vbytes('token') : undefined;
  const length = r.varint('length');
  const pnOffset = r.pos;
  if (pnOffset + length > end) throw new QuicDecodeError('QUIC: packet length runs past the datagram');
  return { type, version, dcid, scid, token, pnOffset, end: pnOffset + length, start };
}

// ------------------------------------------------------------------ transport parameters

/** The transport parameters Packetarium exchanges (RFC 9000 section 18.2). */
export interface TransportParameters {
  readonly originalDcid?: Uint8Array;
  readonly initialScid: Uint8Array;
  readonly retryScid?: Uint8Array;
  readonly maxIdleTimeoutMs: number;
  readonly maxUdpPayloadSize: number;
  readonly initialMaxData: number;
  readonly initialMaxStreamDataBidiLocal: number;
  readonly initialMaxStreamDataBidiRemote: number;
  readonly initialMaxStreamDataUni: number;
  readonly initialMaxStreamsBidi: number;
  readonly initialMaxStreamsUni: number;
  readonly maxAckDelayMs: number;
  readonly activeConnectionIdLimit: number;
}

const TP = {
  originalDcid: 0x00,
  maxIdleTimeout: 0x01,
  maxUdpPayloadSize: 0x03,
  initialMaxData: 0x04,
  bidiLocal: 0x05,
  bidiRemote: 0x06,
  uni: 0x07,
  streamsBidi: 0x08,
  streamsUni: 0x09,
  maxAckDelay: 0x0b,
  activeCidLimit: 0x0e,
  initialScid: 0x0f,
  retryScid: 0x10,
} as const;

export function encodeTransportParameters(p: TransportParameters): Uint8Array {
  const w = new QuicWriter();
  const int = (id: number, v: number) => {
    const inner = new QuicWriter().varint(v).finish();
    w.varint(id).vbytes(inner);
  };
  if (p.originalDcid) w.varint(TP.originalDcid).vbytes(p.originalDcid);
  int(TP.maxIdleTimeout, p.maxIdleTimeoutMs);
  int(TP.maxUdpPayloadSize, p.maxUdpPayloadSize);
  int(TP.initialMaxData, p.initialMaxData);
  int(TP.bidiLocal, p.initialMaxStreamDataBidiLocal);
  int(TP.bidiRemote, p.initialMaxStreamDataBidiRemote);
  int(TP.uni, p.initialMaxStreamDataUni);
  int(TP.streamsBidi, p.initialMaxStreamsBidi);
  int(TP.streamsUni, p.initialMaxStreamsUni);
  int(TP.maxAckDelay, p.maxAckDelayMs);
  int(TP.activeCidLimit, p.activeConnectionIdLimit);
  w.varint(TP.initialScid).vbytes(p.initialScid);
  if (p.retryScid) w.varint(TP.retryScid).vbytes(p.retryScid);
  return w.finish();
}

/** Decodes transport parameters; absent ones take the RFC defaults. Throws {@link QuicDecodeError}. */
export function decodeTransportParameters(b: Uint8Array): TransportParameters {
  const r = new QuicReader(b);
  const p: { -readonly [K in keyof TransportParameters]: TransportParameters[K] } = {
    initialScid: new Uint8Array(0),
    maxIdleTimeoutMs: 0,
    maxUdpPayloadSize: 65527,
    initialMaxData: 0,
    initialMaxStreamDataBidiLocal: 0,
    initialMaxStreamDataBidiRemote: 0,
    initialMaxStreamDataUni: 0,
    initialMaxStreamsBidi: 0,
    initialMaxStreamsUni: 0,
    maxAckDelayMs: 25,
    activeConnectionIdLimit: 2,
  };
  while (r.left > 0) {
    const id = r.varint('parameter id');
    const v = r.vbytes('parameter value');
    const int = () => new QuicReader(v).varint('parameter value');
    if (id === TP.originalDcid) p.originalDcid = v;
    else if (id === TP.initialScid) p.initialScid = v;
    else if (id === TP.retryScid) p.retryScid = v;
    else if (id === TP.maxIdleTimeout) p.maxIdleTimeoutMs = int();
    else if (id === TP.maxUdpPayloadSize) p.maxUdpPayloadSize = int();
    else if (id === TP.initialMaxData) p.initialMaxData = int();
    else if (id === TP.bidiLocal) p.initialMaxStreamDataBidiLocal = int();
    else if (id === TP.bidiRemote) p.initialMaxStreamDataBidiRemote = int();
    else if (id === TP.uni) p.initialMaxStreamDataUni = int();
    else if (id === TP.streamsBidi) p.initialMaxStreamsBidi = int();
    else if (id === TP.streamsUni) p.initialMaxStreamsUni = int();
    else if (id === TP.maxAckDelay) p.maxAckDelayMs = int();
    else if (id === TP.activeCidLimit) p.activeConnectionIdLimit = int();
  }
  return p;
}
