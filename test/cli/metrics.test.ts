/** `npm run sim -- SCENE --metrics out.csv [--window T]`: the overload-lab metrics as CSV. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRunnerArgs } from '../../src/cli/args';
import { loadScene } from '../../src/scenario/load';
import { simulate } from '../../src/scenario/simulate';
import { RR_CSV_COLUMNS, rrSeries } from '../../src/timeline/metrics';

const CWD = join(import.meta.dirname, '../..');
const tmp = mkdtempSync(join(tmpdir(), 'packetarium-metrics-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const T = 60_000;

function sim(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync('npx', ['tsx', 'src/cli/main.ts', ...args], { cwd: CWD, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function inProcess(file: string, untilNs?: number) {
  const r = loadScene(readFileSync(join(CWD, file), 'utf8'), file);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return simulate(r.scene, { untilNs });
}

function readCsv(file: string): { header: string[]; rows: string[][] } {
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  return { header: lines[0].split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}

/** A CSV cell as a number (empty = NaN). */
const num = (s: string) => (s === '' ? NaN : Number(s));

describe('npm run sim -- SCENE --metrics FILE', () => {
  it(
    'writes a header and one row per window of the retry storm; the numbers are rrSeries',
    () => {
      const out = join(tmp, 'storm.csv');
      const r = sim('scenes/retry-storm.yaml', '--metrics', out, '--window', '250ms', '--quiet');
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      const { header, rows } = readCsv(out);
      expect(header).toEqual(RR_CSV_COLUMNS.map((c) => c.name));
      expect(header.slice(0, 7)).toEqual(['start_ms', 'end_ms', 'offered_per_s', 'requests_per_s', 'goodput_per_s', 'throughput_per_s', 'concurrency']);
      expect(rows).toHaveLength(40); // 10 s in 250 ms windows
      for (const row of rows) expect(row).toHaveLength(header.length);
      expect(rows.map((x) => num(x[0]))).toEqual(Array.from({ length: 40 }, (_, k) => k * 250));

      const ws = rrSeries(inProcess('scenes/retry-storm.yaml').trace, { windowNs: 250e6, from: 0, to: 10e9 });
      expect(ws).toHaveLength(rows.length);
      const col = (name: string) => header.indexOf(name);
      ws.forEach((w, k) => {
        const row = rows[k];
        expect(num(row[col('end_ms')])).toBe(w.end / 1e6);
        expect(num(row[col('offered_per_s')])).toBe(w.offered);
        expect(num(row[col('goodput_per_s')])).toBe(w.goodput);
        expect(num(row[col('throughput_per_s')])).toBe(w.throughput);
        expect(num(row[col('concurrency')])).toBe(w.concurrency);
        expect(num(row[col('p99_ms')])).toEqual(w.p99 / 1e6); // NaN when nothing succeeded
        expect(num(row[col('retries_per_s')])).toBe(w.retries);
        expect(num(row[col('amplification')])).toEqual(w.amplification);
        expect(num(row[col('queue')])).toBe(w.queue);
      });
      // The storm is visible: retries while the servers are slow.
      expect(Math.max(...rows.map((x) => num(x[col('retries_per_s')])))).toBeGreaterThan(100);
    },
    T,
  );

  it(
    'defaults to 100 ms windows and stops at --until',
    () => {
      const out = join(tmp, 'littles.csv');
      const r = sim('scenes/littles-law.yaml', '--metrics', out, '--until', '1s', '--quiet');
      expect(r.code).toBe(0);
      const { rows } = readCsv(out);
      expect(rows).toHaveLength(10);
      expect(num(rows[9][1])).toBe(1000);
      const ws = rrSeries(inProcess('scenes/littles-law.yaml', 1e9).trace, { windowNs: 100e6, from: 0, to: 1e9 });
      expect(rows.map((x) => num(x[4]))).toEqual(ws.map((w) => w.goodput));
    },
    T,
  );

  it(
    'checks its flags: exit 2 with a clear message',
    () => {
      const out = join(tmp, 'x.csv');
      const cases: [string[], RegExp][] = [
        [['--metrics'], /^--metrics needs a file name$/],
        [['--metrics', '--quiet'], /^--metrics needs a file name$/],
        [['--metrics', out, '--window'], /^--window needs a time, e.g. 100ms$/],
        [['--metrics', out, '--window', 'soon'], /^--window: .*soon/],
        [['--metrics', out, '--window', '0ms'], /^--window must be at least 1us, got 0ms$/],
        [['--window', '1s'], /^--window needs --metrics$/],
      ];
      for (const [flags, message] of cases) {
        const p = parseRunnerArgs(['scenes/retry-storm.yaml', ...flags]);
        expect(p.ok, flags.join(' ')).toBe(false);
        if (!p.ok) expect(p.error).toMatch(message);
      }
      expect(parseRunnerArgs(['s.yaml', '--metrics', out, '--window', '1s'])).toMatchObject({ ok: true, args: { metrics: out, windowNs: 1e9 } });
      // And the runner exits 2 with the message and the usage.
      for (const [flags, message] of [cases[4], cases[5]]) {
        const r = sim('scenes/retry-storm.yaml', ...flags);
        expect(r.code, flags.join(' ')).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr.split('\n')[0]).toMatch(message);
        expect(r.stderr).toContain('usage: npm run sim -- <scene file>');
      }
    },
    T,
  );
});
