/**
 * Building the variant of a scene for a comparison run: one load client's command replaced, every
 * other run entry and every fault untouched; the program's own option checks name the option and
 * value; a variant with the same command simulates to the very same trace.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commandOption, withCommandOption } from '../../src/apps/command-options';
import { loadScene } from '../../src/scenario/load';
import { parseRawScene } from '../../src/scenario/raw-scene';
import { buildRunVariant, clientRuns, describeCommandDiff, withPolicy } from '../../src/scenario/run-variant';
import { simulate } from '../../src/scenario/simulate';

const text = readFileSync('scenes/retry-amplification.yaml', 'utf8');
const CLIENT = 3; // run[3]: rr-client on clients
const BASE = 'rr-client 10.0.0.2 --rate 20 --retry immediate --attempts 3 --timeout 1s';

function scene() {
  const l = loadScene(text, 'retry-amplification.yaml');
  if (!l.ok) throw new Error('scene');
  return l.scene;
}

describe('variant of a scene with one client command replaced', () => {
  it('lists the load clients by device and command, not the servers', () => {
    expect(clientRuns(scene())).toEqual([{ index: CLIENT, on: 'clients', cmd: BASE }]);
  });

  it('replaces that command only: other run entries, faults, seed and the original data are untouched', () => {
    const raw = parseRawScene(text);
    const before = JSON.stringify(raw);
    const cmd = 'rr-client 10.0.0.2 --rate 20 --retry expo-full --attempts 3 --timeout 1s --budget 0.1';
    const v = buildRunVariant(raw, CLIENT, cmd);
    if (!v.ok) throw new Error(v.errors.join('\n'));
    expect(JSON.stringify(raw)).toBe(before);
    const orig = scene();
    expect(v.scene.run[CLIENT].cmd).toBe(cmd);
    expect(v.scene.run.filter((_, i) => i !== CLIENT)).toEqual(orig.run.filter((_, i) => i !== CLIENT));
    expect(v.scene.faults).toEqual(orig.faults);
    expect(v.scene.seed).toBe(orig.seed);
    expect(v.scene.nodes).toEqual(orig.nodes);
    expect(v.scene.links).toEqual(orig.links);
  });

  it('with the same command and seed, the variant simulates to the same trace as the original', () => {
    const v = buildRunVariant(parseRawScene(text), CLIENT, BASE);
    if (!v.ok) throw new Error(v.errors.join('\n'));
    const fromText = loadScene(v.text, 'variant.json');
    if (!fromText.ok) throw new Error('variant text');
    expect(simulate(fromText.scene, { seed: 99 }).trace.hash()).toBe(simulate(scene(), { seed: 99 }).trace.hash());
  });

  it('a different retry policy gives a different run of the same load', () => {
    const v = buildRunVariant(parseRawScene(text), CLIENT, withPolicy(BASE, { '--retry': 'none' }));
    if (!v.ok) throw new Error(v.errors.join('\n'));
    expect(simulate(v.scene).trace.hash()).not.toBe(simulate(scene()).trace.hash());
  });

  it('errors name the run entry, the option and the value', () => {
    const raw = parseRawScene(text);
    const err = (runIndex: number, cmd: string) => {
      const v = buildRunVariant(raw, runIndex, cmd);
      if (v.ok) throw new Error(`accepted ${cmd}`);
      return v.errors.join('\n');
    };
    expect(err(CLIENT, withPolicy(BASE, { '--retry': 'fast' }))).toBe(
      'run[3] (clients): rr-client: --retry fast: must be one of none, immediate, fixed, expo, expo-full, expo-equal, decorrelated',
    );
    expect(err(CLIENT, withPolicy(BASE, { '--attempts': '0' }))).toMatch(/^run\[3\] \(clients\): rr-client: --attempts 0: must be 1 to 255$/);
    expect(err(CLIENT, withPolicy(BASE, { '--attempts': 'many' }))).toMatch(/option --attempts: "many" is not a whole number/);
    expect(err(CLIENT, withPolicy(BASE, { '--budget': '20' }))).toMatch(/--budget 20: must be a ratio from 0 to 10/);
    expect(err(CLIENT, withPolicy(BASE, { '--timeout': 'soon' }))).toMatch(/option --timeout: "soon" is not a time/);
    expect(err(CLIENT, `${BASE} --jitter 5`)).toMatch(/unknown option --jitter/);
    expect(err(CLIENT, 'ping 10.0.0.2')).toMatch(/^run\[3\] \(clients\): the variant must run rr-client/);
    expect(err(0, BASE)).toMatch(/^run\[0\] \(db\): runs rr-server, not rr-client/);
    expect(err(9, BASE)).toMatch(/^run\[9\]: the scene has no such run entry \(it has 4\)/);
  });
});

describe('editing command options as text', () => {
  it('replaces an option in place, appends a missing one, and removes one given no value', () => {
    expect(withPolicy(BASE, { '--retry': 'expo-full', '--budget': '0.1', '--attempts': '' })).toBe(
      'rr-client 10.0.0.2 --rate 20 --retry expo-full --timeout 1s --budget 0.1',
    );
    expect(commandOption(BASE, '--timeout')).toBe('1s');
    expect(commandOption(BASE, '--budget')).toBeNull();
    expect(withCommandOption('ping 10.0.0.2 -c 3', '-c', 5)).toBe('ping 10.0.0.2 -c 5');
  });

  it('says what differs between two commands, each side in its own words', () => {
    expect(describeCommandDiff(BASE, 'rr-client 10.0.0.2 --rate 20 --retry expo-full --attempts 3 --timeout 1s --budget 0.1')).toEqual({
      a: '--retry immediate',
      b: '--retry expo-full --budget 0.1',
    });
    expect(describeCommandDiff(BASE, BASE)).toEqual({ a: '', b: '' });
    expect(describeCommandDiff('rr-client 10.0.0.2 --rate 5 --ramp', 'rr-client 10.0.0.2 --rate 5')).toEqual({ a: '--ramp', b: '' });
  });
});
