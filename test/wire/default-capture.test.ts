/**
 * The capture a learner downloads by default must open in Wireshark as a real capture does: for
 * every scene in scenes/, tshark with checksum validation on and the run's TLS key log applied
 * counts zero expert errors and zero malformed packets. (The capture of every link, one interface
 * per link, is asked for explicitly with `capture: 'all-links'`; it shows each packet once per hop,
 * which tshark's TCP analysis reads as overlapping retransmissions.)
 */

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSceneFile, simulate } from '../../src/cli/run-scene';
import { keyLogLines } from '../../src/protocols/http/keylog';
import { writePcapng } from '../../src/timeline/pcapng';
import { CHECKSUM_PREFS, requireTshark } from './tshark';

const SCENES = fileURLToPath(new URL('../../scenes/', import.meta.url));
const files = readdirSync(SCENES)
  .filter((f) => /\.(ya?ml|json)$/i.test(f))
  .sort();

/** Simulated time that huge scenes (`bench-*`) are cut to, so the check stays fast. */
const BENCH_UNTIL_NS = 20_000_000;

/**
 * Scenes whose default capture still shows tshark errors because of a protocol defect, not the
 * capture, each named with its defect; `it.fails` passes only while the check fails, so a scene
 * left here after its protocol is fixed fails the suite until it is removed. Empty: every bundled
 * scene's default capture is clean (tshark 4.0.17).
 */
const EXPECTED_FAILURES: ReadonlyMap<string, string> = new Map<string, string>([]);

const dir = mkdtempSync(join(tmpdir(), 'packetarium-default-capture-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tshark(args: string[]): string {
  const config = join(tmpdir(), 'packetarium-tshark-config');
  mkdirSync(config, { recursive: true });
  const r = spawnSync('tshark', args, { encoding: 'utf8', env: { ...process.env, WIRESHARK_CONFIG_DIR: config, LC_ALL: 'C' }, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`tshark ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** Expert errors (tshark's `-z expert,error` table) and malformed packets of a capture. */
export function tsharkErrors(pcap: string, keylog: string): { errors: string[]; malformed: string[] } {
  const prefs = [...CHECKSUM_PREFS, `tls.keylog_file:${keylog}`].flatMap((p) => ['-o', p]);
  const table = tshark(['-r', pcap, '-n', ...prefs, '-q', '-z', 'expert,error']);
  // Rows under "Errors (N)": "   Frequency      Group   Protocol  Summary".
  const errors: string[] = [];
  let inErrors = false;
  for (const line of table.split('\n')) {
    if (/^Errors \(\d+\)/.test(line)) inErrors = true;
    else if (/^\S/.test(line) && !/^=+$/.test(line)) inErrors = false;
    else if (inErrors && /^\s+\d+\s/.test(line)) errors.push(line.trim().replace(/\s+/g, ' '));
  }
  const malformed = tshark(['-r', pcap, '-n', ...prefs, '-Y', '_ws.malformed', '-T', 'fields', '-e', 'frame.number', '-e', '_ws.col.Info'])
    .split('\n')
    .filter(Boolean);
  return { errors, malformed };
}

function defaultCaptureErrors(file: string): string[] {
  const scene = loadSceneFile(join(SCENES, file));
  const bench = basename(file).startsWith('bench-');
  const trace = simulate(scene, bench ? { untilNs: BENCH_UNTIL_NS } : {}).trace;
  const name = basename(file).replace(/\.\w+$/, '');
  const pcap = join(dir, `${name}.pcapng`);
  const keys = join(dir, `${name}.keys`);
  writeFileSync(pcap, writePcapng(trace));
  writeFileSync(
    keys,
    keyLogLines(trace)
      .map((l) => `${l}\n`)
      .join(''),
  );
  const { errors, malformed } = tsharkErrors(pcap, keys);
  return [...errors.map((e) => `expert error: ${e}`), ...malformed.slice(0, 10).map((m) => `malformed: ${m}`)];
}

describe("every scene's default capture opens in tshark with no errors", () => {
  it('scenes/ holds scene files', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    const defect = EXPECTED_FAILURES.get(file);
    if (defect !== undefined) {
      it.fails(`${file} (expected failure: ${defect})`, () => {
        requireTshark();
        expect(defaultCaptureErrors(file)).toEqual([]);
      });
    } else {
      it(file, () => {
        requireTshark();
        expect(defaultCaptureErrors(file), `${file}: default capture`).toEqual([]);
      });
    }
  }
});
