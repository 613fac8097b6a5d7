// The scene editor, driven through the UI only: build the router-ping topology (scenes/router-ping.yaml)
// from a blank scene (place, cable, address, route, add the ping), run it, find the ping replies
// in the console, and get the same trace hash as the scene loaded from its file.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const name = 'editor builds router-ping from nothing';
export const timeout = 180_000;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function nodeHash(scene) {
  const r = spawnSync('npx', ['tsx', 'test/e2e/node-hash.ts', scene], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node-hash.ts failed (exit ${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop())[scene];
}

/** Types a value into a property field and presses Enter; asserts no error shows at it. */
async function setField(page, path, value) {
  const input = page.locator(`[data-field="${path}"]`);
  await input.fill(value);
  await input.press('Enter');
  await page.waitForFunction(([p, v]) => document.querySelector(`[data-field="${p}"]`)?.value.replace(/\s/g, '') === v.replace(/\s/g, ''), [path, value]);
  const bad = await page.locator('.editor-field.bad').count();
  assert.equal(bad, 0, `${path} = ${value} was refused: ${await page.locator('.editor-field-error').allTextContents()}`);
}

async function selectNode(page, id, add = false) {
  await page.locator(`g[data-node="${id}"] rect.body`).click({ modifiers: add ? ['Control'] : [] });
}

export async function run({ page, baseUrl, screenshot, consoleErrors }) {
  const expected = nodeHash('router-ping');
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`${baseUrl}/index.html?scene=router-ping`, { waitUntil: 'load' });
  await page.waitForFunction(() => window.__packetarium?.ready);
  await page.click('[data-testid="editor-toggle"]');
  await page.waitForSelector('[data-testid="editor-canvas"]');

  // The scene's own fields.
  await setField(page, 'title', 'Ping across a router');
  await setField(page, 'duration', '40ms');

  // Place: click a kind, then the canvas (host, switch, router by mouse; the rest by keyboard).
  const canvas = page.locator('[data-testid="editor-canvas"]');
  const box = await canvas.boundingBox();
  const at = (fx) => ({ x: box.x + box.width * fx, y: box.y + box.height * 0.5 });
  for (const [kind, fx] of [
    ['host', 0.15],
    ['switch', 0.33],
    ['router', 0.5],
  ]) {
    await page.click(`.editor-palette [data-kind="${kind}"]`);
    await page.mouse.click(at(fx).x, at(fx).y);
  }
  await page.focus('.editor-palette [data-kind="switch"]');
  await page.keyboard.press('Enter');
  await page.focus('.editor-palette [data-kind="host"]');
  await page.keyboard.press('Enter');
  const ids = await page.locator('g[data-node]').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-node')));
  assert.deepEqual(ids, ['h1', 'sw1', 'r1', 'sw2', 'h2']);

  // Address.
  await selectNode(page, 'h1');
  await setField(page, 'nodes[0].ip', '10.0.0.1/24');
  await setField(page, 'nodes[0].gateway', '10.0.0.254');
  await selectNode(page, 'r1');
  await setField(page, 'nodes[2].interfaces', '[10.0.0.254/24, 10.0.1.254/24]');
  await selectNode(page, 'h2');
  await setField(page, 'nodes[4].ip', '10.0.1.5/24');
  await setField(page, 'nodes[4].gateway', '10.0.1.254');

  // A bad address is refused with the validator's message, at the field.
  await selectNode(page, 'h1');
  await page.locator('[data-field="nodes[0].ip"]').fill('10.0.0.300/24');
  await page.waitForSelector('.editor-field.bad .editor-field-error');
  const msg = await page.locator('.editor-field-error').first().textContent();
  assert.match(msg, /"10\.0\.0\.300\/24" is not an address/);
  await page.locator('[data-field="nodes[0].ip"]').press('Escape');

  // Cable: pick two devices and press C.
  for (const [a, b] of [
    ['h1', 'sw1'],
    ['sw1', 'r1'],
    ['r1', 'sw2'],
    ['sw2', 'h2'],
  ]) {
    await selectNode(page, a);
    await selectNode(page, b, true);
    await page.keyboard.press('c');
    await page.waitForSelector(`g[data-link="${a}-${b}"]`);
  }

  // The ping, on the timeline.
  await page.click('body', { position: { x: 5, y: 300 } }).catch(() => {});
  await page.selectOption('[data-testid="run-on"]', 'h1');
  await page.fill('[data-testid="run-at"]', '1ms');
  await page.fill('[data-testid="run-cmd"]', 'ping 10.0.1.5 -c 3 -i 10ms');
  await page.click('text=Add command');
  await page.waitForSelector('[data-run="0"]');
  assert.equal(await page.locator('.editor-problems .error').count(), 0, `problems: ${await page.locator('.editor-problems').allTextContents()}`);
  await screenshot('built');

  // Run.
  await page.click('[data-testid="editor-run"]');
  await page.waitForFunction(() => window.__packetarium?.ready, null, { timeout: 60_000 });
  const got = await page.evaluate(() => ({ hash: window.__packetarium.traceHash, rows: window.__packetarium.rows, events: window.__packetarium.events }));
  assert.equal(got.hash, expected.hash, `built scene hash ${got.hash} != router-ping.yaml hash ${expected.hash}`);
  assert.equal(got.rows, expected.rows);
  // The replies, in the console (at the end of the run).
  await page.click('[data-testid="editor-view-toggle"]');
  const scrub = await page.locator('[data-testid="scrubber"]').boundingBox();
  await page.mouse.click(scrub.x + scrub.width - 2, scrub.y + scrub.height / 2);
  await page
    .waitForFunction(() => /from 10\.0\.1\.5/.test(document.querySelector('[data-testid="console"]')?.textContent ?? ''), null, { timeout: 10_000 })
    .catch(() => {});
  const consoleText = await page.locator('[data-testid="console"]').textContent();
  await screenshot('ran');
  assert.match(consoleText ?? '', /from 10\.0\.1\.5/, `console: ${consoleText}`);
  assert.deepEqual(consoleErrors(), [], 'console errors');
}
