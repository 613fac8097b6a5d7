// An embed page downloads the simulator once: with a Worker, the page's own scripts hold no zod,
// yaml, scene validation or simulation kernel (the worker does all of that); without a Worker the
// simulator is loaded then, in the page, and the scene looks exactly the same. Logs what the page
// fetched (gzipped sizes) for embed.html?scene=traceroute. A 3D embed of it downloads at most 460 kB (the goal is 450 kB; DHCP and NAT put it at about 454 kB)
// gzipped in all, the worker's scripts included; a scene with TLS loads the parts it needs on demand.
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';

export const name = 'embeds: the page fetches no simulator when a worker runs it, and loads it lazily when none can';
export const timeout = 90_000;

/** Strings only the simulator side holds (the same markers as scripts/check-bundle.mjs). */
const SIMULATOR_MARKERS = ['ZodError', 'YAMLParseError', 'a mapping (key: value)', 'too many pending events'];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const state = (page) => page.evaluate(() => (window.__packetariumEmbed ? window.__packetariumEmbed() : null));
async function settled(page) {
  for (let i = 0; i < 150; i++) {
    const s = await state(page);
    if (s && (s.ready || s.error)) return s;
    await sleep(150);
  }
  throw new Error('embed never became ready or failed');
}

/** Opens `url` in a fresh page and records every script it (and its workers) fetched, until `until(page)` holds. */
async function openLogged(context, url, { noWorker = false, until } = {}) {
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  if (noWorker) await page.addInitScript(() => Object.defineProperty(window, 'Worker', { value: undefined, configurable: true }));
  const scripts = [];
  const pending = [];
  const onResponse = (res) => {
    if (!/\.m?js(\?|$)/.test(new URL(res.url()).pathname)) return;
    pending.push(
      res.body().then(
        (body) => scripts.push({ path: new URL(res.url()).pathname, text: body.toString('utf8'), gz: gzipSync(body, { level: 9 }).length }),
        () => {},
      ),
    );
  };
  context.on('response', onResponse);
  await page.goto(url);
  const s = await settled(page);
  for (let i = 0; until && i < 100 && !(await until(page)); i++) await sleep(150);
  await page.waitForLoadState('networkidle');
  await Promise.all(pending);
  context.off('response', onResponse);
  return { page, s, scripts };
}

const withMarkers = (scripts) => scripts.filter((f) => SIMULATOR_MARKERS.some((m) => f.text.includes(m)));
const kb = (n) => `${(n / 1000).toFixed(1)} kB`;

export async function run({ context, baseUrl }) {
  // 1. With a worker: the simulator arrives once, in the worker script.
  const url = `${baseUrl}/embed.html?scene=traceroute&view=ladder`;
  const lean = await openLogged(context, url);
  assert.equal(lean.s.error, null, `traceroute failed: ${lean.s.error}`);
  await lean.page.locator('[data-testid=ladder] svg').waitFor();
  const workers = lean.scripts.filter((f) => /sim-worker/.test(f.path) && SIMULATOR_MARKERS.every((m) => f.text.includes(m)));
  assert.equal(workers.length, 1, `expected the simulation worker among the fetched scripts: ${lean.scripts.map((f) => f.path).join(', ')}`);
  const heavy = withMarkers(lean.scripts).filter((f) => f !== workers[0]);
  assert.deepEqual(
    heavy.map((f) => f.path),
    [],
    'page scripts that hold the simulator although the worker runs it',
  );
  const pageBytes = lean.scripts.filter((f) => f !== workers[0]).reduce((s, f) => s + f.gz, 0);
  console.log(`    with a worker: page scripts ${kb(pageBytes)} gz + worker ${kb(workers[0].gz)} gz (${lean.scripts.length} scripts)`);
  for (const f of [...lean.scripts].sort((a, b) => b.gz - a.gz)) console.log(`      ${f.path.padEnd(48)} ${kb(f.gz).padStart(9)} gz`);
  const ladderWithWorker = await lean.page.locator('[data-testid=ladder]').innerHTML();

  // 2. Without a worker: the simulator is loaded into the page, and the scene is the same.
  const fallback = await openLogged(context, url, { noWorker: true });
  assert.equal(fallback.s.error, null, `traceroute without a worker failed: ${fallback.s.error}`);
  await fallback.page.locator('[data-testid=ladder] svg').waitFor();
  assert.ok(withMarkers(fallback.scripts).length > 0, 'without a worker, the simulator was never loaded, yet the scene showed');
  assert.ok(!fallback.scripts.some((f) => /sim-worker-[^/]*\.js$/.test(f.path)), 'a worker script was fetched although Worker does not exist');
  assert.equal(fallback.s.duration, lean.s.duration, 'the scene lasts differently without a worker');
  assert.equal(await fallback.page.locator('[data-testid=ladder]').innerHTML(), ladderWithWorker, 'the ladder differs without a worker');

  // 3. Without a worker, a URL scene over the limits is still refused, naming the limit.
  const big = `version: 1\ntitle: big\nduration: 1ms\nnodes:\n${Array.from({ length: 60 }, (_, i) => `  - { id: s${i}, kind: switch }`).join('\n')}\n`;
  const { deflateRawSync } = await import('node:zlib');
  await fallback.page.goto(`${baseUrl}/embed.html?data=${deflateRawSync(Buffer.from(big)).toString('base64url')}`);
  const refused = await settled(fallback.page);
  assert.match(refused.error ?? '', /embedded scene: nodes: 60 devices \(an embedded scene may have at most 48\)/);

  // 4. An invalid scene comes back from the worker with path-named errors (file:line:col path).
  await lean.page.goto(`${baseUrl}/embed.html?data=${deflateRawSync(Buffer.from('version: 1\nnodes: 7\n')).toString('base64url')}`);
  const invalid = await settled(lean.page);
  assert.match(invalid.error ?? '', /^embedded scene:2:8 nodes: expected a list, got 7$/m);
  await lean.page.close();
  await fallback.page.close();

  // 5. The whole download of a 3D embed (page and worker scripts), with nothing loaded on demand.
  const threeD = await openLogged(context, `${baseUrl}/embed.html?scene=traceroute&view=3d`, { until: async (p) => (await state(p))?.canvas });
  assert.equal(threeD.s.error, null, `traceroute in 3D failed: ${threeD.s.error}`);
  assert.ok((await state(threeD.page))?.canvas, 'the 3D embed never showed its canvas');
  assert.ok(
    threeD.scripts.some((f) => /Scene3D/.test(f.path)),
    `the 3D chunk is not among the fetched scripts: ${threeD.scripts.map((f) => f.path).join(', ')}`,
  );
  const all = threeD.scripts.reduce((n, f) => n + f.gz, 0);
  console.log(`    3D embed of traceroute: ${kb(all)} gz in ${threeD.scripts.length} scripts, page and worker (budget 460 kB, goal 450 kB)`);
  assert.ok(all <= 460_000, `a 3D embed of traceroute downloads ${kb(all)} gzipped, over 460 kB`);
  await threeD.page.close();

  // 6. A scene with TLS loads its programs (worker) and dissectors (page) on demand, and names its messages.
  const tls = await openLogged(context, `${baseUrl}/embed.html?scene=tls12-vs-tls13&view=ladder`);
  assert.equal(tls.s.error, null, `tls12-vs-tls13 failed: ${tls.s.error}`);
  await tls.page.locator('[data-testid=ladder] svg').waitFor();
  await tls.page.locator('body').click({ position: { x: 5, y: 5 } });
  let narration = '';
  for (let i = 0; i < 80 && !/TLS/.test(narration); i++) {
    await tls.page.keyboard.press('ArrowRight');
    narration = (await state(tls.page))?.narration ?? '';
  }
  assert.match(narration, /TLSv1: Client Hello/, 'stepping through the TLS scene never narrated its Client Hello');
  assert.match((await tls.page.locator('[data-testid=ladder]').textContent()) ?? '', /Client Hello/, 'the ladder labels no Client Hello');
  const withTls = tls.scripts.reduce((n, f) => n + f.gz, 0);
  console.log(`    ladder embed of tls12-vs-tls13: ${kb(withTls)} gz in ${tls.scripts.length} scripts (with its on-demand parts)`);
  await tls.page.close();
}
