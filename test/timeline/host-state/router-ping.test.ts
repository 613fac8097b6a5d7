/**
 * The terminal's state commands on router-ping (h1 10.0.0.1 -- sw1 -- r1 -- sw2 -- h2 10.0.1.5,
 * 1 ms links at 100 Mbps; h1 pings h2 three times every 10 ms from 1 ms), checked by hand:
 *
 * - h1 first ARPs for its gateway 10.0.0.254 (r1 eth0, MAC 02:00:00:00:03:01: node 3, interface 1).
 *   A 60-byte frame takes (60 + 24) * 8 / 100 Mbps = 6.72 us to send; the request reaches r1 after
 *   two hops (3.01344 ms) and the reply is back at h1 at 5.02688 ms, when the first echo request
 *   leaves: 00:00:00.005026 in tcpdump's microseconds.
 */
import { describe, expect, it } from 'vitest';
import { loadSceneFile, simulate } from '../../../src/cli/run-scene';
import { runHostCommand } from '../../../src/timeline/host-state';

const scene = loadSceneFile('scenes/router-ping.yaml');
const trace = simulate(scene).trace;
const src = { scene, trace };
const run = (host: string, ms: number, line: string) => runHostCommand(src, host, ms * 1e6, line);

describe('ip neigh / arp -n', () => {
  it('h1 has no neighbour before its ping, INCOMPLETE while it asks, then r1 REACHABLE', () => {
    expect(run('h1', 0.5, 'ip neigh').stdout).toBe('');
    expect(run('h1', 2, 'ip neigh').stdout).toBe('10.0.0.254 dev eth0 INCOMPLETE\n');
    expect(run('h1', 6, 'ip neigh')).toEqual({ stdout: '10.0.0.254 dev eth0 lladdr 02:00:00:00:03:01 REACHABLE\n', stderr: '', exitCode: 0 });
  });

  it('arp -n prints the net-tools columns', () => {
    expect(run('h1', 6, 'arp -n').stdout).toBe(
      'Address                  HWtype  HWaddress           Flags Mask            Iface\n' +
        '10.0.0.254               ether   02:00:00:00:03:01   C                     eth0\n',
    );
  });

  it('r1 learns h1 from its request and h2 from its own resolution, each on its interface', () => {
    expect(run('r1', 30, 'ip neigh').stdout).toBe(
      '10.0.0.1 dev eth0 lladdr 02:00:00:00:01:01 REACHABLE\n10.0.1.5 dev eth1 lladdr 02:00:00:00:05:01 REACHABLE\n',
    );
  });
});

describe('ip addr / ip route', () => {
  it('shows lo and eth0 with its address, broadcast and MAC', () => {
    const out = run('h1', 10, 'ip addr').stdout.split('\n');
    expect(out[4]).toBe('2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo state UP group default qlen 100');
    expect(out[5]).toBe('    link/ether 02:00:00:00:01:01 brd ff:ff:ff:ff:ff:ff');
    expect(out[6]).toBe('    inet 10.0.0.1/24 brd 10.0.0.255 scope global eth0');
  });

  it('the routing table: default via the gateway, then the connected network', () => {
    expect(run('h1', 10, 'ip route').stdout).toBe('default via 10.0.0.254 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.1\n');
    expect(run('h1', 10, 'ip r').stdout).toBe(run('h1', 10, 'ip route show').stdout);
  });
});

describe('tcpdump', () => {
  it('tcpdump -n icmp on h1: the echo requests as sent and replies as received, in tcpdump format', () => {
    const r = run('h1', 40, 'tcpdump -n icmp');
    expect(r.stdout.split('\n').slice(0, 2)).toEqual([
      '00:00:00.005026 IP 10.0.0.1 > 10.0.1.5: ICMP echo request, id 2349, seq 1, length 64',
      '00:00:00.011000 IP 10.0.0.1 > 10.0.1.5: ICMP echo request, id 2349, seq 2, length 64',
    ]);
    expect(r.stdout.match(/ICMP echo reply/g)).toHaveLength(3);
    expect(r.preamble).toContain('listening on eth0, link-type EN10MB (Ethernet)');
    expect(r.stderr).toContain('6 packets captured');
  });

  it('the ARP exchange, and names instead of numbers without -n', () => {
    expect(run('h1', 6, 'tcpdump -i eth0 arp').stdout).toBe(
      '00:00:00.001000 ARP, Request who-has r1 tell h1, length 46\n00:00:00.005026 ARP, Reply r1 is-at 02:00:00:00:03:01, length 46\n',
    );
    expect(run('h1', 6, 'tcpdump -n arp').stdout).toContain('ARP, Request who-has 10.0.0.254 tell 10.0.0.1, length 46');
  });

  it('host filters select by address', () => {
    expect(run('r1', 40, 'tcpdump -n -i eth1 src host 10.0.1.5 and icmp').stdout.match(/\n/g)).toHaveLength(3);
  });
});

describe('bad input', () => {
  const before = trace.hash();

  it('an unknown command is bash\'s "command not found"', () => {
    expect(run('h1', 10, 'foo --bar')).toEqual({ stdout: '', stderr: 'bash: foo: command not found\n', exitCode: 127 });
  });

  it("a bad option answers with the tool's usage", () => {
    const ss = run('h1', 10, 'ss -x');
    expect(ss.stdout).toBe('');
    expect(ss.stderr).toMatch(/^ss: invalid option -- 'x'\nUsage: ss \[ OPTIONS \]/);
    expect(run('h1', 10, 'ip foo').stderr).toBe('Object "foo" is unknown, try "ip help".\n');
    expect(run('h1', 10, 'tcpdump -i eth7').stderr).toMatch(/^tcpdump: eth7: No such device exists/);
  });

  it('commands change nothing: the trace is the same afterwards', () => {
    expect(trace.hash()).toBe(before);
  });

  it('cat, help and man', () => {
    expect(run('h1', 10, 'cat /etc/resolv.conf')).toMatchObject({ stderr: 'cat: /etc/resolv.conf: No such file or directory\n', exitCode: 1 });
    expect(run('h1', 10, 'help').stdout).toMatch(/tcpdump/);
    expect(run('h1', 10, 'man ping').stdout).toMatch(/^PING\(8\)\n\nNAME\n {7}ping - /);
    expect(run('h1', 10, 'man nosuch').stderr).toBe('No manual entry for nosuch\n');
  });
});
