/**
 * ICMP as every host runs it (RFC 792, RFC 1122): answers echo requests, hands echo replies to the
 * program that sent the request (matched by identifier), turns incoming errors into reports for
 * the protocol that sent the offending packet, and sends errors on the IP stack's behalf. Never
 * sends an error about an ICMP error, a broadcast, or a non-first fragment (RFC 1122 3.2.2).
 * A "fragmentation needed" teaches the host the path MTU to the quoted destination (RFC 1191)
 * before the sending protocol hears of it.
 *
 * Simplifications, stated: echo replies and errors are sent without DF (as Linux's own ICMP socket,
 * IP_PMTUDISC_DONT); no rate limiting of errors (Linux icmp_ratelimit).
 */
import { BROADCAST_IPV4 } from '../addr';
import { readU16, readU32 } from '../bytes';
import { IP_PROTO_ICMP } from '../ipv4/ipv4';
import { registerTransport, type IcmpErrorReport, type IncomingPacket, type IpHost, type Transport } from '../transport';
import { sharedBytes } from '../../sim/trace';
import {
  echoRequestToReply,
  ICMP_DEST_UNREACHABLE,
  ICMP_ECHO_REPLY,
  ICMP_ECHO_REQUEST,
  ICMP_HEADER_BYTES,
  ICMP_TIME_EXCEEDED,
  verifyIcmpChecksum,
  writeIcmp,
  writeIcmpEcho,
  icmpByteLength,
  type IcmpMessage,
} from './icmp';

export { ICMP_DEST_UNREACHABLE, ICMP_TIME_EXCEEDED };

/** An echo reply as a ping program sees it. */
export interface EchoReply {
  from: number;
  sequence: number;
  ttl: number;
  /** ICMP message length (header + data), as ping prints "64 bytes from". */
  bytes: number;
  data: Uint8Array;
}

/** What a program listening for its echo replies and errors implements. */
export interface EchoListener {
  onReply(reply: EchoReply): void;
  onError?(report: IcmpErrorReport, sequence: number): void;
}

export class IcmpService implements Transport {
  readonly protocol = IP_PROTO_ICMP;
  private readonly listeners = new Map<number, EchoListener>();

  constructor(private readonly host: IpHost) {}

  /** Routes echo replies (and errors about echoes) with this identifier to `listener`. */
  listen(identifier: number, listener: EchoListener): void {
    this.listeners.set(identifier, listener);
  }

  /** Stops routing replies for `identifier`. */
  unlisten(identifier: number): void {
    this.listeners.delete(identifier);
  }

  /** Sends an echo request carrying `data`, with the DF mode of `OutgoingPacket.dontFragment`. */
  sendEcho(dst: number, identifier: number, sequence: number, data: Uint8Array, ttl?: number, dontFragment: boolean | 'want' = false): boolean {
    const msg = new Uint8Array(ICMP_HEADER_BYTES + data.length);
    msg.set(data, ICMP_HEADER_BYTES);
    writeIcmpEcho(msg, 0, ICMP_ECHO_REQUEST, identifier, sequence, data.length);
    return this.host.sendIp({ dst, protocol: IP_PROTO_ICMP, payload: sharedBytes(msg), ttl, dontFragment });
  }

  /** Sends an ICMP error about the packet quoted in `quote` (its IP header + 8 bytes) to `to`. */
  sendError(type: number, code: number, quote: Uint8Array, to: number, from: number, mtu: number): void {
    if (to === BROADCAST_IPV4 || to === 0 || quote.length < 20) return;
    const fragOffset = readU16(quote, 6) & 0x1fff;
    if (fragOffset !== 0) return;
    const ihl = (quote[0] & 0x0f) * 4;
    if (quote[9] === IP_PROTO_ICMP && quote.length > ihl) {
      const t = quote[ihl];
      if (t !== ICMP_ECHO_REQUEST && t !== ICMP_ECHO_REPLY) return; // never an error about an error
    }
    const m: IcmpMessage =
      type === ICMP_TIME_EXCEEDED
        ? { kind: 'time-exceeded', code, original: quote }
        : { kind: 'dest-unreachable', code, nextHopMtu: code === 4 ? mtu : undefined, original: quote };
    const bytes = new Uint8Array(icmpByteLength(m));
    writeIcmp(bytes, 0, m);
    this.host.sendIp({ dst: to, src: from, protocol: IP_PROTO_ICMP, payload: sharedBytes(bytes) });
  }

  receive(p: IncomingPacket): void {
    const b = p.payload;
    if (!verifyIcmpChecksum(b, 0, b.length)) {
      this.host.dropPacket('bad ICMP checksum', p.packetId);
      return;
    }
    const type = b[0];
    if (type === ICMP_ECHO_REQUEST) {
      // Linux ignores echo requests sent to a broadcast address (icmp_echo_ignore_broadcasts = 1).
      if (!this.host.addresses.includes(p.dst)) return;
      const reply = b.slice();
      echoRequestToReply(reply, 0);
      this.host.sendIp({ dst: p.src, protocol: IP_PROTO_ICMP, payload: sharedBytes(reply) });
    } else if (type === ICMP_ECHO_REPLY) {
      const listener = this.listeners.get(readU16(b, 4));
      listener?.onReply({ from: p.src, sequence: readU16(b, 6), ttl: p.ttl, bytes: b.length, data: b.subarray(ICMP_HEADER_BYTES) });
    } else if ((type === ICMP_DEST_UNREACHABLE || type === ICMP_TIME_EXCEEDED) && b.length >= ICMP_HEADER_BYTES + 20) {
      this.dispatchError(p.src, b, p.ttl);
    }
  }

  private dispatchError(from: number, b: Uint8Array, ttl: number): void {
    const q = ICMP_HEADER_BYTES;
    const ihl = (b[q] & 0x0f) * 4;
    const report: IcmpErrorReport = {
      from,
      type: b[0],
      code: b[1],
      original: {
        src: readU32(b, q + 12),
        dst: readU32(b, q + 16),
        protocol: b[q + 9],
        id: readU16(b, q + 4),
        payload8: b.slice(q + ihl, q + ihl + 8),
      },
      mtu: b[0] === ICMP_DEST_UNREACHABLE && b[1] === 4 ? readU16(b, 6) : 0,
      ttl,
    };
    // RFC 1191 §6.3: whatever protocol sent it, the next-hop MTU lowers the path MTU to its destination.
    if (b[0] === ICMP_DEST_UNREACHABLE && b[1] === 4) {
      if (this.host.addresses.includes(report.original.src)) this.host.learnPathMtu(report.original.dst, report.mtu);
    }
    if (report.original.protocol === IP_PROTO_ICMP) {
      const echo = report.original.payload8;
      if (echo.length >= 8 && echo[0] === ICMP_ECHO_REQUEST) {
        this.listeners.get(readU16(echo, 4))?.onError?.(report, readU16(echo, 6));
      }
      return;
    }
    this.host.transport(report.original.protocol)?.icmpError?.(report);
  }

  /** Reports an error about an echo this host sent, found locally (no ARP reply, no route). */
  icmpError(report: IcmpErrorReport): void {
    const echo = report.original.payload8;
    if (echo.length >= 8 && echo[0] === ICMP_ECHO_REQUEST) this.listeners.get(readU16(echo, 4))?.onError?.(report, readU16(echo, 6));
  }

  reset(): void {
    this.listeners.clear();
  }
}

registerTransport({ protocol: IP_PROTO_ICMP, name: 'icmp', create: (host) => new IcmpService(host) });
