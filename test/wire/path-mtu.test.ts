/**
 * scenes/path-mtu.yaml as tshark reads a capture taken on the web server: r2's ICMP "fragmentation
 * needed" carries next-hop MTU 1400 (RFC 1191), the SYNs carry MSS 1460, every TCP segment has DF
 * set, and after the ICMP the server's segments carry at most 1400 − 40 = 1360 bytes.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSceneFile, simulate } from '../../src/cli/run-scene';
import { writePcapng } from '../../src/timeline/pcapng';
import { requireTshark } from './tshark';

const SCENE = fileURLToPath(new URL('../../scenes/path-mtu.yaml', import.meta.url));
const FIELDS = ['frame.number', 'ip.src', 'ip.flags.df', 'icmp.type', 'icmp.code', 'icmp.mtu', 'tcp.len', 'tcp.options.mss_val'];

function tsharkRows(pcap: Uint8Array): Record<string, string>[] {
  const dir = mkdtempSync(join(tmpdir(), 'packetarium-pmtu-'));
  try {
    const path = join(dir, 'capture.pcapng');
    writeFileSync(path, pcap);
    const r = spawnSync('tshark', ['-n', '-r', path, '-T', 'fields', '-E', 'occurrence=f', ...FIELDS.flatMap((f) => ['-e', f])], {
      encoding: 'utf8',
      env: { ...process.env, WIRESHARK_CONFIG_DIR: dir },
    });
    if (r.status !== 0) throw new Error(r.stderr);
    return r.stdout
      .replace(/\n+$/, '')
      .split('\n')
      .map((line) => Object.fromEntries(FIELDS.map((f, i) => [f, line.split('\t')[i] ?? ''])));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('path MTU discovery on the wire (tshark)', () => {
  it('scenes/path-mtu.yaml captured on web', () => {
    requireTshark();
    const trace = simulate(loadSceneFile(SCENE)).trace;
    const rows = tsharkRows(writePcapng(trace, { capture: 'web' }));
    const isTrue = (v: string) => v === '1' || v === 'True';
    const icmpAt = rows.findIndex((r) => r['icmp.type'] === '3' && r['icmp.code'] === '4');
    expect(icmpAt).toBeGreaterThan(0);
    expect(rows[icmpAt]['ip.src']).toBe('10.0.2.254');
    expect(rows[icmpAt]['icmp.mtu']).toBe('1400');
    const tcp = rows.filter((r) => r['tcp.len'] !== '' && r['icmp.type'] === '');
    expect(tcp.filter((r) => r['tcp.options.mss_val'] !== '').map((r) => r['tcp.options.mss_val'])).toEqual(['1460', '1460']);
    expect(tcp.every((r) => isTrue(r['ip.flags.df']))).toBe(true);
    const fromWeb = (r: Record<string, string>) => r['ip.src'] === '10.0.2.80';
    const before = tcp.filter((r) => fromWeb(r) && Number(r['frame.number']) < Number(rows[icmpAt]['frame.number']));
    const after = tcp.filter((r) => fromWeb(r) && Number(r['frame.number']) > Number(rows[icmpAt]['frame.number']));
    expect(Math.max(...before.map((r) => Number(r['tcp.len'])))).toBe(1460);
    expect(Math.max(...after.map((r) => Number(r['tcp.len'])))).toBe(1360);
  });
});
