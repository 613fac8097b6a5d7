/** fast-check generators shared by the protocol tests. */
import fc from 'fast-check';
import type { Ipv4Header } from '../../src/protocols/ipv4/ipv4';

export const u8 = fc.integer({ min: 0, max: 0xff });
export const u16 = fc.integer({ min: 0, max: 0xffff });
export const ipv4Addr = fc.integer({ min: 0, max: 0xffff_ffff });
export const macAddr = fc.integer({ min: 0, max: 0xffff_ffff_ffff });
export const bytes = (maxLength = 128) => fc.uint8Array({ maxLength });

/** Any encodable IPv4 header (checksum left 0: encode computes it). */
export const ipv4Header: fc.Arbitrary<Ipv4Header> = fc.record({
  tos: u8,
  totalLength: fc.integer({ min: 20, max: 0xffff }),
  id: u16,
  dontFragment: fc.boolean(),
  moreFragments: fc.boolean(),
  fragmentOffset: fc.integer({ min: 0, max: 0x1fff }).map((n) => n * 8),
  ttl: u8,
  protocol: u8,
  checksum: fc.constant(0),
  src: ipv4Addr,
  dst: ipv4Addr,
});

/** Parses `45 00 00 73 ...` into bytes. */
export function hex(s: string): Uint8Array {
  const clean = s.replace(/\s+/g, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}
