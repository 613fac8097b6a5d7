import { describe, expect, it } from 'vitest';
import { CURRENT_SCENE_VERSION, migrate, migrations, type SceneMigration } from '../../src/scenario/migrations';
import '../../src/net/devices';
import { parseScene, validateScene } from '../../src/scenario/validate';

/** A throwaway migration from a fictional version 0 that called link latency `delay`. */
const fromZero: SceneMigration = {
  from: 0,
  to: 1,
  name: 'rename links[].delay to latency',
  migrate(raw) {
    const links = Array.isArray(raw.links) ? (raw.links as Record<string, unknown>[]) : [];
    for (const link of links) {
      if ('delay' in link) {
        link.latency = link.delay;
        delete link.delay;
      }
    }
    return raw;
  },
};

const versionZero = () => ({
  version: 0,
  title: 'old',
  duration: '10ms',
  nodes: [
    { id: 'h1', kind: 'host', ip: '10.0.0.1/24' },
    { id: 'h2', kind: 'host', ip: '10.0.0.2/24' },
  ],
  links: [{ a: 'h1', b: 'h2', delay: '2ms' }],
});

describe('the real migration registry', () => {
  it('is a chain of steps up to the current version', () => {
    expect(CURRENT_SCENE_VERSION).toBe(1);
    const froms = new Set<number>();
    for (const m of migrations) {
      expect(m.to).toBeGreaterThan(m.from);
      expect(m.to).toBeLessThanOrEqual(CURRENT_SCENE_VERSION);
      expect(froms.has(m.from), `two migrations from ${m.from}`).toBe(false);
      froms.add(m.from);
      expect(m.name).not.toBe('');
    }
  });

  it('leaves a current scene alone', () => {
    const raw = { version: 1, title: 't' };
    const r = migrate(raw);
    expect(r).toEqual({ ok: true, raw, applied: [] });
  });
});

describe('migrate', () => {
  it('applies registered migrations in order and sets the version, without touching the input', () => {
    const raw = versionZero();
    const before = structuredClone(raw);
    const r = migrate(raw, [fromZero]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.applied).toEqual(['rename links[].delay to latency']);
    expect(r.raw.version).toBe(1);
    expect(r.raw.links).toEqual([{ a: 'h1', b: 'h2', latency: '2ms' }]);
    expect(raw).toEqual(before);
  });

  it('chains several steps', () => {
    const steps: SceneMigration[] = [
      { from: 1, to: 2, name: 'b', migrate: (raw) => ({ ...raw, b: true }) },
      { from: 0, to: 1, name: 'a', migrate: (raw) => ({ ...raw, a: true }) },
    ];
    const r = migrate({ version: 0 }, steps, 2);
    expect(r).toEqual({ ok: true, raw: { version: 2, a: true, b: true }, applied: ['a', 'b'] });
  });

  it('names version when it is missing or not a whole number', () => {
    expect(migrate({ title: 'x' })).toMatchObject({ ok: false, path: 'version', message: expect.stringMatching(/missing version/) });
    expect(migrate({ version: '1' })).toMatchObject({ ok: false, path: 'version', message: expect.stringMatching(/whole number/) });
    expect(migrate({ version: 1.5 })).toMatchObject({ ok: false, path: 'version' });
  });

  it('refuses a version newer than supported', () => {
    expect(migrate({ version: 2 })).toMatchObject({
      ok: false,
      path: 'version',
      message: expect.stringMatching(/scene version 2 is newer than this Packetarium supports \(up to 1\)/),
    });
  });

  it('refuses an old version with no migration, and reports a migration that throws', () => {
    expect(migrate({ version: 0 })).toMatchObject({ ok: false, path: 'version', message: expect.stringMatching(/no migration/) });
    const broken: SceneMigration = {
      from: 0,
      to: 1,
      name: 'broken',
      migrate: () => {
        throw new Error('boom');
      },
    };
    expect(migrate({ version: 0 }, [broken])).toMatchObject({ ok: false, message: expect.stringMatching(/"broken".*boom/) });
  });

  it('refuses data that is not a mapping', () => {
    expect(migrate([1, 2])).toMatchObject({ ok: false, path: '' });
    expect(migrate('version: 1')).toMatchObject({ ok: false, path: '' });
  });
});

describe('migrations in parseScene', () => {
  const text = `version: 0
title: old
duration: 10ms
nodes:
  - { id: h1, kind: host, ip: 10.0.0.1/24 }
  - { id: h2, kind: host, ip: 10.0.0.2/24 }
links:
  - { a: h1, b: h2, delay: 2ms }
`;

  it('loads an old scene through a registered migration', () => {
    const r = parseScene(text, 'old.yaml', { migrations: [fromZero] });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.scene.links[0].latency).toBe(2_000_000);
    const v = validateScene(versionZero(), { migrations: [fromZero] });
    expect(v.ok && v.scene.links[0].latency).toBe(2_000_000);
  });

  it('without the migration the old scene is an error at version, with its line', () => {
    const r = parseScene(text, 'old.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ path: 'version', line: 1 });
  });

  it('a scene without version is an error naming version', () => {
    const r = parseScene('title: x\nduration: 1ms\nnodes: []\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatchObject({ path: 'version', message: expect.stringMatching(/version/) });
  });

  it('a newer scene says so', () => {
    const r = parseScene('version: 7\ntitle: x\n');
    expect(!r.ok && r.errors[0].message).toMatch(/newer than this Packetarium supports/);
  });
});
