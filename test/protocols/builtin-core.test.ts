import { describe, expect, it } from 'vitest';
import { parseIpv4, parseMac } from '../../src/protocols/addr';
import { arp } from '../../src/protocols/arp/arp';
import { registerBuiltinProtocols } from '../../src/protocols/builtin';
import { MORE_DISSECTOR_PORTS, needsMoreDissectors, registerCoreProtocols } from '../../src/protocols/builtin-core';
import { colorClasses } from '../../src/protocols/color-class';
import { dissectFrame } from '../../src/protocols/dissect';
import { DNS_PORT } from '../../src/protocols/dns/dns';
import { encodeEthernetFrame, ETHERTYPE_ARP, ETHERTYPE_IPV4 } from '../../src/protocols/ethernet/ethernet';
import { HTTP_TCP_PORTS, HTTPS_TCP_PORTS } from '../../src/protocols/http/dissect';
import { icmp } from '../../src/protocols/icmp/icmp';
import { ipv4, IP_PROTO_ICMP, IP_PROTO_TCP, IP_PROTO_UDP, type Ipv4Header } from '../../src/protocols/ipv4/ipv4';
import { QUIC_UDP_PORT } from '../../src/protocols/quic/dissect';
import { encodeUdpDatagram } from '../../src/protocols/udp/udp';

const M1 = parseMac('02:00:00:00:01:01')!;
const M2 = parseMac('02:00:00:00:02:01')!;
const A = parseIpv4('10.0.0.1')!;
const B = parseIpv4('10.0.0.2')!;

function ipFrame(protocol: number, payload: Uint8Array, extra: Partial<Ipv4Header> = {}): Uint8Array {
  const h: Ipv4Header = {
    tos: 0,
    totalLength: 20 + payload.length,
    id: 1,
    dontFragment: false,
    moreFragments: false,
    fragmentOffset: 0,
    ttl: 64,
    protocol,
    checksum: 0,
    src: A,
    dst: B,
    ...extra,
  };
  const ip = new Uint8Array(20 + payload.length);
  ip.set(ipv4.encode(h));
  ip.set(payload, 20);
  return encodeEthernetFrame({ dst: M2, src: M1, etherType: ETHERTYPE_IPV4 }, ip);
}
const udpFrame = (srcPort: number, dstPort: number, extra: Partial<Ipv4Header> = {}) =>
  ipFrame(IP_PROTO_UDP, encodeUdpDatagram(A, B, srcPort, dstPort, new Uint8Array(12)), extra);
/** A bare 20-byte TCP header with these ports (SYN), enough for the port check. */
function tcpFrame(srcPort: number, dstPort: number): Uint8Array {
  const t = new Uint8Array(20);
  new DataView(t.buffer).setUint16(0, srcPort);
  new DataView(t.buffer).setUint16(2, dstPort);
  t[12] = 5 << 4;
  t[13] = 0x02;
  return ipFrame(IP_PROTO_TCP, t);
}

describe('core dissectors and the richer ones', () => {
  it('lists exactly the ports builtin.ts registers beyond the core', () => {
    expect([...MORE_DISSECTOR_PORTS.udp].sort((a, b) => a - b)).toEqual([DNS_PORT, QUIC_UDP_PORT].sort((a, b) => a - b));
    expect([...MORE_DISSECTOR_PORTS.tcp].sort((a, b) => a - b)).toEqual([...HTTP_TCP_PORTS, ...HTTPS_TCP_PORTS].sort((a, b) => a - b));
  });

  it('asks for the richer dissectors for DNS, QUIC, HTTP and HTTPS, in either direction', () => {
    expect(needsMoreDissectors(udpFrame(40000, 53))).toBe(true);
    expect(needsMoreDissectors(udpFrame(53, 40000))).toBe(true);
    expect(needsMoreDissectors(udpFrame(50000, 443))).toBe(true);
    expect(needsMoreDissectors(tcpFrame(49152, 80))).toBe(true);
    expect(needsMoreDissectors(tcpFrame(443, 49152))).toBe(true);
  });

  it('does not for ARP, ICMP, traceroute probes, RR, other TCP, or a later IPv4 fragment (no ports in it)', () => {
    const arpFrame = encodeEthernetFrame(
      { dst: M2, src: M1, etherType: ETHERTYPE_ARP },
      arp.encode({ op: 1, senderMac: M1, senderIp: A, targetMac: M2, targetIp: B }),
    );
    expect(needsMoreDissectors(arpFrame)).toBe(false);
    expect(needsMoreDissectors(ipFrame(IP_PROTO_ICMP, icmp.encode({ kind: 'echo-request', identifier: 1, sequence: 1, data: new Uint8Array(8) })))).toBe(false);
    expect(needsMoreDissectors(udpFrame(33000, 33434))).toBe(false);
    expect(needsMoreDissectors(udpFrame(40000, 9000))).toBe(false);
    expect(needsMoreDissectors(tcpFrame(49152, 5201))).toBe(false);
    expect(needsMoreDissectors(udpFrame(40000, 53, { fragmentOffset: 1480 }))).toBe(false);
    expect(needsMoreDissectors(new Uint8Array(10))).toBe(false);
  });

  it('gives every colour class with the core alone, and DNS summaries only with the rest', () => {
    registerCoreProtocols();
    const core = colorClasses().map((c) => c.name);
    expect(core).toEqual(['Other', 'ARP', 'ICMP', 'UDP', 'TCP', 'DHCP']);
    expect(dissectFrame(udpFrame(40000, 53)).protocol).toBe('UDP');
    registerBuiltinProtocols();
    expect(colorClasses().map((c) => c.name)).toEqual(core);
    expect(dissectFrame(udpFrame(40000, 53)).protocol).not.toBe('UDP');
  });
});
