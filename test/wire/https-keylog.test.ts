/**
 * The NSS key log the runner writes (`--keylog`) lets Wireshark decrypt HTTPS: tshark, given the
 * key log, finds the HTTP/2 requests and responses inside the TLS 1.2 and TLS 1.3 connections of
 * scenes/tls12-vs-tls13.yaml; without it, it finds none.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSceneFile, simulate } from '../../src/cli/run-scene';
import { keyLogLines } from '../../src/protocols/http/keylog';
import { writePcapng } from '../../src/timeline/pcapng';
import { requireTshark } from './tshark';

const SCENE = fileURLToPath(new URL('../../scenes/tls12-vs-tls13.yaml', import.meta.url));
const ZERO_RTT = fileURLToPath(new URL('../../scenes/tls13-0rtt.yaml', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'packetarium-keylog-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tshark(args: string[]): string {
  const config = join(tmpdir(), 'packetarium-tshark-config');
  mkdirSync(config, { recursive: true });
  const r = spawnSync('tshark', args, { encoding: 'utf8', env: { ...process.env, WIRESHARK_CONFIG_DIR: config, LC_ALL: 'C' } });
  if (r.status !== 0) throw new Error(`tshark failed: ${r.stderr}`);
  return r.stdout;
}

describe('HTTPS key log (tshark)', () => {
  it('decrypts the HTTP/2 requests of TLS 1.2 and TLS 1.3 connections with the key log, and not without it', () => {
    requireTshark();
    const trace = simulate(loadSceneFile(SCENE), {}).trace;
    const pcap = join(dir, 'out.pcapng');
    const keys = join(dir, 'out.keys');
    writeFileSync(pcap, writePcapng(trace));
    const lines = keyLogLines(trace);
    // TLS 1.2: CLIENT_RANDOM; TLS 1.3: handshake and application traffic secrets for each side.
    expect(lines.filter((l) => l.startsWith('CLIENT_RANDOM '))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('CLIENT_TRAFFIC_SECRET_0 '))).toHaveLength(1);
    for (const l of lines) expect(l).toMatch(/^[A-Z_0-9]+ [0-9a-f]{64} [0-9a-f]+$/);
    writeFileSync(keys, lines.map((l) => `${l}\n`).join(''));

    const fields = ['-T', 'fields', '-e', 'http2.headers.method', '-e', 'http2.headers.path', '-e', 'http2.headers.status'];
    const decrypted = tshark(['-r', pcap, '-n', '-o', `tls.keylog_file:${keys}`, '-Y', 'http2.type == 1', ...fields])
      .trim()
      .split('\n')
      .map((l) => l.split('\t').filter(Boolean).join(' '));
    expect(decrypted).toEqual(['GET /', '200', 'GET /', '200']);

    const without = tshark(['-r', pcap, '-n', '-Y', 'http2', ...fields]).trim();
    expect(without).toBe('');
  });

  it('decrypts HTTP/1.1 over TLS 1.3, including a request sent as 0-RTT early data', () => {
    requireTshark();
    const trace = simulate(loadSceneFile(ZERO_RTT), {}).trace;
    const pcap = join(dir, 'zero-rtt.pcapng');
    const keys = join(dir, 'zero-rtt.keys');
    writeFileSync(pcap, writePcapng(trace));
    const lines = keyLogLines(trace);
    expect(lines.filter((l) => l.startsWith('CLIENT_EARLY_TRAFFIC_SECRET '))).toHaveLength(1);
    writeFileSync(keys, lines.map((l) => `${l}\n`).join(''));

    const fields = ['-T', 'fields', '-e', 'http.request.method', '-e', 'http.request.uri', '-e', 'http.response.code'];
    const rows = tshark(['-r', pcap, '-n', '-o', `tls.keylog_file:${keys}`, '-Y', 'http', ...fields])
      .trim()
      .split('\n')
      .map((l) => l.split('\t').filter(Boolean).join(' '));
    expect(rows).toEqual(['GET /', '200', 'GET /', '200']);
    // The second request travelled as early data (tshark says so with the early secret).
    expect(
      tshark([
        '-r',
        pcap,
        '-n',
        '-o',
        `tls.keylog_file:${keys}`,
        '-Y',
        'http.request && tls.handshake.type == 1',
        '-T',
        'fields',
        '-e',
        'http.request.uri',
      ]).trim(),
    ).toBe('/');

    expect(tshark(['-r', pcap, '-n', '-Y', 'http', ...fields]).trim()).toBe('');
  });
});
