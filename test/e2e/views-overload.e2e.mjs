// The Load panel and the 3D load models on scenes/retry-storm.yaml: charts for both systems, a
// playhead line that follows time, client populations drawn as thousands of points, server bars;
// then backoff-jitter's five systems with their run totals, failover's crashed region marked DOWN
// and its Servers charts (one line per region: region-b carries everything after the crash), and
// capacity-ramp's one system.
import assert from 'node:assert/strict';

export const name = 'views: overload charts and client populations';
export const timeout = 240_000;

async function ready(page) {
  await page.waitForFunction(() => window.__packetarium?.ready, null, { timeout: 60_000 });
  for (let i = 0; i < 5; i++) await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
}

async function seekFraction(page, f) {
  const box = await page.locator('[data-testid=scrubber]').boundingBox();
  await page.mouse.click(box.x + box.width * f, box.y + box.height / 2);
  await page.waitForTimeout(250);
}

/** Pixels of the 3D canvas near an RGB colour (full resolution). */
async function pixelsNear(page, rgb, tol = 40) {
  return page.evaluate(
    ([rgb, tol]) => {
      const c = document.querySelector('.view canvas');
      const off = document.createElement('canvas');
      off.width = c.width;
      off.height = c.height;
      const ctx = off.getContext('2d');
      ctx.drawImage(c, 0, 0, off.width, off.height);
      const d = ctx.getImageData(0, 0, off.width, off.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - rgb[0]) + Math.abs(d[i + 1] - rgb[1]) + Math.abs(d[i + 2] - rgb[2]) < tol) n++;
      return n;
    },
    [rgb, tol],
  );
}

export async function run({ page, baseUrl, screenshot, consoleErrors }) {
  await page.goto(`${baseUrl}/index.html?scene=retry-storm`, { waitUntil: 'load' });
  await ready(page);

  // 3D: both populations are point clouds (idle clients are slate blue), the servers have bars.
  const idle0 = await pixelsNear(page, [123, 147, 196]);
  assert.ok(idle0 > 300, `client points drawn (${idle0} slate pixels)`);
  await seekFraction(page, 0.3);
  for (let i = 0; i < 3; i++) await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
  const waiting = await pixelsNear(page, [255, 209, 102], 60);
  assert.ok(waiting > 50, `waiting clients light up during the storm (${waiting} amber pixels)`);

  const tabs = await page.locator('.console [role=tab]').allTextContents();
  assert.ok(tabs.includes('Load'), `a Load tab (${tabs})`);
  assert.ok(!tabs.includes('TCP'), 'no TCP tab without TCP');
  await page.click('[role=tab][data-panel=overload]');
  await page.waitForSelector('[data-testid=overload-chart-offered] canvas');
  const groups = await page.locator('[data-testid=overload-group]').allTextContents();
  assert.equal(groups.length, 2, `two systems compared: ${groups.join(' | ')}`);
  assert.match(groups[0], /clients-a.*server-a.*retry immediate/);
  assert.match(groups[1], /clients-b.*server-b.*retry expo-full.*budget 10%/);
  for (const id of ['offered', 'goodput', 'rt', 'concurrency', 'queue', 'timeouts', 'attempts']) {
    assert.equal(await page.locator(`[data-testid=overload-chart-${id}] canvas`).count(), 1, `${id} chart drawn`);
  }

  // The playhead lines follow time.
  const left = () =>
    page
      .locator('[data-testid=overload-playhead]')
      .first()
      .evaluate((el) => parseFloat(el.style.left));
  await seekFraction(page, 0.1);
  const a = await left();
  await seekFraction(page, 0.45);
  const b = await left();
  assert.ok(b > a + 20, `playhead line moved (${a} -> ${b})`);
  const readout = await page.locator('[data-testid=overload-chart-offered] .ov-readout span').allTextContents();
  assert.equal(readout.length, 2, 'one readout per system');
  for (const r of readout) assert.match(r, /\d+\/s/, `offered load at the playhead: ${readout}`);

  // Playing moves it too.
  await page.keyboard.press('Space');
  await page.waitForTimeout(900);
  await page.keyboard.press('Space');
  const c = await left();
  assert.ok(c > b, `playing moved the playhead line (${b} -> ${c})`);

  // Clicking a chart seeks there.
  const plot = await page.locator('[data-testid=overload-chart-goodput] .u-over').boundingBox();
  await page.mouse.click(plot.x + plot.width * 0.8, plot.y + plot.height / 2);
  await page.waitForTimeout(150);
  const t = await page.evaluate(() => window.__packetarium.time());
  assert.ok(t > 7e9 && t < 9e9, `chart click seeks to ~8 s (${t})`);

  await seekFraction(page, 0.32);
  await page.waitForTimeout(200);
  await screenshot('retry-storm-load');

  // Little's law: one population of 10,000 clients.
  await page.goto(`${baseUrl}/index.html?scene=littles-law&t=2000000000`, { waitUntil: 'load' });
  await ready(page);
  const idle = await pixelsNear(page, [123, 147, 196]);
  assert.ok(idle > 300, `10,000 client points drawn (${idle} slate pixels)`);
  await page.click('[role=tab][data-panel=overload]');
  await page.waitForSelector('[data-testid=overload-chart-concurrency] canvas');
  await page.waitForTimeout(200);
  await screenshot('littles-law-load');

  // Backoff and jitter: five systems side by side, each with its run totals.
  await page.goto(`${baseUrl}/index.html?scene=backoff-jitter&t=150000000`, { waitUntil: 'load' });
  await ready(page);
  await page.click('[role=tab][data-panel=overload]');
  await page.waitForSelector('[data-testid=overload-chart-offered] canvas');
  const totals = await page.locator('[data-testid=overload-totals]').allTextContents();
  assert.equal(totals.length, 5, `five systems: ${totals.join(' | ')}`);
  assert.match(totals[0], /200 requests · 4,683 calls \(23\.4 per request\) · all OK, the last at 0\.26 s/);
  assert.match(totals[1], /692 calls .* the last at 3\.21 s/);
  await page.waitForTimeout(200);
  await screenshot('backoff-jitter-load');

  // Failover: the crashed region is marked DOWN, the balancer says which back end is down.
  await page.goto(`${baseUrl}/index.html?scene=failover&t=2300000000`, { waitUntil: 'load' });
  await ready(page);
  const red = await pixelsNear(page, [255, 90, 90], 50);
  assert.ok(red > 100, `region-a crossed out in red (${red} red pixels)`);
  await page.goto(`${baseUrl}/index.html?scene=failover&t=1900000000`, { waitUntil: 'load' });
  await ready(page);
  const redBefore = await pixelsNear(page, [255, 90, 90], 50);
  assert.ok(redBefore < red / 4, `no red cross before the crash (${redBefore} red pixels)`);
  await page.click('[role=tab][data-panel=overload]');
  await page.waitForSelector('[data-testid=overload-chart-rt] canvas');
  await page.waitForTimeout(200);
  await screenshot('failover-load');

  // Failover's Servers charts: one labelled line per region, the playhead drawn on each.
  await page.click('[data-testid=overload-view-servers]');
  await page.waitForSelector('[data-testid=overload-chart-server-answers] canvas');
  const servers = await page.locator('[data-testid=overload-server]').allTextContents();
  assert.equal(servers.length, 2, `two servers in the legend: ${servers.join(' | ')}`);
  assert.match(servers[0], /^region-a[\d,]+ answered$/);
  assert.match(servers[1], /^region-b[\d,]+ answered$/);
  for (const id of ['server-answers', 'server-rt', 'server-queue', 'server-busy']) {
    const chart = page.locator(`[data-testid=overload-chart-${id}]`);
    assert.equal(await chart.locator('canvas').count(), 1, `${id} chart drawn`);
    const series = (await chart.getAttribute('data-series')).split('|');
    assert.ok(series.some((s) => s.startsWith('region-a')) && series.some((s) => s.startsWith('region-b')), `${id}: a series per region (${series})`);
    assert.equal(await chart.locator('[data-testid=overload-playhead]').count(), 1, `${id}: playhead line drawn`);
  }
  assert.deepEqual((await page.getAttribute('[data-testid=overload-chart-server-answers]', 'data-series')).split('|'), ['region-a', 'region-b']);
  const serverPlayhead = () =>
    page.locator('[data-testid=overload-chart-server-answers] [data-testid=overload-playhead]').evaluate((el) => parseFloat(el.style.left));
  const answersAt = () => page.locator('[data-testid=overload-chart-server-answers] .ov-readout span').allTextContents();
  const p1 = await serverPlayhead();
  // 1.9 s: each region answers about half the 750/s.
  const before = (await answersAt()).map((t) => parseFloat(t));
  assert.ok(before[0] > 200 && before[1] > 200, `both regions answer before the crash (${before})`);
  await seekFraction(page, 0.7);
  const p2 = await serverPlayhead();
  assert.ok(p2 > p1 + 50, `the Servers playhead follows time (${p1} -> ${p2})`);
  // About 4.2 s: region-a is down and answers none; region-b answers all.
  const after = await answersAt();
  assert.equal(after[0], '0.00/s', `region-a answers none after the crash (${after})`);
  assert.ok(parseFloat(after[1]) > 500, `region-b answers the whole load (${after})`);
  await screenshot('failover-servers');
  await page.click('[data-testid=overload-view-clients]');
  await page.waitForSelector('[data-testid=overload-chart-offered] canvas');

  // Capacity ramp: the knee, one system.
  await page.goto(`${baseUrl}/index.html?scene=capacity-ramp&t=9000000000`, { waitUntil: 'load' });
  await ready(page);
  await page.click('[role=tab][data-panel=overload]');
  await page.waitForSelector('[data-testid=overload-chart-rt] canvas');
  assert.equal(await page.locator('[data-testid=overload-group]').count(), 1);
  await page.waitForTimeout(200);
  await screenshot('capacity-ramp-load');

  assert.deepEqual(consoleErrors(), [], 'console errors');
}
