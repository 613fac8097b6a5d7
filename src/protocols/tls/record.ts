/**
 * The record layer (RFC 8446 section 5, RFC 5246 section 6.2): framing of a byte stream into
 * records, and AEAD protection with AES-128-GCM in the TLS 1.3 form (TLSInnerPlaintext, nonce =
 * iv XOR sequence number, header as additional data) and the TLS 1.2 form (4-byte implicit salt +
 * 8-byte explicit nonce carried in the record, seq/type/version/length as additional data).
 */

import { ContentType, MAX_FRAGMENT, VERSION_TLS12 } from './constants';
import { aeadOpen, aeadSeal, nonceFor } from './crypto';
import type { TrafficKeys } from './key-schedule';
import { concatBytes } from './wire';

export const RECORD_HEADER_BYTES = 5;
const TAG_BYTES = 16;

/** One record as framed on the wire. */
export interface TlsRecord {
  readonly type: number;
  readonly version: number;
  readonly fragment: Uint8Array;
}

/** A record header + fragment. */
export function encodeRecord(type: number, version: number, fragment: Uint8Array): Uint8Array {
  const out = new Uint8Array(RECORD_HEADER_BYTES + fragment.length);
  out[0] = type;
  out[1] = version >>> 8;
  out[2] = version & 0xff;
  out[3] = fragment.length >>> 8;
  out[4] = fragment.length & 0xff;
  out.set(fragment, RECORD_HEADER_BYTES);
  return out;
}

/** Buffers a byte stream and yields whole records. */
export class RecordReader {
  private buf: Uint8Array = new Uint8Array(0);

  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.buf = this.buf.length === 0 ? bytes.slice() : concatBytes(this.buf, bytes);
  }

  /** The next whole record, `undefined` if more bytes are needed, or an error for an oversize one. */
  next(): TlsRecord | { error: 'record_overflow' } | undefined {
    if (this.buf.length < RECORD_HEADER_BYTES) return undefined;
    const len = (this.buf[3] << 8) | this.buf[4];
    if (len > MAX_FRAGMENT + 2048) return { error: 'record_overflow' };
    if (this.buf.length < RECORD_HEADER_BYTES + len) return undefined;
    const rec = {
      type: this.buf[0],
      version: (this.buf[1] << 8) | this.buf[2],
      fragment: this.buf.slice(RECORD_HEADER_BYTES, RECORD_HEADER_BYTES + len),
    };
    this.buf = this.buf.slice(RECORD_HEADER_BYTES + len);
    return rec;
  }
}

/** Seals and opens records for one direction of one epoch. */
export interface RecordCipher {
  /** Records sealed or opened so far (the next sequence number). */
  readonly seq: number;
  /** Protects `plaintext` of content `type`; returns the whole record (header included). */
  seal(type: number, plaintext: Uint8Array): Uint8Array;
  /** Unprotects a record; `null` when authentication fails. */
  open(record: TlsRecord): { type: number; content: Uint8Array } | null;
}

/** TLS 1.3 record protection (RFC 8446 section 5.2). */
export class Tls13RecordCipher implements RecordCipher {
  seq = 0;

  constructor(private readonly keys: TrafficKeys) {}

  seal(type: number, plaintext: Uint8Array): Uint8Array {
    const inner = new Uint8Array(plaintext.length + 1);
    inner.set(plaintext);
    inner[plaintext.length] = type;
    const len = inner.length + TAG_BYTES;
    const header = Uint8Array.of(ContentType.applicationData, 0x03, 0x03, len >>> 8, len & 0xff);
    const sealed = aeadSeal(this.keys.key, nonceFor(this.keys.iv, this.seq++), header, inner);
    return concatBytes(header, sealed);
  }

  open(record: TlsRecord): { type: number; content: Uint8Array } | null {
    if (record.type !== ContentType.applicationData) return null;
    const n = record.fragment.length;
    const header = Uint8Array.of(record.type, record.version >>> 8, record.version & 0xff, n >>> 8, n & 0xff);
    const inner = aeadOpen(this.keys.key, nonceFor(this.keys.iv, this.seq), header, record.fragment);
    if (!inner) return null;
    this.seq++;
    let end = inner.length;
    while (end > 0 && inner[end - 1] === 0) end--;
    if (end === 0) return null; // no content type: unexpected_message in the RFC
    return { type: inner[end - 1], content: inner.slice(0, end - 1) };
  }
}

/** TLS 1.2 AES-GCM record protection (RFC 5288): explicit nonce = the sequence number. */
export class Tls12RecordCipher implements RecordCipher {
  seq = 0;

  constructor(
    private readonly key: Uint8Array,
    /** The 4-byte implicit part of the nonce (client/server_write_IV). */
    private readonly salt: Uint8Array,
  ) {}

  private static seqBytes(seq: number): Uint8Array {
    const b = new Uint8Array(8);
    let s = seq;
    for (let i = 7; i >= 0 && s > 0; i--) {
      b[i] = s & 0xff;
      s = Math.floor(s / 256);
    }
    return b;
  }

  private static aad(seq: Uint8Array, type: number, version: number, length: number): Uint8Array {
    return concatBytes(seq, Uint8Array.of(type, version >>> 8, version & 0xff, length >>> 8, length & 0xff));
  }

  seal(type: number, plaintext: Uint8Array): Uint8Array {
    const seq = Tls12RecordCipher.seqBytes(this.seq++);
    const nonce = concatBytes(this.salt, seq);
    const sealed = aeadSeal(this.key, nonce, Tls12RecordCipher.aad(seq, type, VERSION_TLS12, plaintext.length), plaintext);
    return encodeRecord(type, VERSION_TLS12, concatBytes(seq, sealed));
  }

  open(record: TlsRecord): { type: number; content: Uint8Array } | null {
    const f = record.fragment;
    if (f.length < 8 + TAG_BYTES) return null;
    const explicit = f.subarray(0, 8);
    const seq = Tls12RecordCipher.seqBytes(this.seq);
    const aad = Tls12RecordCipher.aad(seq, record.type, record.version, f.length - 8 - TAG_BYTES);
    const content = aeadOpen(this.key, concatBytes(this.salt, explicit), aad, f.subarray(8));
    if (!content) return null;
    this.seq++;
    return { type: record.type, content };
  }
}
