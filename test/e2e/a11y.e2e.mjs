// Issue 18, "Done when": an axe-core scan (WCAG 2 A/AA rules) of the app, a lesson and embeds finds no
// serious or critical violation.
import assert from 'node:assert/strict';
import axe from 'axe-core';

export const name = 'accessibility: axe-core finds no serious or critical violations';
export const timeout = 180_000;

async function scan(page, what) {
  await page.addScriptTag({ content: axe.source });
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${v.id} (${v.impact}): ${v.help} — ${v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(' '))
            .join(' | ')}`,
      );
  });
  found.push(...violations.map((v) => `${what}: ${v}`));
}

/** Every serious or critical violation found, by page (reported together at the end). */
const found = [];

const ready = (page) => page.waitForFunction(() => window.__packetarium?.ready, null, { timeout: 60_000 });

export async function run({ page, baseUrl, consoleErrors }) {
  await page.goto(`${baseUrl}/index.html?scene=router-ping&t=5ms&sel=12`, { waitUntil: 'load' });
  await ready(page);
  await page.waitForTimeout(500);
  await scan(page, 'the app');

  await page.goto(`${baseUrl}/index.html?lesson=02-arp-ping-traceroute&step=2`, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=lesson-player]');
  await page.waitForFunction(() => !document.querySelector('.lesson-busy') && window.__packetarium?.ready, null, { timeout: 60_000 });
  await page.waitForTimeout(500);
  await scan(page, 'a lesson');

  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  await scan(page, 'a lesson on a phone');
  await page.setViewportSize({ width: 1280, height: 800 });

  for (const q of ['scene=router-ping&t=5ms', 'scene=router-ping&view=ladder&theme=light&t=5ms', 'scene=tcp-handshake&view=3d&controls=none']) {
    await page.goto(`${baseUrl}/embed.html?${q}`, { waitUntil: 'load' });
    await page.waitForSelector('[data-testid=embed-3d], [data-testid=embed-ladder]', { timeout: 30_000 });
    await page.waitForTimeout(1500);
    await scan(page, `the embed ?${q}`);
  }
  assert.deepEqual(found, [], 'no serious or critical violations');
  assert.deepEqual(consoleErrors(), [], 'no console errors');
}
