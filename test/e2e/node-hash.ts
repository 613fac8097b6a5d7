// Prints the trace hash Node computes for each scene named on the command line, as JSON:
//   npx tsx test/e2e/node-hash.ts router-ping hub-vs-switch  ->  {"router-ping":"...", ...}
// The browser test compares these with window.__packetarium.traceHash.
import { readFileSync } from 'node:fs';
import { loadScene } from '../../src/scenario/load';
import { simulate } from '../../src/scenario/simulate';

const out: Record<string, { hash: string; rows: number; events: number }> = {};
for (const name of process.argv.slice(2)) {
  const file = `scenes/${name}.yaml`;
  const loaded = loadScene(readFileSync(file, 'utf8'), file);
  if (!loaded.ok) throw new Error(`${file}: ${JSON.stringify(loaded.errors)}`);
  const run = simulate(loaded.scene);
  out[name] = { hash: run.trace.hash(), rows: run.trace.length, events: run.events };
}
process.stdout.write(`${JSON.stringify(out)}\n`);
