// Time, selection and links: step lands on the next event, the inspector shows the router's TTL
// decrement, "Copy link" reproduces time and selection, bad URL params give named notices, hub
// collisions flash, drops explain themselves on hover, and the ladder has a compressed mode.
import assert from 'node:assert/strict';

export const name = 'app share links and visuals';
export const timeout = 150_000;

async function ready(page) {
  await page.waitForFunction(() => window.__packetarium?.ready, null, { timeout: 30_000 });
  for (let i = 0; i < 5; i++) await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
}

async function redFraction(page) {
  return page.evaluate(() => {
    const c = document.querySelector('.view canvas');
    const off = document.createElement('canvas');
    off.width = 200;
    off.height = 120;
    const ctx = off.getContext('2d');
    ctx.drawImage(c, 0, 0, off.width, off.height);
    const d = ctx.getImageData(0, 0, off.width, off.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] > 180 && d[i + 1] < 120 && d[i + 2] < 120) n++;
    return n / (d.length / 4);
  });
}

export async function run({ page, context, baseUrl, screenshot, consoleErrors }) {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
  await page.goto(`${baseUrl}/index.html?scene=router-ping`, { waitUntil: 'load' });
  await ready(page);

  // Step (button) lands exactly on the next event time, each time.
  for (let i = 0; i < 6; i++) {
    const before = await page.evaluate(() => window.__packetarium.time());
    const expected = await page.evaluate((t) => window.__packetarium.nextEventTime(t), before);
    await page.click('[data-testid=step-next]');
    const after = await page.evaluate(() => window.__packetarium.time());
    assert.equal(after, expected, `step ${i + 1} from ${before} lands on the next event (${expected}), got ${after}`);
  }
  await page.keyboard.press('ArrowRight');
  const viaKey = await page.evaluate(() => window.__packetarium.time());
  assert.ok(viaKey > 0, '→ steps too');

  // The echo request after the router: TTL 63 in the inspector.
  await page.click('.chips button:has-text("ICMP")');
  await page.click('.ev-row:has-text("r1 → sw2") >> nth=0');
  await page.waitForSelector('[data-testid=layer-tree]');
  const ttl = await page.textContent('.tree-field[title^="ip.ttl "]');
  assert.match(ttl, /Time to Live:\s*63\b/, `TTL after the router (${ttl})`);
  const where = await page.textContent('.facts');
  assert.match(where, /r1 → sw2/, 'inspector names the hop');
  const selRow = await page.evaluate(() => window.__packetarium.selectedRow());
  const selTime = await page.evaluate(() => window.__packetarium.time());
  await screenshot('inspector-ttl63');

  // Copy link: the URL carries t with a unit and the selection; opening it restores both.
  await page.click('[data-testid=copy-link]');
  await page.waitForSelector('[data-testid=copy-link].on');
  let link = await page.evaluate(() => navigator.clipboard.readText().catch(() => ''));
  if (!link) link = await page.getAttribute('[data-testid=copy-link]', 'data-link');
  assert.match(link, /[?&]t=[\d.]+ms\b/, `link has a time with a unit: ${link}`);
  assert.match(link, new RegExp(`[?&]sel=${selRow}\\b`), `link has the selection: ${link}`);
  assert.equal(new URL(page.url()).search, new URL(link).search, 'address bar shows the same moment');
  const page2 = await context.newPage();
  await page2.goto(link, { waitUntil: 'load' });
  await ready(page2);
  assert.equal(await page2.evaluate(() => window.__packetarium.time()), selTime, 'same playhead time');
  assert.equal(await page2.evaluate(() => window.__packetarium.selectedRow()), selRow, 'same selected event');
  assert.match(await page2.textContent('.tree-field[title^="ip.ttl "]'), /63/, 'inspector restored');
  await screenshot('link-restored', page2);
  await page2.close();

  // Bad values: a notice names each bad param; nothing crashes.
  await page.goto(`${baseUrl}/index.html?scene=router-ping&t=12parsecs&sel=99999&zoom=3`, { waitUntil: 'load' });
  await ready(page);
  const notices = await page.textContent('[data-testid=notices]');
  assert.match(notices, /\?t=12parsecs/, 'bad t named');
  assert.match(notices, /\?sel=99999/, 'bad sel named');
  assert.match(notices, /\?zoom/, 'unknown param named');
  await screenshot('bad-params');

  // Ladder: true time and compressed mode.
  await page.goto(`${baseUrl}/index.html?scene=router-ping&t=13.0928ms`, { waitUntil: 'load' });
  await ready(page);
  await page.click('button[role=tab]:has-text("Ladder")');
  await page.waitForSelector('[data-testid=ladder][data-mode=time]');
  await screenshot('ladder-time');
  await page.check('[data-testid=ladder-compressed]');
  await page.waitForSelector('[data-testid=ladder][data-mode=compressed] polygon');
  await screenshot('ladder-compressed');

  // Hub collisions: seek to a collision drop; the hub flashes red and hovering the drop tells why.
  await page.goto(`${baseUrl}/index.html?scene=hub-vs-switch`, { waitUntil: 'load' });
  await ready(page);
  const redBefore = await redFraction(page);
  await page.click('.chips button:has-text("Drops")');
  await page.click('.ev-row:has-text("collision") >> nth=0');
  await page.click('.inspector .chip:has-text("clear")');
  await page.waitForTimeout(300);
  const redAt = await redFraction(page);
  assert.ok(redAt > redBefore + 0.001, `collision flash is red (red fraction ${redBefore} -> ${redAt})`);
  const spots = await page.evaluate(() => window.__packetarium.packetsOnScreen());
  let reason = null;
  for (const s of spots) {
    await page.mouse.move(s.x, s.y);
    await page.waitForTimeout(80);
    const cls = await page.getAttribute('[data-testid=packet-tooltip]', 'class');
    if (cls?.includes('drop') && (await page.isVisible('[data-testid=packet-tooltip]'))) {
      reason = await page.textContent('[data-testid=packet-tooltip]');
      break;
    }
  }
  assert.ok(reason, 'hovering a dropped frame shows a tooltip');
  assert.match(reason, /collision/, `tooltip gives the reason (${reason})`);
  await screenshot('hub-collision-hover');

  // Follow toggles.
  await page.click('[data-testid=follow]');
  assert.equal(await page.getAttribute('[data-testid=follow]', 'aria-pressed'), 'true');

  assert.deepEqual(consoleErrors(), [], 'console errors');
}
