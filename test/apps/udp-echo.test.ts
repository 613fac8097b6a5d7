import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/apps/registry';
import { TestNet } from '../helpers/net';

const MS = 1_000_000;

function echoNet(client: string, extra = '', opts: { seed?: number; server?: boolean } = {}): TestNet {
  return TestNet.fromYaml(
    `
nodes:
  - { id: h1, kind: host, ip: 10.0.0.1/24, gateway: 10.0.0.254 }
  - { id: r1, kind: router, interfaces: [10.0.0.254/24, 10.0.1.254/24] }
  - { id: srv, kind: server, ip: 10.0.1.7/24, gateway: 10.0.1.254 }
links:
  - { a: h1, b: r1, latency: 1ms }
  - { a: r1, b: srv, latency: 1ms }
run:
${opts.server === false ? '' : '  - { on: srv, at: 0ms, cmd: "udp-echo-server -p 7" }\n'}  - { on: h1, at: 1ms, cmd: "${client}" }
${extra}`,
    { seed: opts.seed, duration: '3s' },
  ).runToEnd();
}

const LINE = /^(\d+) bytes from 10\.0\.1\.7: seq=(\d+) time=\d+(?:\.\d+)? ms$/;

describe('udp-echo', () => {
  it('on a clean path every datagram is echoed', () => {
    const net = echoNet('udp-echo 10.0.1.7 -p 7 -c 5 -i 10ms -s 100');
    expect(net.logs('srv')).toEqual(['udp-echo-server: listening on UDP port 7']);
    const out = net.logs('h1');
    expect(out[0]).toBe('UDP ECHO 10.0.1.7 port 7: 5 datagrams of 100 bytes');
    const lines = out.filter((l) => LINE.test(l)).map((l) => LINE.exec(l)!);
    expect(lines.map((m) => Number(m[2]))).toEqual([1, 2, 3, 4, 5]);
    expect(lines.every((m) => m[1] === '100')).toBe(true);
    expect(out).toContain('--- 10.0.1.7 udp-echo statistics ---');
    expect(out).toContain('5 packets transmitted, 5 received, 0% packet loss, time 40ms');
    expect(out.at(-1)).toMatch(/^rtt min\/avg\/max\/mdev = /);
    // The echo carries the same bytes back, from port 7 to the client's port.
    const req = net.frames('r1-srv', 'a>b').filter((f) => f.ip?.protocol === 17);
    const rep = net.frames('r1-srv', 'b>a').filter((f) => f.ip?.protocol === 17);
    expect(rep).toHaveLength(5);
    rep.forEach((r, i) => {
      expect(r.field('udp.srcport')).toBe('7');
      expect(r.field('udp.dstport')).toBe(req[i].field('udp.srcport'));
      expect(r.bytes.subarray(42)).toEqual(req[i].bytes.subarray(42));
      expect(r.field('udp.checksum')).toMatch(/correct/);
    });
  });

  it('loss on the path shows as missing replies: UDP never retransmits', () => {
    const net = echoNet('udp-echo 10.0.1.7 -c 200 -i 1ms -v', 'faults:\n  - { at: 20ms, link: r1-srv, set: { loss: 0.3 } }', { seed: 3 });
    const out = net.logs('h1');
    // Exactly 200 datagrams ever left h1: nothing was sent twice.
    const sent = net.frames('h1-r1', 'a>b').filter((f) => f.ip?.protocol === 17);
    expect(sent).toHaveLength(200);
    const seqs = sent.map((f) => (f.bytes[42] << 24) | (f.bytes[43] << 16) | (f.bytes[44] << 8) | f.bytes[45]);
    expect(new Set(seqs).size).toBe(200);
    // Replies that made it back to h1 are exactly the ones reported.
    const back = net.frames('h1-r1', 'b>a').filter((f) => f.ip?.protocol === 17).length;
    const stats = out.find((l) => l.includes('packets transmitted'))!;
    const m = /^200 packets transmitted, (\d+) received, (\d+)% packet loss, time 199ms$/.exec(stats)!;
    expect(m).not.toBeNull();
    expect(Number(m[1])).toBe(back);
    expect(Number(m[2])).toBe(Math.round(((200 - back) / 200) * 100));
    expect(out.filter((l) => LINE.test(l))).toHaveLength(back);
    // Two chances to be lost (there and back) at 30% each: roughly half come back.
    expect(back).toBeGreaterThan(70);
    expect(back).toBeLessThan(150);
  });

  it('with no server the destination answers ICMP Port Unreachable and nothing is echoed', () => {
    const net = echoNet('udp-echo 10.0.1.7 -c 2 -i 10ms', '', { server: false });
    const icmp = net.frames('r1-srv', 'b>a').filter((f) => f.icmp);
    expect(icmp.map((f) => f.icmp)).toEqual([
      { type: 3, code: 3 },
      { type: 3, code: 3 },
    ]);
    expect(net.logs('h1')).toContain('2 packets transmitted, 0 received, 100% packet loss, time 10ms');
    expect(net.drops().filter((d) => d.at === 'link')).toEqual([]);
  });

  it('with more than 100 datagrams only the statistics are printed (unless -v)', () => {
    const quiet = echoNet('udp-echo 10.0.1.7 -c 150 -i 1ms');
    expect(quiet.logs('h1').filter((l) => LINE.test(l))).toHaveLength(0);
    expect(quiet.logs('h1')).toContain('150 packets transmitted, 150 received, 0% packet loss, time 149ms');
    const verbose = echoNet('udp-echo 10.0.1.7 -c 150 -i 1ms -v');
    expect(verbose.logs('h1').filter((l) => LINE.test(l))).toHaveLength(150);
  });

  it('datagrams are sent every -i exactly', () => {
    const net = echoNet('udp-echo 10.0.1.7 -c 4 -i 7ms');
    // After the first (which waits for ARP) they leave h1 at 1 + 7k ms.
    const sent = net
      .frames('h1-r1', 'a>b')
      .filter((f) => f.ip?.protocol === 17)
      .map((f) => f.time);
    expect(sent.slice(1)).toEqual([8 * MS, 15 * MS, 22 * MS]);
  });

  it('command errors come back as messages', () => {
    const err = (cmd: string) => {
      const r = parseCommand(cmd);
      return r.ok ? '(parsed)' : r.error;
    };
    expect(err('udp-echo')).toMatch(/^udp-echo: missing destination; usage: udp-echo DESTINATION/);
    expect(err('udp-echo 10.0.1.7 -s 2')).toMatch(/-s must be 4 to 65507 bytes/);
    expect(err('udp-echo 10.0.1.7 -c 0')).toMatch(/-c must be 1 to 10000000/);
    expect(err('udp-echo 10.0.1.7 -q')).toMatch(/unknown option -q/);
    expect(err('udp-echo-server 7')).toMatch(/^udp-echo-server: unexpected "7"/);
    expect(err('udp-echo-server -p 70000')).toMatch(/-p must be 1 to 65535/);
  });
});
