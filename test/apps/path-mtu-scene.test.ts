/**
 * scenes/path-mtu.yaml: every claim of its description, checked against its trace.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildTimeline } from '../../src/timeline';
import { pathMtuAt } from '../../src/timeline/path-mtu';
import { TestNet } from '../helpers/net';
import { segments } from '../protocols/tcp/helpers';

const scene = TestNet.fromYaml(readFileSync(new URL('../../scenes/path-mtu.yaml', import.meta.url), 'utf8')).runToEnd();
const MS = 1e6;

describe('scenes/path-mtu.yaml', () => {
  it('the r1–r2 link carries at most 1400 bytes, every other link 1500', () => {
    expect(scene.scene.links.map((l) => [l.id, l.mtu])).toEqual([
      ['h1-r1', 1500],
      ['r1-r2', 1400],
      ['r2-web', 1500],
    ]);
  });

  it('tracepath at 1 ms: LOCALHOST pmtu 1500, r1 answers "fragmentation needed" with MTU 1400, Resume: pmtu 1400 hops 3 back 3', () => {
    const lines = scene
      .logRows('h1')
      .filter((r) => r.time < 60 * MS)
      .map((r) => r.text);
    expect(lines[0]).toBe(' 1?: [LOCALHOST]                      pmtu 1500');
    expect(lines[2]).toMatch(/^ 2: {2}10\.0\.0\.254 +\d+\.\d{3}ms pmtu 1400$/);
    expect(lines.at(-1)).toBe('     Resume: pmtu 1400 hops 3 back 3');
    // h1 refused the 65535-byte probe itself: nothing that size left it.
    expect(scene.drops('h1')[0].reason).toBe('needs fragmentation but DF set (MTU 1500)');
    const probes = scene.frames('h1-r1', 'a>b').filter((f) => f.ip?.protocol === 17);
    expect(probes[0].ip).toMatchObject({ totalLength: 1500, dontFragment: true });
    // r1 dropped the 1500-byte probe and answered with next-hop MTU 1400.
    const icmp = scene.frames('h1-r1', 'b>a').find((f) => f.icmp?.type === 3 && f.icmp.code === 4)!;
    expect(icmp.ip!.src).toBe('10.0.0.254');
    expect(icmp.field('icmp.mtu')).toBe('1400');
    expect(icmp.time).toBeLessThan(60 * MS);
    // tracepath probed again at 1400 bytes.
    expect(probes.slice(2).every((f) => f.ip!.totalLength === 1400)).toBe(true);
  });

  it('h1 remembers path MTU 1400 to the web server for 10 minutes', () => {
    const rows = scene.states('h1', 'pmtu 10.0.2.80');
    expect(rows.map((r) => r.value)).toEqual(['1400']);
    // The timeline query reads it: unknown before r1's ICMP reached h1, 1400 from then to the end
    // (10 minutes outlast the scene; test/net/path-mtu.test.ts checks the ageing).
    const index = buildTimeline(scene.trace);
    const learned = rows[0].time;
    expect(pathMtuAt(index, 'h1', '10.0.2.80', learned - 1)).toBeUndefined();
    expect(pathMtuAt(index, 'h1', '10.0.2.80', learned)).toBe(1400);
    expect(pathMtuAt(index, 'h1', '10.0.2.80', 300 * MS)).toBe(1400);
    expect(pathMtuAt(index, 'web', '10.0.0.1', 60 * MS)).toBeUndefined();
  });

  it("at 60 ms both SYNs advertise MSS 1460; r2 drops the server's 1460-byte segments and says MTU 1400", () => {
    const segs = segments(scene, 'r2-web');
    const syns = segs.filter((s) => s.h.options.mss !== undefined);
    expect(syns.map((s) => [s.src, s.h.options.mss])).toEqual([
      ['10.0.0.1', 1460],
      ['10.0.2.80', 1460],
    ]);
    expect(syns[0].time).toBeGreaterThanOrEqual(60 * MS);
    const big = segs.filter((s) => s.src === '10.0.2.80' && s.len === 1460);
    expect(big.length).toBeGreaterThan(0);
    for (const s of big)
      expect(scene.drops('r2').some((d) => d.packetId === s.frame.packetId && d.reason === 'needs fragmentation but DF set (MTU 1400)')).toBe(true);
    const icmp = scene.frames('r2-web', 'a>b').filter((f) => f.icmp?.type === 3 && f.icmp.code === 4);
    expect(icmp.length).toBeGreaterThan(0);
    expect(icmp[0].ip).toMatchObject({ src: '10.0.2.254', dst: '10.0.2.80' });
    expect(icmp[0].field('icmp.mtu')).toBe('1400');
  });

  it('the server lowers its MSS to 1360 and resends, and curl prints 200', () => {
    const icmp = scene.frames('r2-web', 'a>b').find((f) => f.icmp?.type === 3 && f.icmp.code === 4)!;
    const after = segments(scene, 'r2-web').filter((s) => s.src === '10.0.2.80' && s.len > 0 && s.time >= icmp.arrival);
    expect(Math.max(...after.map((s) => s.len))).toBe(1360);
    expect(scene.stateOf('web', 'pmtu 10.0.0.1')).toBe('1400');
    expect(scene.logs('h1').at(-1)).toBe('200');
    expect(scene.logs('web')).toContain('10.0.0.1 - - "GET /img/1.svg HTTP/2" 200 20000');
  });

  it('nothing larger than 1400 bytes ever crosses the r1–r2 link', () => {
    const frames = scene.frames('r1-r2').filter((f) => f.ip);
    expect(frames.length).toBeGreaterThan(20);
    expect(Math.max(...frames.map((f) => f.ip!.totalLength))).toBe(1400);
  });
});
