// The editor's helpers, driven through the UI: a device dragged from the palette lands where it is
// dropped; cables address new subnets; "Add default routes" and a command completed from its list
// make a network whose ping is answered; "Auto-layout" draws it again. At 1280x720 no device label
// overlaps another label or another device (checked by the boxes the browser draws).
import assert from 'node:assert/strict';

export const name = 'editor helpers: palette drag, auto-address, default routes, completion, layout, labels';
export const timeout = 180_000;

/** Every label box and device body on the canvas; throws when two of them overlap or nearly touch. */
async function assertNoLabelOverlap(page, what) {
  const clash = await page.evaluate(() => {
    const boxes = [];
    for (const g of document.querySelectorAll('[data-testid="editor-canvas"] g[data-node]')) {
      const id = g.getAttribute('data-node');
      boxes.push({ what: `${id} body`, owner: id, body: true, r: g.querySelector('rect.body').getBoundingClientRect() });
      for (const t of g.querySelectorAll('text.editor-node-label, text.editor-node-ip'))
        boxes.push({ what: `${id} "${t.textContent}"`, owner: id, body: false, r: t.getBoundingClientRect() });
    }
    // Crowding counts too: two boxes closer than 2 px (on screen) are taken as touching.
    const m = 2;
    const hit = (a, b) => a.left < b.right + m && b.left < a.right + m && a.top < b.bottom + m && b.top < a.bottom + m;
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i], boxes[j]];
        if (a.body && b.body) continue;
        if (a.owner === b.owner) continue;
        if (hit(a.r, b.r)) return `${a.what} overlaps ${b.what}`;
      }
    }
    return null;
  });
  assert.equal(clash, null, `${what}: ${clash}`);
}

async function selectNode(page, id, add = false) {
  await page.locator(`g[data-node="${id}"] rect.body`).click({ modifiers: add ? ['Control'] : [] });
}

async function nodeIds(page) {
  return page.locator('g[data-node]').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-node')));
}

export async function run({ page, baseUrl, screenshot, consoleErrors }) {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(`${baseUrl}/index.html?scene=router-ping`, { waitUntil: 'load' });
  await page.waitForFunction(() => window.__packetarium?.ready);
  await page.click('[data-testid="editor-toggle"]');
  await page.waitForSelector('[data-testid="editor-canvas"]');

  // Copies of bundled scenes with routers (up to four addresses each): labels clear of each other and of the devices.
  for (const scene of ['router-ping', 'traceroute', 'failover', 'quic-migration', 'dns-lookup']) {
    await page.selectOption('[data-testid="editor-copy-of"]', scene);
    await page.click('[data-testid="editor-copy"]');
    await page.waitForFunction((s) => document.querySelector('[data-testid="editor-name"]')?.value === `${s} (copy)`, scene);
    await assertNoLabelOverlap(page, `${scene} at 1280x720`);
  }
  await screenshot('dns-lookup');

  // From nothing: drag a host from the palette onto the canvas; it lands under the pointer.
  await page.click('[data-testid="editor-new"]');
  await page.waitForFunction(() => document.querySelectorAll('g[data-node]').length === 0);
  const canvas = await page.locator('[data-testid="editor-canvas"]').boundingBox();
  const palette = await page.locator('.editor-palette [data-kind="host"]').boundingBox();
  // (Inside the empty plan's margins, so the view does not refit around the new device.)
  const drop = { x: canvas.x + canvas.width * 0.35, y: canvas.y + canvas.height * 0.4 };
  await page.mouse.move(palette.x + palette.width / 2, palette.y + palette.height / 2);
  await page.mouse.down();
  await page.mouse.move(drop.x, drop.y, { steps: 8 });
  await page.mouse.up();
  await page.waitForSelector('g[data-node="h1"]');
  const h1 = await page.locator('g[data-node="h1"] rect.body').boundingBox();
  assert.ok(
    Math.hypot(h1.x + h1.width / 2 - drop.x, h1.y + h1.height / 2 - drop.y) < 30,
    `h1 dropped at ${JSON.stringify(drop)} shows at ${JSON.stringify(h1)}`,
  );

  // The rest with Enter on the palette (placed at free spots, two units apart).
  for (const kind of ['switch', 'router', 'switch', 'host']) {
    await page.focus(`.editor-palette [data-kind="${kind}"]`);
    await page.keyboard.press('Enter');
  }
  assert.deepEqual(await nodeIds(page), ['h1', 'sw1', 'r1', 'sw2', 'h2']);

  // Cables address what they join: 10.0.0.0/24 on the left, 10.0.1.0/24 on the right.
  for (const [a, b] of [
    ['h1', 'sw1'],
    ['sw1', 'r1'],
    ['r1', 'sw2'],
    ['sw2', 'h2'],
  ]) {
    await selectNode(page, a);
    await selectNode(page, b, true);
    await page.keyboard.press('c');
    await page.waitForSelector(`g[data-link="${a}-${b}"]`);
  }
  const addresses = await page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll('g[data-node]')].map((g) => [
        g.getAttribute('data-node'),
        [...g.querySelectorAll('text.editor-node-ip')].map((t) => t.textContent).join(' '),
      ]),
    ),
  );
  assert.deepEqual(addresses, { h1: '10.0.0.1/24', sw1: '', r1: '10.0.0.254/24 10.0.1.254/24', sw2: '', h2: '10.0.1.1/24' });
  // Two units apart, the router's two addresses still clear their neighbours.
  await assertNoLabelOverlap(page, 'built from nothing at 1280x720');
  await screenshot('addressed');

  // One undo takes back a cable and the addresses it brought.
  await page.click('[data-testid="editor-undo"]');
  await page.waitForFunction(() => !document.querySelector('g[data-link="sw2-h2"]'));
  assert.equal(await page.locator('g[data-node="h2"] text.editor-node-ip').count(), 0);
  await page.click('[data-testid="editor-redo"]');
  await page.waitForSelector('g[data-link="sw2-h2"]');

  // Default routes: the hosts' gateways (a single router needs no routes).
  await page.click('.editor-stage', { position: { x: 5, y: 200 } }).catch(() => {});
  await page.keyboard.press('Escape');
  await page.click('[data-testid="editor-routes"]');
  await page.waitForFunction(() => /gateway: 10\.0\.1\.254/.test(document.querySelector('[data-testid="editor-text"]')?.textContent ?? ''));

  // The ping, completed from the list: program, then h2's address.
  await page.selectOption('[data-testid="run-on"]', 'h1');
  const cmd = page.locator('[data-testid="run-cmd"]');
  await cmd.fill('pi');
  await page.waitForSelector('.editor-cmd-list [role="option"]');
  await cmd.press('ArrowDown');
  await cmd.press('Enter');
  assert.equal(await cmd.inputValue(), 'ping ');
  await cmd.pressSequentially('10.0.1.');
  await page.waitForSelector('.editor-cmd-list [role="option"]:has-text("10.0.1.1")');
  const options = await page.locator('.editor-cmd-list [role="option"]').allTextContents();
  assert.ok(
    options.some((o) => o.startsWith('10.0.1.1') && o.includes('h2')),
    `completions: ${options}`,
  );
  await page.locator('.editor-cmd-list [role="option"]', { hasText: 'h2' }).click();
  assert.equal(await cmd.inputValue(), 'ping 10.0.1.1 ');
  // A wrong option shows ping's own error and usage as typed.
  await cmd.pressSequentially('-c x');
  await page.waitForSelector('[data-testid="run-cmd-help"].editor-field-error');
  assert.match(await page.locator('[data-testid="run-cmd-help"]').textContent(), /ping: option -c: "x" is not a whole number; usage: ping DESTINATION/);
  await cmd.fill('ping 10.0.1.1 -c 2 -i 10ms');
  await page.click('text=Add command');
  await page.waitForSelector('[data-run="0"]');

  // Auto-layout: the router in the middle, each segment beside it, as one undoable step.
  await page.click('[data-testid="editor-layout"]');
  await page.waitForFunction(() => /Auto-layout/.test(document.querySelector('[data-testid="editor-undo"]')?.getAttribute('title') ?? ''));
  const cols = await page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll('g[data-node]')].map((g) => [g.getAttribute('data-node'), g.querySelector('rect.body').getBoundingClientRect().x]),
    ),
  );
  assert.ok(cols.h1 < cols.sw1 && cols.sw1 < cols.r1 && cols.r1 < cols.sw2 && cols.sw2 < cols.h2, `layers: ${JSON.stringify(cols)}`);
  await assertNoLabelOverlap(page, 'after auto-layout');
  assert.equal(await page.locator('.editor-problems .error').count(), 0, `problems: ${await page.locator('.editor-problems').allTextContents()}`);
  await screenshot('laid-out');

  // Run: the ping is answered.
  await page.click('[data-testid="editor-run"]');
  await page.waitForFunction(() => window.__packetarium?.ready, null, { timeout: 60_000 });
  await page.click('[data-testid="editor-view-toggle"]');
  const scrub = await page.locator('[data-testid="scrubber"]').boundingBox();
  await page.mouse.click(scrub.x + scrub.width - 2, scrub.y + scrub.height / 2);
  await page.waitForFunction(() => /64 bytes from 10\.0\.1\.1/.test(document.querySelector('[data-testid="console"]')?.textContent ?? ''), null, {
    timeout: 15_000,
  });
  assert.deepEqual(consoleErrors(), [], 'console errors');
}
