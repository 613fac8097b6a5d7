import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScene } from '../../src/scenario/load';
import { startSimulationWith } from '../../src/runner/client';
import type { SimLimits, SimReply, SimRequest } from '../../src/runner/protocol';
import { runSimRequest } from '../../src/runner/run-request';

const DNS = readFileSync('scenes/dns-lookup.yaml', 'utf8');
const LIMITS: SimLimits = { nodes: 48, links: 96, runs: 64, events: 300_000, wallMs: 60_000 };

/** Runs a request the way the worker does and collects its replies, structured-cloned like postMessage. */
function replies(req: Omit<SimRequest, 'type' | 'runId'>): SimReply[] {
  const out: SimReply[] = [];
  let clock = 0;
  runSimRequest(
    { ...req, type: 'run', runId: 1 },
    (reply, transfer) => out.push(structuredClone(reply, { transfer })),
    () => (clock += 1),
  );
  return out;
}

function switches(n: number): string {
  return `version: 1\ntitle: big\nduration: 1ms\nnodes:\n${Array.from({ length: n }, (_, i) => `  - { id: s${i}, kind: switch }`).join('\n')}\n`;
}

describe('the simulation worker validates for pages that do not', () => {
  it('sends the validated scene and the 3D shape of each device kind back with the trace when asked', () => {
    const done = replies({ text: DNS, fileName: 'scenes/dns-lookup.yaml', returnScene: true }).at(-1);
    expect(done?.type).toBe('done');
    if (done?.type !== 'done') return;
    const loaded = loadScene(DNS, 'scenes/dns-lookup.yaml');
    expect(loaded.ok && done.scene).toEqual(loaded.ok ? loaded.scene : null);
    expect(done.shapes).toMatchObject({ 'dns-server': 'server', host: 'host' });
  });

  it('sends no scene when not asked (the app validates on the page itself)', () => {
    const done = replies({ text: DNS, fileName: 'scenes/dns-lookup.yaml' }).at(-1);
    expect(done?.type === 'done' && done.scene).toBe(undefined);
  });

  it('refuses a scene over the device limit before running it, naming the limit', () => {
    const out = replies({ text: switches(60), fileName: 'embedded scene', limits: LIMITS });
    expect(out).toEqual([{ type: 'invalid', runId: 1, errors: ['embedded scene: nodes: 60 devices (an embedded scene may have at most 48)'] }]);
  });

  it('runs a scene at the device limit', () => {
    expect(replies({ text: switches(48), fileName: 'embedded scene', limits: LIMITS }).at(-1)?.type).toBe('done');
  });

  it('returns path-named validation errors', () => {
    const out = replies({ text: 'version: 1\nnodes: 7\n', fileName: 'embedded scene', limits: LIMITS });
    expect(out).toHaveLength(1);
    expect(out[0].type === 'invalid' && out[0].errors).toContain('embedded scene:2:8 nodes: expected a list, got 7');
  });
});

describe('a run in the page whose simulator loads lazily', () => {
  it('finishes once the simulator has loaded', async () => {
    const result = await new Promise<string>((resolve) => {
      startSimulationWith(
        async (request, post) => {
          await Promise.resolve();
          runSimRequest(
            request,
            (reply) => post(reply),
            () => 0,
          );
        },
        { text: DNS, fileName: 'scenes/dns-lookup.yaml', returnScene: true },
        { onDone: (r) => resolve(`done ${r.scene?.title ?? ''} ${r.events > 0}`), onInvalid: (e) => resolve(e.join()), onFailed: resolve },
        { inPage: true },
      );
    });
    expect(result).toMatch(/^done .+ true$/);
  });

  it('fails with a message when the simulator cannot be loaded', async () => {
    const result = await new Promise<string>((resolve) => {
      startSimulationWith(
        () => Promise.reject(new Error('offline')),
        { text: DNS, fileName: 'scenes/dns-lookup.yaml' },
        { onDone: () => resolve('done'), onInvalid: (e) => resolve(e.join()), onFailed: resolve },
        { inPage: true },
      );
    });
    expect(result).toBe('scenes/dns-lookup.yaml: the simulator could not be loaded: offline');
  });
});
