// Breaking tcp-loss live: right-click the r1-h2 link mid-transfer and cut it. The branch runs in the
// worker; in it, h3's connection times out and its retransmission timer doubles (RFC 6298 5.5: back
// off the timer), so the RTO the TCP panel shows after the first timeout is twice the one before.
// The comparison with the scene marks where they part on the timeline; restoring the link from the
// fault panel lets the retransmission through and the transfer finishes.
import assert from 'node:assert/strict';

export const name = 'break it live: cut a link, compare, restore';
export const timeout = 180_000;

async function frames(page, n = 3) {
  for (let i = 0; i < n; i++) await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
}

async function ready(page) {
  await page.waitForFunction(() => window.__packetarium?.ready, null, { timeout: 60_000 });
  await frames(page, 5);
}

async function seek(page, ms) {
  const box = await page.locator('[data-testid=scrubber]').boundingBox();
  const duration = Number(await page.getAttribute('[data-testid=scrubber]', 'aria-valuemax'));
  await page.mouse.click(box.x + (box.width * ms * 1e6) / duration, box.y + box.height / 2);
  await frames(page);
}

/** Waits until the current branch's run is in the page. */
async function branchReady(page, id) {
  await page.waitForFunction(
    (want) => {
      const b = window.__packetarium?.branches();
      return b && b.currentId === want && b.branches.find((x) => x.id === want)?.run === 'ready';
    },
    id,
    { timeout: 60_000 },
  );
  await frames(page);
}

/** The RTO of h3's connection at the playhead, ms, from the TCP panel. */
async function h3Rto(page) {
  const text = await page.textContent('[data-testid=tcp-stats] tr[data-field=rto] td');
  const m = /([\d.]+)\s*(ms|s)/.exec(text ?? '');
  assert.ok(m, `rto shown: ${text}`);
  return Number(m[1]) * (m[2] === 's' ? 1000 : 1);
}

export async function run({ page, baseUrl, screenshot, consoleErrors }) {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`${baseUrl}/index.html?scene=tcp-loss`, { waitUntil: 'load' });
  await ready(page);
  const parentHash = await page.evaluate(() => window.__packetarium.traceHash);

  // Mid-transfer: h3 is sending its 30000 bytes (29 ms to 73 ms in the scene).
  await seek(page, 40);
  const t = await page.evaluate(() => window.__packetarium.time());
  const r1 = await page.evaluate(() => window.__packetarium.deviceOnScreen('r1'));
  const h2 = await page.evaluate(() => window.__packetarium.deviceOnScreen('h2'));
  assert.ok(r1 && h2, 'r1 and h2 are drawn');
  // A point on the link, away from the devices and from packets on it (a packet there gets its own menu).
  const packets = await page.evaluate(() => window.__packetarium.packetsOnScreen());
  let at = null;
  for (const f of [0.5, 0.35, 0.65, 0.25, 0.75]) {
    const p = { x: r1.x + (h2.x - r1.x) * f, y: r1.y + (h2.y - r1.y) * f };
    if (packets.every((q) => Math.hypot(q.x - p.x, q.y - p.y) > 20)) {
      at = p;
      break;
    }
  }
  assert.ok(at, 'a free point on the r1-h2 link');
  await page.mouse.click(at.x, at.y, { button: 'right' });
  await page.waitForSelector('[data-testid=fault-menu]');
  assert.match(await page.textContent('[data-testid=fault-menu] .fm-title'), /Link r1-h2/);
  await screenshot('link-menu');
  await page.click('[data-testid=fault-menu-cut]');

  let tree = await page.evaluate(() => window.__packetarium.branches());
  const cut = tree.branches.find((b) => b.id === tree.currentId);
  assert.equal(cut.parentId, 'root');
  assert.equal(cut.createdFrom, 'r1-h2 cut');
  assert.equal(cut.divergesAtNs, Math.round(t));
  assert.match(cut.actions[0], /^[\d.]+(ms|us|ns) link r1-h2 down$/);
  await branchReady(page, cut.id);
  assert.equal(Math.round(await page.evaluate(() => window.__packetarium.time())), Math.round(t), 'the playhead stays where it was');
  assert.notEqual(await page.evaluate(() => window.__packetarium.traceHash), parentHash, 'the branch is shown');
  // The fault panel lists the cut.
  assert.match(await page.inputValue('[data-testid=fault-text-0]'), /link r1-h2 down$/);

  // Retransmissions with a growing RTO: h3's connection in the TCP panel.
  await page.click('[role=tab][data-panel=tcp]');
  await page.waitForSelector('[data-testid=tsg]');
  const options = await page.locator('[data-testid=tcp-connection] option').allTextContents();
  const h3 = options.findIndex((o) => o.startsWith('h3:'));
  assert.ok(h3 >= 0, `h3's connection is offered (${options.join(' | ')})`);
  await page.selectOption('[data-testid=tcp-connection]', { index: h3 });
  await frames(page);
  assert.ok(Number(await page.getAttribute('[data-testid=tsg]', 'data-retransmissions')) >= 1, 'h3 retransmits into the cut link');
  await seek(page, 60);
  const before = await h3Rto(page);
  await seek(page, 580);
  const after = await h3Rto(page);
  assert.ok(after >= 2 * before - 1, `the RTO backs off: ${before} ms before the timeout, ${after} ms after`);
  await screenshot('branch-tcp-backoff');

  // Compare the scene with the branch: the first difference is marked on the timeline.
  await page.click('[role=tab][data-panel=branches]');
  await page.waitForSelector('[data-testid=branch-panel]');
  await page.click('[data-testid=compare-open]');
  await page.waitForSelector('[data-testid=compare-divergence]', { timeout: 60_000 });
  const label = await page.textContent('[data-testid=compare-divergence]');
  assert.match(label, /diverges at [\d.]+ ?(ms|µs|s).*: r1-h2 cut/, label);
  const mark = page.locator('[data-testid=divergence-mark]');
  await mark.waitFor();
  const markNs = Number(await mark.getAttribute('data-time'));
  assert.ok(markNs >= t, `the runs part at or after the cut (${markNs} ≥ ${t})`);
  const drops = await page.textContent('[data-testid=compare-drops-b]');
  assert.match(drops, /\(\+\d+\)/, `the branch drops more: ${drops}`);
  await screenshot('compare');

  // Restore the link from the fault panel at 150 ms: h3's next retransmission gets through.
  await seek(page, 150);
  await page.click('[role=tab][data-panel=faults]');
  await page.click('[data-testid=fault-restore-0]');
  tree = await page.evaluate(() => window.__packetarium.branches());
  const restored = tree.branches.find((b) => b.id === tree.currentId);
  assert.equal(restored.id, cut.id, 'the restore edits the branch itself');
  assert.equal(restored.actions.length, 2);
  assert.match(restored.actions[1], /^150(\.\d+)?ms link r1-h2 up$/);
  await branchReady(page, cut.id);
  await page.click('[role=tab][data-panel=console]');
  await seek(page, 599);
  const console = await page.textContent('[data-testid=console]');
  assert.match(console, /h3\$nc: 10\.0\.1\.2:5002 closed: received 0 bytes/, 'h3 finishes its transfer');
  assert.match(console, /h2\$nc: 10\.0\.0\.3:\d+ closed: received 30000 bytes/, 'h2 received all 30000 bytes');
  await screenshot('restored');

  assert.deepEqual(consoleErrors(), [], 'console errors');
}
