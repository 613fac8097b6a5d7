import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScene } from '../../src/scenario/load';
import { simulate } from '../../src/scenario/simulate';
import { RecordKind, type Trace } from '../../src/sim/trace';
import { DEFAULT_START_EPOCH_NS, planCapture } from '../../src/timeline/pcapng';
import { readPcapng } from '../../src/timeline/pcapng-read';

/** The package root, wherever the repository is cloned. */
const CWD = fileURLToPath(new URL('../..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'packetarium-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function sim(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync('npx', ['tsx', 'src/cli/main.ts', ...args], { cwd: CWD, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function inProcess(file: string, options: { seed?: number; untilNs?: number } = {}) {
  const r = loadScene(readFileSync(join(CWD, file), 'utf8'), file);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return simulate(r.scene, options);
}

function logLines(trace: Trace): string[] {
  const out: string[] = [];
  for (let i = 0; i < trace.length; i++) {
    if (trace.kind[i] !== RecordKind.Log) continue;
    out.push(`[${(trace.time[i] / 1e6).toFixed(3).padStart(10)} ms] ${trace.nodes[trace.place[i]].name}: ${trace.string(trace.code[i])}`);
  }
  return out;
}

const T = 60_000;

describe('npm run sim (src/cli/main.ts)', () => {
  it(
    'prints every line of program output with its simulated time and node, in order',
    () => {
      const r = sim('scenes/router-ping.yaml');
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines[0]).toBe('[     1.000 ms] h1: PING 10.0.1.5 (10.0.1.5) 56(84) bytes of data.');
      expect(lines[1]).toMatch(/^\[ +\d+\.\d{3} ms\] h1: 64 bytes from 10\.0\.1\.5: icmp_seq=1 ttl=63 time=/);
      expect(lines).toEqual(logLines(inProcess('scenes/router-ping.yaml').trace));
    },
    T,
  );

  it(
    '--summary ends with a JSON line whose hash equals the in-process trace hash',
    () => {
      const r = sim('scenes/router-ping.yaml', '--summary', '--quiet');
      expect(r.code).toBe(0);
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines).toHaveLength(1); // --quiet: no program output
      const s = JSON.parse(lines[0]);
      for (const key of ['events', 'frames', 'drops', 'simTimeNs', 'wallMs', 'eventsPerSec', 'traceHash']) expect(s).toHaveProperty(key);
      const run = inProcess('scenes/router-ping.yaml');
      let frames = 0;
      let drops = 0;
      for (let i = 0; i < run.trace.length; i++) {
        if (run.trace.kind[i] === RecordKind.FrameTx) frames++;
        if (run.trace.kind[i] === RecordKind.Drop) drops++;
      }
      expect(s).toMatchObject({ traceHash: run.trace.hash(), events: run.events, frames, drops, simTimeNs: 40_000_000, seed: 1 });
      expect(s.wallMs).toBeGreaterThanOrEqual(0);
      expect(s.eventsPerSec).toBeGreaterThan(0);
    },
    T,
  );

  it(
    '--seed and --until are honoured and match the in-process run',
    () => {
      const r = sim('scenes/hub-vs-switch.yaml', '--summary', '--quiet', '--seed', '3', '--until', '8ms');
      expect(r.code).toBe(0);
      const s = JSON.parse(r.stdout.trim());
      const run = inProcess('scenes/hub-vs-switch.yaml', { seed: 3, untilNs: 8_000_000 });
      expect(s).toMatchObject({ seed: 3, simTimeNs: 8_000_000, traceHash: run.trace.hash(), events: run.events });
    },
    T,
  );

  it(
    '--pcap writes each conversation once, on the interface of the host that started it',
    () => {
      const out = join(tmp, 'router-default.pcapng');
      const r = sim('scenes/router-ping.yaml', '--pcap', out, '--quiet');
      expect(r.code).toBe(0);
      const cap = readPcapng(new Uint8Array(readFileSync(out)));
      expect(cap.ok).toBe(true);
      const trace = inProcess('scenes/router-ping.yaml').trace;
      // h1 pings h2 across r1: the capture is h1's side of it, each echo request and reply once.
      expect(cap.interfaces.map((i) => i.name)).toEqual(['h1:eth0']);
      const plan = planCapture(trace);
      expect(cap.packets.map((p) => p.data)).toEqual(Array.from(plan.records, (row) => trace.frameBytes(trace.frame[row])));
      const icmp = cap.packets.filter((p) => p.data[12] === 0x08 && p.data[13] === 0x00 && p.data[23] === 1);
      expect(icmp.map((p) => `${p.direction} ${p.data[34]}`).sort()).toEqual(['in 0', 'in 0', 'in 0', 'out 8', 'out 8', 'out 8']);
    },
    T,
  );

  it(
    '--capture all-links writes a pcapng file that reads back: one interface per link, every frame with its bytes and time',
    () => {
      const out = join(tmp, 'router.pcapng');
      const r = sim('scenes/router-ping.yaml', '--pcap', out, '--capture', 'all-links', '--quiet');
      expect(r.code).toBe(0);
      const cap = readPcapng(new Uint8Array(readFileSync(out)));
      expect(cap.ok).toBe(true);
      expect(cap.format).toBe('pcapng');
      const trace = inProcess('scenes/router-ping.yaml').trace;
      expect(cap.interfaces.map((i) => i.name)).toEqual(trace.links.map((l) => l.name));
      expect(cap.interfaces.every((i) => i.linkType === 1)).toBe(true);
      const rows: number[] = [];
      for (let i = 0; i < trace.length; i++) if (trace.kind[i] === RecordKind.FrameTx) rows.push(i);
      rows.sort((a, b) => trace.time[a] - trace.time[b] || a - b);
      expect(cap.packets).toHaveLength(rows.length);
      cap.packets.forEach((p, k) => {
        const row = rows[k];
        expect(p.interfaceId).toBe(trace.place[row]);
        expect(p.timestampNs).toBe(DEFAULT_START_EPOCH_NS + BigInt(trace.time[row]));
        expect(p.data).toEqual(trace.frameBytes(trace.frame[row]));
      });
    },
    T,
  );

  it(
    "--capture on a device gives only that device's interface, with directions",
    () => {
      const out = join(tmp, 'h1.pcapng');
      const r = sim('scenes/router-ping.yaml', '--pcap', out, '--capture', 'h1', '--quiet');
      expect(r.code).toBe(0);
      const cap = readPcapng(new Uint8Array(readFileSync(out)));
      expect(cap.ok).toBe(true);
      expect(cap.interfaces).toHaveLength(1);
      expect(new Set(cap.packets.map((p) => p.direction))).toEqual(new Set(['in', 'out']));
    },
    T,
  );

  it(
    'a bad flag exits 2 with the problem and the usage',
    () => {
      const r = sim('scenes/router-ping.yaml', '--bogus');
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('unknown flag --bogus');
      expect(r.stderr).toContain('usage: npm run sim -- <scene file>');
    },
    T,
  );

  it(
    'flag values are checked: --seed and --until',
    () => {
      const a = sim('scenes/router-ping.yaml', '--seed', 'abc');
      expect(a.code).toBe(2);
      expect(a.stderr).toContain('--seed needs a whole number, got abc');
      const b = sim('scenes/router-ping.yaml', '--until', 'soon');
      expect(b.code).toBe(2);
      expect(b.stderr).toMatch(/^--until: /);
      const c = sim();
      expect(c.code).toBe(2);
      expect(c.stderr).toContain('missing scene file');
    },
    T,
  );

  it(
    'a bad scene file exits 2 with an error naming the file, line and path',
    () => {
      const file = join(tmp, 'bad.yaml');
      writeFileSync(
        file,
        [
          'version: 1',
          'title: bad',
          'duration: 10ms',
          'nodes:',
          '  - { id: h1, kind: host, ip: 10.0.0.1/24 }',
          '  - { id: h2, kind: host, ip: 10.0.0.2/24 }',
          'links:',
          '  - { a: h1, b: h2, latency: fast }',
          '',
        ].join('\n'),
      );
      const r = sim(file);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:8:\\d+ links\\[0\\]\\.latency: .*fast`));
    },
    T,
  );

  it(
    'a missing scene file exits 2 saying so',
    () => {
      const r = sim(join(tmp, 'nope.yaml'));
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('cannot read the scene file: no such file');
    },
    T,
  );

  it(
    '--capture with an unknown name exits 2 and lists the valid names',
    () => {
      const out = join(tmp, 'x.pcapng');
      const r = sim('scenes/router-ping.yaml', '--pcap', out, '--capture', 'nosuch', '--quiet');
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--capture: unknown capture "nosuch"');
      expect(r.stderr).toContain('h1');
      const s = sim('scenes/router-ping.yaml', '--capture', 'h1');
      expect(s.code).toBe(2);
      expect(s.stderr).toContain('--capture needs --pcap');
    },
    T,
  );
});
