/**
 * QUIC packet protection (RFC 9001 section 5): Initial secrets from the version 1 salt and the
 * client's first Destination Connection ID (so anyone, Wireshark included, can read Initial
 * packets), packet keys from any TLS traffic secret ("quic key", "quic iv", "quic hp"),
 * AES-128-GCM payload protection with the packet number in the nonce, and AES-ECB header
 * protection over the first byte's low bits and the packet number.
 */
import { ecb } from '@noble/ciphers/aes.js';
import { aeadOpen, aeadSeal, hkdfExpandLabel, hkdfExtract } from '../tls/crypto';
import { fromHex } from './wire';

/** RFC 9001 section 5.2: the QUIC version 1 Initial salt. */
const INITIAL_SALT_V1 = fromHex('38762cf7f55934b34d179ae6a4c80cadccbb7f0a');

/** AES-128-GCM key, IV and header-protection key for one direction of one encryption level. */
export interface PacketKeys {
  readonly key: Uint8Array;
  readonly iv: Uint8Array;
  readonly hp: Uint8Array;
}

/** client_initial_secret and server_initial_secret for the client's first DCID. */
export function initialSecrets(dcid: Uint8Array): { initial: Uint8Array; client: Uint8Array; server: Uint8Array } {
  const initial = hkdfExtract(INITIAL_SALT_V1, dcid);
  return {
    initial,
    client: hkdfExpandLabel(initial, 'client in', new Uint8Array(0), 32),
    server: hkdfExpandLabel(initial, 'server in', new Uint8Array(0), 32),
  };
}

/** Packet protection keys from a secret (RFC 9001 section 5.1). */
export function packetKeys(secret: Uint8Array): PacketKeys {
  const none = new Uint8Array(0);
  return {
    key: hkdfExpandLabel(secret, 'quic key', none, 16),
    iv: hkdfExpandLabel(secret, 'quic iv', none, 12),
    hp: hkdfExpandLabel(secret, 'quic hp', none, 16),
  };
}

/** The 5-byte header protection mask: AES-ECB(hp, sample) (RFC 9001 section 5.4.3). */
export function headerProtectionMask(hp: Uint8Array, sample: Uint8Array): Uint8Array {
  return ecb(hp, { disablePadding: true }).encrypt(sample.subarray(0, 16)).subarray(0, 5);
}

function nonce(iv: Uint8Array, pn: number): Uint8Array {
  const n = iv.slice();
  let v = pn;
  for (let i = n.length - 1; i >= n.length - 8 && v > 0; i--) {
    n[i] ^= v & 0xff;
    v = Math.floor(v / 256);
  }
  return n;
}

/**
 * Protects a packet. `header` is the unprotected header ending with the `pnLength`-byte packet
 * number; the result is header || AEAD(payload), with header protection applied.
 */
export function protectPacket(keys: PacketKeys, header: Uint8Array, pnLength: number, pn: number, payload: Uint8Array): Uint8Array {
  const sealed = aeadSeal(keys.key, nonce(keys.iv, pn), header, payload);
  const out = new Uint8Array(header.length + sealed.length);
  out.set(header);
  out.set(sealed, header.length);
  const pnOffset = header.length - pnLength;
  const mask = headerProtectionMask(keys.hp, out.subarray(pnOffset + 4, pnOffset + 20));
  out[0] ^= mask[0] & ((out[0] & 0x80) !== 0 ? 0x0f : 0x1f);
  for (let i = 0; i < pnLength; i++) out[pnOffset + i] ^= mask[1 + i];
  return out;
}

/** Recovers a full packet number from its truncated form (RFC 9000 appendix A.3). */
function decodePacketNumber(largest: number, truncated: number, bits: number): number {
  const expected = largest + 1;
  const win = 2 ** bits;
  const half = win / 2;
  const candidate = Math.floor(expected / win) * win + truncated;
  if (candidate <= expected - half && candidate < 2 ** 62 - win) return candidate + win;
  if (candidate > expected + half && candidate >= win) return candidate - win;
  return candidate;
}

/** An opened packet. */
export interface OpenedPacket {
  readonly pn: number;
  /** The unprotected header (packet number included). */
  readonly header: Uint8Array;
  readonly payload: Uint8Array;
}

/**
 * Removes header protection and opens the payload of the packet `bytes[start, end)` whose packet
 * number starts at `pnOffset`. `null` when it does not authenticate.
 */
export function unprotectPacket(keys: PacketKeys, bytes: Uint8Array, start: number, pnOffset: number, end: number, largestPn: number): OpenedPacket | null {
  if (pnOffset + 20 > end) return null;
  const pkt = bytes.slice(start, end);
  const off = pnOffset - start;
  const mask = headerProtectionMask(keys.hp, pkt.subarray(off + 4, off + 20));
  pkt[0] ^= mask[0] & ((pkt[0] & 0x80) !== 0 ? 0x0f : 0x1f);
  const pnLength = (pkt[0] & 0x03) + 1;
  let truncated = 0;
  for (let i = 0; i < pnLength; i++) {
    pkt[off + i] ^= mask[1 + i];
    truncated = truncated * 256 + pkt[off + i];
  }
  const pn = decodePacketNumber(largestPn, truncated, pnLength * 8);
  const header = pkt.subarray(0, off + pnLength);
  const payload = aeadOpen(keys.key, nonce(keys.iv, pn), header, pkt.subarray(off + pnLength));
  return payload ? { pn, header, payload } : null;
}
