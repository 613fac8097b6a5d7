/**
 * QUIC on the wire: tshark decrypts the Initial packets with no key log (their keys come from the
 * public salt), and the whole connection with the key log the simulation publishes, finds no
 * malformed packets, and shows the HTTP/3 requests.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSceneFile, simulate } from '../../src/cli/run-scene';
import { RecordKind, type Trace } from '../../src/sim/trace';
import { writePcapng } from '../../src/timeline/pcapng';
import { TestNet } from '../helpers/net';
import '../../src/apps';
import { requireTshark } from './tshark';

const SCENE = fileURLToPath(new URL('../../scenes/quic-handshake.yaml', import.meta.url));

function keyLog(trace: Trace): string {
  const lines: string[] = [];
  for (let r = 0; r < trace.length; r++) {
    if (trace.kind[r] === RecordKind.State && trace.string(trace.code[r]) === 'tls keylog') lines.push(trace.string(trace.frame[r]));
  }
  return lines.join('\n') + '\n';
}

function tshark(args: string[]): string {
  const r = spawnSync('tshark', args, { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

describe('QUIC and HTTP/3 in tshark', () => {
  it('decrypts Initials without keys, everything with the key log, shows the HTTP/3 requests', () => {
    requireTshark();
    const trace = simulate(loadSceneFile(SCENE), {}).trace;
    const dir = mkdtempSync(join(tmpdir(), 'quic-wire-'));
    try {
      const pcap = join(dir, 'q.pcapng');
      writeFileSync(pcap, writePcapng(trace, { capture: 'phone' }));
      const keys = join(dir, 'keys.log');
      writeFileSync(keys, keyLog(trace));
      // Without keys: the Initial packets' CRYPTO frames (the ClientHello with SNI) are readable.
      const bare = tshark([
        '-r',
        pcap,
        '-Y',
        'quic.long.packet_type == 0',
        '-T',
        'fields',
        '-e',
        'tls.handshake.extensions_server_name',
        '-e',
        'quic.frame_type',
      ]);
      expect(bare).toContain('www.example.test');
      // With the key log: every packet decrypts, HTTP/3 requests appear, nothing is malformed.
      const full = tshark([
        '-r',
        pcap,
        '-o',
        `tls.keylog_file:${keys}`,
        '-T',
        'fields',
        '-e',
        'frame.protocols',
        '-e',
        'quic.decryption_failed',
        '-e',
        '_ws.malformed',
        '-e',
        'http3.frame_type',
      ]);
      const rows = full
        .trim()
        .split('\n')
        .filter((l) => l.includes('quic'));
      expect(rows.length).toBeGreaterThan(10);
      expect(full).not.toMatch(/_ws\.malformed|\tTrue|malformed/i);
      for (const row of rows) expect(row.split('\t')[1] ?? '', row).toBe('');
      const http3 = tshark(['-r', pcap, '-o', `tls.keylog_file:${keys}`, '-Y', 'http3.frame_type == 1', '-T', 'fields', '-e', 'ip.src']);
      // Requests and responses (HEADERS frames) of both visits.
      expect(http3.trim().split('\n').length).toBeGreaterThanOrEqual(3);
      const errors = tshark(['-r', pcap, '-o', `tls.keylog_file:${keys}`, '-Y', '_ws.expert.severity >= 8388608 || _ws.malformed']);
      expect(errors.trim()).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("decodes a curl --http3 request: QUIC to UDP 443, then its HTTP/3 HEADERS with curl's fields", () => {
    requireTshark();
    const net = TestNet.twoHosts('h3-server --site hello', 'curl --http3 --resolve www.example.test:443:10.0.0.2 https://www.example.test/').runUntil('1s');
    expect(net.logs('h1')).toContain('  <h1>Welcome to hello</h1>');
    const dir = mkdtempSync(join(tmpdir(), 'quic-wire-'));
    try {
      const pcap = join(dir, 'c.pcapng');
      writeFileSync(pcap, writePcapng(net.trace, { capture: 'h1' }));
      const keys = join(dir, 'keys.log');
      writeFileSync(keys, keyLog(net.trace));
      // Wireshark 4.0 has no QPACK decoder, but QPACK literals without Huffman coding are plain text.
      const headers = tshark([
        '-r',
        pcap,
        '-o',
        `tls.keylog_file:${keys}`,
        '-Y',
        'http3.frame_type == 1 && udp.dstport == 443',
        '-T',
        'fields',
        '-e',
        'http3.frame_payload',
      ]);
      const text = Buffer.from(headers.trim().replace(/[^0-9a-f]/g, ''), 'hex').toString('latin1');
      expect(text).toContain('www.example.test');
      expect(text).toContain('curl/8.5.0');
      const errors = tshark(['-r', pcap, '-o', `tls.keylog_file:${keys}`, '-Y', '_ws.expert.severity >= 8388608 || _ws.malformed || quic.decryption_failed']);
      expect(errors.trim()).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
