/**
 * The documented scene limits (README "Limits"): input beyond them is refused quickly, with one
 * sentence that names the limit, and long lists of errors are capped.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSceneFile } from '../../src/cli/run-scene';
import { capLines, SCENE_LIMITS } from '../../src/scenario/limits';
import { loadScene } from '../../src/scenario/load';

const tmp = mkdtempSync(join(tmpdir(), 'packetarium-limits-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A valid scene of `n` hosts on one switch, as JSON. */
function hostsScene(n: number, ip: (i: number) => string = (i) => `10.${Math.floor(i / 62_500)}.${Math.floor(i / 250) % 250}.${(i % 250) + 1}/8`): string {
  const nodes: object[] = [{ id: 'sw', kind: 'switch' }];
  const links: object[] = [];
  for (let i = 0; i < n; i++) {
    nodes.push({ id: `h${i}`, kind: 'host', ip: ip(i) });
    links.push({ a: `h${i}`, b: 'sw' });
  }
  return JSON.stringify({ version: 1, title: 'many hosts', seed: 1, duration: '10ms', nodes, links });
}

function timed<T>(f: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0 };
}

describe('scene limits', () => {
  it('refuses a 12 MB scene of 200,000 hosts at once, naming the size limit', () => {
    const text = hostsScene(200_000);
    expect(text.length).toBeGreaterThan(10 * 1024 * 1024);
    const { value: r, ms } = timed(() => loadScene(text, 'big.json'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].message).toMatch(/at most 1 MB/);
    expect(ms).toBeLessThan(2_000);
  });

  it('refuses more devices than the limit in one sentence, not one error per device', () => {
    const r = loadScene(hostsScene(SCENE_LIMITS.devices + 1), 'many.json');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => `${e.path}: ${e.message}`)).toContain(`nodes: 2,002 devices; a scene may have at most 2,000`);
  });

  it('accepts a scene at the device limit', () => {
    const r = loadScene(hostsScene(SCENE_LIMITS.devices - 1), 'ok.json');
    expect(r.ok ? 'ok' : r.errors.slice(0, 3)).toBe('ok');
  });

  it('refuses more than an hour of simulated time', () => {
    const text = `version: 1\ntitle: long\nseed: 1\nduration: 2h\nnodes:\n  - { id: h1, kind: host, ip: 10.0.0.1/24 }\nlinks: []\n`;
    const r = loadScene(text.replace('2h', '7200s'), 'long.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]).toMatchObject({ path: 'duration' });
    expect(r.errors[0].message).toBe('120m of simulated time; a scene may run at most 60m');
  });

  it('refuses nesting deeper than the limit before parsing it', () => {
    for (const text of ['['.repeat(100_000) + ']'.repeat(100_000), '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000), `${'- '.repeat(5_000)}x`]) {
      const { value: r, ms } = timed(() => loadScene(text, 'deep.yaml'));
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0].message).toMatch(/levels deep \(level 65 at line 1, column \d+\); at most 64/);
      expect(r.errors[0].line).toBe(1);
      expect(ms).toBeLessThan(2_000);
    }
  });

  it('lists the first 50 of 5,000 bad addresses, then counts the rest', () => {
    const file = join(tmp, 'bad.json');
    writeFileSync(file, hostsScene(5_000, (i) => `10.0.${i}.300/24`).replace('"many hosts"', '"bad"'));
    let message = '';
    try {
      loadSceneFile(file);
    } catch (e) {
      message = (e as Error).message;
    }
    const lines = message.split('\n');
    expect(lines).toHaveLength(51);
    expect(lines[0]).toMatch(/nodes\[1\]\.ip/);
    expect(lines[50]).toMatch(/^\.\.\. and [\d,]+ more$/);
  });

  it('capLines keeps short lists whole', () => {
    expect(capLines(['a', 'b'], 2)).toEqual(['a', 'b']);
    expect(capLines(['a', 'b', 'c'], 2)).toEqual(['a', 'b', '... and 1 more']);
    expect(capLines(Array.from({ length: 100_000 }, (_, i) => String(i))).at(-1)).toBe('... and 99,950 more');
  });
});
