// Comparing two runs in the Load panel, on scenes/failover.yaml (one system: 750 requests/s through a
// load balancer, region-a crashes at 2 s): the Compare form refuses a bad option value naming it,
// then runs the variant without retries in the worker; two labelled columns with the same requests
// and different outcomes; both playhead lines move together, on the Servers charts too; the comparison survives a reload from the URL and a
// malformed ?compare= is a notice; closing it returns to the single run.
import assert from 'node:assert/strict';

export const name = 'compare: two runs of one scene side by side';
export const timeout = 240_000;

const CLIENT_CMD = 'rr-client 10.0.0.2 --rate 750 --timeout 250ms --retry expo-full --base 20ms --cap 500ms --attempts 3';

async function ready(page) {
  await page.waitForFunction(() => window.__packetarium?.ready, null, { timeout: 60_000 });
  for (let i = 0; i < 3; i++) await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
}

async function seekFraction(page, f) {
  const box = await page.locator('[data-testid=scrubber]').boundingBox();
  await page.mouse.click(box.x + box.width * f, box.y + box.height / 2);
  await page.waitForTimeout(300);
}

async function comparedColumns(page) {
  await page.waitForFunction(() => window.__packetarium?.comparison().status === 'ready', null, { timeout: 90_000 });
  await page.waitForSelector('[data-testid=compare-column-variant] [data-testid=overload-chart-offered] canvas');
  const col = async (k) => ({
    label: await page.textContent(`[data-testid=compare-column-${k}] [data-testid=compare-label]`),
    totals: await page.textContent(`[data-testid=compare-column-${k}] [data-testid=overload-totals]`),
  });
  return { main: await col('main'), variant: await col('variant') };
}

/** Where the playhead line of one chart stands in each column, as a fraction of the plot's width. */
async function playheads(page, chart = 'goodput') {
  return page.evaluate((chart) => {
    const at = (k) => {
      const line = document.querySelector(`[data-testid=compare-column-${k}] [data-testid=overload-chart-${chart}] [data-testid=overload-playhead]`);
      return parseFloat(line.style.left) / line.parentElement.clientWidth;
    };
    return [at('main'), at('variant')];
  }, chart);
}

export async function run({ page, context, baseUrl, screenshot, consoleErrors }) {
  await page.goto(`${baseUrl}/index.html?scene=failover&t=2500000000`, { waitUntil: 'load' });
  await ready(page);
  await page.click('[role=tab][data-panel=overload]');
  await page.waitForSelector('[data-testid=overload-chart-offered] canvas');
  const mainHash = await page.evaluate(() => window.__packetarium.traceHash);

  // The form: the scene's one load client, its policy in fields.
  await page.click('[data-testid=compare-open]');
  const runs = await page.locator('[data-testid=compare-run] option').allTextContents();
  assert.deepEqual(runs, [`clients: ${CLIENT_CMD}`], 'the load client by device and command');
  assert.equal(await page.inputValue('[data-testid=compare-retry]'), 'expo-full');
  assert.equal(await page.inputValue('[data-testid=compare-attempts]'), '3');

  // A bad value is refused, naming the option and the value; nothing runs.
  await page.fill('[data-testid=compare-attempts]', '0');
  await page.click('[data-testid=compare-run-variant]');
  const err = await page.textContent('[data-testid=compare-errors]');
  assert.match(err, /run\[3\] \(clients\): rr-client: --attempts 0: must be 1 to 255/, err);
  await screenshot('refused');

  // No retries: the field edits the command.
  await page.fill('[data-testid=compare-attempts]', '3');
  await page.selectOption('[data-testid=compare-retry]', 'none');
  const cmd = await page.inputValue('[data-testid=compare-cmd]');
  assert.equal(cmd, CLIENT_CMD.replace('expo-full', 'none'));
  await page.click('[data-testid=compare-run-variant]');
  await page.waitForSelector('[data-testid=compare-progress], [data-testid=compare-column-variant]');
  const cols = await comparedColumns(page);
  assert.match(cols.main.label, /^this run: --retry expo-full$/, cols.main.label);
  assert.match(cols.variant.label, /^variant: --retry none$/, cols.variant.label);
  assert.match(cols.main.totals, /requests · [\d,]+ calls/);
  // Same load: 750/s for 6 s, the very same requests (backoff jitter has a random stream of its own,
  // so the retry policy does not shift the arrivals).
  const total = (re, t) => Number(re.exec(t)[1].replace(/,/g, ''));
  const [requests, calls, ok] = [/^([\d,]+) requests/, /([\d,]+) calls/, /([\d,]+) OK/];
  const [a, b] = [cols.main.totals, cols.variant.totals];
  assert.equal(total(requests, a), total(requests, b), `the same requests made: ${a} | ${b}`);
  // Without retries the requests lost in region A are not sent again, and fail.
  assert.equal(total(calls, b), total(requests, b), `one call per request without retries: ${b}`);
  assert.ok(total(calls, b) < total(calls, a), `fewer calls without retries: ${a} | ${b}`);
  assert.ok(total(ok, b) < total(ok, a), `fewer answered without retries: ${a} | ${b}`);
  assert.equal(await page.evaluate(() => window.__packetarium.traceHash), mainHash, 'the main run is untouched');
  const variant = await page.evaluate(() => window.__packetarium.comparison());
  assert.notEqual(variant.traceHash, mainHash);

  // Same y scale on both sides, and the playhead in both.
  const yTicks = (k) => page.locator(`[data-testid=compare-column-${k}] [data-testid=overload-chart-offered] .u-axis`).nth(1).textContent();
  assert.equal(await yTicks('main'), await yTicks('variant'), 'same y axis in both columns');
  await seekFraction(page, 0.2);
  const [a1, b1] = await playheads(page);
  await seekFraction(page, 0.6);
  const [a2, b2] = await playheads(page);
  assert.ok(a2 > a1 + 0.3, `playhead moved in this run (${a1} -> ${a2})`);
  assert.ok(Math.abs(a1 - b1) < 0.01, `same playhead position in both columns (${a1}, ${b1})`);
  assert.ok(Math.abs(a2 - b2) < 0.01, `same playhead position in both columns after seeking (${a2}, ${b2})`);
  await seekFraction(page, 0.42);
  await page.waitForTimeout(300);
  await screenshot('side-by-side');

  // The Servers charts in both columns, on one y scale: each run's regions, labelled.
  await page.click('[data-testid=overload-view-servers]');
  await page.waitForSelector('[data-testid=compare-column-variant] [data-testid=overload-chart-server-rt] canvas');
  for (const k of ['main', 'variant']) {
    const series = await page.getAttribute(`[data-testid=compare-column-${k}] [data-testid=overload-chart-server-answers]`, 'data-series');
    assert.equal(series, 'region-a|region-b', `${k}: a line per region`);
  }
  const serverTicks = (k) => page.locator(`[data-testid=compare-column-${k}] [data-testid=overload-chart-server-rt] .u-axis`).nth(1).textContent();
  assert.equal(await serverTicks('main'), await serverTicks('variant'), 'same server response-time axis in both columns');
  const [s1, s2] = await playheads(page, 'server-answers');
  assert.ok(Math.abs(s1 - s2) < 0.01 && s1 > 0.3, `the Servers playhead in both columns (${s1}, ${s2})`);
  await screenshot('side-by-side-servers');
  await page.click('[data-testid=overload-view-clients]');
  await page.waitForSelector('[data-testid=compare-column-main] [data-testid=overload-chart-offered] canvas');

  // Shareable: the URL holds the comparison; a new page restores it.
  await page.waitForFunction(() => /[?&]compare=3:rr-client/.test(window.location.search));
  const link = page.url();
  const page2 = await context.newPage();
  await page2.goto(link, { waitUntil: 'load' });
  await ready(page2);
  const cols2 = await comparedColumns(page2);
  assert.deepEqual(cols2, cols, 'the same comparison after a reload');
  assert.equal((await page2.evaluate(() => window.__packetarium.comparison())).traceHash, variant.traceHash, 'the same variant run');
  await page2.close();

  // A malformed or refused ?compare= is a notice; the scene still loads.
  await page.goto(`${baseUrl}/index.html?scene=failover&compare=3:${encodeURIComponent(CLIENT_CMD.replace('expo-full', 'sometimes'))}`, { waitUntil: 'load' });
  await ready(page);
  const notice = await page.textContent('[data-testid=notices]');
  assert.match(notice, /\?compare=3:rr-client .*--retry sometimes: must be one of none, immediate/, notice);
  assert.equal(await page.evaluate(() => window.__packetarium.comparison().status), 'invalid');
  assert.equal(await page.inputValue('[data-testid=compare-cmd]'), CLIENT_CMD.replace('expo-full', 'sometimes'), 'the refused command is kept, to fix');
  await screenshot('refused-from-url');

  // Closing returns to the single run and drops the comparison from the URL.
  await page.goto(link, { waitUntil: 'load' });
  await ready(page);
  await comparedColumns(page);
  await page.click('[data-testid=compare-close]');
  await page.waitForSelector('[data-testid=compare-open]');
  assert.equal(await page.locator('[data-testid^=compare-column]').count(), 0);
  await page.waitForFunction(() => !/compare=/.test(window.location.search));

  assert.deepEqual(consoleErrors(), [], 'console errors');
}
