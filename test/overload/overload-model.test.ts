/** The Load panel's data: one group per system under load, with its series and run totals. */
import { describe, expect, it } from 'vitest';
import { buildTimeline } from '../../src/timeline';
import { describeTotals, rrGroups, seriesEnd, windowFor } from '../../src/ui/overload/overload-model';
import { runSceneFile } from './helpers';

describe('Load panel groups', () => {
  it('backoff-jitter: five systems, each with its calls and its last answer', () => {
    const { scene, trace } = runSceneFile('backoff-jitter');
    const { groups } = rrGroups(scene, trace, scene.duration, windowFor(scene.duration));
    expect(groups.map((g) => g.label)).toEqual(['immediate', 'expo', 'full-jitter', 'equal-jitter', 'decorrelated']);
    expect(groups.map((g) => g.servers)).toEqual([['srv-immediate'], ['srv-expo'], ['srv-full-jitter'], ['srv-equal-jitter'], ['srv-decorrelated']]);
    const [immediate, expo, full] = groups;
    expect(immediate.policy).toBe('retry immediate, 255 attempts, timeout 1s');
    expect(describeTotals(immediate.totals)).toBe('200 requests · 4,683 calls (23.4 per request) · all OK, the last at 0.26 s');
    expect(describeTotals(expo.totals)).toBe('200 requests · 692 calls (3.46 per request) · all OK, the last at 3.21 s');
    expect(full.totals).toMatchObject({ requests: 200, calls: 570, ok: 200 });
  });

  it('windows end at the scene duration, so the last one is a whole window', () => {
    const { scene, trace } = runSceneFile('capacity-ramp');
    // Frames in flight at the end arrive after it: the trace runs a little longer than the scene.
    expect(buildTimeline(trace).endTime).toBeGreaterThan(scene.duration);
    const end = seriesEnd(scene, buildTimeline(trace).endTime);
    expect(end).toBe(scene.duration);
    const w = windowFor(scene.duration);
    const { groups } = rrGroups(scene, trace, end, w);
    const ws = groups[0].windows;
    expect(ws.length).toBe(scene.duration / w);
    expect(ws[ws.length - 1].end).toBe(scene.duration);
    // The load holds at 1,200/s over the last window: no drop to zero at the end.
    expect(ws[ws.length - 1].offered).toBeGreaterThan(900);
  });

  it('says when some requests failed and when none was answered', () => {
    expect(describeTotals({ requests: 10, calls: 30, ok: 7, lastOkNs: 12.5e9 })).toBe('10 requests · 30 calls (3.00 per request) · 7 OK, the last at 12.5 s');
    expect(describeTotals({ requests: 3, calls: 3, ok: 0, lastOkNs: NaN })).toBe('3 requests · 3 calls (1.00 per request) · 0 OK');
  });
});
