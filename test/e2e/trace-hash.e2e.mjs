// Same scene, same seed: the trace the browser computes hashes exactly like the one Node computes. The
// browser's trace is rebuilt from the chunks the simulation worker streams, so this also checks that
// nothing is lost or reordered on the way (the overload scenes have thousands of rows per chunk).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const name = 'trace hash matches Node';
export const timeout = 120_000;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// tcp-loss (a match fault), tls12-vs-tls13 and h2-vs-h3-loss (curl, servers, TLS, QUIC) need parts the
// worker loads on demand.
const SCENES = ['router-ping', 'hub-vs-switch', 'backoff-jitter', 'retry-amplification', 'lb-failover', 'tcp-loss', 'tls12-vs-tls13', 'h2-vs-h3-loss'];

function nodeHashes() {
  const r = spawnSync('npx', ['tsx', 'test/e2e/node-hash.ts', ...SCENES], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node-hash.ts failed (exit ${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

export async function run({ page, baseUrl, consoleErrors }) {
  const expected = nodeHashes();
  for (const scene of SCENES) {
    await page.goto(`${baseUrl}/index.html?scene=${scene}`, { waitUntil: 'load' });
    await page.waitForFunction((s) => window.__packetarium?.ready && window.__packetarium.sceneName === s, scene, { timeout: 30_000 });
    const got = await page.evaluate(() => window.__packetarium);
    assert.equal(got.sceneName, scene);
    assert.match(got.traceHash, /^[0-9a-f]{8,}$/i, `hash looks like a hash: ${got.traceHash}`);
    assert.equal(got.traceHash, expected[scene].hash, `${scene}: browser hash ${got.traceHash} != node hash ${expected[scene].hash}`);
    assert.equal(got.events, expected[scene].events, `${scene}: kernel event count`);
    assert.equal(got.rows, expected[scene].rows, `${scene}: trace rows`);
  }
  assert.deepEqual(consoleErrors(), [], 'console errors');
}
