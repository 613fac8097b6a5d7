/**
 * The comparison run, as the Load panel drives it: the variant simulates in the (stand-in) worker to
 * the trace Node computes for it; a refused variant names the option and value and starts nothing;
 * a replaced, cancelled or closed comparison never lands.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadScene } from '../../src/scenario/load';
import { simulate } from '../../src/scenario/simulate';
import { cancelCompare, closeCompare, compareStore, startCompare } from '../../src/store/compare';
import { FakeWorker } from '../helpers/fake-worker';

const source = { text: readFileSync('scenes/retry-amplification.yaml', 'utf8'), fileName: 'scenes/retry-amplification.yaml', seed: 5 };
const BASE = 'rr-client 10.0.0.2 --rate 20 --retry immediate --attempts 3 --timeout 1s';
const EXPO = 'rr-client 10.0.0.2 --rate 20 --retry expo-full --attempts 3 --timeout 1s --budget 0.1';
const NONE = 'rr-client 10.0.0.2 --rate 20 --retry none --timeout 1s';

const settle = () => new Promise((r) => setTimeout(r, 0));
async function until(pred: () => boolean): Promise<void> {
  for (let i = 0; i < 5000 && !pred(); i++) await settle();
  expect(pred()).toBe(true);
}
function nodeHash(cmd: string, seed: number): string {
  const l = loadScene(source.text.replace(BASE, cmd), 'x.yaml');
  if (!l.ok) throw new Error('scene');
  return simulate(l.scene, { seed }).trace.hash();
}

describe('comparison run', () => {
  beforeEach(() => {
    vi.stubGlobal('Worker', FakeWorker);
    FakeWorker.made = [];
    FakeWorker.running = [];
    closeCompare();
  });
  afterEach(() => vi.unstubAllGlobals());

  it("simulates the variant in the worker, with the main run's seed, and lands it with what differs", async () => {
    expect(startCompare(source, 3, EXPO)).toBe(true);
    expect(compareStore.getState()).toMatchObject({ status: 'simulating', runIndex: 3, on: 'clients', baseCmd: BASE, cmd: EXPO });
    expect(compareStore.getState().progress).toMatchObject({ simNs: 0, inWorker: true });
    await until(() => compareStore.getState().status === 'ready');
    const s = compareStore.getState();
    expect(s.trace!.hash()).toBe(nodeHash(EXPO, 5));
    expect(s.trace!.hash()).not.toBe(nodeHash(BASE, 5));
    expect(s.scene!.run[3].cmd).toBe(EXPO);
    expect(s.progress).toBeNull();
  });

  it('a refused variant names the option and value and starts no worker', () => {
    expect(startCompare(source, 3, `${BASE} --budget 11`)).toBe(false);
    const s = compareStore.getState();
    expect(s.status).toBe('invalid');
    expect(s.errors).toEqual(['run[3] (clients): rr-client: --budget 11: must be a ratio from 0 to 10 (0.1 = 10% of requests)']);
    expect(FakeWorker.running).toEqual([]);
  });

  it('a variant replaced by another never lands, even with replies already on their way', async () => {
    startCompare(source, 3, EXPO);
    await settle();
    startCompare(source, 3, NONE);
    expect(FakeWorker.running[0].terminated).toBe(true);
    await until(() => compareStore.getState().status === 'ready');
    for (let i = 0; i < 50; i++) await settle();
    expect(compareStore.getState().cmd).toBe(NONE);
    expect(compareStore.getState().trace!.hash()).toBe(nodeHash(NONE, 5));
  });

  it('cancel stops the worker and nothing lands later; close forgets the comparison', async () => {
    startCompare(source, 3, EXPO);
    await settle();
    cancelCompare();
    expect(compareStore.getState()).toMatchObject({ status: 'cancelled', cmd: EXPO, trace: null, progress: null });
    expect(FakeWorker.running.at(-1)!.terminated).toBe(true);
    for (let i = 0; i < 100; i++) await settle();
    expect(compareStore.getState().status).toBe('cancelled');

    startCompare(source, 3, EXPO);
    await settle();
    closeCompare();
    for (let i = 0; i < 100; i++) await settle();
    expect(compareStore.getState()).toMatchObject({ status: 'idle', runIndex: -1, trace: null });
  });

  it('without workers the variant runs in the page, to the same trace', () => {
    vi.unstubAllGlobals();
    expect(startCompare(source, 3, EXPO)).toBe(true);
    expect(compareStore.getState().status).toBe('ready');
    expect(compareStore.getState().progress).toBeNull();
    expect(compareStore.getState().trace!.hash()).toBe(nodeHash(EXPO, 5));
  });
});
