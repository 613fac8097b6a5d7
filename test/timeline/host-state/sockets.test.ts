/**
 * ss and tcpdump over TCP and DNS. tcp-handshake: h1 10.0.0.1 connects to h2 10.0.1.2:5001, sends
 * 6 bytes and closes. tcpdump prints the SYN's absolute sequence number, the SYN-ACK's absolute
 * ack (ISN + 1), and relative numbers from the first ACK on, as tcpdump does.
 */
import { describe, expect, it } from 'vitest';
import { loadSceneFile, simulate } from '../../../src/cli/run-scene';
import { runHostCommand } from '../../../src/timeline/host-state';

describe('ss and tcpdump on a TCP connection', () => {
  const scene = loadSceneFile('scenes/tcp-handshake.yaml');
  const src = { scene, trace: simulate(scene).trace };
  const run = (host: string, ms: number, line: string) => runHostCommand(src, host, ms * 1e6, line);

  it('ss -tan: SYN-SENT with the SYN unacknowledged, then TIME-WAIT on the side that closed first', () => {
    expect(run('h1', 3, 'ss -tan').stdout.split('\n')[1]).toMatch(/^SYN-SENT +0 +1 +10\.0\.0\.1:\d+ +10\.0\.1\.2:5001$/);
    expect(run('h1', 40, 'ss -tan').stdout.split('\n')[1]).toMatch(/^TIME-WAIT +0 +0 +10\.0\.0\.1:\d+ +10\.0\.1\.2:5001$/);
  });

  it('ss -tln: the listener; plain ss hides it', () => {
    expect(run('h2', 3, 'ss -tln').stdout.split('\n')[1]).toMatch(/^LISTEN +0 +128 +0\.0\.0\.0:5001 +0\.0\.0\.0:\*$/);
    expect(run('h2', 3, 'ss -t').stdout.split('\n')).toHaveLength(2);
  });

  it('tcpdump -n tcp: flags, absolute then relative numbers, options, lengths', () => {
    const lines = run('h1', 40, 'tcpdump -n tcp').stdout.trim().split('\n');
    const syn = /Flags \[S\], seq (\d+), win 65535, options \[mss 1460\], length 0$/.exec(lines[0]);
    expect(syn).not.toBeNull();
    const synAck = /Flags \[S\.\], seq \d+, ack (\d+), win 65535, options \[mss 1460\], length 0$/.exec(lines[1]);
    expect(Number(synAck![1])).toBe(Number(syn![1]) + 1);
    expect(lines[2]).toMatch(/Flags \[\.\], ack 1, win 65535, length 0$/);
    expect(lines[3]).toMatch(/Flags \[P\.\], seq 1:7, ack 1, win 65535, length 6$/);
    expect(lines[4]).toMatch(/Flags \[F\.\], seq 7, ack 1, win 65535, length 0$/);
    expect(run('h1', 40, 'tcpdump -n tcp port 5001').stdout).toBe(run('h1', 40, 'tcpdump -n tcp').stdout);
    expect(run('h1', 40, 'tcpdump -n udp').stdout).toBe('');
  });
});

describe('DNS in tcpdump and resolv.conf', () => {
  const scene = loadSceneFile('scenes/dns-lookup.yaml');
  const src = { scene, trace: simulate(scene).trace };
  const run = (ms: number, line: string) => runHostCommand(src, 'h1', ms * 1e6, line);

  it("a query as tcpdump decodes it: id, + for recursion desired, [1au] for dig's EDNS OPT record, type? name. (length)", () => {
    // 29 bytes of question + 11 of OPT + 12 of its COOKIE option, as dig 9.18 sends.
    expect(run(50, 'tcpdump -n udp').stdout).toMatch(/^00:00:00\.005026 IP 10\.0\.0\.10\.\d+ > 10\.0\.0\.53\.53: \d+\+ \[1au\] A\? example\.com\. \(52\)\n$/);
  });

  it('resolv.conf names the configured resolver; ss -uan shows the socket that sent the query', () => {
    expect(run(50, 'cat /etc/resolv.conf').stdout).toBe('nameserver 10.0.0.53\n');
    expect(run(50, 'ss -uan').stdout.split('\n')[1]).toMatch(/^UNCONN +0 +0 +0\.0\.0\.0:\d+ +0\.0\.0\.0:\*$/);
  });
});
