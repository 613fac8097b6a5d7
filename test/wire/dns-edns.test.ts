/**
 * dig's EDNS OPT record and the server's OPT in reply, as tshark dissects them: no malformed
 * packets, UDP payload size 1232 both ways, a COOKIE option (code 10) in the query (RFC 6891, 7873).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSceneFile, simulate } from '../../src/cli/run-scene';
import { writePcapng } from '../../src/timeline/pcapng';
import { checkWithTshark, requireTshark } from './tshark';

describe('DNS with EDNS on the wire (tshark)', () => {
  it("dissects dig's OPT record and the answer's without errors", () => {
    requireTshark();
    const tshark = 'tshark';
    const scene = loadSceneFile(fileURLToPath(new URL('../../scenes/dns-lookup.yaml', import.meta.url)));
    const trace = simulate(scene).trace;
    const pcap = writePcapng(trace);
    expect(checkWithTshark(pcap, trace)).toEqual([]);
    const path = join(mkdtempSync(join(tmpdir(), 'edns-')), 'dns.pcapng');
    writeFileSync(path, pcap);
    const rows = execFileSync(
      tshark,
      [
        '-r',
        path,
        '-Y',
        'dns.rr.udp_payload_size && ip.src == 10.0.0.10',
        '-T',
        'fields',
        '-e',
        'dns.rr.udp_payload_size',
        '-e',
        'dns.opt.code',
        '-e',
        'dns.opt.len',
      ],
      { encoding: 'utf8' },
    )
      .trim()
      .split('\n');
    expect(rows[0].split('\t')).toEqual(['1232', '10', '8']);
    const answers = execFileSync(
      tshark,
      ['-r', path, '-Y', 'dns.flags.response == 1 && ip.dst == 10.0.0.10', '-T', 'fields', '-e', 'dns.rr.udp_payload_size'],
      { encoding: 'utf8' },
    )
      .trim()
      .split('\n');
    expect(answers[0]).toBe('1232');
  });
});
