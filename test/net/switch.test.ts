import { describe, expect, it } from 'vitest';
import { TestNet } from '../helpers/net';

const MS = 1_000_000;
const SEC = 1_000_000_000;

// Default MACs are 02:00:00:00:<node ordinal>:01, so h1 (node 1) is ..:01:01.
const H1 = '02:00:00:00:01:01';
const H2 = '02:00:00:00:02:01';
const H3 = '02:00:00:00:03:01';

function star(opts: { ageing?: string; cmd: string; duration?: string }): TestNet {
  return TestNet.fromYaml(
    `
nodes:
  - { id: h1, kind: host, ip: 10.0.0.1/24 }
  - { id: h2, kind: host, ip: 10.0.0.2/24 }
  - { id: h3, kind: host, ip: 10.0.0.3/24 }
  - { id: sw1, kind: switch${opts.ageing ? `, ageing: ${opts.ageing}` : ''} }
links:
  - { a: h1, b: sw1, latency: 10us }
  - { a: h2, b: sw1, latency: 10us }
  - { a: h3, b: sw1, latency: 10us }
run:
  - { on: h1, at: 1ms, cmd: "${opts.cmd}" }
`,
    { duration: opts.duration ?? '1s' },
  ).runToEnd();
}

describe('learning switch', () => {
  it('learns each source MAC on the port it arrived on, when the frame arrives', () => {
    const net = star({ cmd: 'ping 10.0.0.2 -c 2 -i 10ms' });
    const learned = net.states('sw1', 'mac ');
    expect(learned.map((s) => [s.key, s.value])).toEqual([
      [`mac ${H1}`, 'port1'],
      [`mac ${H2}`, 'port2'],
    ]);
    const arpReq = net.frames('h1-sw1', 'a>b')[0];
    expect(arpReq.arp?.op).toBe(1);
    expect(learned[0].time).toBe(arpReq.arrival);
    const arpRep = net.frames('h2-sw1', 'a>b')[0];
    expect(arpRep.arp?.op).toBe(2);
    expect(learned[1].time).toBe(arpRep.arrival);
    // h3 never sent anything, so it was never learned.
    expect(net.stateOf('sw1', `mac ${H3}`)).toBeUndefined();
  });

  it('floods a broadcast to every other port, never back out of the port it came in on', () => {
    const net = star({ cmd: 'ping 10.0.0.2 -c 1' });
    const toH2 = net.frames('h2-sw1', 'b>a');
    const toH3 = net.frames('h3-sw1', 'b>a');
    expect(toH2[0].arp?.op).toBe(1);
    expect(toH2[0].ethDst).toBe('ff:ff:ff:ff:ff:ff');
    expect(toH3[0].arp?.op).toBe(1);
    // The same packet, forwarded unchanged, starting the moment it fully arrived at the switch.
    const incoming = net.frames('h1-sw1', 'a>b')[0];
    expect(toH2[0].packetId).toBe(incoming.packetId);
    expect(toH3[0].packetId).toBe(incoming.packetId);
    expect(toH2[0].time).toBe(incoming.arrival);
    expect(toH2[0].bytes).toEqual(incoming.bytes);
    expect(net.frames('h1-sw1', 'b>a').some((f) => f.packetId === incoming.packetId)).toBe(false);
  });

  it('after learning forwards unicast only to the learned port: h3 sees nothing but the first broadcast', () => {
    const net = star({ cmd: 'ping 10.0.0.2 -c 5 -i 10ms' });
    const atH3 = net.frames('h3-sw1');
    expect(atH3).toHaveLength(1);
    expect(atH3[0].arp?.op).toBe(1);
    expect(net.frames('h2-sw1', 'b>a').filter((f) => f.icmp?.type === 8)).toHaveLength(5);
    expect(net.frames('h1-sw1', 'b>a').filter((f) => f.icmp?.type === 0)).toHaveLength(5);
    expect(net.logs('h1')).toContain('5 packets transmitted, 5 received, 0% packet loss, time 40ms');
  });

  it('ages entries out after `ageing` without traffic (a state row with an empty value), then floods unknown unicast', () => {
    // Ageing 1 s; pings 2 s apart: by the second ping the switch has forgotten both hosts, but the
    // hosts still have each other in their ARP caches, so the echo request is unknown unicast.
    const net = star({ cmd: 'ping 10.0.0.2 -c 2 -i 2s', ageing: '1s', duration: '4s' });
    const rows = net.states('sw1', `mac ${H1}`);
    expect(rows.map((r) => r.value)).toEqual(['port1', '', 'port1', '']);
    const lastFromH1BeforeAgeing = net
      .frames('h1-sw1', 'a>b')
      .filter((f) => f.arrival < rows[1].time)
      .at(-1)!;
    expect(rows[1].time).toBe(lastFromH1BeforeAgeing.arrival + 1 * SEC);
    // The second echo request (unicast to h2) is flooded: h3 receives it, addressed to h2's MAC.
    const atH3 = net.frames('h3-sw1', 'b>a');
    expect(atH3.map((f) => f.arp?.op ?? f.icmp?.type)).toEqual([1, 8]);
    expect(atH3[1].ethDst).toBe(H2);
    expect(atH3[1].time).toBeGreaterThan(2 * SEC);
    // h3 is not 10.0.0.2: it ignores the frame, and both pings are answered.
    expect(net.frames('h3-sw1', 'a>b')).toEqual([]);
    expect(net.logs('h1')).toContain('2 packets transmitted, 2 received, 0% packet loss, time 2000ms');
  });

  it('keeps an entry alive while traffic keeps refreshing it', () => {
    const net = star({ cmd: 'ping 10.0.0.2 -c 30 -i 100ms', ageing: '500ms', duration: '4s' });
    const rows = net.states('sw1', `mac ${H1}`);
    // Learned once; aged out only after the last ping (at 2.901 s) plus 500 ms of silence.
    expect(rows.map((r) => r.value)).toEqual(['port1', '']);
    expect(rows[1].time).toBeGreaterThan(2901 * MS + 500 * MS);
    expect(rows[1].time).toBeLessThan(2901 * MS + 510 * MS);
  });

  it('filters a frame whose destination is on the port it came in on (two hosts on a hub behind a switch port)', () => {
    const net = TestNet.fromYaml(
      `
nodes:
  - { id: h1, kind: host, ip: 10.0.0.1/24 }
  - { id: h2, kind: host, ip: 10.0.0.2/24 }
  - { id: hub1, kind: hub }
  - { id: sw1, kind: switch }
  - { id: h3, kind: host, ip: 10.0.0.3/24 }
links:
  - { a: h1, b: hub1, latency: 1us }
  - { a: h2, b: hub1, latency: 1us }
  - { a: hub1, b: sw1, latency: 1us }
  - { a: h3, b: sw1, latency: 1us }
run:
  - { on: h1, at: 1ms, cmd: "ping 10.0.0.2 -c 3 -i 10ms" }
`,
    ).runToEnd();
    expect(net.stateOf('sw1', `mac ${H1}`)).toBe('port1');
    expect(net.stateOf('sw1', `mac ${H2}`)).toBe('port1');
    const filtered = net.drops('sw1');
    // The ARP reply and every echo request and reply: 1 + 3 + 3 frames, all between h1 and h2.
    expect(filtered).toHaveLength(7);
    for (const d of filtered) {
      expect(d.at).toBe('node');
      expect(d.reason).toMatch(/^filtered: 02:00:00:00:0[12]:01 is on the port it came from$/);
    }
    // Only the broadcast ARP request made it through to h3.
    const atH3 = net.frames('h3-sw1');
    expect(atH3).toHaveLength(1);
    expect(atH3[0].arp?.op).toBe(1);
    expect(net.logs('h1')).toContain('3 packets transmitted, 3 received, 0% packet loss, time 20ms');
  });

  it('a crashed switch forgets its table (every entry published as removed)', () => {
    const net = TestNet.fromYaml(
      `
nodes:
  - { id: h1, kind: host, ip: 10.0.0.1/24 }
  - { id: h2, kind: host, ip: 10.0.0.2/24 }
  - { id: sw1, kind: switch }
links:
  - { a: h1, b: sw1 }
  - { a: h2, b: sw1 }
run:
  - { on: h1, at: 1ms, cmd: "ping 10.0.0.2 -c 1" }
faults:
  - { at: 100ms, node: sw1, set: { up: false } }
`,
    ).runToEnd();
    expect(net.stateOf('sw1', `mac ${H1}`)).toBe('');
    expect(net.stateOf('sw1', `mac ${H2}`)).toBe('');
    expect(net.stateOf('sw1', 'power')).toBe('down');
  });
});
