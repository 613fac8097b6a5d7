// The editor with the keyboard alone (no mouse event at all): open it, place devices from the
// palette, select and cable them, let the helpers address and route them, edit a field, move and
// delete a device, add a command, run, and step through the run until the ping's replies show.
import assert from 'node:assert/strict';

export const name = 'editor with the keyboard alone: place, connect, edit, delete, run';
export const timeout = 240_000;

/** Presses Tab (Shift+Tab with `back`) until the focused element matches `selector`. */
async function tabTo(page, selector, back = false) {
  for (let i = 0; i < 400; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

async function press(page, selector, key = 'Enter') {
  await tabTo(page, selector);
  await page.keyboard.press(key);
}

const yaml = (page) => page.evaluate(() => document.querySelector('[data-testid="editor-text"]')?.textContent ?? '');

export async function run({ page, baseUrl, screenshot, consoleErrors }) {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`${baseUrl}/index.html?scene=router-ping`, { waitUntil: 'load' });
  await page.waitForFunction(() => window.__packetarium?.ready);
  await press(page, '[data-testid="editor-toggle"]');
  await page.waitForSelector('[data-testid="editor-canvas"]');
  await press(page, '[data-testid="editor-new"]');
  await page.waitForFunction(() => document.querySelectorAll('g[data-node]').length === 0);

  // Place: Enter on a palette kind puts it at a free spot.
  for (const kind of ['host', 'switch', 'router', 'switch', 'host']) await press(page, `.editor-palette [data-kind="${kind}"]`);
  const ids = await page.locator('g[data-node]').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-node')));
  assert.deepEqual(ids, ['h1', 'sw1', 'r1', 'sw2', 'h2']);

  // Connect: Enter selects a device, Shift+Enter adds the next one, C cables them (and addresses them).
  for (const [a, b] of [
    ['h1', 'sw1'],
    ['sw1', 'r1'],
    ['r1', 'sw2'],
    ['sw2', 'h2'],
  ]) {
    await tabTo(page, `g[data-node="${a}"]`);
    await page.keyboard.press('Enter');
    await tabTo(page, `g[data-node="${b}"]`);
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.press('c');
    await page.waitForSelector(`g[data-link="${a}-${b}"]`);
  }
  await page.keyboard.press('Escape');
  await press(page, '[data-testid="editor-routes"]');
  await page.waitForFunction(() => /gateway: 10\.0\.1\.254/.test(document.querySelector('[data-testid="editor-text"]')?.textContent ?? ''));

  // Edit: select h1, Tab to its label field, type, Enter.
  await tabTo(page, 'g[data-node="h1"]');
  await page.keyboard.press('Enter');
  await tabTo(page, '[data-field="nodes[0].label"]');
  await page.keyboard.type('client');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /label: client/.test(document.querySelector('[data-testid="editor-text"]')?.textContent ?? ''));

  // Move: the arrow keys move the selected device (h2 up by half a unit).
  await tabTo(page, 'g[data-node="h2"]', true);
  await page.keyboard.press('Enter');
  const before = await page.locator('g[data-node="h2"]').getAttribute('transform');
  await page.keyboard.press('ArrowUp');
  await page.waitForFunction((t) => document.querySelector('g[data-node="h2"]')?.getAttribute('transform') !== t, before);

  // Delete: a hub placed by mistake goes with the Delete key.
  await press(page, '.editor-palette [data-kind="hub"]');
  await page.waitForSelector('g[data-node="hub1"]');
  await page.keyboard.press('Delete');
  await page.waitForFunction(() => !document.querySelector('g[data-node="hub1"]'));
  assert.doesNotMatch(await yaml(page), /hub1/);

  // The ping, typed on the timeline strip (h1 is the first device), added with Enter.
  await tabTo(page, '[data-testid="run-cmd"]');
  await page.keyboard.type('ping 10.0.1.1 -c 2 -i 10ms');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-run="0"]');
  assert.equal(await page.locator('.editor-problems .error').count(), 0, `problems: ${await page.locator('.editor-problems').allTextContents()}`);
  await screenshot('built');

  // Run, then step event by event (→) until the replies are in the console.
  await press(page, '[data-testid="editor-run"]');
  await page.waitForFunction(() => window.__packetarium?.ready && window.__packetarium.rows > 0, null, { timeout: 60_000 });
  await page.keyboard.press('Escape');
  let text = '';
  for (let i = 0; i < 200 && !/64 bytes from 10\.0\.1\.1: icmp_seq=2/.test(text); i++) {
    await page.keyboard.press('ArrowRight');
    text = (await page.locator('[data-testid="console"]').textContent()) ?? '';
  }
  assert.match(text, /64 bytes from 10\.0\.1\.1: icmp_seq=1 ttl=63/);
  assert.match(text, /64 bytes from 10\.0\.1\.1: icmp_seq=2 ttl=63/);
  await screenshot('ran');
  assert.deepEqual(consoleErrors(), [], 'console errors');
}
