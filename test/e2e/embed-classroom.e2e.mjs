// Bug 8 of issue 18, embeds: the light-theme ladder's text reads at 4.5:1 or better (computed from the
// colours drawn), the embed's buttons are 44 px touch targets, the Embed dialog gives `t` in
// milliseconds and offers the view and the controls, its iframe snippet does not pair allow-scripts
// with allow-same-origin, and the web component shows a link when its script cannot load.
import assert from 'node:assert/strict';

export const name = 'embeds in a classroom: contrast, touch targets, snippets, fallback';
export const timeout = 150_000;

/** WCAG 2 contrast ratio of two `rgb(...)` colours. */
function contrast(a, b) {
  const lum = (rgb) => {
    const [r, g, bl] = rgb
      .match(/[\d.]+/g)
      .slice(0, 3)
      .map((v) => {
        const c = Number(v) / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

export async function run({ page, baseUrl, consoleErrors }) {
  // The light ladder: every label against the ladder's background.
  await page.goto(`${baseUrl}/embed.html?scene=router-ping&view=ladder&theme=light&t=5ms`);
  await page.waitForSelector('[data-testid=embed-ladder] svg text');
  const texts = await page.evaluate(() => {
    const lad = document.querySelector('[data-testid=embed-ladder] .ladder');
    const bg = getComputedStyle(lad).backgroundColor;
    return [...lad.querySelectorAll('svg text')].map((t) => ({
      text: t.textContent,
      fill: getComputedStyle(t).fill,
      opacity: Number(getComputedStyle(t).opacity),
      bg,
    }));
  });
  assert.ok(texts.length > 3, 'the ladder has labels');
  const low = texts.filter((t) => contrast(t.fill, t.bg) < 4.5).map((t) => `"${t.text}" ${t.fill} on ${t.bg}: ${contrast(t.fill, t.bg).toFixed(2)}:1`);
  assert.deepEqual(low, [], 'every ladder label reads at 4.5:1 or better in the light theme');

  // The embed's buttons: 44 px touch targets.
  const small = await page.evaluate(() =>
    [...document.querySelectorAll('.pk-controls button')]
      .map((b) => ({ t: b.textContent, r: b.getBoundingClientRect() }))
      .filter(({ r }) => r.width > 0 && (r.width < 44 || r.height < 44))
      .map(({ t, r }) => `${t} ${r.width}x${r.height}`),
  );
  assert.deepEqual(small, [], 'embed buttons are at least 44x44 px');

  // The Embed dialog: t in ms, a choice of view and controls, no sandbox pairing that warns.
  await page.goto(`${baseUrl}/index.html?scene=router-ping&t=5.02688ms`);
  await page.waitForFunction(() => window.__packetarium?.ready, null, { timeout: 30_000 });
  await page.click('[data-testid=copy-embed]');
  const codes = () => page.locator('[role=dialog] textarea').evaluateAll((els) => els.map((e) => e.value));
  let [iframe, element] = await codes();
  assert.match(iframe, /(\?|;)t=5\.02688ms"/, `the iframe's t is in ms: ${iframe}`);
  assert.match(element, / t="5\.02688ms"/, `the element's t is in ms: ${element}`);
  assert.ok(!(/allow-scripts/.test(iframe) && /allow-same-origin/.test(iframe)), 'no allow-scripts with allow-same-origin');
  await page.selectOption('[data-testid=embed-view]', 'ladder');
  await page.selectOption('[data-testid=embed-controls]', 'minimal');
  [iframe, element] = await codes();
  assert.match(iframe, /view=ladder/);
  assert.match(iframe, /controls=minimal/);
  assert.match(element, / view="ladder"/);
  assert.match(element, / controls="minimal"/);

  // The web component's fallback: with its script unreachable, the link inside shows; with it, the
  // element takes over.
  const missing = element.replace('packetarium-embed.js', 'no-such-script.js');
  await page.setContent(`<!doctype html><title>post</title><p>Before</p>${missing}<p>After</p>`);
  await page.waitForTimeout(500);
  const link = page.locator('packetarium-scene a');
  assert.ok(await link.isVisible(), 'the fallback link shows when the script cannot load');
  assert.match(await link.getAttribute('href'), /embed\.html\?scene=router-ping/);
  await page.setContent(`<!doctype html><title>post</title><p>Before</p>${element}<p>After</p>`);
  await page.waitForFunction(() => !!document.querySelector('packetarium-scene')?.shadowRoot);
  assert.ok(!(await link.isVisible()), 'the running element replaces the link');
  assert.ok(
    consoleErrors().every((e) => /no-such-script/.test(e)),
    `no console errors but the missing script: ${consoleErrors().join(' | ')}`,
  );
}
