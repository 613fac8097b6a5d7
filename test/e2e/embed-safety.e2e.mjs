// embed.html on its own: a scene carried in the URL renders; hostile or oversized ones are refused
// with a message and nothing in them runs; no WebGL falls back to the ladder with a note;
// prefers-reduced-motion stops autoplay; the app's "Embed" button yields both embed forms.
import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';

export const name = 'embeds: URL scenes, hostile input, WebGL fallback, reduced motion, keyboard';
export const timeout = 90_000;

const pack = (text) => deflateRawSync(Buffer.from(text, 'utf8')).toString('base64url');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const state = (page) => page.evaluate(() => (window.__packetariumEmbed ? window.__packetariumEmbed() : null));
async function settled(page) {
  for (let i = 0; i < 100; i++) {
    const s = await state(page);
    if (s && (s.ready || s.error)) return s;
    await sleep(150);
  }
  throw new Error('embed never became ready or failed');
}

const SCENE = `version: 1
title: "<img src=x onerror=window.__pwned=1> two hosts"
seed: 1
duration: 10ms
nodes:
  - { id: h1, kind: host, ip: 10.0.0.1/24, label: "<script>window.__pwned=2</script>" }
  - { id: h2, kind: host, ip: 10.0.0.2/24 }
links:
  - { a: h1, b: h2, latency: 1ms, bandwidth: 100Mbps }
run:
  - { on: h1, at: 1ms, cmd: "ping 10.0.0.2 -c 2 -i 2ms" }
`;

export async function run({ page, baseUrl, consoleErrors }) {
  // 1. A scene in the URL: validated, simulated, shown; its text is only ever text.
  await page.goto(`${baseUrl}/embed.html?view=ladder&data=${pack(SCENE)}`);
  let s = await settled(page);
  assert.equal(s.error, null, `the URL scene failed: ${s.error}`);
  await page.locator('[data-testid=ladder] svg').waitFor();
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'markup from the scene ran');
  assert.equal(await page.locator('img, script:not([src])').count(), 0, 'markup from the scene was injected');
  assert.match(await page.locator('.pk-title').innerText(), /<img src=x/, 'the title is shown as text');

  // 2. Hostile and broken inputs are refused with a message.
  const cases = [
    ['not base64', 'data=%%%%', /not a compressed scene|base64/],
    ['not deflate', `data=${Buffer.from('hello world, not deflate').toString('base64url')}`, /deflate|scene/],
    ['a zip bomb', `data=${pack(' '.repeat(5_000_000))}`, /larger than/],
    ['an invalid scene', `data=${pack('version: 1\nnodes: 7\n')}`, /nodes/],
    [
      'too many devices',
      `data=${pack(`version: 1\ntitle: big\nduration: 1ms\nnodes:\n${Array.from({ length: 60 }, (_, i) => `  - { id: s${i}, kind: switch }`).join('\n')}\n`)}`,
      /at most 48/,
    ],
    ['an unknown scene', 'scene=no-such-scene', /no scene called/],
  ];
  for (const [label, query, re] of cases) {
    await page.goto(`${baseUrl}/embed.html?${query}`);
    s = await settled(page);
    assert.ok(s.error, `${label}: accepted`);
    assert.match(await page.locator('.pk-error').innerText(), re, `${label}: unexpected message`);
  }

  // 3. No WebGL: the ladder, with a note, never a blank box.
  await page.goto(`${baseUrl}/embed.html?scene=router-ping&view=3d&webgl=off`);
  s = await settled(page);
  assert.equal(s.view, 'ladder');
  assert.equal(s.webglFallback, true);
  await page.locator('[data-testid=ladder] svg line').first().waitFor({ state: 'attached' });
  assert.match(await page.locator('.pk-note').innerText(), /WebGL/);
  assert.equal(await page.locator('canvas').count(), 0);

  // 4. prefers-reduced-motion: no autoplay; Play steps from event to event.
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto(`${baseUrl}/embed.html?scene=router-ping&view=ladder&autoplay=true`);
  await settled(page);
  await sleep(800);
  s = await state(page);
  assert.equal(s.playing, false, 'autoplay ran under prefers-reduced-motion');
  assert.equal(s.time, 0);
  await page.locator('[aria-label^="Play"]').click();
  await sleep(1500);
  s = await state(page);
  assert.ok(s.time > 0, 'Play did not step');
  assert.ok(s.narration.length > 0, 'no narration for the screen reader');
  await page.emulateMedia({ reducedMotion: 'no-preference' });

  // Keyboard: focus the embed, step with the arrow key.
  await page.goto(`${baseUrl}/embed.html?scene=router-ping&view=ladder&controls=none`);
  await settled(page);
  await page.locator('.pk-embed').focus();
  await page.keyboard.press('ArrowRight');
  await sleep(200);
  assert.ok((await state(page)).time > 0, 'ArrowRight did not step');
  assert.ok((await page.locator('[aria-live=polite]').innerText()).length > 0, 'the live region is empty after a step');

  assert.deepEqual(consoleErrors(), [], 'console errors');
}
