/**
 * How programs end TCP connections, checked against RFC 9293 and what Linux programs do:
 * - a half-closed connection (RFC 9293 §3.6): the side that receives the FIN acknowledges it at once
 *   (Linux's kernel does, without waiting for the program) and enters CLOSE_WAIT, may keep sending,
 *   and sends its own FIN only when the program closes, once it has finished sending;
 * - iperf3 -t stops writing at that time and its last interval ends there;
 * - iperf3's Cwnd column is Linux's tcpi_snd_cwnd × MSS, which fast recovery does not inflate (PRR,
 *   RFC 6937);
 * - the end of a run is the end of observation: nothing more goes on the wire, and programs print
 *   what Ctrl-C makes them print.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import '../../src/apps';
import { loadSceneFile, simulate } from '../../src/cli/run-scene';
import { TCP_FIN, TCP_RST } from '../../src/protocols/tcp/tcp-header';
import { TestNet, TraceView } from '../helpers/net';
import { segments } from '../protocols/tcp/helpers';

const SCENES = new URL('../../scenes/', import.meta.url);

const two = (runs: string, link = 'latency: 1ms, bandwidth: 100Mbps') => `
nodes:
  - { id: h1, kind: host, ip: 10.0.0.1/24 }
  - { id: h2, kind: host, ip: 10.0.0.2/24 }
links:
  - { a: h1, b: h2, ${link} }
run:
${runs}`;

/** Times each TCP state was entered on `node`. */
function stateTimes(net: TraceView, node: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of net.states(node, 'tcp 10.')) if (r.key.endsWith(' state') && !out.has(r.value)) out.set(r.value, r.time);
  return out;
}

describe('half-close: the peer closes first while nc still has bytes to send', () => {
  const run = () =>
    TestNet.fromYaml(two(`  - { on: h2, at: 0ms, cmd: "nc -l -p 5001 -n 20000" }\n  - { on: h1, at: 1ms, cmd: "nc 10.0.0.2 5001 -m 'bye'" }`)).runUntil(
      '100ms',
    );

  it('the FIN is acknowledged by a bare ACK, not folded into the later FIN of the other side', () => {
    const net = run();
    const segs = segments(net, 'h1-h2');
    const fin1 = segs.find((s) => s.src === '10.0.0.1' && s.h.flags & TCP_FIN)!;
    const finAck = (fin1.h.seq + fin1.len + 1) >>> 0;
    const ackOfFin = segs.find((s) => s.src === '10.0.0.2' && s.h.ack === finAck)!;
    expect(ackOfFin.h.flags & TCP_FIN).toBe(0);
    expect(ackOfFin.len).toBe(0);
    const fin2 = segs.find((s) => s.src === '10.0.0.2' && s.h.flags & TCP_FIN)!;
    expect(fin2.time).toBeGreaterThan(ackOfFin.time);
  });

  it('CLOSE_WAIT lasts while h2 keeps sending; h1 receives and acknowledges that data in FIN_WAIT_2', () => {
    const net = run();
    const h1 = stateTimes(net, 'h1');
    const h2 = stateTimes(net, 'h2');
    // CLOSE_WAIT lasts at least a round trip (2 ms here): h2 waits for ACKs to send its last bytes.
    expect(h2.get('LAST_ACK')! - h2.get('CLOSE_WAIT')!).toBeGreaterThanOrEqual(2e6);
    const segs = segments(net, 'h1-h2');
    const halfClosed = segs.filter((s) => s.time > h1.get('FIN_WAIT_2')! && s.time < h1.get('TIME_WAIT')!);
    expect(halfClosed.filter((s) => s.src === '10.0.0.2' && s.len > 0).length).toBeGreaterThan(0);
    expect(halfClosed.filter((s) => s.src === '10.0.0.1' && s.len === 0).length).toBeGreaterThan(0);
    expect(net.logs('h1').at(-1)).toMatch(/received 20000 bytes/);
    expect(h1.has('TIME_WAIT')).toBe(true);
    expect(net.stateOf('h2', [...net.states('h2', 'tcp 10.')].find((r) => r.key.endsWith(' state'))!.key)).toBe('CLOSED');
  });

  it('with nothing left to send, nc closes at once (its FIN carries the ACK, as on Linux)', () => {
    const net = TestNet.fromYaml(two(`  - { on: h2, at: 0ms, cmd: "nc -l -p 5001" }\n  - { on: h1, at: 1ms, cmd: "nc 10.0.0.2 5001 -m 'bye'" }`)).runUntil(
      '100ms',
    );
    const h2 = stateTimes(net, 'h2');
    expect(h2.get('LAST_ACK')).toBe(h2.get('CLOSE_WAIT'));
  });
});

describe('iperf3 -t on a bottleneck (the tcp-congestion scene)', () => {
  const net = new TraceView(simulate(loadSceneFile(fileURLToPath(new URL('tcp-congestion.yaml', SCENES)))).trace);
  const client = net.logRows('h1');
  const intervals = client.filter((l) => /^\[ {2}5\] +\d+\.\d\d-\d+\.\d\d +sec .*Bytes$/.test(l.text));

  it('stops at -t: the last interval and the summary end at 2.00 s, printed when the 2 s are up', () => {
    expect(intervals.at(-1)!.text).toMatch(/ 1\.80-2\.00 {3}sec /);
    const sender = client.find((l) => l.text.endsWith('sender'))!;
    expect(sender.text).toMatch(/ 0\.00-2\.00 {3}sec /);
    const connected = client.find((l) => l.text.includes('connected to'))!.time;
    expect(sender.time - connected).toBe(2e9);
    expect(client.at(-1)!.text).toBe('iperf Done.');
  });

  it('Cwnd is the window Linux reports: not inflated in fast recovery, so never above ssthresh then nor above 64 KB', () => {
    const kb = intervals.map((l) => {
      const m = /([\d.]+) (KBytes|Bytes|MBytes)$/.exec(l.text)!;
      return Number(m[1]) * (m[2] === 'MBytes' ? 1024 : m[2] === 'Bytes' ? 1 / 1024 : 1);
    });
    for (const v of kb) expect(v).toBeLessThanOrEqual(64);
    // 0.20 and 0.40 s fall in the first recovery, whose ssthresh is 32120 bytes (31.4 KBytes).
    expect(intervals[0].text).toMatch(/ 31\.4 KBytes$/);
    expect(intervals[1].text).toMatch(/ 31\.4 KBytes$/);
  });
});

describe('iperf3 -t with its written data still draining when the run ends', () => {
  it('has exited after "iperf Done." (no interrupt message), and its socket is not reset', () => {
    const net = TestNet.fromYaml(
      two(`  - { on: h2, at: 0ms, cmd: "iperf3 -s" }\n  - { on: h1, at: 1ms, cmd: "iperf3 -c 10.0.0.2 -t 300ms -i 100ms" }`, 'latency: 1ms, bandwidth: 10Mbps'),
      {
        duration: '330ms',
      },
    ).runToEnd();
    expect(net.logs('h1').at(-1)).toBe('iperf Done.');
    expect(segments(net, 'h1-h2').filter((s) => s.h.flags & TCP_RST)).toEqual([]);
    // Still draining: data leaves h1 after the summary.
    const done = net.logRows('h1').at(-1)!.time;
    expect(segments(net, 'h1-h2').some((s) => s.src === '10.0.0.1' && s.len > 0 && s.time > done)).toBe(true);
  });
});

describe('the end of a run is the end of observation', () => {
  const rstOrFin = (net: TestNet) => segments(net, 'h1-h2').filter((s) => s.h.flags & (TCP_RST | TCP_FIN));

  it('an nc transfer still running at the end sends no RST nor FIN, stays ESTABLISHED, and nc prints nothing more', () => {
    const net = TestNet.fromYaml(
      two(`  - { on: h2, at: 0ms, cmd: "nc -l -p 5001" }\n  - { on: h1, at: 1ms, cmd: "nc 10.0.0.2 5001 -n 10000000" }`, 'latency: 1ms, bandwidth: 10Mbps'),
      {
        duration: '50ms',
      },
    ).runToEnd();
    expect(rstOrFin(net)).toEqual([]);
    // No connection changes state when the run ends; the receiver is still ESTABLISHED.
    for (const h of ['h1', 'h2']) expect(net.states(h, 'tcp ').filter((r) => r.time === net.now)).toEqual([]);
    const h2 = net.states('h2', 'tcp 10.').filter((r) => r.key.endsWith(' state'));
    expect(h2.at(-1)!.value).toBe('ESTABLISHED');
    // nc interrupted by Ctrl-C prints nothing.
    expect(net.logs('h1')).toEqual(['Connection to 10.0.0.2 5001 port [tcp] succeeded!']);
    expect(net.logs('h2').some((l) => l.includes('closed'))).toBe(false);
  });

  it('iperf3 interrupted prints its summary so far and "interrupt - the client/server has terminated", and sends nothing', () => {
    const net = TestNet.fromYaml(
      two(`  - { on: h2, at: 0ms, cmd: "iperf3 -s" }\n  - { on: h1, at: 1ms, cmd: "iperf3 -c 10.0.0.2 -t 10s -i 100ms" }`, 'latency: 1ms, bandwidth: 10Mbps'),
      {
        duration: '350ms',
      },
    ).runToEnd();
    expect(rstOrFin(net)).toEqual([]);
    const c = net.logs('h1');
    expect(c.at(-1)).toBe('iperf3: interrupt - the client has terminated');
    expect(c).not.toContain('iperf Done.');
    expect(c.find((l) => l.endsWith('sender'))).toMatch(/ 0\.00-0\.3\d {3}sec /);
    expect(c.find((l) => l.endsWith('receiver'))).toMatch(/ 0\.00 Bytes +0\.00 bits\/sec /);
    const s = net.logs('h2');
    expect(s.at(-1)).toBe('iperf3: interrupt - the server has terminated');
    expect(s.at(-2)).toMatch(/receiver$/);
  });
});
