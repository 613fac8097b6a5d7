/**
 * tshark's own TCP analysis must agree with the simulator: in a capture taken on the sender (as
 * tcpdump there would), the segments tshark marks as resent are exactly the sequence ranges whose
 * first copy the trace shows dropped on the way. tshark calls a resend "retransmission" or "fast
 * retransmission", or "out-of-order" when it follows the previous segment within its RTT guess (as
 * NewReno's hole-by-hole repairs after partial ACKs do); from the sender's own capture all three
 * mean the same thing, since a sender never sends new data out of order.
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
import { requireTshark } from './tshark';

const SCENES = fileURLToPath(new URL('../../scenes/', import.meta.url));

/** Absolute sequence numbers of TCP data segments (payload > 0) the trace shows dropped, per 4-tuple. */
function droppedSegments(trace: Trace): Set<string> {
  const out = new Set<string>();
  for (let r = 0; r < trace.length; r++) {
    if (trace.kind[r] !== RecordKind.Drop || trace.frame[r] < 0) continue;
    const f = trace.frameBytes(trace.frame[r]);
    if (f[12] !== 0x08 || f[13] !== 0x00 || f[23] !== 6) continue;
    const ihl = (f[14] & 0x0f) * 4;
    const t = 14 + ihl;
    const total = (f[16] << 8) | f[17];
    const payload = total - ihl - (f[t + 12] >> 4) * 4;
    if (payload <= 0) continue;
    const seq = ((f[t + 4] << 24) | (f[t + 5] << 16) | (f[t + 6] << 8) | f[t + 7]) >>> 0;
    out.add(`${(f[t] << 8) | f[t + 1]}>${(f[t + 2] << 8) | f[t + 3]} ${seq}`);
  }
  return out;
}

/** What tshark marks as resent (timeout, fast, or "out-of-order"), as `srcport>dstport seq_raw`. */
function tsharkRetransmissions(pcap: Uint8Array): Set<string> {
  const dir = mkdtempSync(join(tmpdir(), 'packetarium-retx-'));
  try {
    const path = join(dir, 'capture.pcapng');
    writeFileSync(path, pcap);
    const r = spawnSync(
      'tshark',
      [
        '-n',
        '-r',
        path,
        '-Y',
        'tcp.analysis.retransmission || tcp.analysis.fast_retransmission || tcp.analysis.out_of_order',
        '-T',
        'fields',
        '-e',
        'tcp.srcport',
        '-e',
        'tcp.dstport',
        '-e',
        'tcp.seq_raw',
      ],
      { encoding: 'utf8', env: { ...process.env, WIRESHARK_CONFIG_DIR: dir } },
    );
    if (r.status !== 0) throw new Error(r.stderr);
    return new Set(
      r.stdout
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => {
          const [src, dst, seq] = l.split('\t');
          return `${src}>${dst} ${seq}`;
        }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('tshark marks retransmissions where the trace shows drops', () => {
  for (const [file, sender] of [
    ['tcp-loss.yaml', 'h3'],
    ['tcp-loss.yaml', 'h1'],
    ['tcp-congestion.yaml', undefined],
  ] as const) {
    it(`${file}, captured on ${sender ?? 'the sender'}`, () => {
      requireTshark();
      const trace = simulate(loadSceneFile(join(SCENES, file))).trace;
      const host = sender ?? trace.nodes.find((n) => n.kind === 'host' || n.kind === 'server')!.name;
      const dropped = droppedSegments(trace);
      const marked = tsharkRetransmissions(writePcapng(trace, { capture: host }));
      // Only this sender's segments: its captured retransmissions use its own ports.
      const mine = new Set([...marked].map((k) => k.split(' ')[0]));
      const droppedHere = new Set([...dropped].filter((k) => mine.has(k.split(' ')[0])));
      expect(dropped.size, `${file}: the scene drops data segments`).toBeGreaterThan(0);
      expect(marked, `${file} on ${host}`).toEqual(droppedHere);
    });
  }
});
