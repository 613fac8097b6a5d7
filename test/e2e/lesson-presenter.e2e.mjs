// Presenter mode hides the chrome, uses large type, steps by keyboard and shows a pointer highlight;
// a malformed lesson file shows its errors (file, line) instead of a blank panel.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

export const name = 'lesson presenter and errors';
export const timeout = 180_000;

async function settled(page) {
  await page.waitForSelector('[data-testid=lesson-player]', { timeout: 30_000 });
  await page.waitForFunction(() => !document.querySelector('.lesson-busy'), null, { timeout: 30_000 });
}

export async function run({ page, baseUrl, screenshot }) {
  await page.setViewportSize({ width: 1600, height: 900 });
  await page.goto(`${baseUrl}/index.html`, { waitUntil: 'load' });
  await page.waitForFunction(() => window.__packetarium?.ready, null, { timeout: 30_000 });
  await page.click('[data-testid=lessons-button]');
  await page.click('[data-testid=lesson-card-03-tcp-handshake-close] button');
  await settled(page);
  await page.click('[data-testid=lesson-next]');
  await settled(page);
  await page.waitForTimeout(500);
  await screenshot('panel-step');

  await page.click('[data-testid=presenter-toggle]');
  await page.waitForSelector('.app.presenter');
  for (const sel of ['.topbar', '.panel.events', '.panel.console', '.panel.inspector', '.scrubber']) {
    assert.equal(await page.isVisible(sel), false, `${sel} hidden in presenter mode`);
  }
  const size = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.lesson-panel')).fontSize));
  assert.ok(size >= 20, `large type (${size}px)`);
  const before = await page.getAttribute('[data-testid=lesson-player]', 'data-step');
  await page.keyboard.press('ArrowRight');
  await settled(page);
  const after = await page.getAttribute('[data-testid=lesson-player]', 'data-step');
  assert.equal(Number(after), Number(before) + 1, 'ArrowRight steps the lesson in presenter mode');
  await page.mouse.move(500, 400);
  await page.mouse.move(520, 420);
  assert.ok(await page.isVisible('[data-testid=presenter-pointer]'), 'pointer highlight follows the mouse');
  await page.waitForTimeout(500);
  await screenshot('presenter');
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('.app.presenter'));
  assert.ok(await page.isVisible('.topbar'), 'chrome back after Escape');

  // A malformed lesson file: its errors, with file and line.
  await page.click('text=← All lessons');
  await page.setInputFiles('[data-testid=open-lesson-file]', {
    name: 'malformed.md',
    mimeType: 'text/markdown',
    buffer: readFileSync(new URL('../lesson/fixtures/malformed.md', import.meta.url)),
  });
  await page.waitForSelector('[data-testid=lesson-errors]');
  const text = await page.textContent('[data-testid=lesson-errors]');
  assert.match(text, /lessons\/malformed\.md:13: step 1 \("Bad expression"\)/, `errors name file and line: ${text}`);
  assert.match(text, /did you mean icmp\.type/);
  await screenshot('malformed');
}
