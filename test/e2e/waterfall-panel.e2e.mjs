// The waterfall panel on scenes/http-evolution.yaml: five page loads (HTTP/0.9, 1.0, 1.1, 2, 3) with a
// bar per resource split into coloured phases and a legend; the playhead line moves with the
// scrubber; clicking a bar seeks to when that resource was queued.
import assert from 'node:assert/strict';

export const name = 'views: waterfall panel';
export const timeout = 120_000;

async function ready(page) {
  await page.waitForFunction(() => window.__packetarium?.ready, null, { timeout: 30_000 });
  for (let i = 0; i < 5; i++) await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
}

async function seekFraction(page, f) {
  const box = await page.locator('[data-testid=scrubber]').boundingBox();
  await page.mouse.click(box.x + box.width * f, box.y + box.height / 2);
  await page.waitForTimeout(150);
}

export async function run({ page, baseUrl, screenshot, consoleErrors }) {
  await page.goto(`${baseUrl}/index.html?scene=http-evolution`, { waitUntil: 'load' });
  await ready(page);

  const tabs = await page.locator('.console [role=tab]').allTextContents();
  assert.ok(tabs.includes('Waterfall'), `a Waterfall tab (tabs: ${tabs})`);
  await page.click('[role=tab][data-panel=waterfall]');
  await page.waitForSelector('[data-testid=waterfall-panel] [data-testid=waterfall-bar]');

  const groups = await page.locator('[data-testid=waterfall-group]').evaluateAll((els) => els.map((e) => e.getAttribute('data-protocol')));
  assert.deepEqual(groups, ['HTTP/0.9', 'HTTP/1.0', 'HTTP/1.1', 'HTTP/2', 'HTTP/3'], `loads: ${groups}`);
  assert.equal(await page.locator('[data-testid=waterfall-bar]').count(), 105, '21 bars per load');
  for (const phase of ['connect', 'tls', 'wait', 'receive', 'blocked']) {
    assert.ok((await page.locator(`.wf-seg[data-phase=${phase}]`).count()) > 0, `${phase} segments drawn`);
  }
  const legend = await page.textContent('[data-testid=waterfall-legend]');
  for (const l of ['Blocked', 'DNS', 'Connect', 'TLS', 'Wait', 'Receive']) assert.ok(legend.includes(l), `legend has ${l}`);

  // The playhead of the first load (HTTP/0.9, from 100 ms to about 622 ms) moves with the scrubber.
  const head = page.locator('[data-testid=waterfall-playhead]').first();
  await seekFraction(page, 0.07);
  const x0 = (await head.boundingBox())?.x;
  await seekFraction(page, 0.16);
  const x1 = (await head.boundingBox())?.x;
  assert.ok(x0 !== undefined && x1 !== undefined && x1 > x0 + 20, `the playhead moved right (${x0} -> ${x1})`);
  await screenshot('waterfall-http-evolution');

  // Clicking the HTTP/2 page's last bar seeks to when it was queued (inside the fourth load).
  await page.locator('[data-testid=waterfall-group]').nth(3).locator('[data-testid=waterfall-bar]').last().click();
  await page.waitForTimeout(150);
  const t = await page.evaluate(() => window.__packetarium.time());
  assert.ok(t > 2000e6 && t < 2200e6, `seeked into the HTTP/2 load: ${t}`);
  assert.ok(await page.locator('[data-testid=waterfall-playhead]').nth(3).isVisible(), 'the HTTP/2 playhead shows');
  await screenshot('waterfall-http2-seek');

  // The HTTP/3 load: its page's bar starts with the QUIC handshake, drawn as the TLS phase.
  const h3 = page.locator('[data-testid=waterfall-group]').nth(4);
  assert.ok((await h3.locator('.wf-seg[data-phase=tls]').count()) === 1, 'one TLS (QUIC handshake) segment in the HTTP/3 load');
  assert.equal(await h3.locator('.wf-seg[data-phase=connect]').count(), 0, 'no separate TCP connect in the HTTP/3 load');
  await h3.locator('[data-testid=waterfall-bar]').last().click();
  await page.waitForTimeout(150);
  const t3 = await page.evaluate(() => window.__packetarium.time());
  assert.ok(t3 > 2600e6 && t3 < 2800e6, `seeked into the HTTP/3 load: ${t3}`);
  await h3.scrollIntoViewIfNeeded();
  await screenshot('waterfall-http3');

  // The ladder labels the TLS handshake messages and HTTP requests on their arrows.
  await page.goto(`${baseUrl}/index.html?scene=tls12-vs-tls13`, { waitUntil: 'load' });
  await ready(page);
  await page.click('[role=tab][data-panel=ladder]');
  await seekFraction(page, 0.2);
  await page.waitForTimeout(200);
  const labels = await page.locator('.lad-label').allTextContents();
  assert.ok(
    labels.some((l) => /Client Hello/.test(l)),
    `ClientHello labelled: ${labels.join(' | ')}`,
  );
  assert.ok(
    labels.some((l) => /Server Hello/.test(l)),
    `ServerHello labelled: ${labels.join(' | ')}`,
  );
  await screenshot('ladder-tls12-labels');

  assert.deepEqual(consoleErrors(), [], 'console errors');
}
