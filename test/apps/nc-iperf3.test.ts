import { describe, expect, it } from 'vitest';
import { formatBitrate, formatTransfer, reportLine } from '../../src/apps/iperf3/format';
import { parseCommand } from '../../src/apps/registry';
import '../../src/apps';
import { TestNet } from '../helpers/net';

const two = (runs: string, link = 'latency: 1ms') => `
nodes:
  - { id: h1, kind: host, ip: 10.0.0.1/24 }
  - { id: h2, kind: host, ip: 10.0.0.2/24 }
links:
  - { a: h1, b: h2, ${link} }
run:
${runs}`;

describe('nc', () => {
  it('sends a line that the listener prints, and both report the close', () => {
    const net = TestNet.fromYaml(
      two(`  - { on: h2, at: 0ms, cmd: "nc -l -p 5001" }\n  - { on: h1, at: 1ms, cmd: "nc 10.0.0.2 5001 -m 'hello there'" }`),
    ).runUntil('100ms');
    expect(net.logs('h1')[0]).toBe('Connection to 10.0.0.2 5001 port [tcp] succeeded!');
    const h2 = net.logs('h2');
    expect(h2[0]).toBe('Listening on 0.0.0.0 5001');
    expect(h2[1]).toMatch(/^Connection received on 10\.0\.0\.1 \d+$/);
    expect(h2).toContain('hello there');
    expect(h2.at(-1)).toMatch(/^nc: 10\.0\.0\.1:\d+ closed: received 12 bytes in [\d.]+ ms$/);
  });

  it('-n sends that many bytes', () => {
    const net = TestNet.fromYaml(two(`  - { on: h2, at: 0ms, cmd: "nc -l -p 5001" }\n  - { on: h1, at: 1ms, cmd: "nc 10.0.0.2 5001 -n 100000" }`)).runUntil(
      '1s',
    );
    expect(net.logs('h2').at(-1)).toMatch(/received 100000 bytes/);
  });

  it('rejects bad arguments', () => {
    expect(parseCommand('nc -l').ok).toBe(false);
    expect(parseCommand('nc 10.0.0.2').ok).toBe(false);
    expect(parseCommand('nc 10.0.0.2 80 -n 5 -m x').ok).toBe(false);
    expect(parseCommand('nc 10.0.0.2 80 -m x').ok).toBe(true);
  });
});

describe('iperf3', () => {
  it('formats numbers like iperf3', () => {
    expect(formatTransfer(11.2 * 1024 * 1024)).toBe('11.2 MBytes');
    expect(formatTransfer(112 * 1024 * 1024)).toBe('112 MBytes');
    expect(formatTransfer(1.5 * 1024)).toBe('1.50 KBytes');
    expect(formatBitrate(94.1e6)).toBe('94.1 Mbits/sec');
    expect(reportLine(5, 0, 1e9, 1024 * 1024)).toBe('[  5]   0.00-1.00   sec  1.00 MBytes   8.39 Mbits/sec');
  });

  it('reports per interval and a summary, close to the bottleneck rate', () => {
    const net = TestNet.fromYaml(
      two(
        `  - { on: h2, at: 0ms, cmd: "iperf3 -s --one-off" }\n  - { on: h1, at: 1ms, cmd: "iperf3 -c 10.0.0.2 -t 1s -i 250ms" }`,
        'latency: 2ms, bandwidth: 20Mbps',
      ),
      { duration: '2s' },
    ).runToEnd();
    const c = net.logs('h1');
    expect(c[0]).toBe('Connecting to host 10.0.0.2, port 5201');
    expect(c[1]).toMatch(/^\[ {2}5\] local 10\.0\.0\.1 port \d+ connected to 10\.0\.0\.2 port 5201$/);
    expect(c[2]).toBe('[ ID] Interval           Transfer     Bitrate         Retr  Cwnd');
    const intervals = c.filter((l) => /^\[ {2}5\] +\d+\.\d\d-\d+\.\d\d +sec .*Bytes$/.test(l));
    expect(intervals.length).toBeGreaterThanOrEqual(4);
    expect(intervals[0]).toMatch(/^\[ {2}5\] {3}0\.00-0\.25 {3}sec /);
    const sender = c.find((l) => l.endsWith('sender'))!;
    const rate = Number(/([\d.]+) Mbits\/sec/.exec(sender)![1]);
    expect(rate).toBeGreaterThan(12);
    expect(rate).toBeLessThanOrEqual(20);
    expect(c.at(-1)).toBe('iperf Done.');
    const s = net.logs('h2');
    expect(s[1]).toBe('Server listening on 5201 (test #1)');
    expect(s.at(-1)).toMatch(/receiver$/);
  });

  it('-n sends exactly that many bytes', () => {
    const net = TestNet.fromYaml(two(`  - { on: h2, at: 0ms, cmd: "iperf3 -s" }\n  - { on: h1, at: 1ms, cmd: "iperf3 -c 10.0.0.2 -n 1M" }`), {
      duration: '2s',
    }).runToEnd();
    expect(net.logs('h1').find((l) => l.endsWith('sender'))).toMatch(/1\.00 MBytes/);
  });
});
