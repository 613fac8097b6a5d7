/**
 * The default capture shows each conversation once, at the interface of the device that started
 * it: what a tcpdump on each client would show. A packet crossing three links is in the file once,
 * not three times (Wireshark would call the copies retransmissions); a router's ICMP error is
 * shown where the packet it answers came from.
 */
import { describe, expect, it } from 'vitest';
import { RecordKind, type Trace } from '../../src/sim/trace';
import { CAPTURE_ALL_LINKS, planCapture, writePcapng } from '../../src/timeline/pcapng';
import { readPcapng } from '../../src/timeline/pcapng-read';
import { decodeFrame, TestNet } from '../helpers/net';

/** h1 - r1 - h2 - sw1 - h3: h1 pings h2 through r1, h2 pings h3 across sw1. */
function relay(): TestNet {
  return TestNet.fromYaml(
    `
nodes:
  - { id: h1, kind: host, ip: 10.0.0.1/24, gateway: 10.0.0.254 }
  - { id: r1, kind: router, interfaces: [10.0.0.254/24, 10.0.1.254/24] }
  - { id: h2, kind: host, ip: 10.0.1.2/24, gateway: 10.0.1.254 }
  - { id: sw1, kind: switch }
  - { id: h3, kind: host, ip: 10.0.1.3/24, gateway: 10.0.1.254 }
links:
  - { a: h1, b: r1, latency: 1ms }
  - { a: r1, b: sw1, latency: 1ms }
  - { a: h2, b: sw1, latency: 1ms }
  - { a: sw1, b: h3, latency: 1ms }
run:
  - { on: h1, at: 1ms, cmd: "ping 10.0.1.2 -c 3 -i 10ms" }
  - { on: h2, at: 2ms, cmd: "ping 10.0.1.3 -c 3 -i 10ms" }
`,
    { duration: '60ms' },
  ).runUntil('60ms');
}

function packetsOf(trace: Trace, capture?: string): { iface: string; row: number }[] {
  const plan = planCapture(trace, capture);
  return Array.from(plan.records, (row, i) => ({ iface: plan.interfaces[plan.iface[i]].name, row }));
}

describe('the default capture: each conversation once, where it started', () => {
  it('has one interface per device that started a conversation, and shows each IP packet once', () => {
    const net = relay();
    const plan = planCapture(net.trace);
    expect(plan.interfaces.map((i) => i.name)).toEqual(['h1:eth0', 'h2:eth0']);
    expect(plan.interfaces[0].description).toBe('h1:eth0 on link h1-r1 to r1:eth0: the conversations it started');

    const seen = new Map<number, number>();
    for (const { row } of packetsOf(net.trace)) {
      const id = net.trace.packet[row];
      if (id >= 0 && decodeFrame(net.trace.frameBytes(net.trace.frame[row])).ip) seen.set(id, (seen.get(id) ?? 0) + 1);
    }
    // 3 echo requests and 3 replies in each of the two conversations, each once.
    expect([...seen.values()].filter((n) => n > 1)).toEqual([]);
    expect(seen.size).toBe(12);
    // The all-links capture shows h1's 6 packets on both of the links they cross.
    const perHop = new Map<number, number>();
    for (const { row } of packetsOf(net.trace, CAPTURE_ALL_LINKS)) {
      const id = net.trace.packet[row];
      if (id >= 0 && decodeFrame(net.trace.frameBytes(net.trace.frame[row])).ip) perHop.set(id, (perHop.get(id) ?? 0) + 1);
    }
    expect([...perHop.values()].filter((n) => n > 1).length).toBeGreaterThanOrEqual(6);
  });

  it("shows h1's pings on h1's interface and h2's pings on h2's, not the other way round", () => {
    const net = relay();
    const rows = packetsOf(net.trace).map(({ iface, row }) => ({ iface, f: decodeFrame(net.trace.frameBytes(net.trace.frame[row])) }));
    const icmp = rows.filter((r) => r.f.icmp);
    expect(icmp.filter((r) => r.iface === 'h1:eth0').every((r) => [r.f.ip!.src, r.f.ip!.dst].sort().join(' ') === '10.0.0.1 10.0.1.2')).toBe(true);
    expect(icmp.filter((r) => r.iface === 'h2:eth0').every((r) => [r.f.ip!.src, r.f.ip!.dst].sort().join(' ') === '10.0.1.2 10.0.1.3')).toBe(true);
    expect(icmp.map((r) => `${r.iface} ${r.f.icmp!.type}`)).toHaveLength(12);
    // ARP on those links is there too, once.
    expect(rows.some((r) => r.iface === 'h1:eth0' && r.f.arp)).toBe(true);
  });

  it('sent frames at transmission start (out), received ones at arrival (in), as tcpdump on the device', () => {
    const net = relay();
    const a = readPcapng(writePcapng(net.trace));
    const b = readPcapng(writePcapng(net.trace, { capture: 'h1' }));
    if (!a.ok || !b.ok) throw new Error('unreadable capture');
    // Everything at h1 belongs to h1's conversation or ARP on its link: the same as tcpdump on h1.
    const atH1 = a.packets.filter((p) => a.interfaces[p.interfaceId].name === 'h1:eth0');
    expect(atH1.map((p) => [p.timestampNs, p.direction])).toEqual(b.packets.map((p) => [p.timestampNs, p.direction]));
    expect(new Set(a.packets.map((p) => p.direction))).toEqual(new Set(['in', 'out']));
  });

  it("puts a router's ICMP time exceeded with the traceroute probe it answers", () => {
    const net = TestNet.fromYaml(
      `
nodes:
  - { id: h1, kind: host, ip: 10.0.0.1/24, gateway: 10.0.0.254 }
  - { id: r1, kind: router, interfaces: [10.0.0.254/24, 10.0.1.1/24], routes: [{ to: default, via: 10.0.1.2 }] }
  - { id: r2, kind: router, interfaces: [10.0.1.2/24, 10.0.2.254/24], routes: [{ to: default, via: 10.0.1.1 }] }
  - { id: h2, kind: host, ip: 10.0.2.10/24, gateway: 10.0.2.254 }
links:
  - { a: h1, b: r1, latency: 1ms }
  - { a: r1, b: r2, latency: 1ms }
  - { a: r2, b: h2, latency: 1ms }
run:
  - { on: h1, at: 1ms, cmd: "traceroute 10.0.2.10" }
`,
      { duration: '200ms' },
    ).runUntil('200ms');
    const plan = planCapture(net.trace);
    expect(plan.interfaces.map((i) => i.name)).toEqual(['h1:eth0']);
    const types = Array.from(plan.records, (r) => decodeFrame(net.trace.frameBytes(net.trace.frame[r])).icmp?.type).filter((t) => t !== undefined);
    // Time exceeded (11) from r1 and r2, port unreachable (3) from h2: three of each.
    expect(types.filter((t) => t === 11)).toHaveLength(6);
    expect(types.filter((t) => t === 3)).toHaveLength(3);
    // Every frame h1 sent or received is there; nothing from the other links.
    let atH1 = 0;
    for (let r = 0; r < net.trace.length; r++) if (net.trace.kind[r] === RecordKind.FrameTx && net.trace.place[r] === net.linkId('h1-r1')) atH1++;
    expect(plan.count).toBe(atH1);
  });
});
