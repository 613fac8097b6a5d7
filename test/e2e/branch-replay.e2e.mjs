// Replaying a branch in the browser: random sequences of branch actions (fast-check's `sample`, seeded,
// over router-ping and tcp-loss; test/e2e/branch-hash.ts) are derived and simulated in Node, then opened
// in the page through their share link (`?scene=...&branches=...`), which runs the branch in the
// page's simulation worker. The hash of the trace the page shows must equal Node's, and opening the
// same link again must give it again (issue #14: "the same trace hash every time it is replayed, in
// Node and in the worker").
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const name = 'random branches replay to the same trace hash in the worker as in Node';
export const timeout = 120_000;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const COUNT = 8;
const SEED = 20261208;

function nodeBranches() {
  const r = spawnSync('npx', ['tsx', 'test/e2e/branch-hash.ts', String(COUNT), String(SEED)], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`branch-hash.ts failed (exit ${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

/** Opens the share link and waits for the branch it names to be simulated and shown; returns what the page shows. */
async function openBranch(page, baseUrl, c) {
  await page.goto(`${baseUrl}/index.html?scene=${c.scene}&branches=${c.branches}`, { waitUntil: 'load' });
  await page.waitForFunction(
    (scene) => {
      const p = window.__packetarium;
      if (!p?.ready || p.sceneName !== scene) return false;
      const tree = p.branches();
      const shown = tree.branches.find((b) => b.id === tree.currentId);
      return tree.currentId !== 'root' && (shown?.run === 'ready' || shown?.run === 'error');
    },
    c.scene,
    { timeout: 30_000 },
  );
  return page.evaluate(() => {
    const p = window.__packetarium;
    const tree = p.branches();
    const shown = tree.branches.find((b) => b.id === tree.currentId);
    return { run: shown.run, actions: shown.actions, hash: p.traceHash, rows: p.rows };
  });
}

export async function run({ page, baseUrl, consoleErrors }) {
  const cases = nodeBranches();
  assert.equal(cases.length, COUNT);
  const kinds = cases.flatMap((c) => c.actions).join('\n');
  for (const kind of [/ heal$/m, / interrupt /, / partition /, / crash$/m, / link /, /packet/]) {
    assert.match(kinds, kind, `the sample exercises ${kind}`);
  }
  assert.ok(
    cases.some((c) => c.hash !== c.rootHash),
    'at least one branch departs from its scene',
  );
  for (const [i, c] of cases.entries()) {
    const what = `case ${i + 1} (${c.scene}: ${c.actions.join('; ')})`;
    for (const attempt of ['first', 'second']) {
      const got = await openBranch(page, baseUrl, c);
      assert.equal(got.run, 'ready', `${what}, ${attempt} run: the branch ran`);
      assert.deepEqual(got.actions, c.actions, `${what}: the page has the branch's actions`);
      assert.ok(page.workers().length > 0, `${what}: the page runs a simulation worker`);
      assert.equal(got.hash, c.hash, `${what}, ${attempt} run: worker hash ${got.hash} != Node hash ${c.hash}`);
      assert.equal(got.rows, c.rows, `${what}, ${attempt} run: trace rows`);
    }
  }
  assert.deepEqual(consoleErrors(), [], 'console errors');
}
