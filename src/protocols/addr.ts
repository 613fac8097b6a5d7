/**
 * IPv4 and MAC addresses as plain numbers, so they compare with `===`, key maps cheaply and need
 * no allocation: an IPv4 address is an unsigned 32-bit integer, a MAC a 48-bit integer
 * (exact in a JS number, which holds integers up to 2^53).
 */

/** An IPv4 address as an unsigned 32-bit integer (`10.0.0.1` is `0x0a000001`). */
export type Ipv4 = number;

/** A MAC address as a 48-bit integer (`02:00:00:00:01:01` is `0x020000000101`). */
export type Mac = number;

/** `ff:ff:ff:ff:ff:ff`. */
export const BROADCAST_MAC: Mac = 0xffff_ffff_ffff;

/** `255.255.255.255`, the limited broadcast address. */
export const BROADCAST_IPV4: Ipv4 = 0xffff_ffff;

const TWO_32 = 0x1_0000_0000;

/**
 * Parses a strict dotted quad: exactly four decimal parts 0-255, no leading zeros (`01` would be
 * octal to some tools), no spaces or signs. Returns `undefined` for anything else.
 */
export function parseIpv4(s: string): Ipv4 | undefined {
  let value = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 46; // treat the end like a final '.'
    if (c === 46) {
      if (digits === 0 || parts === 4) return undefined;
      value = value * 256 + part;
      parts++;
      part = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && part === 0) return undefined; // leading zero
      part = part * 10 + (c - 48);
      digits++;
      if (part > 255) return undefined;
    } else {
      return undefined;
    }
  }
  return parts === 4 ? value : undefined;
}

/** Formats an IPv4 address as a dotted quad. */
export function formatIpv4(n: Ipv4): string {
  return `${(n >>> 24) & 0xff}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}`;
}

/** The netmask of a prefix length 0-32 as an unsigned integer (`24` gives `0xffffff00`). */
export function prefixToMask(prefix: number): number {
  return prefix <= 0 ? 0 : prefix >= 32 ? 0xffff_ffff : (0xffff_ffff << (32 - prefix)) >>> 0;
}

/** An address with its prefix, and the subnet it implies. */
export interface Cidr {
  readonly addr: Ipv4;
  readonly prefix: number;
  readonly mask: number;
  readonly network: Ipv4;
  /** The all-ones host address of the subnet (equals `addr` for /32). */
  readonly broadcast: Ipv4;
}

/**
 * Parses `10.0.0.1/24`. The address must be a strict dotted quad and the prefix a decimal 0-32
 * without leading zeros; the slash is required. Returns `undefined` for anything else.
 */
export function parseCidr(s: string): Cidr | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const addr = parseIpv4(s.slice(0, slash));
  const p = s.slice(slash + 1);
  if (addr === undefined || !/^(0|[1-9][0-9]?)$/.test(p)) return undefined;
  const prefix = Number(p);
  if (prefix > 32) return undefined;
  const mask = prefixToMask(prefix);
  const network = (addr & mask) >>> 0;
  return { addr, prefix, mask, network, broadcast: (network | ~mask) >>> 0 };
}

/** Formats an address and prefix as `10.0.0.1/24`. */
export function formatCidr(addr: Ipv4, prefix: number): string {
  return `${formatIpv4(addr)}/${prefix}`;
}

/** True when `addr` is inside `network/prefix` (host bits of `network` are ignored). */
export function inSubnet(addr: Ipv4, network: Ipv4, prefix: number): boolean {
  return ((addr ^ network) & prefixToMask(prefix)) === 0;
}

/**
 * Parses a MAC written as six two-digit hex groups separated by colons
 * (`02:00:00:00:01:01`, either case). Returns `undefined` for anything else.
 */
export function parseMac(s: string): Mac | undefined {
  if (s.length !== 17) return undefined;
  let value = 0;
  for (let g = 0; g < 6; g++) {
    const i = g * 3;
    if (g > 0 && s.charCodeAt(i - 1) !== 58) return undefined;
    const hi = hexDigit(s.charCodeAt(i));
    const lo = hexDigit(s.charCodeAt(i + 1));
    if (hi < 0 || lo < 0) return undefined;
    value = value * 256 + hi * 16 + lo;
  }
  return value;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Formats a MAC as lower-case `02:00:00:00:01:01`. */
export function formatMac(n: Mac): string {
  const hi = Math.floor(n / TWO_32);
  const lo = n >>> 0;
  return [hi >>> 8, hi, lo >>> 24, lo >>> 16, lo >>> 8, lo].map((b) => (b & 0xff).toString(16).padStart(2, '0')).join(':');
}

/** Writes a MAC as 6 bytes at `off`. */
export function writeMac(buf: Uint8Array, off: number, mac: Mac): void {
  const hi = Math.floor(mac / TWO_32);
  const lo = mac >>> 0;
  buf[off] = (hi >>> 8) & 0xff;
  buf[off + 1] = hi & 0xff;
  buf[off + 2] = lo >>> 24;
  buf[off + 3] = (lo >>> 16) & 0xff;
  buf[off + 4] = (lo >>> 8) & 0xff;
  buf[off + 5] = lo & 0xff;
}

/** Reads a 6-byte MAC at `off`. */
export function readMac(buf: Uint8Array, off: number): Mac {
  const hi = (buf[off] << 8) | buf[off + 1];
  const lo = ((buf[off + 2] << 24) | (buf[off + 3] << 16) | (buf[off + 4] << 8) | buf[off + 5]) >>> 0;
  return hi * TWO_32 + lo;
}

/** True for group addresses (the I/G bit, lowest bit of the first octet); broadcast included. */
export function isMulticastMac(mac: Mac): boolean {
  return (Math.floor(mac / 0x100_0000_0000) & 1) === 1;
}
