/**
 * `ip addr` and `ip route` on a DHCP client (dhcp-dora's h1): no address before the lease, then the
 * leased address marked `dynamic` (as iproute2 shows an address with a lifetime), its connected route
 * and the default route through the gateway the lease gave.
 */
import { describe, expect, it } from 'vitest';
import { loadSceneFile, simulate } from '../../../src/cli/run-scene';
import { runHostCommand } from '../../../src/timeline/host-state';

const scene = loadSceneFile('scenes/dhcp-dora.yaml');
const trace = simulate(scene).trace;
const run = (host: string, ms: number, line: string) => runHostCommand({ scene, trace }, host, ms * 1e6, line).stdout;

describe('ip on a DHCP client', () => {
  it('shows no IPv4 address and no routes before the lease', () => {
    expect(run('h1', 1, 'ip addr show eth0')).not.toContain('inet ');
    expect(run('h1', 1, 'ip route')).toBe('');
  });

  it("shows the lease's address as dynamic, with the connected and default routes, once bound", () => {
    expect(run('h1', 100, 'ip addr show eth0')).toContain('    inet 10.0.0.100/24 brd 10.0.0.255 scope global dynamic eth0\n');
    expect(run('h1', 100, 'ip route')).toBe('default via 10.0.0.254 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.100\n');
  });
});
