/** The Load panel's Servers charts on failover: which region answers, and how B's own latency rises. */
import { describe, expect, it } from 'vitest';
import type { ServerWindow } from '../../src/timeline/metrics';
import { rrGroups, windowFor } from '../../src/ui/overload/overload-model';
import { SERVER_CHARTS, serverPlot, serverSharedYMax } from '../../src/ui/overload/server-charts';
import { runSceneFile } from './helpers';

const { scene, trace } = runSceneFile('failover');
const windowNs = windowFor(scene.duration);
const { groups } = rrGroups(scene, trace, scene.duration, windowNs);
const [system] = groups;
const line = (node: string) => system.serverLines.find((s) => s.node === node)!;
/** Answers of a server in [from, to) seconds, counted from its per-second rate. */
const answers = (ws: ServerWindow[], from: number, to: number) =>
  ws.filter((w) => w.start >= from * 1e9 && w.end <= to * 1e9).reduce((sum, w) => sum + (w.answers * (w.end - w.start)) / 1e9, 0);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe('Servers series on failover', () => {
  it('one line per region behind the balancer, labelled by node id, each its own colour', () => {
    expect(groups.length).toBe(1);
    expect(system.serverLines.map((s) => s.node)).toEqual(['region-a', 'region-b']);
    expect(line('region-a').color).not.toBe(line('region-b').color);
    const plot = serverPlot(SERVER_CHARTS[0], groups);
    expect(plot.lines.map((l) => l.label)).toEqual(['region-a', 'region-b']);
    expect(serverPlot(SERVER_CHARTS[1], groups).lines.map((l) => l.label)).toEqual(['region-a p50', 'region-a p99', 'region-b p50', 'region-b p99']);
  });

  it('before the crash the balancer splits the answers about evenly; after 2.15 s region-b answers all', () => {
    const a = line('region-a').windows;
    const b = line('region-b').windows;
    const aBefore = answers(a, 0.3, 1.98);
    const bBefore = answers(b, 0.3, 1.98);
    expect(aBefore).toBeGreaterThan(400);
    expect(aBefore / (aBefore + bBefore)).toBeGreaterThan(0.45);
    expect(aBefore / (aBefore + bBefore)).toBeLessThan(0.55);
    expect(answers(a, 2.16, 6)).toBe(0);
    // B answers the whole load, 750/s, after the switch.
    expect(answers(b, 2.4, 6) / 3.6).toBeGreaterThan(650);
    // A crashed server's gauges read 0, its response time none.
    for (const w of a.filter((w) => w.start >= 2e9)) {
      expect(w.queue).toBe(0);
      expect(w.busy).toBe(0);
      expect(Number.isNaN(w.p50)).toBe(true);
    }
    const plot = serverPlot(SERVER_CHARTS[0], groups);
    expect(plot.lines[0].values.slice(Math.ceil(2.16e9 / windowNs))).toEqual(plot.lines[0].values.slice(Math.ceil(2.16e9 / windowNs)).map(() => 0));
  });

  it("region-b's own response time per window is higher after the crash than before", () => {
    const b = line('region-b').windows;
    const before = b.filter((w) => w.start >= 0.3e9 && w.end <= 2e9).map((w) => w.p50);
    const after = b.filter((w) => w.start >= 3e9).map((w) => w.p50);
    expect(median(after)).toBeGreaterThan(2 * median(before));
    // The whole-run figures of the scene description: p50 about 6.5 ms before, 23 ms from 3 s.
    expect(median(before) / 1e6).toBeLessThan(12);
    expect(median(after) / 1e6).toBeGreaterThan(15);
    // And the busy workers: under half of 8 before, nearly all 8 after.
    expect(median(b.filter((w) => w.start >= 0.3e9 && w.end <= 2e9).map((w) => w.busy))).toBeLessThan(5);
    expect(median(b.filter((w) => w.start >= 3e9).map((w) => w.busy))).toBeGreaterThan(6.5);
  });

  it('the answered totals add up to the answers each server sent', () => {
    expect(line('region-a').answered + line('region-b').answered).toBeGreaterThan(4000);
    expect(line('region-a').answered).toBeLessThan(line('region-b').answered / 3);
  });

  it('a comparison shares one y scale per Servers chart, the largest value of both runs', () => {
    const top = serverSharedYMax(SERVER_CHARTS[0], [groups, groups]);
    const max = Math.max(...serverPlot(SERVER_CHARTS[0], groups).lines.flatMap((l) => l.values.map((v) => v ?? 0)));
    expect(top).toBeCloseTo(max * 1.08);
  });
});
