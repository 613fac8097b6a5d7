/**
 * Decryption of TLS 1.3 (TLS_AES_128_GCM_SHA256) records in a trace, with the secrets the TLS
 * clients published as NSS key log lines (state rows `tls keylog`). Pure: no React, no DOM.
 *
 * For a frame, the sender's TCP byte stream is rebuilt from the frames on that frame's link (the
 * first copy of each sequence range), split into records, and every protected record is opened
 * with the epoch keys in order (early data, handshake, application, KeyUpdate generations): the
 * key change is found by authentication, each epoch's record sequence number starting at 0.
 */
import { readU16, readU32 } from '../../protocols/bytes';
import { ETHERTYPE_IPV4 } from '../../protocols/ethernet/ethernet';
import { keyLogLines } from '../../protocols/http/keylog';
import { IP_PROTO_TCP, readIpv4Protocol, readIpv4TotalLength } from '../../protocols/ipv4/ipv4';
import { CONTENT_TYPE_NAMES, ContentType, HandshakeType, TLS_AES_128_GCM_SHA256 } from '../../protocols/tls/constants';
import { nextTrafficSecret, trafficKeys } from '../../protocols/tls/key-schedule';
import { RECORD_HEADER_BYTES, Tls13RecordCipher } from '../../protocols/tls/record';
import { fromHex, toHex } from '../../protocols/tls/wire';
import { RecordKind, type Trace } from '../../sim/trace';

/** The plaintext of one protected record. */
export interface DecryptedRecord {
  /** Inner content type (TLSInnerPlaintext.type). */
  readonly contentType: number;
  /** `application_data`, `handshake`, `alert`, ... */
  readonly typeName: string;
  /** Which keys opened it. */
  readonly epoch: 'early' | 'handshake' | 'application';
  readonly plaintext: Uint8Array;
}

/** A TCP segment parsed from a stored frame. */
interface Segment {
  readonly src: string;
  readonly dst: string;
  readonly seq: number;
  readonly flags: number;
  readonly payload: Uint8Array;
}

const SYN = 0x02;
const ACK = 0x10;

function parseSegment(b: Uint8Array): Segment | undefined {
  if (b.length < 54 || readU16(b, 12) !== ETHERTYPE_IPV4 || readIpv4Protocol(b, 14) !== IP_PROTO_TCP) return undefined;
  const ihl = (b[14] & 0x0f) * 4;
  const t = 14 + ihl;
  if (b.length < t + 20) return undefined;
  const dataOff = (b[t + 12] >> 4) * 4;
  const end = Math.min(b.length, 14 + readIpv4TotalLength(b, 14));
  const ip = (o: number) => `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
  return {
    src: `${ip(26)}:${readU16(b, t)}`,
    dst: `${ip(30)}:${readU16(b, t + 2)}`,
    seq: readU32(b, t + 4),
    flags: b[t + 13],
    payload: t + dataOff <= end ? b.subarray(t + dataOff, end) : new Uint8Array(0),
  };
}

/** One direction of a connection: its records, by the stream offset they start at. */
interface DirectionRecords {
  /** Sequence number of the first data byte (ISN + 1). */
  readonly base: number;
  readonly records: readonly { readonly start: number; readonly record?: DecryptedRecord }[];
}

interface Connection {
  readonly dirs: ReadonlyMap<string, DirectionRecords>;
}

/** The contiguous stream from offset 0: first copy of each range wins. */
function reassemble(segments: readonly Segment[], base: number): Uint8Array {
  let size = 0;
  for (const s of segments) size = Math.max(size, ((s.seq - base) >>> 0) + s.payload.length);
  if (size > 64 * 1024 * 1024) return new Uint8Array(0);
  const out = new Uint8Array(size);
  const have = new Uint8Array(size);
  for (const s of segments) {
    const off = (s.seq - base) >>> 0;
    for (let i = 0; i < s.payload.length; i++) {
      if (!have[off + i]) {
        have[off + i] = 1;
        out[off + i] = s.payload[i];
      }
    }
  }
  let n = 0;
  while (n < size && have[n]) n++;
  return out.subarray(0, n);
}

/** Raw records of a stream (whole ones only). */
function splitRecords(stream: Uint8Array): { start: number; type: number; version: number; fragment: Uint8Array }[] {
  const out = [];
  let o = 0;
  while (o + RECORD_HEADER_BYTES <= stream.length) {
    const len = readU16(stream, o + 3);
    if (o + RECORD_HEADER_BYTES + len > stream.length) break;
    out.push({ start: o, type: stream[o], version: readU16(stream, o + 1), fragment: stream.subarray(o + RECORD_HEADER_BYTES, o + RECORD_HEADER_BYTES + len) });
    o += RECORD_HEADER_BYTES + len;
  }
  return out;
}

/** The client random of a ClientHello record, or undefined. */
function clientRandom(stream: Uint8Array): string | undefined {
  // record header (5), handshake type (1) + length (3), legacy_version (2), random (32)
  if (stream.length < 43 || stream[0] !== ContentType.handshake || stream[5] !== HandshakeType.clientHello) return undefined;
  return toHex(stream.subarray(11, 43));
}

/** The cipher suite of a ServerHello record, or undefined. */
function serverCipherSuite(stream: Uint8Array): number | undefined {
  if (stream.length < 44 || stream[0] !== ContentType.handshake || stream[5] !== HandshakeType.serverHello) return undefined;
  const sidEnd = 44 + stream[43];
  return stream.length >= sidEnd + 2 ? readU16(stream, sidEnd) : undefined;
}

/** Key log secrets by client random (hex, lower case) and label. */
function keyLogIndex(trace: Trace): Map<string, Map<string, Uint8Array>> {
  const out = new Map<string, Map<string, Uint8Array>>();
  for (const line of keyLogLines(trace)) {
    const [label, random, secret] = line.trim().split(/\s+/);
    if (!label || !random || !secret) continue;
    let m = out.get(random.toLowerCase());
    if (!m) out.set(random.toLowerCase(), (m = new Map()));
    m.set(label, fromHex(secret));
  }
  return out;
}

function decryptDirection(
  stream: Uint8Array,
  secrets: { early?: Uint8Array; handshake?: Uint8Array; application?: Uint8Array },
  base: number,
): DirectionRecords {
  const epochs: { epoch: DecryptedRecord['epoch']; secret: Uint8Array }[] = [];
  if (secrets.early) epochs.push({ epoch: 'early', secret: secrets.early });
  if (secrets.handshake) epochs.push({ epoch: 'handshake', secret: secrets.handshake });
  if (secrets.application) epochs.push({ epoch: 'application', secret: secrets.application });
  const ciphers = new Map<number, Tls13RecordCipher>();
  const cipher = (i: number) => {
    let c = ciphers.get(i);
    if (!c) ciphers.set(i, (c = new Tls13RecordCipher(trafficKeys(epochs[i].secret))));
    return c;
  };
  let current = 0;
  const records: { start: number; record?: DecryptedRecord }[] = [];
  for (const r of splitRecords(stream)) {
    if (r.type !== ContentType.applicationData) {
      records.push({ start: r.start });
      continue;
    }
    let opened: { type: number; content: Uint8Array } | null = null;
    for (let i = current; i < epochs.length && !opened; i++) {
      opened = cipher(i).open(r);
      if (opened) current = i;
    }
    const last = epochs[epochs.length - 1];
    if (!opened && last?.epoch === 'application') {
      // one KeyUpdate generation past the last application secret
      const next = new Tls13RecordCipher(trafficKeys(nextTrafficSecret(last.secret)));
      opened = next.open(r);
      if (opened) {
        epochs.push({ epoch: 'application', secret: nextTrafficSecret(last.secret) });
        current = epochs.length - 1;
        ciphers.set(current, next);
      }
    }
    records.push({
      start: r.start,
      record: opened
        ? {
            contentType: opened.type,
            typeName: CONTENT_TYPE_NAMES[opened.type] ?? `type ${opened.type}`,
            epoch: epochs[current].epoch,
            plaintext: opened.content,
          }
        : undefined,
    });
  }
  return { base, records };
}

function buildConnection(trace: Trace, link: number, a: string, b: string): Connection | undefined {
  const byDir = new Map<string, Segment[]>([
    [a, []],
    [b, []],
  ]);
  const isn = new Map<string, number>();
  let client: string | undefined;
  for (let r = 0; r < trace.length; r++) {
    if (trace.kind[r] !== RecordKind.FrameTx || trace.place[r] !== link || trace.frame[r] < 0) continue;
    const s = parseSegment(trace.frameBytes(trace.frame[r]));
    if (!s || !((s.src === a && s.dst === b) || (s.src === b && s.dst === a))) continue;
    if (s.flags & SYN) {
      if (!isn.has(s.src)) isn.set(s.src, s.seq);
      if (!(s.flags & ACK)) client ??= s.src;
      continue;
    }
    if (s.payload.length > 0) byDir.get(s.src)!.push(s);
  }
  if (!client || !isn.has(a) || !isn.has(b)) return undefined;
  const server = client === a ? b : a;
  const cBase = (isn.get(client)! + 1) >>> 0;
  const sBase = (isn.get(server)! + 1) >>> 0;
  const cStream = reassemble(byDir.get(client)!, cBase);
  const sStream = reassemble(byDir.get(server)!, sBase);
  const random = clientRandom(cStream);
  if (!random || serverCipherSuite(sStream) !== TLS_AES_128_GCM_SHA256) return undefined;
  const keys = keyLogIndex(trace).get(random);
  const cHs = keys?.get('CLIENT_HANDSHAKE_TRAFFIC_SECRET');
  const sHs = keys?.get('SERVER_HANDSHAKE_TRAFFIC_SECRET');
  if (!keys || !cHs || !sHs) return undefined; // TLS 1.2 logs only CLIENT_RANDOM
  return {
    dirs: new Map([
      [
        client,
        decryptDirection(cStream, { early: keys.get('CLIENT_EARLY_TRAFFIC_SECRET'), handshake: cHs, application: keys.get('CLIENT_TRAFFIC_SECRET_0') }, cBase),
      ],
      [server, decryptDirection(sStream, { handshake: sHs, application: keys.get('SERVER_TRAFFIC_SECRET_0') }, sBase)],
    ]),
  };
}

const cache = new WeakMap<Trace, Map<string, Connection | null>>();

/**
 * The decrypted records that start in the TCP payload of FrameTx row `row`, or undefined when the
 * row is not TLS 1.3 with TLS_AES_128_GCM_SHA256 whose secrets are in the key log (TLS 1.2, no key
 * log, not TLS, no protected record starting here).
 */
export function decryptedRecordsFor(trace: Trace, row: number): DecryptedRecord[] | undefined {
  if (row < 0 || row >= trace.length || trace.kind[row] !== RecordKind.FrameTx || trace.frame[row] < 0) return undefined;
  const seg = parseSegment(trace.frameBytes(trace.frame[row]));
  if (!seg || seg.payload.length === 0) return undefined;
  const link = trace.place[row];
  const [a, b] = seg.src < seg.dst ? [seg.src, seg.dst] : [seg.dst, seg.src];
  const key = `${link} ${a} ${b}`;
  let perTrace = cache.get(trace);
  if (!perTrace) cache.set(trace, (perTrace = new Map()));
  let conn = perTrace.get(key);
  if (conn === undefined) {
    conn = buildConnection(trace, link, a, b) ?? null;
    perTrace.set(key, conn);
  }
  const dir = conn?.dirs.get(seg.src);
  if (!dir) return undefined;
  const from = (seg.seq - dir.base) >>> 0;
  const to = from + seg.payload.length;
  const out: DecryptedRecord[] = [];
  for (const r of dir.records) if (r.start >= from && r.start < to && r.record) out.push(r.record);
  return out.length > 0 ? out : undefined;
}

/**
 * Plaintext as display text: printable ASCII kept, line breaks kept, any other byte shown as `·`;
 * at most `maxLines` lines (the first lines of an HTTP/1.x message are enough) and `maxChars` chars.
 */
export function plaintextPreview(bytes: Uint8Array, maxLines = 8, maxChars = 600): string {
  let s = '';
  for (let i = 0; i < bytes.length && s.length < maxChars; i++) {
    const b = bytes[i];
    if (b === 0x0d && bytes[i + 1] === 0x0a) continue;
    s += b === 0x0a ? '\n' : b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '·';
  }
  const lines = s.split('\n');
  const cut = lines.length > maxLines || s.length >= maxChars;
  return lines.slice(0, maxLines).join('\n') + (cut ? ' …' : '');
}

/** Hex of the first `max` bytes, space-separated, with `…` when longer. */
export function plaintextHex(bytes: Uint8Array, max = 256): string {
  const parts: string[] = [];
  for (let i = 0; i < Math.min(bytes.length, max); i++) parts.push(bytes[i].toString(16).padStart(2, '0'));
  return parts.join(' ') + (bytes.length > max ? ' …' : '');
}
