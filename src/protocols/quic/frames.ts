/**
 * QUIC frames (RFC 9000 section 19) that Packetarium sends and understands: encode, decode and a
 * one-line description each. Unknown frame types are a decode error (as RFC 9000 12.4 requires).
 */
import { assertNever } from '../assert-never';
import { hex, QuicDecodeError, QuicReader, QuicWriter } from './wire';

/** An ACK range, inclusive: packets `from..to` were received. */
export interface AckRange {
  readonly from: number;
  readonly to: number;
}

export type QuicFrame =
  | { readonly type: 'padding'; readonly length: number }
  | { readonly type: 'ping' }
  /** Ranges largest first, not overlapping. `delay` in microseconds (ack_delay_exponent 3 applied). */
  | { readonly type: 'ack'; readonly ranges: readonly AckRange[]; readonly delayUs: number }
  | { readonly type: 'crypto'; readonly offset: number; readonly data: Uint8Array }
  | { readonly type: 'stream'; readonly id: number; readonly offset: number; readonly data: Uint8Array; readonly fin: boolean }
  | { readonly type: 'max_data'; readonly max: number }
  | { readonly type: 'max_stream_data'; readonly id: number; readonly max: number }
  | { readonly type: 'max_streams'; readonly bidi: boolean; readonly max: number }
  | { readonly type: 'new_connection_id'; readonly seq: number; readonly retirePriorTo: number; readonly cid: Uint8Array; readonly resetToken: Uint8Array }
  | { readonly type: 'retire_connection_id'; readonly seq: number }
  | { readonly type: 'path_challenge'; readonly data: Uint8Array }
  | { readonly type: 'path_response'; readonly data: Uint8Array }
  | { readonly type: 'connection_close'; readonly app: boolean; readonly code: number; readonly frameType: number; readonly reason: string }
  | { readonly type: 'handshake_done' };

/** @public */
export const FRAME_PADDING = 0x00;
const ACK_DELAY_EXPONENT = 3;

/** Frames that do not make the receiver send an ACK (RFC 9002 section 2). */
export function isAckEliciting(f: QuicFrame): boolean {
  return f.type !== 'ack' && f.type !== 'padding' && f.type !== 'connection_close';
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Appends one frame. */
export function encodeFrame(w: QuicWriter, f: QuicFrame): void {
  switch (f.type) {
    case 'padding':
      for (let i = 0; i < f.length; i++) w.u8(0);
      return;
    case 'ping':
      w.u8(0x01);
      return;
    case 'ack': {
      const r = f.ranges;
      w.u8(0x02)
        .varint(r[0].to)
        .varint(Math.floor(f.delayUs / 2 ** ACK_DELAY_EXPONENT))
        .varint(r.length - 1)
        .varint(r[0].to - r[0].from);
      for (let i = 1; i < r.length; i++) {
        w.varint(r[i - 1].from - r[i].to - 2).varint(r[i].to - r[i].from);
      }
      return;
    }
    case 'crypto':
      w.u8(0x06).varint(f.offset).vbytes(f.data);
      return;
    case 'stream':
      w.u8(0x08 | 0x04 | 0x02 | (f.fin ? 1 : 0))
        .varint(f.id)
        .varint(f.offset)
        .vbytes(f.data);
      return;
    case 'max_data':
      w.u8(0x10).varint(f.max);
      return;
    case 'max_stream_data':
      w.u8(0x11).varint(f.id).varint(f.max);
      return;
    case 'max_streams':
      w.u8(f.bidi ? 0x12 : 0x13).varint(f.max);
      return;
    case 'new_connection_id':
      w.u8(0x18).varint(f.seq).varint(f.retirePriorTo).u8(f.cid.length).bytes(f.cid).bytes(f.resetToken);
      return;
    case 'retire_connection_id':
      w.u8(0x19).varint(f.seq);
      return;
    case 'path_challenge':
      w.u8(0x1a).bytes(f.data);
      return;
    case 'path_response':
      w.u8(0x1b).bytes(f.data);
      return;
    case 'connection_close':
      w.u8(f.app ? 0x1d : 0x1c).varint(f.code);
      if (!f.app) w.varint(f.frameType);
      w.vbytes(enc.encode(f.reason));
      return;
    case 'handshake_done':
      w.u8(0x1e);
      return;
    default:
      assertNever(f);
  }
}

/** Bytes one frame takes. */
export function frameLength(f: QuicFrame): number {
  const w = new QuicWriter();
  encodeFrame(w, f);
  return w.length;
}

/** Decodes every frame of a packet payload. Throws {@link QuicDecodeError}. */
export function decodeFrames(payload: Uint8Array, start = 0, end = payload.length): QuicFrame[] {
  const r = new QuicReader(payload, start, end);
  const out: QuicFrame[] = [];
  while (r.left > 0) {
    const t = r.varint('frame type');
    if (t === 0x00) {
      let n = 1;
      while (r.left > 0 && r.buf[r.pos] === 0) {
        r.pos++;
        n++;
      }
      out.push({ type: 'padding', length: n });
    } else if (t === 0x01) out.push({ type: 'ping' });
    else if (t === 0x02 || t === 0x03) {
      const largest = r.varint();
      const delayUs = r.varint() * 2 ** ACK_DELAY_EXPONENT;
      const count = r.varint();
      let to = largest;
      let from = to - r.varint();
      const ranges: AckRange[] = [{ from, to }];
      for (let i = 0; i < count; i++) {
        to = from - r.varint() - 2;
        from = to - r.varint();
        ranges.push({ from, to });
      }
      if (from < 0) throw new QuicDecodeError('QUIC: ACK range below 0');
      if (t === 0x03) {
        r.varint();
        r.varint();
        r.varint();
      }
      out.push({ type: 'ack', ranges, delayUs });
    } else if (t === 0x06) {
      const offset = r.varint();
      out.push({ type: 'crypto', offset, data: r.vbytes('CRYPTO data') });
    } else if (t >= 0x08 && t <= 0x0f) {
      const id = r.varint();
      const offset = t & 0x04 ? r.varint() : 0;
      const data = t & 0x02 ? r.vbytes('STREAM data') : r.bytes(r.left);
      out.push({ type: 'stream', id, offset, data, fin: (t & 1) !== 0 });
    } else if (t === 0x10) out.push({ type: 'max_data', max: r.varint() });
    else if (t === 0x11) out.push({ type: 'max_stream_data', id: r.varint(), max: r.varint() });
    else if (t === 0x12 || t === 0x13) out.push({ type: 'max_streams', bidi: t === 0x12, max: r.varint() });
    else if (t === 0x18) {
      const seq = r.varint();
      const retirePriorTo = r.varint();
      const len = r.u8();
      out.push({ type: 'new_connection_id', seq, retirePriorTo, cid: r.bytes(len), resetToken: r.bytes(16) });
    } else if (t === 0x19) out.push({ type: 'retire_connection_id', seq: r.varint() });
    else if (t === 0x1a) out.push({ type: 'path_challenge', data: r.bytes(8) });
    else if (t === 0x1b) out.push({ type: 'path_response', data: r.bytes(8) });
    else if (t === 0x1c || t === 0x1d) {
      const code = r.varint();
      const frameType = t === 0x1c ? r.varint() : 0;
      out.push({ type: 'connection_close', app: t === 0x1d, code, frameType, reason: dec.decode(r.vbytes('reason')) });
    } else if (t === 0x1e) out.push({ type: 'handshake_done' });
    else throw new QuicDecodeError(`QUIC: unknown frame type 0x${t.toString(16)}`);
  }
  return out;
}

/** One line per frame, for logs and the inspector. */
export function describeFrame(f: QuicFrame): string {
  switch (f.type) {
    case 'padding':
      return `PADDING (${f.length})`;
    case 'ping':
      return 'PING';
    case 'ack':
      return `ACK ${f.ranges.map((r) => (r.from === r.to ? `${r.to}` : `${r.from}-${r.to}`)).join(',')}`;
    case 'crypto':
      return `CRYPTO off=${f.offset} len=${f.data.length}`;
    case 'stream':
      return `STREAM id=${f.id} off=${f.offset} len=${f.data.length}${f.fin ? ' fin' : ''}`;
    case 'max_data':
      return `MAX_DATA ${f.max}`;
    case 'max_stream_data':
      return `MAX_STREAM_DATA id=${f.id} ${f.max}`;
    case 'max_streams':
      return `MAX_STREAMS ${f.bidi ? 'bidi' : 'uni'} ${f.max}`;
    case 'new_connection_id':
      return `NEW_CONNECTION_ID seq=${f.seq} ${hex(f.cid)}`;
    case 'retire_connection_id':
      return `RETIRE_CONNECTION_ID seq=${f.seq}`;
    case 'path_challenge':
      return `PATH_CHALLENGE ${hex(f.data)}`;
    case 'path_response':
      return `PATH_RESPONSE ${hex(f.data)}`;
    case 'connection_close':
      return `CONNECTION_CLOSE code=0x${f.code.toString(16)}${f.reason ? ` "${f.reason}"` : ''}`;
    case 'handshake_done':
      return 'HANDSHAKE_DONE';
    default:
      return assertNever(f);
  }
}
