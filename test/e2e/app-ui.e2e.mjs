// The app as a user meets it: the default scene renders in 3D, Space plays, an event row fills the
// inspector, and a bad ?scene= shows a readable error instead of a blank page.
import assert from 'node:assert/strict';

export const name = 'app UI';
export const timeout = 120_000;

async function ready(page) {
  await page.waitForFunction(() => window.__packetarium?.ready, null, { timeout: 30_000 });
  // a few frames so the canvas has drawn
  for (let i = 0; i < 5; i++) await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
}

/** Fraction of sampled canvas pixels that differ clearly from the background colour. */
async function nonBackgroundFraction(page) {
  return page.evaluate(() => {
    const c = document.querySelector('.view canvas');
    if (!(c instanceof HTMLCanvasElement)) return -1;
    const off = document.createElement('canvas');
    off.width = 200;
    off.height = 120;
    const ctx = off.getContext('2d');
    ctx.drawImage(c, 0, 0, off.width, off.height);
    const d = ctx.getImageData(0, 0, off.width, off.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) {
      // background is #0b0f17
      if (Math.abs(d[i] - 11) + Math.abs(d[i + 1] - 15) + Math.abs(d[i + 2] - 23) > 40) n++;
    }
    return n / (d.length / 4);
  });
}

export async function run({ page, baseUrl, screenshot, consoleErrors }) {
  await page.goto(`${baseUrl}/index.html`, { waitUntil: 'load' });
  await ready(page);
  const info = await page.evaluate(() => window.__packetarium);
  assert.equal(info.sceneName, 'router-ping', 'default scene');
  await screenshot('default-scene');

  const frac = await nonBackgroundFraction(page);
  assert.ok(frac > 0.01, `the 3D canvas shows something (non-background fraction ${frac})`);

  // Space plays: the time readout advances.
  const t0 = await page.textContent('[data-testid=time] .now');
  await page.keyboard.press('Space');
  await page.waitForTimeout(1200);
  const t1 = await page.textContent('[data-testid=time] .now');
  assert.notEqual(t1, t0, `time advanced after Space (${t0} -> ${t1})`);
  await page.keyboard.press('Space');
  await screenshot('after-playing');

  // Seek into the middle of the run with → steps, so frames are on the wire.
  for (let i = 0; i < 12; i++) await page.keyboard.press('ArrowRight');
  await page.waitForTimeout(300);
  await screenshot('stepped');

  // Clicking an ICMP row fills the inspector with a layer tree and a hex dump.
  await page.click('.chips button:has-text("ICMP")');
  await page.waitForSelector('.ev-row');
  await page.click('.ev-row >> nth=0');
  await page.waitForSelector('[data-testid=layer-tree]');
  const tree = await page.textContent('[data-testid=layer-tree]');
  assert.match(tree, /Internet Protocol Version 4/, 'IPv4 layer in the tree');
  assert.match(tree, /Internet Control Message Protocol/i, 'ICMP layer in the tree');
  const hex = await page.textContent('[data-testid=hex-dump]');
  assert.match(hex, /0000/, 'hex dump has offsets');
  // Hovering a field highlights bytes.
  await page.hover('.tree-field >> nth=0');
  assert.ok((await page.locator('.hb.on').count()) > 0, 'hovering a field highlights its bytes');
  await page.waitForTimeout(300);
  await screenshot('inspector');

  // The ladder diagram draws one band per frame around the playhead.
  await page.click('button[role=tab]:has-text("Ladder")');
  await page.waitForSelector('[data-testid=ladder] polygon');
  await screenshot('ladder');
  await page.click('button[role=tab]:has-text("Console")');

  // Clicking a packet in the 3D view selects it: the inspector shows that very row.
  await page.click('.inspector .chip:has-text("clear")');
  await page.goto(`${baseUrl}/index.html?scene=router-ping&t=5.6ms`, { waitUntil: 'load' });
  await ready(page);
  const onScreen = await page.evaluate(() => window.__packetarium.packetsOnScreen());
  assert.ok(onScreen.length > 0, 'a packet is in flight at 5.6 ms');
  await page.mouse.click(onScreen[0].x, onScreen[0].y);
  await page.waitForSelector('[data-testid=layer-tree]');
  assert.match(await page.textContent('[data-testid=inspector]'), /Echo \(ping\) request/, 'the clicked packet is the echo request');
  await screenshot('packet-clicked');

  // Help overlay.
  await page.keyboard.press('?');
  await page.waitForSelector('text=Keyboard shortcuts');
  await screenshot('help');
  await page.keyboard.press('Escape');

  assert.deepEqual(consoleErrors(), [], 'console errors on the default scene');

  // A bad scene name shows an error panel, not a blank page.
  await page.goto(`${baseUrl}/index.html?scene=nope&seed=abc`, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=scene-errors]');
  const err = await page.textContent('[data-testid=scene-errors]');
  assert.match(err, /nope/, 'the error names the scene');
  assert.match(err, /router-ping/, 'the error lists the scenes that exist');
  const notice = await page.textContent('[data-testid=notices]');
  assert.match(notice, /seed/, 'a bad seed is reported');
  await screenshot('bad-scene');
  assert.deepEqual(consoleErrors(), [], 'console errors on a bad scene');
}
