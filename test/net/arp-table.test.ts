import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ARP_ENTRY_LIFETIME_NS, ArpTable } from '../../src/net/ip/arp-table';

describe('ARP table', () => {
  it('answers a learned MAC until the entry expires, per interface', () => {
    const t = new ArpTable();
    expect(t.learn(0, 0x0a000002, 0x020000000101, 1000)).toBe(true);
    expect(t.lookup(0, 0x0a000002, 1000)).toBe(0x020000000101);
    expect(t.lookup(1, 0x0a000002, 1000)).toBeUndefined();
    expect(t.lookup(0, 0x0a000002, 1000 + ARP_ENTRY_LIFETIME_NS - 1)).toBe(0x020000000101);
    expect(t.lookup(0, 0x0a000002, 1000 + ARP_ENTRY_LIFETIME_NS)).toBeUndefined();
    // An expired entry is still known (RFC 826 updates known senders), and relearning it is news.
    expect(t.has(0, 0x0a000002)).toBe(true);
    expect(t.learn(0, 0x0a000002, 0x020000000101, 1000 + ARP_ENTRY_LIFETIME_NS)).toBe(true);
  });

  it('reports a relearn as news only when the MAC changed or the entry had expired', () => {
    const t = new ArpTable();
    t.learn(0, 0xc0a80001, 0x02aabbccddee, 0);
    expect(t.learn(0, 0xc0a80001, 0x02aabbccddee, 5)).toBe(false);
    expect(t.learn(0, 0xc0a80001, 0x02aabbccddef, 6)).toBe(true);
    expect(t.lookup(0, 0xc0a80001, 7)).toBe(0x02aabbccddef);
    expect(t.describe(() => 'eth0', 7)).toEqual(['192.168.0.1 dev eth0 lladdr 02:aa:bb:cc:dd:ef REACHABLE']);
  });

  it('holds thousands of neighbours like a map would (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 0xffff_ffff }), fc.integer({ min: 0, max: 2 ** 48 - 1 })), { maxLength: 300 }), (learned) => {
        const t = new ArpTable();
        const ref = new Map<number, number>();
        for (const [ip, mac] of learned) {
          t.learn(0, ip, mac, 0);
          ref.set(ip, mac);
        }
        for (const [ip, mac] of ref) expect(t.lookup(0, ip, 1)).toBe(mac);
        expect(t.describe(() => 'eth0', 1)).toHaveLength(ref.size);
      }),
    );
  });
});
