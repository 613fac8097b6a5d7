import { describe, expect, it } from 'vitest';
import { appKinds } from '../../src/apps/registry';
import { ON_DEMAND_PROGRAMS, loadOnDemand } from '../../src/runner/on-demand';

describe('what the simulation worker loads on demand', () => {
  it('lists exactly the programs apps/index.ts registers beyond apps/light.ts', async () => {
    await import('../../src/apps/light');
    const light = new Set(appKinds().map((a) => a.name));
    await import('../../src/apps/index');
    const more = appKinds()
      .map((a) => a.name)
      .filter((n) => !light.has(n));
    expect([...ON_DEMAND_PROGRAMS].sort()).toEqual(more.sort());
    // The light ones need no TLS, QUIC or HTTP: the programs of a ping or traceroute scene.
    expect([...light]).toEqual(expect.arrayContaining(['ping', 'traceroute', 'dig', 'nc', 'iperf3']));
  });

  it('loads without error for any text, and for everything', async () => {
    await expect(loadOnDemand('run: [{ on: c, cmd: "curl https://10.0.0.2/" }]\nfaults: [{ drop: { match: "tcp" } }]')).resolves.toBeUndefined();
    await expect(loadOnDemand('', true)).resolves.toBeUndefined();
  });
});
