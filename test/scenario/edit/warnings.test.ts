import { describe, expect, it } from 'vitest';
import { sceneWarnings } from '../../../src/scenario/edit/warnings';
import type { SceneData } from '../../../src/scenario/edit/commands';

function scene(nodes: Record<string, unknown>[], links: Record<string, unknown>[] = []): SceneData {
  return { version: 1, title: 't', duration: '40ms', nodes, links };
}

describe('scene warnings', () => {
  it('a correct two-subnet network has none', () => {
    expect(
      sceneWarnings(
        scene([
          { id: 'h1', kind: 'host', ip: '10.0.0.1/24', gateway: '10.0.0.254' },
          { id: 'r1', kind: 'router', interfaces: ['10.0.0.254/24', '10.0.1.254/24'] },
          { id: 'h2', kind: 'host', ip: '10.0.1.5/24', gateway: '10.0.1.254' },
        ]),
      ),
    ).toEqual([]);
  });

  it('says so for a host with no gateway, a router with no route back, a shared address and a gateway nobody has', () => {
    const w = sceneWarnings(
      scene([
        { id: 'h1', kind: 'host', ip: '10.0.0.1/24' },
        { id: 'r1', kind: 'router', interfaces: ['10.0.0.254/24'] },
        { id: 'h2', kind: 'host', ip: '10.0.9.5/24', gateway: '10.0.9.254' },
        { id: 'h3', kind: 'host', ip: '10.0.0.1/24', gateway: '10.0.0.254' },
      ]),
    );
    expect(w).toContain('h1 has no gateway: it can reach only its own subnet');
    expect(w).toContain("r1 has no route to h2's subnet: replies to it cannot get back");
    expect(w).toContain('h3 and h1 both have the address 10.0.0.1');
    expect(w).toContain("h2's gateway 10.0.9.254 is no device's address");
  });

  it('a hub segment whose round trip exceeds the 51.2 µs slot time', () => {
    const w = sceneWarnings(
      scene(
        [
          { id: 'a', kind: 'host', ip: '10.0.0.1/24' },
          { id: 'b', kind: 'host', ip: '10.0.0.2/24' },
          { id: 'hub1', kind: 'hub' },
        ],
        [
          { a: 'a', b: 'hub1', latency: '20us' },
          { a: 'b', b: 'hub1', latency: '10us' },
        ],
      ),
    );
    expect(w.some((x) => x.startsWith('hub hub1: a-hub1 and b-hub1 make a round trip longer'))).toBe(true);
    const ok = sceneWarnings(
      scene(
        [
          { id: 'a', kind: 'host', ip: '10.0.0.1/24' },
          { id: 'b', kind: 'host', ip: '10.0.0.2/24' },
          { id: 'hub1', kind: 'hub' },
        ],
        [
          { a: 'a', b: 'hub1', latency: '1us' },
          { a: 'b', b: 'hub1', latency: '1us' },
        ],
      ),
    );
    expect(ok).toEqual([]);
  });
});
