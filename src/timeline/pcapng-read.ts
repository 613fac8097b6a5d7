/**
 * A small capture reader: pcapng (any byte order, several sections, EPB / obsolete PB / SPB) and
 * classic libpcap (micro- or nanosecond magic, any byte order). Never throws on bad input: the result
 * says what was wrong and keeps whatever was read before the problem.
 */

/** An interface of the capture. */
interface ReadInterface {
  /** `if_name`, or `if<N>` when the file gives none. */
  readonly name: string;
  readonly description?: string;
  readonly linkType: number;
  readonly snaplen: number;
  /** `if_tsresol` as stored: 0..127 = 10^-n s, 128+n = 2^-n s. 6 (microseconds) when absent. */
  readonly tsresol: number;
}

/** A packet of the capture. */
interface ReadPacket {
  /** Index into `interfaces` (across all sections). */
  readonly interfaceId: number;
  /** Nanoseconds since the Unix epoch (exact: a bigint), or null when the block has none (SPB). */
  readonly timestampNs: bigint | null;
  readonly data: Uint8Array;
  /** Length on the wire; more than `data.length` when the capture was cut short. */
  readonly originalLength: number;
  /** From epb_flags: `in`, `out`, or `none` when not recorded. */
  readonly direction: 'in' | 'out' | 'none';
  /** Raw epb_flags (0 when absent). */
  readonly flags: number;
}

/** What {@link readPcapng} found. */
export interface ReadCapture {
  readonly format: 'pcapng' | 'pcap';
  readonly interfaces: ReadInterface[];
  readonly packets: ReadPacket[];
}

/** The result of reading: `ok: false` carries the reason plus everything read before it. */
export type ReadResult = (ReadCapture & { ok: true }) | (ReadCapture & { ok: false; error: string });

class CaptureError extends Error {}

const SHB = 0x0a0d0d0a;
const IDB = 1;
const PB_OBSOLETE = 2;
const SPB = 3;
const EPB = 6;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

/** Reads a pcapng or classic pcap file. Never throws. */
export function readPcapng(bytes: Uint8Array): ReadResult {
  const cap: { format: 'pcapng' | 'pcap'; interfaces: ReadInterface[]; packets: ReadPacket[] } = {
    format: 'pcapng',
    interfaces: [],
    packets: [],
  };
  try {
    if (!(bytes instanceof Uint8Array)) throw new CaptureError('input is not a byte array');
    if (bytes.length < 4) throw new CaptureError(`file too short to be a capture (${bytes.length} bytes)`);
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const magicLE = v.getUint32(0, true);
    if (magicLE === SHB) {
      readNg(bytes, v, cap);
    } else if (isPcapMagic(magicLE) || isPcapMagic(v.getUint32(0, false))) {
      cap.format = 'pcap';
      readClassic(bytes, v, cap);
    } else {
      throw new CaptureError(
        `not a pcapng or pcap file: starts with 0x${hex32(v.getUint32(0, false))}, expected a section header block (0x0a0d0d0a) or a pcap magic`,
      );
    }
    return { ok: true, ...cap };
  } catch (e) {
    const msg = e instanceof CaptureError ? e.message : `unreadable capture: ${e instanceof Error ? e.message : String(e)}`;
    return { ok: false, error: msg, ...cap };
  }
}

// eslint-disable-next-line max-lines-per-function -- one case per pcapng block type (SHB, IDB, EPB, SPB and the obsolete PB) in a single pass, as the format's spec lists them
function readNg(bytes: Uint8Array, v: DataView, cap: { interfaces: ReadInterface[]; packets: ReadPacket[] }): void {
  let p = 0;
  let le = true;
  // Interfaces of the current section, as indices into cap.interfaces, with their time units.
  let section: { global: number; tsresol: number; offsetSec: bigint }[] = [];
  let sawSection = false;
  const dec = new TextDecoder('utf-8', { fatal: false });

  while (p < bytes.length) {
    if (bytes.length - p < 12) throw new CaptureError(`truncated block at byte ${p}: ${bytes.length - p} bytes left`);
    const typeLE = v.getUint32(p, true);
    if (typeLE === SHB) {
      if (bytes.length - p < 28) throw new CaptureError(`truncated section header at byte ${p}`);
      const bom = v.getUint32(p + 8, true);
      if (bom === BYTE_ORDER_MAGIC) le = true;
      else if (bom === 0x4d3c2b1a) le = false;
      else throw new CaptureError(`bad byte-order magic 0x${hex32(bom)} in section header at byte ${p}`);
      const major = v.getUint16(p + 12, le);
      if (major !== 1) throw new CaptureError(`unsupported pcapng version ${major}.${v.getUint16(p + 14, le)} at byte ${p}`);
      section = [];
      sawSection = true;
    } else if (!sawSection) {
      throw new CaptureError('pcapng file does not start with a section header block');
    }
    const type = v.getUint32(p, le);
    const len = v.getUint32(p + 4, le);
    if (len < 12 || len % 4 !== 0) throw new CaptureError(`bad block length ${len} at byte ${p} (block type 0x${hex32(type)})`);
    if (p + len > bytes.length) {
      throw new CaptureError(`truncated block at byte ${p}: length ${len}, only ${bytes.length - p} bytes left`);
    }
    if (v.getUint32(p + len - 4, le) !== len) {
      throw new CaptureError(`block at byte ${p}: trailing length ${v.getUint32(p + len - 4, le)} differs from ${len}`);
    }
    const body = p + 8;
    const bodyEnd = p + len - 4;

    if (type === IDB) {
      need(bodyEnd - body >= 8, p, 'interface description block too short');
      const linkType = v.getUint16(body, le);
      const snaplen = v.getUint32(body + 4, le);
      let name: string | undefined;
      let description: string | undefined;
      let tsresol = 6;
      let offsetSec = 0n;
      forOptions(v, body + 8, bodyEnd, le, (code, off, olen) => {
        if (code === 2) name = dec.decode(bytes.subarray(off, off + olen)).replace(/\0+$/, '');
        else if (code === 3) description = dec.decode(bytes.subarray(off, off + olen)).replace(/\0+$/, '');
        else if (code === 9 && olen >= 1) tsresol = bytes[off];
        else if (code === 14 && olen >= 8) offsetSec = v.getBigInt64(off, le);
      });
      const global = cap.interfaces.length;
      cap.interfaces.push({ name: name ?? `if${global}`, ...(description !== undefined ? { description } : {}), linkType, snaplen, tsresol });
      section.push({ global, tsresol, offsetSec });
    } else if (type === EPB || type === PB_OBSOLETE) {
      need(bodyEnd - body >= 20, p, 'packet block too short');
      const ifId = type === EPB ? v.getUint32(body, le) : v.getUint16(body, le);
      const hi = v.getUint32(body + 4, le);
      const lo = v.getUint32(body + 8, le);
      const capLen = v.getUint32(body + 12, le);
      const origLen = v.getUint32(body + 16, le);
      const dataStart = body + 20;
      need(capLen <= bodyEnd - dataStart, p, `captured length ${capLen} exceeds the block`);
      const iface = section[ifId];
      need(iface !== undefined, p, `packet names interface ${ifId} but the section has ${section.length}`);
      let flags = 0;
      forOptions(v, dataStart + pad4(capLen), bodyEnd, le, (code, off, olen) => {
        if (code === 2 && olen >= 4) flags = v.getUint32(off, le);
      });
      const raw = (BigInt(hi) << 32n) | BigInt(lo);
      cap.packets.push({
        interfaceId: iface.global,
        timestampNs: toNs(raw, iface.tsresol) + iface.offsetSec * 1_000_000_000n,
        data: bytes.slice(dataStart, dataStart + capLen),
        originalLength: origLen,
        direction: (['none', 'in', 'out', 'none'] as const)[flags & 3],
        flags,
      });
    } else if (type === SPB) {
      need(bodyEnd - body >= 4, p, 'simple packet block too short');
      const iface = section[0];
      need(iface !== undefined, p, 'simple packet block in a section without interfaces');
      const origLen = v.getUint32(body, le);
      const snap = cap.interfaces[iface.global].snaplen;
      const capLen = Math.min(origLen, snap > 0 ? snap : origLen, bodyEnd - body - 4);
      cap.packets.push({
        interfaceId: iface.global,
        timestampNs: null,
        data: bytes.slice(body + 4, body + 4 + capLen),
        originalLength: origLen,
        direction: 'none',
        flags: 0,
      });
    }
    // Other blocks (name resolution, statistics, custom, ...) are skipped.
    p += len;
  }
}

function readClassic(bytes: Uint8Array, v: DataView, cap: { interfaces: ReadInterface[]; packets: ReadPacket[] }): void {
  if (bytes.length < 24) throw new CaptureError(`truncated pcap header (${bytes.length} of 24 bytes)`);
  const le = isPcapMagic(v.getUint32(0, true));
  const magic = v.getUint32(0, le);
  const nano = magic === 0xa1b23c4d;
  const snaplen = v.getUint32(16, le);
  const linkType = v.getUint32(20, le) & 0xffff;
  cap.interfaces.push({ name: 'if0', linkType, snaplen, tsresol: nano ? 9 : 6 });
  let p = 24;
  while (p < bytes.length) {
    if (bytes.length - p < 16) throw new CaptureError(`truncated packet header at byte ${p}`);
    const sec = v.getUint32(p, le);
    const frac = v.getUint32(p + 4, le);
    const capLen = v.getUint32(p + 8, le);
    const origLen = v.getUint32(p + 12, le);
    if (capLen > bytes.length - p - 16) {
      throw new CaptureError(`truncated packet at byte ${p}: captured length ${capLen}, only ${bytes.length - p - 16} bytes left`);
    }
    cap.packets.push({
      interfaceId: 0,
      timestampNs: BigInt(sec) * 1_000_000_000n + BigInt(frac) * (nano ? 1n : 1000n),
      data: bytes.slice(p + 16, p + 16 + capLen),
      originalLength: origLen,
      direction: 'none',
      flags: 0,
    });
    p += 16 + capLen;
  }
}

function isPcapMagic(m: number): boolean {
  return m === 0xa1b2c3d4 || m === 0xa1b23c4d;
}

/** Walks options from `p` to `end`; stops at opt_endofopt. */
function forOptions(v: DataView, p: number, end: number, le: boolean, fn: (code: number, off: number, len: number) => void): void {
  while (p + 4 <= end) {
    const code = v.getUint16(p, le);
    const len = v.getUint16(p + 2, le);
    if (code === 0) return;
    if (p + 4 + len > end) throw new CaptureError(`option ${code} at byte ${p} runs past its block`);
    fn(code, p + 4, len);
    p += 4 + pad4(len);
  }
}

/** Converts a raw timestamp in if_tsresol units to nanoseconds (rounding down below 1 ns). */
function toNs(raw: bigint, tsresol: number): bigint {
  const exp = BigInt(tsresol & 0x7f);
  if (tsresol & 0x80) return (raw * 1_000_000_000n) >> exp;
  if (exp <= 9n) return raw * 10n ** (9n - exp);
  return raw / 10n ** (exp - 9n);
}

function need(cond: boolean, at: number, what: string): asserts cond {
  if (!cond) throw new CaptureError(`${what} (block at byte ${at})`);
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

function hex32(n: number): string {
  return n.toString(16).padStart(8, '0');
}
