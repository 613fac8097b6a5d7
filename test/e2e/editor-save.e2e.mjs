// The editor keeps what the user builds: edit a copy of a bundled scene, reload and find it under
// My scenes unchanged, export it and import the file back byte for byte, open its share link in a
// fresh browser context; and a hostile file keeps the page responsive with its errors as text.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const name = 'editor saves, exports, shares and survives hostile files';
export const timeout = 180_000;

const here = dirname(fileURLToPath(import.meta.url));
const tmp = resolve(here, 'artifacts/editor-files');

async function exportFile(page, file) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="editor-export"]')]);
  await download.saveAs(file);
  return readFileSync(file);
}

export async function run({ page, browser, baseUrl, screenshot, consoleErrors }) {
  mkdirSync(tmp, { recursive: true });
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`${baseUrl}/index.html?scene=router-ping`, { waitUntil: 'load' });
  await page.waitForFunction(() => window.__packetarium?.ready);
  await page.click('[data-testid="editor-toggle"]');
  await page.selectOption('[data-testid="editor-copy-of"]', 'hub-vs-switch');
  await page.click('[data-testid="editor-copy"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="editor-name"]')?.value === 'hub-vs-switch (copy)');
  // One edit: move a device with the keyboard.
  const first = await page.locator('g[data-node]').first().getAttribute('data-node');
  await page.locator(`g[data-node="${first}"] rect.body`).click();
  await page.keyboard.press('ArrowRight');
  await page.waitForSelector('[data-testid="editor-save"]:has-text("Saved")');
  const exported = await exportFile(page, join(tmp, 'first.yaml'));
  assert.match(exported.toString('utf8'), /title: /);

  // Reload: the scene is open again, unchanged, and listed under My scenes.
  await page.reload({ waitUntil: 'load' });
  await page.waitForFunction(() => document.querySelector('[data-testid="editor-name"]')?.value === 'hub-vs-switch (copy)', null, { timeout: 20_000 });
  const afterReload = await exportFile(page, join(tmp, 'reloaded.yaml'));
  assert.ok(afterReload.equals(exported), 'the scene after a reload is the one saved');
  await page.click('[data-testid="editor-my-scenes"]');
  await page.waitForSelector('[data-my-scene="hub-vs-switch (copy)"]');
  await screenshot('my-scenes');
  await page.click('.editor-popover >> text=Close');

  // Export, import the file back, export again: byte-identical.
  await page.setInputFiles('[data-testid="editor-open"]', join(tmp, 'first.yaml'));
  await page.waitForFunction(() => document.querySelector('[data-testid="editor-name"]')?.value === 'first');
  const again = await exportFile(page, join(tmp, 'again.yaml'));
  assert.ok(again.equals(exported), 'export -> import -> export is byte-identical');

  // The share link opens the same scene in a fresh context.
  await page.click('[data-testid="editor-share"]');
  await page.waitForFunction(() => /[?&]data=/.test(document.querySelector('[data-testid="editor-share-link"]')?.value ?? ''));
  const link = await page.inputValue('[data-testid="editor-share-link"]');
  const fresh = await browser.newContext();
  try {
    const p2 = await fresh.newPage();
    await p2.setViewportSize({ width: 1280, height: 720 });
    await p2.goto(link, { waitUntil: 'load' });
    await p2.waitForFunction(() => document.querySelector('[data-testid="editor-name"]')?.value === 'Shared scene', null, { timeout: 20_000 });
    const [download] = await Promise.all([p2.waitForEvent('download'), p2.click('[data-testid="editor-export"]')]);
    await download.saveAs(join(tmp, 'shared.yaml'));
    assert.ok(readFileSync(join(tmp, 'shared.yaml')).equals(exported), 'the shared scene is the same bytes');
    await p2.waitForFunction(() => window.__packetarium?.ready, null, { timeout: 60_000 });
  } finally {
    await fresh.close();
  }

  // Hostile files: huge, deeply nested, HTML in names, binary. The page stays responsive and
  // shows the problems as text.
  const hostile = {
    'huge.yaml': `version: 1\ntitle: huge\nduration: 1ms\nnodes:\n${'  - { id: x, kind: host }\n'.repeat(60_000)}`,
    'nested.yaml': `version: 1\ntitle: nested\nduration: 1ms\nnodes: ${'['.repeat(3000)}${']'.repeat(3000)}\n`,
    'html.yaml': `version: 1\ntitle: "<img src=x onerror=window.__pwned=1>"\nduration: 1ms\nnodes:\n  - { id: h1, kind: "<script>window.__pwned=1</script>" }\n  - { id: h2, kind: host, label: "<b onmouseover=window.__pwned=1>bold</b>" }\n`,
    'binary.yaml': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe, 0x00, 0x01]),
  };
  for (const [file, body] of Object.entries(hostile)) {
    writeFileSync(join(tmp, file), body);
    const t0 = Date.now();
    await page.setInputFiles('[data-testid="editor-open"]', join(tmp, file));
    await page.waitForTimeout(300);
    // Responsive: a round trip through the page's event loop is quick.
    const t1 = Date.now();
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
    assert.ok(Date.now() - t1 < 5000, `${file}: the page answers within 5 s`);
    const problems = await page.locator('.editor-problems, .editor-message, .editor-ok').allTextContents();
    assert.ok(problems.join(' ').length > 0, `${file}: something is said`);
    assert.equal(await page.evaluate(() => window.__pwned), undefined, `${file}: no markup ran`);
    assert.equal(
      await page.locator('.editor-panel img, .editor-panel script, [onerror], [onmouseover], .editor-stage img').count(),
      0,
      `${file}: names stay text`,
    );
    console.log(`  ${file}: ${Date.now() - t0} ms; ${problems.join(' | ').slice(0, 160)}`);
  }
  await screenshot('hostile');
  assert.deepEqual(consoleErrors(), [], 'console errors');
}
