// The app's "Embed" button yields both embed forms (iframe and <packetarium-scene>) for the current
// scene and moment.
import assert from 'node:assert/strict';

export const name = "embeds: the app's Embed button";

export async function run({ page, baseUrl, consoleErrors }) {
  await page.goto(`${baseUrl}/index.html?scene=traceroute&t=5ms`);
  // The scene simulates in a worker; the moment from the URL applies once it is ready.
  await page.waitForFunction(() => window.__packetarium?.ready, null, { timeout: 30_000 });
  await page.locator('[data-testid=copy-embed]').click();
  const codes = await page.locator('textarea').evaluateAll((els) => els.map((e) => e.value));
  assert.ok(
    codes.some((c) => /<iframe src="[^"]*embed\.html\?scene=traceroute&amp;t=5ms/.test(c)),
    `iframe code: ${codes.join('\n')}`,
  );
  assert.ok(
    codes.some((c) => /packetarium-embed\.js/.test(c) && /<packetarium-scene scene="traceroute" t="5ms"/.test(c)),
    `element code: ${codes.join('\n')}`,
  );

  assert.deepEqual(consoleErrors(), [], 'console errors');
}
