/**
 * Every input a stranger controls, fuzzed: scene text (YAML and JSON), lesson Markdown, the app's
 * URL parameters, the embed's options and `data`, postMessage commands, imported progress, saved
 * scenes as read back from storage and the editor's share links (`?data=`, `?my=`). For
 * each: it never throws, never hangs (no case over 2 s), and every refusal is a message a person
 * can read. 10,000 cases each by default; `FUZZ_RUNS=200000 npm test -- test/fuzz` for a nightly run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readUrlParams } from '../../src/app/url';
import { decodeSceneText, encodeSceneText } from '../../src/embed/codec';
import { readEmbedOptions } from '../../src/embed/options';
import { parseHostCommand } from '../../src/embed/protocol';
import { parseLesson } from '../../src/lesson/format';
import { parseProgressText } from '../../src/lesson/progress';
import { loadScene } from '../../src/scenario/load';
import { formatSceneError } from '../../src/scenario/validate';
import { readMyScene, sortedScenes, type MyScene } from '../../src/store/my-scenes';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
/** A case that takes longer than this is a hang. */
const HANG_MS = 2_000;
const root = fileURLToPath(new URL('../..', import.meta.url));

const sceneTexts = readdirSync(`${root}scenes`)
  .filter((f) => /\.(ya?ml|json)$/.test(f) && !f.startsWith('bench-'))
  .map((f) => readFileSync(`${root}scenes/${f}`, 'utf8'));
const lessonTexts = readdirSync(`${root}lessons`)
  .filter((f) => f.endsWith('.md'))
  .map((f) => readFileSync(`${root}lessons/${f}`, 'utf8'));

/** Runs `f`, failing on a throw or a case slower than {@link HANG_MS}. */
function bounded<T>(what: string, f: () => T): T {
  const t0 = performance.now();
  const out = f();
  const ms = performance.now() - t0;
  if (ms > HANG_MS) throw new Error(`${what} took ${Math.round(ms)} ms`);
  return out;
}

/** A readable message: non-empty, one that is not a stack trace or "[object Object]". */
function isReadable(message: string): boolean {
  return message.trim().length > 0 && !message.includes('[object ') && !/\n\s+at /.test(message) && message.length < 2_000;
}

/**
 * Text mutated the way damaged or hostile files are: a slice removed, random text or markup
 * inserted, a line duplicated, a range of bytes flipped to control or high code points.
 */
function mutated(texts: readonly string[]): fc.Arbitrary<string> {
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), len: fc.nat({ max: 200 }) }),
    fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      text: fc.oneof(
        fc.string({ maxLength: 40 }),
        fc.constantFrom(
          '<script>alert(1)</script>',
          '{',
          '[',
          ': :',
          '- -',
          '&a *a',
          '!!binary',
          '\u0000',
          '\uFFFF',
          '1e999',
          '-1',
          '"',
          "'",
          '\t',
          '\n  - ',
          '${x}',
          '__proto__: {}',
          'constructor:',
        ),
      ),
    }),
    fc.record({ kind: fc.constant('dup' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), len: fc.nat({ max: 8 }), code: fc.integer({ min: 0, max: 0xffff }) }),
  );
  return fc.tuple(fc.constantFrom(...texts), fc.array(edit, { minLength: 1, maxLength: 6 })).map(([base, edits]) => {
    let s = base;
    for (const e of edits) {
      const at = s.length ? e.at % s.length : 0;
      if (e.kind === 'cut') s = s.slice(0, at) + s.slice(at + e.len);
      else if (e.kind === 'insert') s = s.slice(0, at) + e.text + s.slice(at);
      else if (e.kind === 'dup') {
        const start = s.lastIndexOf('\n', at) + 1;
        const end = s.indexOf('\n', at);
        const line = s.slice(start, end < 0 ? s.length : end + 1);
        s = s.slice(0, start) + line + s.slice(start);
      } else s = s.slice(0, at) + String.fromCharCode(e.code).repeat(e.len) + s.slice(at + e.len);
    }
    return s;
  });
}

/** Scene-shaped JSON with wrong types, huge numbers, odd keys and markup in strings. */
const sceneLikeJson = fc
  .record(
    {
      version: fc.oneof(fc.constant(1), fc.integer(), fc.string()),
      title: fc.oneof(fc.string(), fc.constant('<img src=x onerror=alert(1)>')),
      seed: fc.oneof(fc.integer(), fc.double(), fc.string()),
      duration: fc.oneof(fc.constantFrom('40ms', '1s', '-1ms', '1e30s', 'fast', ''), fc.integer()),
      nodes: fc.array(
        fc.dictionary(fc.constantFrom('id', 'kind', 'ip', 'gateway', 'interfaces', 'routes', 'position', 'zones', 'x'), fc.jsonValue({ maxDepth: 3 })),
        { maxLength: 8 },
      ),
      links: fc.array(fc.dictionary(fc.constantFrom('a', 'b', 'latency', 'bandwidth', 'loss', 'mtu', 'queue', 'jitter'), fc.jsonValue({ maxDepth: 2 })), {
        maxLength: 8,
      }),
      run: fc.array(fc.dictionary(fc.constantFrom('on', 'at', 'cmd'), fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 1 }))), { maxLength: 4 }),
      faults: fc.jsonValue({ maxDepth: 3 }),
    },
    { requiredKeys: [] },
  )
  .map((o) => JSON.stringify(o));

function checkScene(text: string): void {
  const r = bounded('loading a scene', () => loadScene(text, 'fuzz.yaml'));
  if (r.ok) return;
  expect(r.errors.length).toBeGreaterThan(0);
  for (const e of r.errors) {
    const line = formatSceneError(e, 'fuzz.yaml');
    expect(isReadable(e.message), line).toBe(true);
  }
}

describe(`fuzz: ${RUNS} cases per input`, () => {
  it('scene text (YAML and JSON): loads or says why, never throws or hangs', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          { weight: 5, arbitrary: mutated(sceneTexts) },
          { weight: 2, arbitrary: sceneLikeJson },
          { weight: 1, arbitrary: fc.string({ maxLength: 300 }) },
        ),
        checkScene,
      ),
      { numRuns: RUNS, seed: 17 },
    );
  }, 600_000);

  it('deeply nested scene text is refused with a message, not a stack overflow', () => {
    for (const depth of [1_000, 10_000, 100_000]) {
      checkScene(`${'['.repeat(depth)}${']'.repeat(depth)}`);
      checkScene(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
      checkScene(`${'- '.repeat(Math.min(depth, 5_000))}x`);
    }
  });

  it('lesson Markdown: parses or says why', () => {
    fc.assert(
      fc.property(fc.oneof({ weight: 4, arbitrary: mutated(lessonTexts) }, { weight: 1, arbitrary: fc.string({ maxLength: 300 }) }), (text) => {
        const r = bounded('parsing a lesson', () => parseLesson(text, 'fuzz.md'));
        if (!r.ok) {
          expect(r.errors.length).toBeGreaterThan(0);
          for (const e of r.errors) expect(isReadable(e.message), e.message).toBe(true);
        }
      }),
      { numRuns: RUNS, seed: 18 },
    );
  }, 600_000);

  const paramValue = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.constantFrom('12ms', '-1', '1e400', 'NaN', 'node:h1', '0:curl', '<b>x</b>', '%00', 'packets:999999', 'off'),
  );
  const query = fc
    .array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom('scene', 'seed', 't', 'sel', 'compare', 'bench', 'worker', 'data', 'my', 'view', 'controls', 'theme', 'host', 'id', 'autoplay'),
          fc.string({ maxLength: 8 }),
        ),
        paramValue,
      ),
      { maxLength: 8 },
    )
    .map((pairs) => `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`);

  it("the app's URL parameters: each problem named, never a throw", () => {
    fc.assert(
      fc.property(fc.oneof(query, fc.string({ maxLength: 200 })), (search) => {
        const p = bounded('reading URL parameters', () => readUrlParams(search, 'router-ping'));
        expect(typeof p.scene).toBe('string');
        for (const msg of p.problems) expect(isReadable(msg)).toBe(true);
        if (p.t !== undefined) expect(Number.isFinite(p.t) && p.t >= 0).toBe(true);
        if (p.seed !== undefined) expect(Number.isSafeInteger(p.seed)).toBe(true);
      }),
      { numRuns: RUNS, seed: 19 },
    );
  });

  it("the embed's options: valid values or a refusal that says why", () => {
    fc.assert(
      fc.property(query, (search) => {
        const q = new URLSearchParams(search);
        const { options, problems } = bounded('reading embed options', () => readEmbedOptions((n) => q.get(n)));
        if (options.refused !== undefined) expect(isReadable(options.refused)).toBe(true);
        for (const msg of problems) expect(isReadable(msg), msg).toBe(true);
        if (options.t !== undefined) expect(Number.isFinite(options.t) && options.t >= 0).toBe(true);
      }),
      { numRuns: RUNS, seed: 20 },
    );
  });

  it("the embed's `data`: decodes within its limit or says why", async () => {
    const valid = await encodeSceneText(sceneTexts[0]);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.base64String({ maxLength: 400 }).map((s) => s.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')),
          fc.tuple(fc.nat(), fc.string({ maxLength: 4 })).map(([at, t]) => valid.slice(0, at % valid.length) + t + valid.slice((at % valid.length) + t.length)),
        ),
        async (data) => {
          const t0 = performance.now();
          const r = await decodeSceneText(data);
          expect(performance.now() - t0).toBeLessThan(HANG_MS);
          if (!r.ok) expect(isReadable(r.error), r.error).toBe(true);
          else checkScene(r.text);
        },
      ),
      { numRuns: Math.min(RUNS, 3_000), seed: 21 },
    );
  }, 600_000);

  it('postMessage commands: a valid command or null, never a throw', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.record(
            {
              type: fc.constantFrom('packetarium:play', 'packetarium:pause', 'packetarium:seek', 'packetarium:step', 'packetarium:theme', 'x'),
              t: fc.oneof(fc.double(), fc.string({ maxLength: 40 })),
              direction: fc.anything(),
              theme: fc.anything(),
            },
            { requiredKeys: ['type'] },
          ),
        ),
        (data) => {
          const c = bounded('reading a postMessage', () => parseHostCommand(data));
          if (c?.type === 'packetarium:seek') expect(Number.isFinite(c.t) && c.t >= 0).toBe(true);
        },
      ),
      { numRuns: RUNS, seed: 22 },
    );
  });

  it('imported progress: accepted or refused with a message', () => {
    const good = JSON.stringify({ version: 1, lessons: {} });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
          mutated([good]),
        ),
        (text) => {
          const r = bounded('importing progress', () => parseProgressText(text));
          if (!r.ok) expect(isReadable(r.error), r.error).toBe(true);
        },
      ),
      { numRuns: RUNS, seed: 23 },
    );
  });

  /** A stored record as it could come back: well formed, damaged field by field, from an older version, or anything. */
  const storedRecord = fc.oneof(
    { weight: 3, arbitrary: fc.anything({ maxDepth: 2, withObjectString: true, withNullPrototype: true }) },
    {
      weight: 6,
      arbitrary: fc.record(
        {
          id: fc.oneof(fc.string({ maxLength: 30 }), fc.constant('x'.repeat(500)), fc.integer(), fc.constant(null)),
          name: fc.oneof(
            fc.string({ maxLength: 40 }),
            fc.constant('<img src=x onerror=alert(1)>'),
            fc.constant('n'.repeat(300)),
            fc.jsonValue({ maxDepth: 1 }),
          ),
          text: fc.oneof(mutated(sceneTexts), fc.string({ maxLength: 100 }), fc.jsonValue({ maxDepth: 2 }), fc.constant('a'.repeat(1_100_000))),
          updated: fc.oneof(fc.double(), fc.integer(), fc.string({ maxLength: 5 }), fc.constant(undefined)),
          __proto__: fc.jsonValue({ maxDepth: 1 }),
        },
        { requiredKeys: [] },
      ),
    },
  );

  it('saved scenes read back from storage: each a scene or left out with a message, the others kept', () => {
    const good: MyScene = { id: 's-1-1', name: 'kept', text: sceneTexts[0], updated: 1 };
    fc.assert(
      fc.property(fc.array(storedRecord, { maxLength: 6 }), fc.nat(), (records, at) => {
        const all = [...records];
        all.splice(at % (all.length + 1), 0, { ...good });
        const { scenes, problems } = bounded('reading My scenes', () => sortedScenes(all));
        expect(scenes.length + problems.length).toBe(all.length);
        expect(scenes.some((x) => x.id === good.id && x.text === good.text && x.name === good.name)).toBe(true);
        for (const msg of problems) expect(isReadable(msg), msg).toBe(true);
        for (const x of scenes)
          expect(typeof x.id === 'string' && typeof x.name === 'string' && typeof x.text === 'string' && Number.isFinite(x.updated)).toBe(true);
        // What the editor then does with one of them: load its text (bounded, never a throw).
        const other = scenes.find((x) => x.id !== good.id && x.text.length < 70_000);
        if (other) checkScene(other.text);
        for (let i = 1; i < scenes.length; i++) expect(scenes[i - 1].updated >= scenes[i].updated).toBe(true);
      }),
      { numRuns: RUNS, seed: 24 },
    );
  }, 600_000);

  it('a saved scene from before save times were kept is still read', () => {
    const r = readMyScene({ id: 's-old', name: 'old', text: sceneTexts[0] });
    expect(r.ok && r.scene.updated).toBe(0);
  });

  it("the editor's share links (`?data=`, `?my=`): the scene opens, or a message says why", async () => {
    const valid = await Promise.all(sceneTexts.slice(0, 4).map((t) => encodeSceneText(t)));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.tuple(fc.constant('data'), fc.oneof(fc.string({ maxLength: 200 }), mutated(valid))),
          fc.tuple(fc.constant('my'), fc.oneof(fc.string({ maxLength: 200 }), fc.constant('s-1-1'), fc.constant('../'.repeat(100)))),
        ),
        async ([key, value]) => {
          // As a browser would write it (a lone surrogate becomes U+FFFD).
          const search = `?${new URLSearchParams({ [key]: value }).toString()}`;
          const p = bounded('reading the share link', () => readUrlParams(search, 'router-ping'));
          for (const msg of p.problems) expect(isReadable(msg)).toBe(true);
          if (key !== 'data') return;
          const t0 = performance.now();
          const r = await decodeSceneText(new URLSearchParams(search).get('data') ?? '');
          expect(performance.now() - t0).toBeLessThan(HANG_MS);
          if (!r.ok) expect(isReadable(r.error), r.error).toBe(true);
          else checkScene(r.text);
        },
      ),
      { numRuns: Math.min(RUNS, 3_000), seed: 25 },
    );
  }, 600_000);
});
