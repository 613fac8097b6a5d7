// Bugs 3 and 4 of issue 18: global shortcuts leave focused controls alone (Space presses a focused
// button, arrows move within a choice list), focus follows a lesson opened by keyboard, the step dots
// and lists use a roving tab index (WAI-ARIA Authoring Practices), the timeline is a slider with
// arrow keys, Home and End, and the event rows and the devices are reachable by keyboard.
import assert from 'node:assert/strict';

export const name = 'keyboard: focused controls keep their keys, every part reachable';
export const timeout = 150_000;

const ready = (page) => page.waitForFunction(() => window.__packetarium?.ready, null, { timeout: 30_000 });
const settled = async (page) => {
  await page.waitForSelector('[data-testid=lesson-player]', { timeout: 30_000 });
  await page.waitForFunction(() => !document.querySelector('.lesson-busy'), null, { timeout: 30_000 });
};
const now = (page) => page.evaluate(() => window.__packetarium?.time());
const focused = (page) => page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120) ?? '');
const isFocused = (page, selector) => page.evaluate((s) => document.activeElement === document.querySelector(s), selector);

async function globalKeysLeaveControls(page) {
  // Space on a focused button presses that button; the simulation does not start.
  const side = page.locator('.cams button', { hasText: 'Side' });
  await side.focus();
  await page.keyboard.press(' ');
  await page.waitForTimeout(300);
  assert.match((await side.getAttribute('class')) ?? '', /\bon\b/, 'Space pressed the focused "Side" button');
  assert.equal(await page.getAttribute('.transport .play', 'aria-label'), 'Play', 'Space did not start the simulation');
  assert.ok(await side.evaluate((el) => el === document.activeElement), 'the button keeps the focus');

  // The timeline is a slider: focusable, arrows step between events, Home and End go to the ends.
  const slider = page.locator('[data-testid=scrubber]');
  assert.equal(await slider.getAttribute('role'), 'slider');
  assert.equal(await slider.getAttribute('tabindex'), '0', 'the timeline is in the tab order');
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  const next = await page.evaluate(() => window.__packetarium.nextEventTime(0));
  assert.equal(await now(page), next, '→ on the timeline goes to the next event');
  assert.equal(Number(await slider.getAttribute('aria-valuenow')), next);
  assert.ok(await slider.getAttribute('aria-valuetext'), 'the slider says its value in words');
  await page.keyboard.press('End');
  assert.equal(await now(page), Number(await slider.getAttribute('aria-valuemax')), 'End goes to the end');
  await page.keyboard.press('Home');
  assert.equal(await now(page), 0, 'Home goes to the start');
  assert.ok(await isFocused(page, '[data-testid=scrubber]'), 'the timeline keeps the focus');

  // Event rows: a listbox; ↓ selects the next row (and moves the playhead to it).
  const list = page.locator('[data-testid=event-list]');
  assert.equal(await list.getAttribute('role'), 'listbox');
  assert.equal(await list.getAttribute('tabindex'), '0', 'the event list is in the tab order');
  await list.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  const row = await page.evaluate(() => window.__packetarium.selectedRow());
  assert.ok(row >= 0, '↓ in the event list selects a row');
  const active = await list.getAttribute('aria-activedescendant');
  assert.equal(active, `ev-${row}`, 'the selected row is the active option');
  assert.equal(await page.locator(`#${active}`).getAttribute('aria-selected'), 'true');
  assert.ok(await isFocused(page, '[data-testid=event-list]'), 'the event list keeps the focus');

  // Devices: a list reachable by Tab; Enter on one shows it in the inspector.
  const devices = page.locator('[data-testid=device-list]');
  assert.equal(await devices.getAttribute('role'), 'listbox');
  await devices.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid=inspector] .node-view, [data-testid=inspector] .frame-sum');
  assert.ok(await page.locator('[data-testid=device-list] [role=option][aria-selected=true]').count(), 'a device is selected');
}

async function lessonByKeyboard(page) {
  await page.keyboard.press('Escape');
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('l');
  await page.waitForSelector('[data-testid=lesson-catalogue]');
  await page.waitForTimeout(200);
  await page.keyboard.press('Enter');
  await settled(page);
  assert.ok(
    await page.evaluate(() => !!document.activeElement?.closest('[data-testid=lesson-panel]')),
    `focus is in the lesson after Enter (${await focused(page)})`,
  );

  // Step dots: one tab stop; arrows move between them.
  const dots = page.locator('.lesson-dots [role=tab]');
  assert.equal(await page.locator('.lesson-dots [role=tab][tabindex="0"]').count(), 1, 'the step dots are one tab stop');
  await dots.nth(0).focus();
  await page.keyboard.press('ArrowRight');
  assert.ok(await dots.nth(1).evaluate((el) => el === document.activeElement), '→ moves to the next step dot');
  await page.keyboard.press('End');
  assert.ok(await dots.last().evaluate((el) => el === document.activeElement), 'End moves to the last step dot');

  // A question: ↑/↓ move between the choices, ← and → leave the simulation alone, Space answers.
  await page.evaluate(() => document.activeElement?.blur());
  for (let i = 0; i < 12 && !(await page.isVisible('[data-testid=lesson-question]')); i++) {
    await page.keyboard.press('n');
    await settled(page);
  }
  assert.ok(await page.isVisible('[data-testid=lesson-question]'), 'reached a question');
  await page.focus('[data-testid=choice-a]');
  const t = await now(page);
  await page.keyboard.press('ArrowDown');
  assert.ok(await isFocused(page, '[data-testid=choice-b]'), '↓ moves to the next choice');
  await page.keyboard.press('ArrowUp');
  assert.ok(await isFocused(page, '[data-testid=choice-a]'), '↑ moves back');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await now(page), t, '← / → on a choice do not step the simulation');
  assert.ok(await isFocused(page, '[data-testid=choice-a]'), 'the choice keeps the focus');
  await page.keyboard.press(' ');
  await page.waitForSelector('[data-testid=choice-a][aria-pressed=true]');

  // An exercise's options are radios: arrows move and choose.
  for (let i = 0; i < 12 && !(await page.isVisible('[data-testid=lesson-try]')); i++) {
    await page.evaluate(() => document.activeElement?.blur());
    await page.keyboard.press('n');
    await settled(page);
  }
  assert.ok(await page.isVisible('[data-testid=lesson-try]'), 'reached an exercise');
  const radios = page.locator('[data-testid=lesson-try] [role=radiogroup]').first().locator('[role=radio]');
  const checked = await radios.evaluateAll((rs) => rs.findIndex((r) => r.getAttribute('aria-checked') === 'true'));
  const from = Math.max(0, checked);
  await radios.nth(from).focus();
  await page.keyboard.press('ArrowRight');
  const to = (from + 1) % (await radios.count());
  assert.ok(await radios.nth(to).evaluate((el) => el === document.activeElement), '→ moves to the next option');
  assert.equal(await radios.nth(to).getAttribute('aria-checked'), 'true', 'and chooses it');
}

export async function run({ page, baseUrl, consoleErrors }) {
  await page.goto(`${baseUrl}/index.html?scene=router-ping`, { waitUntil: 'load' });
  await ready(page);
  await globalKeysLeaveControls(page);
  await lessonByKeyboard(page);
  assert.deepEqual(consoleErrors(), [], 'no console errors');
}
