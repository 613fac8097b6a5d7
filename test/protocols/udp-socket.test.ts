/**
 * The UDP socket's no-copy paths: sendDatagram writes the header into the caller's buffer and puts
 * on the wire exactly what send would; a handler with onPayload reads the payload in place.
 */
import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '../../src/protocols/addr';
import { IP_PROTO_UDP } from '../../src/protocols/ipv4/ipv4';
import { UDP_HEADER_BYTES, verifyUdpChecksum } from '../../src/protocols/udp/udp';
import type { UdpService, UdpSocket } from '../../src/protocols/udp/udp-service';
import type { IpDevice } from '../../src/net/ip/ip-device';
import { TestNet } from '../helpers/net';

function twoHosts(): { net: TestNet; udp: (node: string) => UdpService } {
  const net = TestNet.fromYaml(`
    nodes:
      - { id: h1, kind: host, ip: 10.0.0.1/24 }
      - { id: h2, kind: host, ip: 10.0.0.2/24 }
    links: [{ a: h1, b: h2, latency: 1ms }]
  `);
  const udp = (node: string) => (net.network.devices.get(node) as IpDevice).stack.transport<UdpService>(IP_PROTO_UDP)!;
  return { net, udp };
}

const H1 = parseIpv4('10.0.0.1')!;
const H2 = parseIpv4('10.0.0.2')!;
const payload = Uint8Array.from({ length: 37 }, (_, i) => (i * 7 + 1) & 0xff);

function bound(udp: UdpService, port: number, received: Uint8Array[]): UdpSocket {
  const s = udp.bind(port, { onMessage: (m) => received.push(m.data.slice()) });
  if (typeof s === 'string') throw new Error(s);
  return s;
}

describe('UDP socket without copies', () => {
  it('sendDatagram puts the same datagram on the wire as send, with the header written into the buffer', () => {
    const { net, udp } = twoHosts();
    const received: Uint8Array[] = [];
    bound(udp('h2'), 7, received);
    const s = bound(udp('h1'), 5000, []);
    s.send(H2, 7, payload);
    net.runUntil('10ms');
    const datagram = new Uint8Array(UDP_HEADER_BYTES + payload.length);
    datagram.set(payload, UDP_HEADER_BYTES);
    s.sendDatagram(H2, 7, datagram);
    net.runUntil('20ms');

    const ipFrames = net.frames('h1-h2', 'a>b').filter((f) => f.ip?.protocol === IP_PROTO_UDP);
    expect(ipFrames).toHaveLength(2);
    // Same UDP header and payload (the bytes after the IP header); only the IP id differs.
    const udpBytes = ipFrames.map((f) => f.bytes.subarray(34));
    expect(udpBytes[1]).toEqual(udpBytes[0]);
    expect(verifyUdpChecksum(H1, H2, datagram)).toBe(true);
    expect(datagram.subarray(0, 4)).toEqual(Uint8Array.of(5000 >> 8, 5000 & 0xff, 0, 7));
    expect(received).toEqual([payload, payload]);
  });

  it('a handler with onPayload gets the payload in place and onMessage is not called', () => {
    const { net, udp } = twoHosts();
    const seen: { from: number; fromPort: number; bytes: number[] }[] = [];
    let messages = 0;
    const r = udp('h2').bind(7, {
      onMessage: () => messages++,
      onPayload: (from, fromPort, datagram, offset, end) => seen.push({ from, fromPort, bytes: [...datagram.subarray(offset, end)] }),
    });
    expect(typeof r).not.toBe('string');
    bound(udp('h1'), 5000, []).send(H2, 7, payload);
    net.runUntil('10ms');
    expect(messages).toBe(0);
    expect(seen).toEqual([{ from: H1, fromPort: 5000, bytes: [...payload] }]);
  });

  it('sendDatagram refuses a buffer too short for the header', () => {
    const { udp } = twoHosts();
    expect(() => bound(udp('h1'), 5000, []).sendDatagram(H2, 7, new Uint8Array(4))).toThrow(RangeError);
  });
});
