/**
 * scenes/http-evolution.yaml: the same page of twenty resources over HTTP/0.9, 1.0, 1.1 and 2 on
 * the same path. The order the protocols imply: HTTP/2 (one connection, every request at once)
 * fastest, then HTTP/1.1 (six kept-alive connections, one round trip per resource), then HTTP/1.0
 * and HTTP/0.9 together (a new connection, so two round trips, per resource).
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import '../../src/apps';
import { loadSceneFile, simulate } from '../../src/cli/run-scene';
import { pageLoadTime, waterfall } from '../../src/timeline/waterfall';
import { TraceView } from '../helpers/net';

const SCENE = fileURLToPath(new URL('../../scenes/http-evolution.yaml', import.meta.url));

describe('http-evolution scene', () => {
  const trace = simulate(loadSceneFile(SCENE), {}).trace;
  const v = new TraceView(trace);
  const summaries = v.logs('browser').filter((l) => / finished in /.test(l));
  const finished = summaries.map((l) => Number(/finished in ([\d.]+) ms/.exec(l)![1]));
  const connections = summaries.map((l) => Number(/(\d+) connections?,/.exec(l)![1]));

  it('loads the page and its twenty resources four times, all successfully', () => {
    expect(summaries).toHaveLength(4);
    for (const l of summaries) expect(l).toMatch(/^page-load: 21 requests \(21 ok\), /);
    const rows = waterfall(trace, 'browser');
    expect(rows).toHaveLength(4 * 21);
    expect(rows.every((r) => r.status === 200)).toBe(true);
  });

  it('uses a connection per resource for 0.9 and 1.0, six for 1.1, one for HTTP/2', () => {
    expect(connections).toEqual([21, 21, 6, 1]);
  });

  it('orders the protocols: 2 fastest, then 1.1, then 1.0 and 0.9 close together', () => {
    const [h09, h10, h11, h2] = finished;
    expect(h2).toBeLessThan(h11);
    expect(h11).toBeLessThan(Math.min(h10, h09));
    // 0.9 and 1.0 spend the same round trips; 0.9 only saves header bytes.
    expect(Math.abs(h10 - h09)).toBeLessThan(5);
    expect(h09).toBeLessThanOrEqual(h10);
    // Round trips (40 ms each) explain the gaps: 1.0 needs about twice 1.1's.
    expect(h10 - h11).toBeGreaterThan(4 * 40);
    // The waterfall says the same as the console.
    const rows = waterfall(trace, 'browser');
    const spans = [1, 2, 3, 4].map((load) => pageLoadTime(rows, load)!);
    spans.forEach((s, i) => expect((s.end - s.start) / 1e6).toBeCloseTo(finished[i], 0));
  });
});
