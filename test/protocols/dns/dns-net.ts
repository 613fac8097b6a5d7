/** The dns-lookup scene with other commands (and optionally another TTL for example.com). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { TestNet } from '../../helpers/net';

const SCENE = fileURLToPath(new URL('../../../scenes/dns-lookup.yaml', import.meta.url));

export function dnsNet(
  run: { on: string; at: string; cmd: string }[],
  o: { ttl?: number; duration?: string; extraRecords?: string[]; faults?: unknown[] } = {},
): TestNet {
  const scene = parse(readFileSync(SCENE, 'utf8')) as { run: unknown; duration: string; nodes: { id: string; zones?: { records: string[] }[] }[] };
  scene.run = run;
  if (o.faults) (scene as { faults?: unknown[] }).faults = o.faults;
  if (o.duration) scene.duration = o.duration;
  const auth = scene.nodes.find((n) => n.id === 'auth')!.zones![0];
  if (o.ttl !== undefined) auth.records = auth.records.map((r) => r.replace('@ 300 A', `@ ${o.ttl} A`));
  if (o.extraRecords) auth.records.push(...o.extraRecords);
  return TestNet.fromYaml(stringify(scene)).runToEnd();
}

/** DNS frames on a link (in record order) as [direction, Info column]. */
export function dnsOn(net: TestNet, link: string): [string, string][] {
  return net
    .frames(link)
    .filter((f) => f.dissected.protocol === 'DNS')
    .map((f) => [f.dir, f.dissected.summary.replace(/0x[0-9a-f]{4}/, 'ID')]);
}
