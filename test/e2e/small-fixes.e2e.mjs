// Bug 9 of issue 18, the smaller ones: the Embed dialog's grammar ("As a web component"), the End key
// goes to the end, the ? help lists the lesson keys (L, N/P, A–F, R) and End, an invalid variant
// leaves the comparison on screen alone, and no "THREE.Clock deprecated" warning on a page with 3D.
import assert from 'node:assert/strict';

export const name = 'small fixes: End, help, embed wording, comparison kept, no Clock warning';
export const timeout = 180_000;

const ready = (page) => page.waitForFunction(() => window.__packetarium?.ready, null, { timeout: 60_000 });

export async function run({ page, baseUrl, consoleErrors }) {
  const warnings = [];
  page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
  await page.goto(`${baseUrl}/index.html?scene=router-ping`, { waitUntil: 'load' });
  await ready(page);
  await page.waitForTimeout(500);

  // End goes to the end of the run (Home already went to the start).
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('End');
  const end = await page.evaluate(() => window.__packetarium.time());
  const duration = Number(await page.getAttribute('[data-testid=scrubber]', 'aria-valuemax'));
  assert.ok(duration > 0 && end === duration, `End goes to the end (${end} of ${duration})`);

  // ? lists every key the app answers to.
  await page.keyboard.press('?');
  const help = await page.textContent('[role=dialog][aria-label="Keyboard shortcuts"]');
  for (const k of ['End', 'L', 'N', 'P', 'A', 'R']) assert.ok(help.includes(k), `help names ${k}`);
  assert.match(help, /lesson/i, 'help has the lesson keys');
  assert.match(help, /A\s*–\s*F/, 'help names A–F');
  await page.keyboard.press('Escape');

  // The Embed dialog: "As a web component", "As an iframe".
  await page.click('[data-testid=copy-embed]');
  const dialog = await page.textContent('[role=dialog][aria-label="Embed this scene"]');
  assert.doesNotMatch(dialog, /an web/, 'no "an web component"');
  assert.match(dialog, /a web component/);
  await page.keyboard.press('Escape');

  // No deprecation warning from three.js on a page with a 3D view.
  assert.deepEqual(
    warnings.filter((w) => /Clock/.test(w)),
    [],
    'no THREE.Clock warning',
  );

  // An invalid variant is refused without throwing away the comparison on screen.
  const cmd = 'rr-client 10.0.0.2 --think 5s --timeout 2s';
  await page.goto(`${baseUrl}/index.html?scene=littles-law&compare=1:${encodeURIComponent(cmd)}`, { waitUntil: 'load' });
  await ready(page);
  await page.waitForFunction(() => window.__packetarium?.comparison().status === 'ready', null, { timeout: 120_000 });
  await page.waitForSelector('[data-testid=compare-column-variant]');
  await page.click('[data-testid=compare-edit]');
  await page.fill('[data-testid=compare-cmd]', `${cmd} --attempts 0`);
  await page.click('[data-testid=compare-run-variant]');
  await page.waitForSelector('[data-testid=compare-errors]');
  assert.match(await page.textContent('[data-testid=compare-errors]'), /--attempts 0/, 'the refusal names the option');
  const c = await page.evaluate(() => window.__packetarium.comparison());
  assert.equal(c.status, 'ready', 'the comparison on screen stays');
  assert.equal(c.cmd, cmd, 'with its own command');
  assert.ok(await page.isVisible('[data-testid=compare-column-variant]'), 'its column is still shown');
  assert.deepEqual(consoleErrors(), [], 'no console errors');
}
