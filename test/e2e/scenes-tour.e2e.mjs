// Opens every demo scene at an interesting moment (via ?t=) and takes a screenshot of each, from
// the scene's camera and from the 3D preset. bench-chain (360k frames) must load in reasonable time.
import assert from 'node:assert/strict';

export const name = 'scenes tour';
export const timeout = 180_000;

const STOPS = [
  { scene: 'router-ping', t: '5.6ms' },
  { scene: 'hub-vs-switch', t: '1.03ms' },
  { scene: 'traceroute', t: '30ms' },
  { scene: 'bench-chain', t: '5000.3ms' },
];

export async function run({ page, baseUrl, screenshot, consoleErrors }) {
  for (const { scene, t } of STOPS) {
    const started = Date.now();
    await page.goto(`${baseUrl}/index.html?scene=${scene}&t=${t}`, { waitUntil: 'load' });
    await page.waitForFunction(() => window.__packetarium?.ready, null, { timeout: 60_000 });
    const loadMs = Date.now() - started;
    if (scene === 'bench-chain') assert.ok(loadMs < 30_000, `bench-chain loaded in ${loadMs} ms`);
    // The page stays responsive: frames keep coming.
    const frameMs = await page.evaluate(
      () =>
        new Promise((done) => {
          const t0 = performance.now();
          let n = 0;
          const tick = () => (++n === 10 ? done((performance.now() - t0) / 10) : requestAnimationFrame(tick));
          requestAnimationFrame(tick);
        }),
    );
    console.log(`  ${scene}: ready in ${loadMs} ms, ~${frameMs.toFixed(1)} ms per frame`);
    await screenshot(`${scene}`);
    await page.keyboard.press('2');
    await page.waitForTimeout(250);
    await screenshot(`${scene}-3d`);
  }
  assert.deepEqual(consoleErrors(), [], 'console errors');
}
