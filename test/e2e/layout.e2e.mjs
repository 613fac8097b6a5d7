// Bugs 6 and 7 of issue 18, checked by bounding boxes: at 1440x900, 1280x720 (a projector) and
// 390x844 (a phone), with a lesson open and a frame selected, no two parts of the app overlap,
// nothing lies outside the viewport, the scene title stays readable, the hex dump is not clipped,
// the legend is collapsed until asked for; on the phone one column (3D view on top, panels as tabs),
// 44 px touch targets, and the timeline scrubs by touch.
import assert from 'node:assert/strict';

export const name = 'layout: no overlaps at 1440, 1280 and on a phone';
export const timeout = 240_000;

const VIEWPORTS = [
  { width: 1440, height: 900 },
  { width: 1280, height: 720 },
  { width: 390, height: 844 },
];

async function open(page, baseUrl) {
  // tcp-loss at a frame, then its lesson on top (the widest layout).
  await page.goto(`${baseUrl}/index.html?lesson=04-tcp-loss&step=3`, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=lesson-player]', { timeout: 30_000 });
  await page.waitForFunction(() => !document.querySelector('.lesson-busy') && window.__packetarium?.ready, null, { timeout: 60_000 });
  await page.waitForTimeout(500);
}

/** Boxes of the visible elements matching `selector` (area > 0, not hidden by opacity or visibility). */
function boxes(page, selector) {
  return page.evaluate((sel) => {
    const out = [];
    for (const el of document.querySelectorAll(sel)) {
      if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
      const r = el.getBoundingClientRect();
      if (r.width < 1 || r.height < 1) continue;
      const name = `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''}${el.getAttribute('data-testid') ? `[${el.getAttribute('data-testid')}]` : ''} "${(el.textContent ?? '').trim().slice(0, 20)}"`;
      out.push({ name, x: r.left, y: r.top, w: r.width, h: r.height });
    }
    return out;
  }, selector);
}

function overlaps(list) {
  const bad = [];
  for (let i = 0; i < list.length; i++)
    for (let j = i + 1; j < list.length; j++) {
      const a = list[i];
      const b = list[j];
      const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
      const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
      if (w > 1 && h > 1) bad.push(`${a.name} overlaps ${b.name} (${Math.round(w)}x${Math.round(h)})`);
    }
  return bad;
}

function outside(list, vp) {
  return list
    .filter((b) => b.x < -1 || b.y < -1 || b.x + b.w > vp.width + 1 || b.y + b.h > vp.height + 1)
    .map((b) => `${b.name} at ${Math.round(b.x)},${Math.round(b.y)} ${Math.round(b.w)}x${Math.round(b.h)}`);
}

async function checkViewport(page, vp, screenshot) {
  const tag = `${vp.width}x${vp.height}`;
  // The app's parts (the grid's children) and the top bar's controls.
  const parts = await boxes(page, '.app > *');
  assert.ok(parts.length >= 5, `${tag}: the app's parts are there`);
  assert.deepEqual(overlaps(parts), [], `${tag}: no two parts of the app overlap`);
  assert.deepEqual(outside(parts, vp), [], `${tag}: every part inside the viewport`);
  const controls = await boxes(page, '.topbar > *');
  assert.deepEqual(overlaps(controls), [], `${tag}: no two top-bar controls overlap`);
  assert.deepEqual(outside(controls, vp), [], `${tag}: every top-bar control inside the viewport`);
  const panelControls = await boxes(page, '.panel-head > *, .lesson-head > *, .lesson-nav > *');
  assert.deepEqual(overlaps(panelControls), [], `${tag}: panel controls do not overlap`);

  // The scene title is readable, not cut to a letter.
  const title = await page.evaluate(() => {
    const el = document.querySelector('.scene-title');
    return { w: el.clientWidth, text: el.textContent };
  });
  assert.ok(title.w >= 110, `${tag}: the scene title has room (${title.w} px for "${title.text}")`);

  // The legend starts collapsed and opens on request.
  const legend = page.locator('[data-testid=legend]');
  assert.equal(await legend.getAttribute('open'), null, `${tag}: the legend starts collapsed`);
  const closed = await legend.boundingBox();
  assert.ok(closed.width < 140 && closed.height < 50, `${tag}: a collapsed legend is small (${closed.width}x${closed.height})`);

  if (vp.width > 700) {
    // The hex dump of the selected frame fits the inspector.
    const hex = await page.evaluate(() => {
      const el = document.querySelector('[data-testid=inspector] .hex');
      return el && { sw: el.scrollWidth, cw: el.clientWidth };
    });
    assert.ok(hex, `${tag}: a hex dump is shown`);
    assert.ok(hex.sw <= hex.cw + 1, `${tag}: the hex dump is not clipped (${hex.sw} > ${hex.cw})`);
    await legend.locator('summary').click();
    assert.equal(await legend.getAttribute('open'), '', `${tag}: the legend opens`);
    await legend.locator('summary').click();
  }
  await screenshot(tag);
}

async function checkPhone(page, vp, screenshot) {
  // One column: the 3D view above the timeline, above the panel tabs, above the panel.
  const [view, scrub, tabs] = await Promise.all(['.view', '.scrubber', '.phone-tabs'].map((s) => page.locator(s).boundingBox()));
  assert.ok(view.width >= vp.width - 2 && view.height >= 140, `the 3D view spans the width (${view.width}x${view.height})`);
  assert.ok(view.y < scrub.y && scrub.y < tabs.y, 'view, timeline, tabs from top to bottom');
  for (const id of ['events', 'inspector', 'console', 'lesson']) {
    await page.click(`[data-testid=phone-tab-${id}]`);
    const shown = await boxes(page, '.app > .panel, .app > .lesson-panel');
    assert.equal(shown.length, 1, `tab ${id}: one panel shown (${shown.map((b) => b.name).join(', ')})`);
    assert.ok(shown[0].w >= vp.width - 2 && shown[0].y > tabs.y, `tab ${id}: the panel spans the width below the tabs`);
    const small = (await boxes(page, 'button, select, summary, [role=tab], [role=option], label.follow, .file-btn'))
      .filter((b) => b.y + b.h > 0 && b.y < vp.height)
      .filter((b) => b.w < 44 - 0.5 || b.h < 44 - 0.5)
      .map((b) => `${b.name} ${Math.round(b.w)}x${Math.round(b.h)}`);
    assert.deepEqual(small, [], `tab ${id}: every touch target is at least 44x44 px`);
    assert.deepEqual(overlaps(await boxes(page, '.app > *')), [], `tab ${id}: nothing overlaps`);
    await screenshot(`390x844-${id}`);
  }
  // The secondary top-bar controls wait behind "More", and fit when shown.
  await page.click('[data-testid=topbar-more]');
  const controls = await boxes(page, '.topbar > *');
  assert.ok(
    controls.some((b) => /Follow|Embed|Copy link/.test(b.name)),
    'More shows the other controls',
  );
  assert.deepEqual(overlaps(controls), [], 'the opened top bar has no overlaps');
  assert.deepEqual(outside(controls, vp), [], 'the opened top bar fits the screen');
  await page.click('[data-testid=topbar-more]');

  // Touch: the 3D view takes the gestures (orbit, pinch) and a tap on the timeline scrubs.
  assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('.view canvas')).touchAction), 'none', 'the 3D view handles touch gestures');
  const track = await page.locator('[data-testid=scrubber]').boundingBox();
  const cdp = await page.context().newCDPSession(page);
  const at = { x: track.x + track.width * 0.5, y: track.y + track.height / 2 };
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [at] });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: at.x + track.width * 0.2, y: at.y }] });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await page.waitForTimeout(200);
  const t = await page.evaluate(() => window.__packetarium.time());
  const max = Number(await page.getAttribute('[data-testid=scrubber]', 'aria-valuemax'));
  assert.ok(Math.abs(t / max - 0.7) < 0.05, `a touch drag on the timeline scrubs (${t} of ${max})`);
}

export async function run({ page, baseUrl, screenshot, consoleErrors }) {
  for (const vp of VIEWPORTS) {
    await page.setViewportSize(vp);
    await open(page, baseUrl);
    await checkViewport(page, vp, screenshot);
    if (vp.width <= 700) await checkPhone(page, vp, screenshot);
  }
  assert.deepEqual(consoleErrors(), [], 'no console errors');
}
