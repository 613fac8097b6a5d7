/**
 * Loading a scene in the background, as the app does: the store goes `simulating` with progress that
 * climbs, then `ready` with the trace Node computes in one go; a replaced or cancelled run never
 * lands; bad scenes give the same path-named errors as the synchronous path; without workers (or when
 * the worker cannot start) the same run happens in the page.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadScene } from '../../src/scenario/load';
import { simulate } from '../../src/scenario/simulate';
import { cancelSceneRun, runSceneInBackground, runSceneText, sceneStore, type SceneProgress } from '../../src/store/scene';
import { workersAvailable } from '../../src/runner/start-simulation';
import { FakeWorker } from '../helpers/fake-worker';

const text = (name: string) => readFileSync(`scenes/${name}.yaml`, 'utf8');
const nodeHash = (name: string) => {
  const l = loadScene(text(name), name);
  if (!l.ok) throw new Error(name);
  return simulate(l.scene).trace.hash();
};
const settle = () => new Promise((r) => setTimeout(r, 0));

async function until(pred: () => boolean): Promise<void> {
  for (let i = 0; i < 5000 && !pred(); i++) await settle();
  expect(pred()).toBe(true);
}

describe('scene runs in the background', () => {
  beforeEach(() => {
    vi.stubGlobal('Worker', FakeWorker);
    FakeWorker.made = [];
    FakeWorker.running = [];
    sceneStore.setState({ status: 'idle', name: '', trace: null, index: null, progress: null });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('goes simulating with climbing progress, then ready with the trace Node computes', async () => {
    const seen: SceneProgress[] = [];
    const unsub = sceneStore.subscribe((s) => {
      if (s.status === 'simulating' && s.progress && s.progress.events > 0) seen.push(s.progress);
    });
    let readyCalls = 0;
    runSceneInBackground(text('retry-amplification'), 'scenes/retry-amplification.yaml', 'retry-amplification', {}, () => readyCalls++);
    expect(sceneStore.getState().status).toBe('simulating');
    expect(sceneStore.getState().progress).toMatchObject({ simNs: 0, events: 0, inWorker: true });
    await until(() => sceneStore.getState().status === 'ready');
    unsub();
    const s = sceneStore.getState();
    expect(s.trace!.hash()).toBe(nodeHash('retry-amplification'));
    expect(s.index!.trace).toBe(s.trace);
    expect(s.progress).toBeNull();
    expect(readyCalls).toBe(1);
    expect(seen.length).toBeGreaterThan(3);
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i].events).toBeGreaterThan(seen[i - 1].events);
      expect(seen[i].simNs).toBeGreaterThanOrEqual(seen[i - 1].simNs);
      expect(seen[i].simNs).toBeLessThanOrEqual(seen[i].durationNs);
    }
  });

  it('drops every reply of a run replaced by another scene, even ones already on their way', async () => {
    runSceneInBackground(text('retry-amplification'), 'scenes/retry-amplification.yaml', 'retry-amplification');
    await settle();
    await settle();
    runSceneInBackground(text('router-ping'), 'scenes/router-ping.yaml', 'router-ping');
    expect(FakeWorker.running[0].terminated).toBe(true);
    expect(FakeWorker.running[1]).not.toBe(FakeWorker.running[0]);
    await until(() => sceneStore.getState().status === 'ready');
    for (let i = 0; i < 50; i++) await settle(); // let the old worker's queued replies arrive
    const s = sceneStore.getState();
    expect(s.name).toBe('router-ping');
    expect(s.trace!.hash()).toBe(nodeHash('router-ping'));
  });

  it('cancel stops the run: the store says cancelled and nothing lands later', async () => {
    runSceneInBackground(text('retry-amplification'), 'scenes/retry-amplification.yaml', 'retry-amplification');
    await settle();
    await settle();
    cancelSceneRun();
    expect(sceneStore.getState()).toMatchObject({ status: 'cancelled', name: 'retry-amplification', trace: null, progress: null });
    for (let i = 0; i < 100; i++) await settle();
    expect(sceneStore.getState().status).toBe('cancelled');
    expect(FakeWorker.running.at(-1)!.terminated).toBe(true);
  });

  it('a bad scene gives the same path-named errors as the synchronous path, before any worker starts', () => {
    const bad = 'version: 1\ntitle: t\nduration: 5ms\nnodes:\n  - { id: h1, kind: host, ip: 10.0.0.1/24 }\nlinks:\n  - { a: h1, b: nope, latency: fast }\n';
    runSceneText(bad, 'bad.yaml', 'bad');
    const sync = sceneStore.getState().errors;
    runSceneInBackground(bad, 'bad.yaml', 'bad');
    expect(sceneStore.getState().status).toBe('error');
    expect(sceneStore.getState().errors).toEqual(sync);
    expect(sync.join('\n')).toMatch(/bad\.yaml:\d+:\d+ links\[0\]/);
    expect(FakeWorker.running).toEqual([]);
  });

  it('without Worker the run happens in the page, to the same trace', () => {
    vi.unstubAllGlobals();
    expect(workersAvailable()).toBe(false);
    runSceneInBackground(text('router-ping'), 'scenes/router-ping.yaml', 'router-ping');
    const s = sceneStore.getState();
    expect(s.status).toBe('ready');
    expect(s.trace!.hash()).toBe(nodeHash('router-ping'));
  });

  it('when the worker cannot start, the run falls back to the page', async () => {
    FakeWorker.failToStart = true;
    runSceneInBackground(text('router-ping'), 'scenes/router-ping.yaml', 'router-ping');
    await until(() => sceneStore.getState().status === 'ready');
    expect(sceneStore.getState().trace!.hash()).toBe(nodeHash('router-ping'));
    expect(workersAvailable()).toBe(false);
  });
});
