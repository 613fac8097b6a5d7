/**
 * Faults aimed at one packet, by its trace packet id: lose it, hold it back, or flip a bit in it.
 * Each rule takes the first frame carrying that packet whose transmission starts once the rule is
 * in place, on whichever point-to-point link that is, and is then spent.
 *
 * Simplifications, stated: hub segments do not consult these rules. A corrupted IPv4 frame has one
 * bit of its IP identification field flipped, so the next IP hop (router or host) finds a bad
 * header checksum and discards it, as Linux does; a switch forwards it, because frames in the
 * simulator carry no Ethernet FCS. A corrupted frame that is not IPv4 (ARP) has no checksum above
 * the FCS to catch it, so it is lost as the receiving NIC's FCS check would lose it.
 */
import { ETHERNET_HEADER_BYTES, ETHERTYPE_IPV4 } from '../protocols/ethernet/ethernet';
import { IPV4_HEADER_BYTES } from '../protocols/ipv4/ipv4';
import type { Frame } from './frame';

/** What happens to the packet. */
export type PacketFaultEffect = { readonly kind: 'drop' } | { readonly kind: 'delay'; readonly ns: number } | { readonly kind: 'corrupt' };

interface Rule {
  readonly packetId: number;
  readonly effect: PacketFaultEffect;
  readonly reason: string;
}

/** The packet fault rules of one run, shared by its links. */
export class PacketFaults {
  private rules: Rule[] = [];

  /** Whether any rule is waiting (a cheap test per frame). */
  get pending(): boolean {
    return this.rules.length > 0;
  }

  /** Adds a rule for the next frame carrying `packetId`; `reason` names it in the trace. */
  add(packetId: number, effect: PacketFaultEffect, reason: string): void {
    this.rules.push({ packetId, effect, reason });
  }

  /** The first rule for `packetId`, removed; undefined when none. */
  take(packetId: number): { effect: PacketFaultEffect; reason: string } | undefined {
    const i = this.rules.findIndex((r) => r.packetId === packetId);
    if (i < 0) return undefined;
    const [rule] = this.rules.splice(i, 1);
    return rule;
  }
}

/** Byte of the IPv4 header (from its start) whose lowest bit a corruption flips: the identification field. */
const CORRUPT_IP_OFFSET = 5;

/**
 * The frame with one bit flipped in its IPv4 header (a fresh head; the original is untouched), or
 * undefined when the frame is not IPv4.
 */
export function corruptFrame(frame: Frame): Frame | undefined {
  const h = frame.head;
  if (h.length < ETHERNET_HEADER_BYTES + IPV4_HEADER_BYTES || ((h[12] << 8) | h[13]) !== ETHERTYPE_IPV4) return undefined;
  const head = h.slice();
  head[ETHERNET_HEADER_BYTES + CORRUPT_IP_OFFSET] ^= 0x01;
  return { head, body: frame.body, packetId: frame.packetId };
}
