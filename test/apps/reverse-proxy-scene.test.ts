/** scenes/reverse-proxy.yaml: TLS ends at the proxy, misses go round robin to b1/b2, repeats are cache hits. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import '../../src/apps';
import { loadSceneFile, simulate } from '../../src/cli/run-scene';
import { TraceView } from '../helpers/net';

const SCENE = fileURLToPath(new URL('../../scenes/reverse-proxy.yaml', import.meta.url));

describe('reverse-proxy scene', () => {
  const v = new TraceView(simulate(loadSceneFile(SCENE), {}).trace);
  const proxy = v.logs('proxy').filter((l) => l.includes('"GET '));

  it('forwards the first load round robin and answers the second from its cache', () => {
    const misses = proxy.filter((l) => l.includes('MISS'));
    const hits = proxy.filter((l) => l.includes('from cache'));
    expect(misses).toHaveLength(8);
    expect(hits).toHaveLength(8);
    const backends = v.logs('proxy').filter((l) => l.includes('-> 10.0.1.')).length;
    expect(backends).toBe(8);
    // Round robin: both back ends served half of the first load; nothing reached them afterwards.
    expect(v.logs('b1').filter((l) => l.includes('"GET '))).toHaveLength(4);
    expect(v.logs('b2').filter((l) => l.includes('"GET '))).toHaveLength(4);
    const loads = v
      .logs('browser')
      .filter((l) => l.includes('finished in'))
      .map((l) => Number(/finished in ([\d.]+)/.exec(l)![1]));
    expect(loads).toHaveLength(2);
    expect(loads[1]).toBeLessThan(loads[0]);
  });

  it('terminates TLS: the browser side is TLS, the back-end side plain HTTP/1.1', () => {
    const front = v.frames('browser-r1').filter((f) => f.dissected.protocol === 'TLS');
    expect(front.length).toBeGreaterThan(0);
    const back = [...v.frames('b1-sw1'), ...v.frames('b2-sw1')];
    expect(back.some((f) => f.dissected.protocol === 'TLS')).toBe(false);
    expect(back.filter((f) => f.dissected.protocol === 'HTTP' && /^GET /.test(f.dissected.summary))).toHaveLength(8);
  });
});
