import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScene } from '../../src/scenario/load';
import { simulate } from '../../src/scenario/simulate';
import { RecordKind, type Trace } from '../../src/sim/trace';
import { readU16 } from '../../src/protocols/bytes';
import { ContentType } from '../../src/protocols/tls/constants';
import { fromUtf8 } from '../../src/protocols/tls/wire';
import { decryptedRecordsFor, plaintextHex, plaintextPreview } from '../../src/timeline/tls-decrypt';

function run(name: string): Trace {
  const r = loadScene(readFileSync(`scenes/${name}.yaml`, 'utf8'), name);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return simulate(r.scene).trace;
}

/** FrameTx rows of TCP segments with payload to (or from) port 443, with the client's port. */
function tlsRows(trace: Trace, toServer: boolean): { row: number; clientPort: number; payload: Uint8Array }[] {
  const out = [];
  for (let r = 0; r < trace.length; r++) {
    if (trace.kind[r] !== RecordKind.FrameTx || trace.frame[r] < 0) continue;
    const b = trace.frameBytes(trace.frame[r]);
    if (b.length < 54 || readU16(b, 12) !== 0x0800 || b[23] !== 6) continue;
    const t = 14 + (b[14] & 0x0f) * 4;
    const src = readU16(b, t);
    const dst = readU16(b, t + 2);
    if ((toServer ? dst : src) !== 443) continue;
    const payload = b.subarray(t + (b[t + 12] >> 4) * 4, 14 + readU16(b, 16));
    if (payload.length > 0) out.push({ row: r, clientPort: toServer ? src : dst, payload });
  }
  return out;
}

describe('decryptedRecordsFor over tls12-vs-tls13', () => {
  const trace = run('tls12-vs-tls13');
  const rows = tlsRows(trace, true);
  const ports = [...new Set(rows.map((x) => x.clientPort))];

  it('has two TLS connections (1.2 first, then 1.3)', () => {
    expect(ports.length).toBe(2);
  });

  it('decrypts the first TLS 1.3 application-data record from the client', () => {
    let found: string | undefined;
    for (const x of rows.filter((y) => y.clientPort === ports[1])) {
      const recs = decryptedRecordsFor(trace, x.row);
      const app = recs?.find((r) => r.contentType === ContentType.applicationData);
      if (app) {
        expect(app.epoch).toBe('application');
        found = fromUtf8(app.plaintext);
        break;
      }
    }
    expect(found).toBeDefined();
    expect(found!.startsWith('GET / HTTP/1.1') || found!.startsWith('PRI * HTTP/2.0')).toBe(true);
  });

  it('decrypts the server handshake flight with the handshake keys', () => {
    const recs = tlsRows(trace, false)
      .filter((y) => y.clientPort === ports[1])
      .flatMap((x) => decryptedRecordsFor(trace, x.row) ?? []);
    expect(recs.some((r) => r.epoch === 'handshake' && r.contentType === ContentType.handshake)).toBe(true);
    expect(recs.some((r) => r.epoch === 'application' && r.contentType === ContentType.applicationData)).toBe(true);
  });

  it('returns undefined for TLS 1.2 and for non-TLS frames', () => {
    for (const x of rows.filter((y) => y.clientPort === ports[0])) expect(decryptedRecordsFor(trace, x.row)).toBeUndefined();
    const tls = new Set([...rows, ...tlsRows(trace, false)].map((x) => x.row));
    for (let r = 0; r < trace.length; r++) {
      if (trace.kind[r] === RecordKind.FrameTx && !tls.has(r)) expect(decryptedRecordsFor(trace, r)).toBeUndefined();
    }
  });
});

describe('plaintext display helpers', () => {
  it('keeps the first lines as text, masking other bytes', () => {
    const bytes = new TextEncoder().encode('GET / HTTP/1.1\r\nHost: a\r\n<b>\u0001\r\n');
    expect(plaintextPreview(bytes, 2)).toBe('GET / HTTP/1.1\nHost: a …');
    expect(plaintextPreview(bytes)).toBe('GET / HTTP/1.1\nHost: a\n<b>·\n');
    expect(plaintextHex(Uint8Array.of(0, 0xab, 0x10), 2)).toBe('00 ab …');
  });
});
