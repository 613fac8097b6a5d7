/**
 * DHCP and NAT as tshark sees them: the dhcp-dora capture dissects as DHCP (bootp) with no malformed
 * packets or expert errors and shows the options the scene teaches (message type, server identifier,
 * lease time, subnet mask, router, DNS, giaddr); the nat-home-router captures on each side of the
 * router (home:eth0 inside, home:eth1 outside) show the same connections with the inside and the
 * translated address and ports, with checksums tshark verifies.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSceneFile, simulate } from '../../src/cli/run-scene';
import type { Trace } from '../../src/sim/trace';
import { writePcapng } from '../../src/timeline/pcapng';
import { CHECKSUM_PREFS, checkWithTshark, requireTshark } from './tshark';

function traceOf(scene: string): Trace {
  return simulate(loadSceneFile(fileURLToPath(new URL(`../../scenes/${scene}.yaml`, import.meta.url)))).trace;
}

/** Writes the capture and returns tshark's rows of `fields` for packets matching `filter`. */
function fields(trace: Trace, capture: string, filter: string, names: readonly string[]): string[][] {
  const pcap = writePcapng(trace, { capture });
  expect(checkWithTshark(pcap, trace, { capture }), capture).toEqual([]);
  const path = join(mkdtempSync(join(tmpdir(), 'dhcp-nat-')), 'capture.pcapng');
  writeFileSync(path, pcap);
  const prefs = CHECKSUM_PREFS.flatMap((p) => ['-o', p]);
  const out = execFileSync('tshark', ['-r', path, ...prefs, '-Y', filter, '-T', 'fields', '-E', 'occurrence=a', ...names.flatMap((n) => ['-e', n])], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
  return out === '' ? [] : out.split('\n').map((l) => l.split('\t'));
}

describe('DHCP on the wire (tshark)', () => {
  it('dissects every message as DHCP with the options the scene teaches', () => {
    requireTshark();
    const trace = traceOf('dhcp-dora');
    const rows = fields(trace, 'all-links', 'dhcp && !_ws.malformed && !_ws.expert.severity >= 8388608', [
      'dhcp.option.dhcp',
      'dhcp.flags.bc',
      'dhcp.option.dhcp_server_id',
      'dhcp.option.ip_address_lease_time',
      'dhcp.option.subnet_mask',
      'dhcp.option.router',
      'dhcp.option.domain_name_server',
      'dhcp.ip.relay',
      'dhcp.cookie',
    ]);
    const all = fields(trace, 'all-links', 'dhcp', ['frame.number']);
    expect(rows.length).toBe(all.length); // none malformed, none with an expert error
    const [type, bc, server, lease, mask, router, dns, relay, cookie] = rows.find((r) => r[0] === '5' && r[7] === '10.0.1.254')!;
    expect(type).toBe('5'); // ACK
    expect(bc).toBe('1');
    expect(server).toBe('10.0.0.2');
    expect(lease).toBe('4');
    expect(mask).toBe('255.255.255.0');
    expect(router).toBe('10.0.1.254');
    expect(dns).toBe('10.0.0.53');
    expect(relay).toBe('10.0.1.254');
    expect(cookie).toBe('99.130.83.99');
    expect(new Set(rows.map((r) => r[0]))).toEqual(new Set(['1', '2', '3', '5'])); // DISCOVER, OFFER, REQUEST, ACK
  });
});

describe('NAT on the wire, captured on each side of the router (tshark)', () => {
  it('shows each connection with the inside address and port on eth0 and the public address and translated port on eth1', () => {
    requireTshark();
    const trace = traceOf('nat-home-router');
    const syn = 'tcp.flags.syn == 1 && tcp.flags.ack == 0 && tcp.dstport == 80 && ip.dst == 198.51.100.80';
    const inside = fields(trace, 'home:eth0', syn, ['ip.src', 'tcp.srcport', 'ip.checksum.status', 'tcp.checksum.status']);
    const outside = fields(trace, 'home:eth1', syn, ['ip.src', 'tcp.srcport', 'ip.checksum.status', 'tcp.checksum.status']);
    expect(inside.map((r) => r[0])).toEqual(['192.168.1.100', '192.168.1.101', '192.168.1.102']);
    expect(outside.map((r) => r[0])).toEqual(['203.0.113.2', '203.0.113.2', '203.0.113.2']);
    // Ports preserved (they were free), and the rewritten checksums verified good by tshark (status 1; 0 is bad, 2 unverified).
    expect(outside.map((r) => r[1])).toEqual(inside.map((r) => r[1]));
    for (const r of [...inside, ...outside]) expect(r.slice(2)).toEqual(['1', '1']);
    // The port forward: 8080 outside, 80 inside.
    const fwdOut = fields(trace, 'home:eth1', 'tcp.flags.syn == 1 && tcp.flags.ack == 1 && ip.src == 203.0.113.2 && ip.dst == 198.51.100.7', ['tcp.srcport']);
    const fwdIn = fields(trace, 'home:eth0', 'tcp.flags.syn == 1 && tcp.flags.ack == 1 && ip.src == 192.168.1.5 && ip.dst == 198.51.100.7', ['tcp.srcport']);
    expect(fwdOut.map((r) => r[0])).toEqual(['8080']);
    expect(fwdIn.map((r) => r[0])).toEqual(['80']);
  });
});
