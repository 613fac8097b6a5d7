// Switching scenes swaps what the 3D view shows, not the view itself: the same canvas (and WebGL
// context, with its compiled shaders) draws the next scene, hidden while it simulates, and the
// scene drawn is the new one.
import assert from 'node:assert/strict';

export const name = 'scene switch keeps the 3D canvas';
export const timeout = 180_000;

async function ready(page, scene) {
  await page.waitForFunction((s) => window.__packetarium?.ready && window.__packetarium.sceneName === s, scene, { timeout: 90_000 });
  for (let i = 0; i < 5; i++) await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
}

/** Fraction of sampled canvas pixels clearly unlike the background (#0b0f17). */
function drawn(page) {
  return page.evaluate(() => {
    const c = document.querySelector('.view canvas');
    const off = document.createElement('canvas');
    off.width = 200;
    off.height = 120;
    const ctx = off.getContext('2d');
    ctx.drawImage(c, 0, 0, off.width, off.height);
    const d = ctx.getImageData(0, 0, off.width, off.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - 11) + Math.abs(d[i + 1] - 15) + Math.abs(d[i + 2] - 23) > 40) n++;
    return n / (d.length / 4);
  });
}

export async function run({ page, baseUrl, consoleErrors }) {
  await page.goto(`${baseUrl}/index.html?scene=router-ping`, { waitUntil: 'load' });
  await ready(page, 'router-ping');
  await page.evaluate(() => {
    const c = document.querySelector('.view canvas');
    c.dataset.first = 'yes';
    window.__firstContext = c.getContext('webgl2');
  });
  for (const scene of ['hub-vs-switch', 'tcp-loss', 'router-ping']) {
    await page.selectOption('select[aria-label=Scene]', scene);
    await ready(page, scene);
    const same = await page.evaluate(() => {
      const all = document.querySelectorAll('.view canvas');
      const c = all[0];
      return {
        count: all.length,
        first: c?.dataset.first,
        context: c?.getContext('webgl2') === window.__firstContext,
        lost: c?.getContext('webgl2')?.isContextLost(),
      };
    });
    assert.deepEqual(same, { count: 1, first: 'yes', context: true, lost: false }, `${scene}: drawn by the first canvas and its WebGL context`);
    const f = await drawn(page);
    assert.ok(f > 0.01, `${scene}: the canvas shows the scene (non-background fraction ${f})`);
    const onScreen = await page.evaluate(() => getComputedStyle(document.querySelector('[data-testid=view3d]')).visibility);
    assert.equal(onScreen, 'visible');
  }
  assert.deepEqual(consoleErrors(), []);
}
