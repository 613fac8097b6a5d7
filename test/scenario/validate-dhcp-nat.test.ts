/** Scene validation of the DHCP and NAT fields: each mistake reported at its path, in words. */
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadScene } from '../../src/scenario/load';

function errors(nodes: unknown[], extra: Record<string, unknown> = {}): { path: string; message: string }[] {
  const r = loadScene(stringify({ version: 1, title: 't', duration: '1s', nodes, links: [], ...extra }), 't.yaml');
  return r.ok ? [] : r.errors.map((e) => ({ path: e.path, message: e.message }));
}

const router = (fields: Record<string, unknown>) => ({ id: 'r1', kind: 'router', interfaces: ['10.0.0.254/24', '203.0.113.2/24'], ...fields });

describe('validation of ip: dhcp, dhcp-server, dhcp-relay and nat', () => {
  it('accepts ip: dhcp, and refuses a gateway beside it (the lease gives one)', () => {
    expect(errors([{ id: 'h1', kind: 'host', ip: 'dhcp' }])).toEqual([]);
    expect(errors([{ id: 'h1', kind: 'host', ip: 'dhcp', gateway: '10.0.0.254' }])).toEqual([
      { path: 'nodes[0].gateway', message: 'with ip: dhcp the gateway comes from the lease (option 3); leave gateway out' },
    ]);
    expect(errors([{ id: 'h1', kind: 'host', ip: 'dhcpp' }])[0].message).toBe('"dhcpp" is not an address with a prefix length, e.g. 10.0.0.1/24');
  });

  it('checks a pool: its range inside its subnet and in order, its router on the subnet', () => {
    const pool = { subnet: '10.0.0.0/24', range: '10.0.0.200-10.0.1.10', router: '10.0.9.1' };
    expect(errors([router({ 'dhcp-server': [pool] })])).toEqual([
      { path: 'nodes[0].dhcp-server[0].range', message: '10.0.1.10 is not a host address of 10.0.0.0/24' },
      { path: 'nodes[0].dhcp-server[0].router', message: 'router 10.0.9.1 is outside 10.0.0.0/24' },
    ]);
    expect(errors([router({ 'dhcp-server': [{ subnet: '10.0.0.0/24', range: '10.0.0.9-10.0.0.1' }] })])[0].message).toBe(
      'range 10.0.0.9-10.0.0.1 ends before it starts',
    );
    expect(errors([router({ 'dhcp-server': [{ subnet: '10.0.0.0/24', range: '10.0.0.9', lease: '1.5s' }] })]).map((e) => e.path)).toEqual([
      'nodes[0].dhcp-server[0].range',
      'nodes[0].dhcp-server[0].lease',
    ]);
  });

  it('checks the relay and the NAT name interfaces the router has, and that a router is not both server and relay', () => {
    expect(errors([router({ 'dhcp-relay': { on: ['eth7'], server: '10.0.0.2' } })])).toEqual([
      { path: 'nodes[0].dhcp-relay.on[0]', message: 'no interface eth7 (this router has eth0, eth1)' },
    ]);
    expect(
      errors([router({ 'dhcp-relay': { on: ['eth0'], server: '10.0.0.2' }, 'dhcp-server': [{ subnet: '10.0.0.0/24', range: '10.0.0.9-10.0.0.10' }] })]),
    ).toEqual([{ path: 'nodes[0].dhcp-relay', message: 'a router runs a DHCP server or a relay, not both (both listen on port 67)' }]);
    expect(errors([router({ nat: { inside: ['eth1'], outside: 'eth1' } })])).toEqual([
      { path: 'nodes[0].nat.inside[0]', message: 'eth1 cannot be both inside and outside' },
    ]);
    expect(errors([router({ nat: { inside: ['eth0'], outside: 'eth1', forward: [{ port: 80, to: '10.0.0.5' }] } })])).toEqual([
      { path: 'nodes[0].nat.forward[0].to', message: '"10.0.0.5" is not an address and port, e.g. 10.0.0.5:80' },
    ]);
  });

  it('accepts a port forward fault on a node', () => {
    expect(
      errors([router({ nat: { inside: ['eth0'], outside: 'eth1' } })], { faults: [{ at: '1ms', node: 'r1', forward: { port: 8080, to: '10.0.0.5:80' } }] }),
    ).toEqual([]);
    expect(errors([router({})], { faults: [{ at: '1ms', node: 'r9', forward: { port: 8080, to: '10.0.0.5:80' } }] })[0].path).toBe('faults[0].node');
  });
});
