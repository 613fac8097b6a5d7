/** `npm run golden:update`: rewrites trace-hashes.json from the current simulator. Review the diff. */
import { writeFileSync } from 'node:fs';
import { GOLDEN_FILE, sceneFiles, sceneHash } from './scene-hashes';

const hashes: Record<string, string> = {};
for (const f of sceneFiles()) hashes[f] = sceneHash(f);
writeFileSync(GOLDEN_FILE, `${JSON.stringify(hashes, null, 2)}\n`);
console.log(`wrote ${Object.keys(hashes).length} scene hashes to ${GOLDEN_FILE}`);
