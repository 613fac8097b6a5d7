// The TCP panel on scenes/tcp-loss.yaml: the connection's variables at the playhead, and the
// time-sequence graph with a retransmission marked; clicking a segment selects that frame, and the
// graph's playhead line follows the scrubber.
import assert from 'node:assert/strict';

export const name = 'views: TCP panel and time-sequence graph';
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
  await page.goto(`${baseUrl}/index.html?scene=tcp-loss`, { waitUntil: 'load' });
  await ready(page);

  // The registry adds a TCP tab beside Console and Ladder (and no Load tab: no rr traffic here).
  const tabs = await page.locator('.console [role=tab]').allTextContents();
  assert.deepEqual(tabs, ['Console', 'Terminal', 'Ladder', 'TCP', 'Faults', 'Branches', 'Compare'], `tabs: ${tabs}`);
  await page.click('[role=tab][data-panel=tcp]');
  await page.waitForSelector('[data-testid=tsg] .tsg-seg');
  assert.equal(await page.locator('.panel.events').isVisible(), false, 'the wide panel takes the event list’s place');

  // Pick h1's 4000-byte transfer: its last segment is lost and retransmitted after the RTO.
  const options = await page.locator('[data-testid=tcp-connection] option').allTextContents();
  const h1 = options.findIndex((o) => o.startsWith('h1:'));
  assert.ok(h1 >= 0, `h1's connection is offered (${options.join(' | ')})`);
  await page.selectOption('[data-testid=tcp-connection]', { index: h1 });
  await page.waitForTimeout(100);
  const tsg = page.locator('[data-testid=tsg]');
  const segs = Number(await tsg.getAttribute('data-segments'));
  const retx = Number(await tsg.getAttribute('data-retransmissions'));
  const lost = Number(await tsg.getAttribute('data-lost'));
  assert.ok(segs >= 4, `segments drawn: ${segs}`);
  assert.equal(retx, 1, 'one retransmission on h1');
  assert.equal(lost, 1, 'one segment lost on h1');
  assert.equal(await page.locator('.tsg-retx-marker').count(), 1, 'the retransmission is marked');
  assert.equal(await page.locator('.tsg-lost-marker').count(), 1, 'the lost segment is marked');
  assert.ok(((await page.getAttribute('[data-series=ack]', 'd')) ?? '').length > 10, 'ACK line drawn');
  assert.ok(((await page.getAttribute('[data-series=cwnd]', 'd')) ?? '').length > 10, 'cwnd line drawn');

  // The playhead line follows the scrubber; the table reads the connection at the playhead.
  await seekFraction(page, 0.05);
  const x0 = Number(await page.locator('[data-testid=tsg] svg g[data-playhead-x]').getAttribute('data-playhead-x'));
  await seekFraction(page, 0.4);
  const x1 = Number(await page.locator('[data-testid=tsg] svg g[data-playhead-x]').getAttribute('data-playhead-x'));
  assert.ok(x1 > x0 + 20, `the playhead line moved right (${x0} -> ${x1})`);
  const state = await page.textContent('[data-testid=tcp-stats] tr[data-field=state] td');
  assert.match(state, /ESTABLISHED|FIN_WAIT|CLOSE_WAIT|TIME_WAIT|LAST_ACK|CLOSING|CLOSED/, `state at the playhead: ${state}`);
  const cwnd = await page.textContent('[data-testid=tcp-stats] tr[data-field=cwnd] td');
  assert.match(cwnd, /\d B/, `cwnd shown: ${cwnd}`);

  // Clicking the retransmitted segment selects that frame (and moves the playhead to it).
  const seg = page.locator('.tsg-seg.retx').first();
  const row = Number(await seg.getAttribute('data-row'));
  await seg.locator('line').first().click({ force: true });
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => window.__packetarium.selectedRow()), row, 'segment click selects its frame');
  await page.waitForSelector('[data-testid=layer-tree]');
  assert.match(await page.textContent('[data-testid=layer-tree]'), /Transmission Control Protocol/, 'the inspector opens the TCP segment');
  await screenshot('tcp-loss-h1-retransmission');

  // h3: fast retransmit after three duplicate ACKs; cwnd halves.
  const h3 = options.findIndex((o) => o.startsWith('h3:'));
  await page.selectOption('[data-testid=tcp-connection]', { index: h3 });
  await page.waitForTimeout(100);
  assert.ok(Number(await tsg.getAttribute('data-retransmissions')) >= 1, 'h3 retransmits too');
  await seekFraction(page, 0.3);
  await screenshot('tcp-loss-h3-fast-retransmit');

  assert.deepEqual(consoleErrors(), [], 'console errors');
}
