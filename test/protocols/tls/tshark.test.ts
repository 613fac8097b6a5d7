/**
 * Wireshark's view: a handshake carried in a hand-built TCP stream on port 443 must dissect with
 * no malformed packets or expert errors, certificates included, and the client's key log must let
 * tshark decrypt the TLS 1.3 handshake and application data. Skipped when tshark is absent.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { internetChecksum, pseudoHeaderSum } from '../../../src/protocols/checksum';
import { TlsSessionCache, type TlsVersion } from '../../../src/protocols/tls';
import { utf8 } from '../../../src/protocols/tls/wire';
import { makePki, newPair, run } from './helpers';

const CLIENT_IP = 0x0a000001;
const SERVER_IP = 0x0a000002;

function frame(fromClient: boolean, seq: number, ack: number, flags: number, payload: Uint8Array): Uint8Array {
  const f = new Uint8Array(14 + 20 + 20 + payload.length);
  f.set(fromClient ? [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1] : [2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2], 0);
  f[12] = 0x08;
  const ip = 14;
  const src = fromClient ? CLIENT_IP : SERVER_IP;
  const dst = fromClient ? SERVER_IP : CLIENT_IP;
  const dv = new DataView(f.buffer);
  f[ip] = 0x45;
  dv.setUint16(ip + 2, 40 + payload.length);
  f[ip + 8] = 64;
  f[ip + 9] = 6;
  dv.setUint32(ip + 12, src);
  dv.setUint32(ip + 16, dst);
  dv.setUint16(ip + 10, internetChecksum(f, ip, 20));
  const t = ip + 20;
  dv.setUint16(t, fromClient ? 50000 : 443);
  dv.setUint16(t + 2, fromClient ? 443 : 50000);
  dv.setUint32(t + 4, seq >>> 0);
  dv.setUint32(t + 8, ack >>> 0);
  f[t + 12] = 0x50;
  f[t + 13] = flags;
  dv.setUint16(t + 14, 65535);
  f.set(payload, t + 20);
  dv.setUint16(t + 16, internetChecksum(f, t, 20 + payload.length, pseudoHeaderSum(src, dst, 6, 20 + payload.length)));
  return f;
}

function pcap(frames: Uint8Array[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const gh = new DataView(new ArrayBuffer(24));
  gh.setUint32(0, 0xa1b2c3d4, true);
  gh.setUint16(4, 2, true);
  gh.setUint16(6, 4, true);
  gh.setUint32(16, 65535, true);
  gh.setUint32(20, 1, true);
  parts.push(new Uint8Array(gh.buffer));
  frames.forEach((f, i) => {
    const ph = new DataView(new ArrayBuffer(16));
    ph.setUint32(0, 1_700_000_000 + i, true);
    ph.setUint32(8, f.length, true);
    ph.setUint32(12, f.length, true);
    parts.push(new Uint8Array(ph.buffer), f);
  });
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const hasTshark = spawnSync('tshark', ['--version']).status === 0;

describe.skipIf(!hasTshark)('tshark reads our TLS', () => {
  for (const version of ['1.3', '1.2'] as TlsVersion[]) {
    it(`TLS ${version}: no malformed packets, certificate parsed, key log decrypts`, () => {
      const clock = { t: 0 };
      const { client, server } = newPair(makePki(), `ts${version}`, new TlsSessionCache(), clock, { versions: [version] });
      const log = run(client, server, clock, { afterConnect: utf8('GET / HTTP/1.1\r\nHost: www.example.test\r\n\r\n') });
      let cseq = 1000;
      let sseq = 5000;
      const frames = [
        frame(true, cseq++, 0, 0x02, new Uint8Array(0)),
        frame(false, sseq++, cseq, 0x12, new Uint8Array(0)),
        frame(true, cseq, sseq, 0x10, new Uint8Array(0)),
      ];
      for (const f of log.flights) {
        if (f.from === 'client') {
          frames.push(frame(true, cseq, sseq, 0x18, f.bytes));
          cseq += f.bytes.length;
        } else {
          frames.push(frame(false, sseq, cseq, 0x18, f.bytes));
          sseq += f.bytes.length;
        }
      }
      const dir = mkdtempSync(join(tmpdir(), 'pkt-tls-'));
      try {
        writeFileSync(join(dir, 'c.pcap'), pcap(frames));
        writeFileSync(join(dir, 'keys.log'), client.keyLogLines().join('\n') + '\n');
        const res = spawnSync(
          'tshark',
          [
            '-r',
            join(dir, 'c.pcap'),
            '-o',
            `tls.keylog_file:${join(dir, 'keys.log')}`,
            '-o',
            'tcp.check_checksum:TRUE',
            '-o',
            'ip.check_checksum:TRUE',
            '-T',
            'fields',
            '-E',
            'separator=|',
            '-e',
            'frame.number',
            '-e',
            '_ws.malformed',
            '-e',
            '_ws.expert.severity',
            '-e',
            'tls.handshake.type',
            '-e',
            'x509sat.uTF8String',
            '-e',
            'http.request.method',
          ],
          { encoding: 'utf8' },
        );
        expect(res.status, res.stderr).toBe(0);
        const rows = res.stdout
          .trim()
          .split('\n')
          .map((l) => l.split('|'));
        for (const r of rows) {
          expect(r[1], `frame ${r[0]} malformed`).toBe('');
          const sev = r[2].split(',').filter(Boolean).map(Number);
          expect(
            sev.every((s) => s < 0x00800000),
            `frame ${r[0]} expert error: ${r.join('|')}`,
          ).toBe(true);
        }
        const types = rows
          .flatMap((r) => r[3].split(','))
          .filter(Boolean)
          .map(Number);
        expect(types).toContain(1);
        expect(types).toContain(11); // Certificate (decrypted in 1.3)
        expect(types).toContain(20); // Finished: only visible when the key log worked
        expect(rows.some((r) => r[4].includes('www.example.test'))).toBe(true);
        expect(rows.some((r) => r[5] === 'GET')).toBe(true);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 60_000);
  }
});
