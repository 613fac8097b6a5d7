import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SEC } from '../../src/sim/time';
import { fragmentPacket, IPV4_MIN_MTU, type Ipv4Fragment } from '../../src/protocols/ipv4/fragment';
import { ipv4, ipv4HeaderChecksum, IP_PROTO_UDP, verifyIpv4Checksum, type Ipv4Header } from '../../src/protocols/ipv4/ipv4';
import { DEFAULT_REASSEMBLY_TIMEOUT_NS, reassembledHeader, Reassembler } from '../../src/protocols/ipv4/reassembly';
import { ipv4Addr, u16 } from './arbitraries';

const base: Ipv4Header = {
  tos: 0,
  totalLength: 0,
  id: 0x4242,
  dontFragment: false,
  moreFragments: false,
  fragmentOffset: 0,
  ttl: 64,
  protocol: IP_PROTO_UDP,
  checksum: 0,
  src: 0x0a000001,
  dst: 0x0a000002,
};

const payloadOf = (n: number) => new Uint8Array(n).map((_, i) => (i * 7 + 3) & 0xff);

function frags(h: Ipv4Header, payload: Uint8Array, mtu: number): Ipv4Fragment[] {
  const r = fragmentPacket(h, payload, mtu);
  if (!Array.isArray(r)) throw new Error(r.message);
  return r;
}

describe('fragmentPacket', () => {
  it('splits 3000 bytes for a 1500-byte MTU like RFC 791 / Linux', () => {
    const f = frags(base, payloadOf(3000), 1500);
    expect(f.map((x) => [x.header.fragmentOffset, x.payload.length, x.header.moreFragments, x.header.totalLength])).toEqual([
      [0, 1480, true, 1500],
      [1480, 1480, true, 1500],
      [2960, 40, false, 60],
    ]);
    for (const x of f) {
      expect(x.header.checksum).toBe(ipv4HeaderChecksum(x.header));
      expect(verifyIpv4Checksum(ipv4.encode(x.header), 0)).toBe(true);
      expect(x.header.id).toBe(0x4242);
    }
  });

  it('returns a packet that fits as a single piece, DF or not', () => {
    const f = frags({ ...base, dontFragment: true }, payloadOf(1480), 1500);
    expect(f).toHaveLength(1);
    expect(f[0].header).toMatchObject({ totalLength: 1500, moreFragments: false, fragmentOffset: 0 });
  });

  it('refuses with DF set, reporting the MTU for ICMP "fragmentation needed"', () => {
    expect(fragmentPacket({ ...base, dontFragment: true }, payloadOf(1481), 1500)).toMatchObject({ error: 'dont-fragment', mtu: 1500 });
  });

  it('refuses MTUs below 68 and datagrams above 65535 bytes', () => {
    expect(fragmentPacket(base, payloadOf(100), 60)).toMatchObject({ error: 'mtu-too-small' });
    expect(fragmentPacket(base, payloadOf(65516), 1500)).toMatchObject({ error: 'too-big' });
    expect(fragmentPacket({ ...base, ttl: 300 }, payloadOf(10), 1500)).toMatchObject({ error: 'invalid-header' });
  });

  it('obeys the RFC 791 rules for any size and MTU (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6000 }), fc.integer({ min: IPV4_MIN_MTU, max: 2000 }), (n, mtu) => {
        const payload = payloadOf(n);
        const f = frags(base, payload, mtu);
        let next = 0;
        f.forEach((x, i) => {
          const last = i === f.length - 1;
          expect(x.header.totalLength).toBe(20 + x.payload.length);
          expect(x.header.totalLength <= mtu || f.length === 1).toBe(true);
          expect(x.header.fragmentOffset).toBe(next);
          expect(x.header.fragmentOffset % 8).toBe(0);
          if (!last) expect(x.payload.length % 8).toBe(0);
          expect(x.header.moreFragments).toBe(!last);
          next += x.payload.length;
        });
        expect(next).toBe(n);
        expect(Buffer.concat(f.map((x) => x.payload)).equals(Buffer.from(payload))).toBe(true);
      }),
    );
  });
});

const same = (a: Uint8Array | undefined, b: Uint8Array) => a !== undefined && Buffer.from(a).equals(Buffer.from(b));

/** Shuffles deterministically by the given random keys. */
function permute<T>(items: T[], keys: number[]): T[] {
  return items
    .map((x, i) => [x, keys[i % keys.length] + i / 1e6] as const)
    .sort((a, b) => a[1] - b[1])
    .map(([x]) => x);
}

describe('Reassembler', () => {
  it('passes non-fragments straight through', () => {
    const r = new Reassembler();
    const p = payloadOf(10);
    expect(r.add({ ...base, totalLength: 30 }, p, 0)).toBe(p);
    expect(r.size).toBe(0);
  });

  it('reassembles fragments in any order, with duplicates, exactly once (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: IPV4_MIN_MTU, max: 1600 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 100 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        (n, mtu, keys, dupes) => {
          const payload = payloadOf(n);
          const f = frags(base, payload, mtu);
          const order = permute(f, keys);
          // Duplicates delivered before the datagram is complete are ignored.
          const withDupes = [
            ...order.slice(0, -1),
            ...dupes.map((d) => order[d % order.length]).filter((x) => x !== order[order.length - 1]),
            order[order.length - 1],
          ];
          const r = new Reassembler();
          const results = withDupes.map((x, i) => r.add(x.header, x.payload, i));
          const done = results.filter((x) => x !== undefined);
          if (f.length === 1) {
            expect(done.length).toBe(withDupes.length); // not a fragment: passed through every time
          } else {
            expect(done).toHaveLength(1);
            expect(results[results.length - 1]).toBeDefined();
          }
          expect(Buffer.from(done[0]!).equals(Buffer.from(payload))).toBe(true);
          expect(r.size).toBe(0);
        },
      ),
    );
  });

  it('reassembles fragments of fragments (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4000 }),
        fc.integer({ min: 600, max: 1500 }),
        fc.integer({ min: 68, max: 600 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1 }),
        (n, mtu1, mtu2, keys) => {
          const payload = payloadOf(n);
          const all = frags(base, payload, mtu1).flatMap((x) => frags(x.header, x.payload, mtu2));
          const r = new Reassembler();
          const out = permute(all, keys)
            .map((x) => r.add(x.header, x.payload, 0))
            .filter(Boolean);
          expect(out).toHaveLength(1);
          expect(Buffer.from(out[0]!).equals(Buffer.from(payload))).toBe(true);
        },
      ),
    );
  });

  it('keeps datagrams apart by (src, dst, protocol, id)', () => {
    fc.assert(
      fc.property(ipv4Addr, u16, (src, id) => {
        const a = { ...base, src, id };
        const b = { ...base, src, id: (id + 1) & 0xffff };
        const fa = frags(a, payloadOf(3000), 1500);
        const fb = frags(b, payloadOf(2000).reverse(), 1500);
        const r = new Reassembler();
        expect(r.add(fa[0].header, fa[0].payload, 0)).toBeUndefined();
        expect(r.add(fb[1].header, fb[1].payload, 0)).toBeUndefined();
        expect(r.add(fa[1].header, fa[1].payload, 0)).toBeUndefined();
        expect(r.add({ ...fa[2].header, protocol: 6 }, fa[2].payload, 0)).toBeUndefined();
        expect(same(r.add(fb[0].header, fb[0].payload, 0), payloadOf(2000).reverse())).toBe(true);
        expect(same(r.add(fa[2].header, fa[2].payload, 0), payloadOf(3000))).toBe(true);
        expect(r.size).toBe(1); // the stray protocol-6 fragment
      }),
      { numRuns: 20 },
    );
  });

  it('copies fragment data, so the caller may reuse its buffer', () => {
    const f = frags(base, payloadOf(2000), 1500);
    const r = new Reassembler();
    const scratch = f[0].payload.slice();
    r.add(f[0].header, scratch, 0);
    scratch.fill(0);
    expect(r.add(f[1].header, f[1].payload, 0)).toEqual(payloadOf(2000));
  });

  it('expires incomplete datagrams after the timeout, reporting the first fragment', () => {
    expect(DEFAULT_REASSEMBLY_TIMEOUT_NS).toBe(30 * SEC);
    const f = frags(base, payloadOf(3000), 1500);
    const r = new Reassembler();
    r.add(f[0].header, f[0].payload, 1 * SEC);
    r.add(f[2].header, f[2].payload, 2 * SEC);
    expect(r.nextExpiryNs()).toBe(31 * SEC);
    expect(r.expire(31 * SEC - 1)).toEqual([]);
    const dropped = r.expire(31 * SEC);
    expect(dropped).toHaveLength(1);
    expect(dropped[0]).toMatchObject({ src: base.src, dst: base.dst, protocol: IP_PROTO_UDP, id: 0x4242, firstArrivalNs: SEC, receivedBytes: 1520 });
    expect(dropped[0].first?.header.fragmentOffset).toBe(0);
    expect(r.size).toBe(0);
    expect(r.nextExpiryNs()).toBeUndefined();
    // The late fragment starts a new, incomplete datagram.
    expect(r.add(f[1].header, f[1].payload, 32 * SEC)).toBeUndefined();
    expect(r.expire(100 * SEC)[0].first).toBeUndefined();
  });

  it('honours a custom timeout (RFC 791 suggests 15 s)', () => {
    const f = frags(base, payloadOf(3000), 1500);
    const r = new Reassembler({ timeoutNs: 15 * SEC });
    r.add(f[1].header, f[1].payload, 0);
    expect(r.expire(15 * SEC)).toHaveLength(1);
  });

  it('discards a datagram on overlapping or contradictory fragments', () => {
    const f = frags(base, payloadOf(3000), 1500);
    const r = new Reassembler();
    r.add(f[0].header, f[0].payload, 0);
    const overlap = { ...f[1].header, fragmentOffset: 1472 };
    expect(r.add(overlap, f[1].payload, 0)).toBeUndefined();
    expect(r.size).toBe(0);
    expect(r.discarded).toBe(1);
    r.add(f[2].header, f[2].payload, 0);
    expect(r.add({ ...f[2].header, fragmentOffset: 3000 - 40 + 8 }, f[2].payload, 0)).toBeUndefined(); // second, different end
    expect(r.discarded).toBe(2);
  });

  it('ignores a non-final fragment whose length is not a multiple of 8', () => {
    const r = new Reassembler();
    expect(r.add({ ...base, moreFragments: true }, payloadOf(13), 0)).toBeUndefined();
    expect(r.size).toBe(0);
  });

  it('clear() forgets everything', () => {
    const f = frags(base, payloadOf(3000), 1500);
    const r = new Reassembler();
    r.add(f[0].header, f[0].payload, 0);
    r.clear();
    expect(r.size).toBe(0);
  });

  it('builds the reassembled header', () => {
    const f = frags(base, payloadOf(3000), 1500);
    const h = reassembledHeader(f[2].header, 3000);
    expect(h).toMatchObject({ totalLength: 3020, fragmentOffset: 0, moreFragments: false, id: 0x4242 });
    expect(h.checksum).toBe(ipv4HeaderChecksum(h));
  });
});
