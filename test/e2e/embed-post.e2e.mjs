// The sample blog post (public/sample-post.html) with ten embeds, served from a sub-path
// (/some/path/) of a static host: every embed renders (3D pixels or the ladder), only visible
// embeds animate, there are never more live WebGL contexts than visible embeds, no console errors,
// and the postMessage API drives one of them.
import assert from 'node:assert/strict';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const name = 'embeds: sample post with ten embeds, from a sub-path';
export const timeout = 150_000;

const dist = resolve(dirname(fileURLToPath(import.meta.url)), 'artifacts/dist');
const PREFIX = '/some/path/';
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json' };

/** Serves dist/ under PREFIX only (anything else is a 404), like a static host's sub-folder. */
export function serveUnderSubPath() {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (!path.startsWith(PREFIX)) return void res.writeHead(404).end('outside the sub-path');
    let file = resolve(dist, `./${path.slice(PREFIX.length)}`);
    if (file !== dist && !file.startsWith(dist + sep)) return void res.writeHead(403).end();
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) return void res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ server, base: `http://127.0.0.1:${server.address().port}${PREFIX}` })));
}

/** Counts WebGL contexts created in every frame; `live` = not lost. */
const COUNT_CONTEXTS = () => {
  const made = [];
  const orig = HTMLCanvasElement.prototype.getContext;
  HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
    const ctx = orig.call(this, type, ...rest);
    if (ctx && /webgl/.test(String(type)) && !made.includes(ctx)) made.push(ctx);
    return ctx;
  };
  window.__liveWebgl = () => made.filter((c) => !c.isContextLost()).length;
};

const log = (...a) => process.env.E2E_DEBUG && console.log('   ', ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function poll(fn, what, ms = 15_000) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    last = await fn();
    if (last) return last;
    await sleep(150);
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

/** Embeds on the page in document order: { id, frame, visible } (iframes in shadow roots included). */
async function embeds(page) {
  const rects = await page.evaluate(() =>
    [...document.querySelectorAll('figure')].map((fig) => {
      const el = fig.querySelector('iframe') ?? fig.querySelector('packetarium-scene')?.shadowRoot?.querySelector('iframe');
      const r = el.getBoundingClientRect();
      return { id: el.src ? new URL(el.src).searchParams.get('id') : '', visible: r.bottom > 0 && r.top < window.innerHeight && r.width > 0 };
    }),
  );
  const out = [];
  for (const f of page.frames()) {
    if (!/embed\.html/.test(f.url())) continue;
    const id = new URL(f.url()).searchParams.get('id') ?? (await f.frameElement().then((h) => h.evaluate((el) => el.getRootNode().host?.id ?? el.id)));
    const rect = rects.find((r) => r.id === id);
    out.push({ id, frame: f, visible: rect?.visible ?? false });
  }
  return out;
}

/** Evaluates in a frame, giving up (null) after 2 s: a lazy iframe that has not loaded yet never answers. */
function inFrame(frame, fn) {
  return Promise.race([frame.evaluate(fn).catch(() => null), sleep(2000).then(() => null)]);
}

async function state(frame) {
  return inFrame(frame, () => (window.__packetariumEmbed ? window.__packetariumEmbed() : null));
}

async function liveContexts(page) {
  let n = 0;
  for (const f of page.frames()) n += (await inFrame(f, () => (window.__liveWebgl ? window.__liveWebgl() : 0))) ?? 0;
  return n;
}

/** Distinct colours in a PNG screenshot, counted by the page itself. */
async function colours(page, png) {
  return page.evaluate(async (b64) => {
    const img = new window.Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set();
    for (let i = 0; i < d.length; i += 16) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    return seen.size;
  }, png.toString('base64'));
}

async function checkPolite(page, label) {
  // Contexts are released shortly after an embed leaves the screen (r3f disposes asynchronously).
  await poll(
    async () => {
      const list = await embeds(page);
      const visible = list.filter((e) => e.visible).length;
      const live = await liveContexts(page);
      return live <= visible ? { live, visible } : null;
    },
    `${label}: no more live WebGL contexts than visible embeds`,
    5_000,
  );
  for (const e of await embeds(page)) {
    if (e.visible) continue;
    const s1 = await state(e.frame);
    if (!s1?.ready) continue;
    await sleep(300);
    const s2 = await state(e.frame);
    assert.equal(s2.playing, false, `${label}: off-screen embed ${e.id} is playing`);
    assert.equal(s2.time, s1.time, `${label}: off-screen embed ${e.id} advanced from ${s1.time} to ${s2.time}`);
    assert.equal(s2.canvas, false, `${label}: off-screen embed ${e.id} still has a 3D canvas`);
  }
}

export async function run({ page, context, screenshot, consoleErrors }) {
  const { server, base } = await serveUnderSubPath();
  try {
    await context.addInitScript(COUNT_CONTEXTS);
    const res = await page.goto(`${base}sample-post.html`, { waitUntil: 'load' });
    assert.ok(res?.ok(), `GET ${base}sample-post.html answered ${res?.status()}`);
    assert.equal(await page.locator('figure').count(), 10, 'the sample post has ten embeds');

    const seen = new Set();
    for (let i = 1; i <= 10; i++) {
      await page.evaluate((i) => document.getElementById(`f${i}`).scrollIntoView({ block: 'center' }), i);
      const id = i === 7 ? 'api-demo' : `e${i}`;
      log('scrolled to', id);
      const e = await poll(async () => (await embeds(page)).find((x) => x.id === id), `embed ${id} to load`);
      const s = await poll(
        async () => {
          const st = await state(e.frame);
          return st && (st.ready || st.error) ? st : null;
        },
        `embed ${id} to be ready`,
        30_000,
      );
      assert.equal(s.error, null, `embed ${id} failed: ${s.error}`);
      await poll(async () => (await state(e.frame))?.visible, `embed ${id}, scrolled into view, to know it is visible`, 5_000);
      if (s.view !== 'ladder') {
        await poll(async () => (await state(e.frame))?.canvas, `embed ${id}: a 3D canvas`);
        await sleep(600);
        const n = await colours(page, await e.frame.locator('canvas').screenshot());
        assert.ok(n > 8, `embed ${id}: the 3D canvas looks blank (${n} colours)`);
      }
      if (s.view !== '3d') {
        await poll(async () => (await e.frame.locator('[data-testid=ladder] svg line').count()) > 2, `embed ${id}: ladder lanes`);
      }
      if (s.webglFallback) assert.match(await e.frame.locator('.pk-note').innerText(), /WebGL|3D/, `embed ${id}: fallback without a note`);
      seen.add(id);
      log('rendered', id, s.view);
      await checkPolite(page, `after scrolling to ${id}`);
      log('polite', id);
      if (i === 1 || i === 9) {
        // autoplay embeds animate while visible
        const t0 = (await state(e.frame)).time;
        await poll(async () => (await state(e.frame)).time > t0, `autoplay embed ${id} to advance`);
      }
    }
    assert.equal(seen.size, 10);
    await screenshot('end-of-post');

    // postMessage API on embed 7, from the host page.
    await page.evaluate(() => document.getElementById('f7').scrollIntoView({ block: 'center' }));
    const demo = await poll(async () => (await embeds(page)).find((x) => x.id === 'api-demo'), 'the API demo embed');
    await poll(async () => await page.evaluate(() => window.__embedEvents.some((m) => m.type === 'packetarium:ready')), 'a ready event');
    const send = (cmd) => page.evaluate((cmd) => document.getElementById('api-demo').contentWindow.postMessage(cmd, window.location.origin), cmd);
    await send({ type: 'packetarium:seek', t: '10ms' });
    await poll(async () => (await state(demo.frame)).time === 10e6, 'seek to 10 ms');
    await send({ type: 'packetarium:play' });
    await poll(async () => (await state(demo.frame)).time > 10e6, 'play to advance the time');
    await poll(() => page.evaluate(() => window.__embedEvents.some((m) => m.type === 'packetarium:time' && m.playing)), 'a time event while playing');
    await poll(() => page.evaluate(() => window.__embedEvents.some((m) => m.type === 'packetarium:step' && m.text.length > 0)), 'a step event');
    await send({ type: 'packetarium:pause' });
    await poll(async () => !(await state(demo.frame)).playing, 'pause');
    const paused = (await state(demo.frame)).time;
    // Bad shapes are ignored, not obeyed, and break nothing.
    await send({ type: 'packetarium:seek', t: 'soon' });
    await send({ type: 'packetarium:seek', t: -5 });
    await send('packetarium:play');
    await send({ type: 'packetarium:evil', html: '<img src=x onerror=alert(1)>' });
    await sleep(400);
    assert.equal((await state(demo.frame)).time, paused, 'malformed commands moved the playhead');
    // The buttons of the page use the same API.
    await page.getByRole('button', { name: 'Seek to 10 ms' }).click();
    await poll(async () => (await state(demo.frame)).time === 10e6, 'the page button seeks');
    // The web component exposes the API as methods and DOM events.
    await page.evaluate(() => document.getElementById('f8').scrollIntoView({ block: 'center' }));
    const e8 = await poll(async () => (await embeds(page)).find((x) => x.id === 'e8'), 'embed e8');
    await poll(async () => (await state(e8.frame))?.ready, 'e8 ready');
    await page.evaluate(() => {
      const el = document.getElementById('e8');
      window.__e8 = [];
      el.addEventListener('packetarium-time', (e) => window.__e8.push(e.detail));
      el.seek('3ms');
    });
    await poll(async () => (await state(e8.frame)).time === 3e6, 'element.seek("3ms")');
    await poll(() => page.evaluate(() => window.__e8.some((d) => d.t === 3e6)), 'a packetarium-time DOM event');
    await checkPolite(page, 'after the API');

    assert.deepEqual(consoleErrors(), [], 'console errors on the sample post');
  } finally {
    server.close();
  }
}
