/**
 * Every scene in scenes/ is simulated and exported to pcapng, and tshark must open the capture with
 * checksum validation on and find no malformed packets, no expert errors, and the trace's frames one
 * for one: the default capture, the capture of every link (where a retransmission overlap is
 * accepted when the bytes prove it is a copy) and a tcpdump-style capture on the scene's first host.
 */

import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSceneFile, simulate } from '../../src/cli/run-scene';
import { RecordKind, type Trace } from '../../src/sim/trace';
import { writePcapng } from '../../src/timeline/pcapng';
import { TSHARK_MISSING, checkWithTshark, requireTshark, tsharkVersion } from './tshark';

const SCENES = fileURLToPath(new URL('../../scenes/', import.meta.url));
const files = readdirSync(SCENES)
  .filter((f) => /\.(ya?ml|json)$/i.test(f))
  .sort();

/** Simulated time that huge scenes (`bench-*`) are cut to, so the check stays fast. */
const BENCH_UNTIL_NS = 20_000_000;

function frameTxCount(trace: Trace): number {
  let n = 0;
  for (let r = 0; r < trace.length; r++) if (trace.kind[r] === RecordKind.FrameTx) n++;
  return n;
}

describe('scenes on the wire (tshark)', () => {
  it('tshark is installed', () => {
    expect(tsharkVersion(), TSHARK_MISSING).not.toBeNull();
  });

  it('scenes/ holds scene files', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    it(file, () => {
      requireTshark();
      const scene = loadSceneFile(join(SCENES, file));
      const bench = basename(file).startsWith('bench-');
      const trace: Trace = simulate(scene, bench ? { untilNs: BENCH_UNTIL_NS } : {}).trace;

      const whole = writePcapng(trace);
      expect(checkWithTshark(whole, trace), `${file}: default capture (each conversation where it started)`).toEqual([]);
      const capture = 'all-links';
      expect(checkWithTshark(writePcapng(trace, { capture }), trace, { capture }), `${file}: every link`).toEqual([]);

      const host = trace.nodes.find((n) => n.kind === 'host');
      if (host) {
        const capture = host.name;
        expect(checkWithTshark(writePcapng(trace, { capture }), trace, { capture }), `${file}: capture ${capture}`).toEqual([]);
      }
      // A scene that puts nothing on the wire checks nothing: say so rather than pass quietly.
      expect(frameTxCount(trace), `${file}: no frames transmitted`).toBeGreaterThan(0);
    });
  }
});
