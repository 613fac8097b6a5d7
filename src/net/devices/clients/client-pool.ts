/**
 * A population of clients as one device: a single NIC that owns a whole range of addresses. It
 * answers ARP for every address in its pool and sends UDP from any of them, so the servers really
 * see thousands of distinct clients (their ARP tables and the packets show every address) without
 * thousands of devices in the scene.
 *
 * Simplification, stated: only the first address is a full IP host (ping, ICMP errors, any
 * program). The other addresses answer ARP and carry the UDP of programs bound with
 * {@link ClientPool.bindPool}; fragmented datagrams to them are not reassembled.
 */
import { ARP_BYTES, ARP_REPLY, ARP_REQUEST, checkArp, readArp, writeArp, type ArpPacket } from '../../../protocols/arp/arp';
import { BROADCAST_MAC, readMac } from '../../../protocols/addr';
import { readU16, readU32 } from '../../../protocols/bytes';
import { ETHERNET_HEADER_BYTES, ETHERTYPE_ARP, ETHERTYPE_IPV4, writeEthernet } from '../../../protocols/ethernet/ethernet';
import { IP_PROTO_UDP, IPV4_HEADER_BYTES, verifyIpv4Checksum } from '../../../protocols/ipv4/ipv4';
import { encodeUdpDatagram, UDP_HEADER_BYTES, verifyUdpChecksum, writeUdpDatagram } from '../../../protocols/udp/udp';
import { sharedBytes } from '../../../sim/trace';
import type { Frame } from '../../frame';
import { IpDevice } from '../../ip/ip-device';
import type { Nic } from '../../nic';

/**
 * Receives a datagram sent to client `index` of the pool. The payload is `datagram[offset, end)`,
 * left in place (no copy, no view made per datagram), valid only during the call.
 */
export type PoolHandler = (index: number, from: number, fromPort: number, datagram: Uint8Array, offset: number, end: number) => void;

export class ClientPool extends IpDevice {
  /** First address of the pool (the interface's own address). */
  base = 0;
  /** Number of addresses (clients). */
  count = 0;
  private readonly handlers = new Map<number, PoolHandler>();
  private readonly arpScratch: ArpPacket = { op: ARP_REQUEST, senderMac: 0, senderIp: 0, targetMac: 0, targetIp: 0 };

  /** Sets the pool: `count` addresses from `base`. */
  setPool(base: number, count: number): void {
    this.base = base;
    this.count = count;
    this.state('clients', `${count}`);
  }

  /** The address of client `index`. */
  addressOf(index: number): number {
    return (this.base + index) >>> 0;
  }

  /** Delivers UDP to `port` on every pool address to `handler`; an error text if the port is taken. */
  bindPool(port: number, handler: PoolHandler): string | undefined {
    if (this.handlers.has(port)) return `bind: Address already in use (port ${port})`;
    this.handlers.set(port, handler);
    return undefined;
  }

  /** Releases a port bound with {@link bindPool}. */
  unbindPool(port: number): void {
    this.handlers.delete(port);
  }

  /** Sends a UDP datagram from client `index` (its own source address), port `srcPort`. */
  sendFrom(index: number, srcPort: number, dst: number, dstPort: number, data: Uint8Array): boolean {
    const src = this.addressOf(index);
    return this.stack.sendIp({ dst, src, protocol: IP_PROTO_UDP, payload: sharedBytes(encodeUdpDatagram(src, dst, srcPort, dstPort, data)) });
  }

  /**
   * Like {@link sendFrom}, without copying: `datagram` holds the payload from byte 8 on and this
   * writes the UDP header (with its checksum) into its first 8 bytes. The buffer then belongs to
   * the packet.
   */
  sendDatagramFrom(index: number, srcPort: number, dst: number, dstPort: number, datagram: Uint8Array): boolean {
    const src = this.addressOf(index);
    writeUdpDatagram(datagram, 0, src, dst, srcPort, dstPort, datagram.length - UDP_HEADER_BYTES);
    return this.stack.sendIp({ dst, src, protocol: IP_PROTO_UDP, payload: sharedBytes(datagram) });
  }

  private inPool(addr: number): boolean {
    return addr >= this.base && addr - this.base < this.count;
  }

  protected override onFrame(nic: Nic, frame: Frame): void {
    const head = frame.head;
    const dstMac = readMac(head, 0);
    if (dstMac !== nic.mac && dstMac !== BROADCAST_MAC) return;
    const etherType = readU16(head, 12);
    if (etherType === ETHERTYPE_ARP) {
      this.onPoolArp(nic, head);
    } else if (etherType === ETHERTYPE_IPV4 && this.onPoolIp(frame)) {
      return;
    }
    super.onFrame(nic, frame);
  }

  /** Answers ARP requests for pool addresses other than the first (the stack answers for that one). */
  private onPoolArp(nic: Nic, head: Uint8Array): void {
    if (checkArp(head, ETHERNET_HEADER_BYTES) !== undefined) return;
    const p = readArp(head, ETHERNET_HEADER_BYTES, this.arpScratch);
    if (p.op !== ARP_REQUEST || p.targetIp === this.base || !this.inPool(p.targetIp)) return;
    const reply = new Uint8Array(ETHERNET_HEADER_BYTES + ARP_BYTES);
    writeEthernet(reply, 0, { dst: p.senderMac, src: nic.mac, etherType: ETHERTYPE_ARP });
    writeArp(reply, ETHERNET_HEADER_BYTES, { op: ARP_REPLY, senderMac: nic.mac, senderIp: p.targetIp, targetMac: p.senderMac, targetIp: p.senderIp });
    nic.send({ head: reply, body: null, packetId: this.ctx.newPacketId() });
  }

  /** Hands a whole UDP datagram for a pool address to its handler; false leaves it to the stack. */
  private onPoolIp(frame: Frame): boolean {
    const head = frame.head;
    const ip = ETHERNET_HEADER_BYTES;
    if (head.length < ip + IPV4_HEADER_BYTES || head[ip + 9] !== IP_PROTO_UDP) return false;
    const dst = readU32(head, ip + 16);
    if (!this.inPool(dst)) return false;
    const flagsFrag = readU16(head, ip + 6);
    if ((flagsFrag & 0x3fff) !== 0 || !frame.body) return false; // fragments: left to the stack
    if (!verifyIpv4Checksum(head, ip)) return false;
    const src = readU32(head, ip + 12);
    const b = frame.body.bytes;
    if (!verifyUdpChecksum(src, dst, b, 0)) {
      this.stack.dropPacket('bad UDP checksum or length', frame.packetId);
      return true;
    }
    const handler = this.handlers.get(readU16(b, 2));
    if (!handler) {
      this.stack.dropPacket(`UDP port ${readU16(b, 2)} closed`, frame.packetId);
      return true;
    }
    handler(dst - this.base, src, readU16(b, 0), b, UDP_HEADER_BYTES, readU16(b, 4));
    return true;
  }

  protected override onCrash(): void {
    super.onCrash();
    this.handlers.clear();
  }
}
