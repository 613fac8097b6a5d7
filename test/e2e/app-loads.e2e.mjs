// The production build opens without errors: right title, no console errors, no uncaught exceptions.
import assert from 'node:assert/strict';

export const name = 'app loads';

export async function run({ page, baseUrl, screenshot, consoleErrors }) {
  const response = await page.goto(`${baseUrl}/index.html`, { waitUntil: 'load' });
  assert.ok(response?.ok(), `GET /index.html answered ${response?.status()}`);
  // Give module scripts and the first frames a moment to run (and to fail, if they will).
  await page.waitForLoadState('networkidle');
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));

  const title = await page.title();
  assert.match(title, /Packetarium/, `page title is "${title}"`);
  await screenshot('loaded');
  assert.deepEqual(consoleErrors(), [], 'console errors while loading the app');
}
