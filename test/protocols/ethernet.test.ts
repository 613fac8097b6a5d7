import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BROADCAST_MAC, parseMac } from '../../src/protocols/addr';
import {
  describeEthernet,
  encodeEthernetFrame,
  ethernet,
  ethernetPayloadEnd,
  ETHERNET_HEADER_BYTES,
  ETHERNET_MIN_FRAME_BYTES,
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
  readEthernet,
  readEtherType,
  writeEthernet,
  type EthernetHeader,
} from '../../src/protocols/ethernet/ethernet';
import { hex, macAddr, u16 } from './arbitraries';

const header = fc.record({ dst: macAddr, src: macAddr, etherType: u16 });

// An ARP request as captured (Wireshark shows the trailing 18 zero bytes as Padding).
const ARP_FRAME = hex(`
  ff ff ff ff ff ff 02 00 00 00 01 01 08 06
  00 01 08 00 06 04 00 01 02 00 00 00 01 01 0a 00 00 01 00 00 00 00 00 00 0a 00 00 02
  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00`);

describe('Ethernet II', () => {
  it('decodes a captured frame header', () => {
    const r = ethernet.decode(ARP_FRAME);
    expect(r).toEqual({
      ok: true,
      value: { dst: BROADCAST_MAC, src: parseMac('02:00:00:00:01:01'), etherType: ETHERTYPE_ARP },
      length: 14,
    });
    expect(ARP_FRAME.length).toBe(ETHERNET_MIN_FRAME_BYTES);
    expect(ethernetPayloadEnd(ARP_FRAME)).toBe(14 + 28);
  });

  it('describes with Wireshark filter names and shows padding', () => {
    const layer = describeEthernet(ARP_FRAME);
    if ('error' in layer) throw new Error(layer.error);
    expect(layer.title).toBe('Ethernet II, Src: 02:00:00:00:01:01, Dst: ff:ff:ff:ff:ff:ff');
    expect(layer.fields.map((f) => f.key)).toEqual(['eth.dst', 'eth.src', 'eth.type', 'eth.padding']);
    expect(layer.fields[2].value).toBe('ARP (0x0806)');
    expect(layer.fields[0].value).toBe('Broadcast (ff:ff:ff:ff:ff:ff)');
    expect(layer.fields[3]).toMatchObject({ label: 'Padding', offset: 42, length: 18 });
    expect(layer.notes?.join(' ')).toMatch(/FCS/);
  });

  it('pads short frames to 60 bytes and leaves long ones alone', () => {
    const h: EthernetHeader = { dst: 1, src: 2, etherType: ETHERTYPE_IPV4 };
    expect(encodeEthernetFrame(h, new Uint8Array(10)).length).toBe(60);
    expect(encodeEthernetFrame(h, new Uint8Array(46)).length).toBe(60);
    expect(encodeEthernetFrame(h, new Uint8Array(47)).length).toBe(61);
  });

  it('round-trips encode -> decode (property)', () => {
    fc.assert(
      fc.property(header, (h) => {
        const b = ethernet.encode(h);
        expect(b.length).toBe(ethernet.byteLength(h));
        expect(ethernet.decode(b)).toEqual({ ok: true, value: h, length: ETHERNET_HEADER_BYTES });
      }),
    );
  });

  it('write/read helpers agree with the codec at any offset (property)', () => {
    fc.assert(
      fc.property(header, fc.integer({ min: 0, max: 20 }), (h, off) => {
        const buf = new Uint8Array(off + 14);
        expect(writeEthernet(buf, off, h)).toBe(off + 14);
        expect([...buf.subarray(off)]).toEqual([...ethernet.encode(h)]);
        expect(readEthernet(buf, off)).toEqual(h);
        expect(readEtherType(buf, off)).toBe(h.etherType);
        const out = { dst: 0, src: 0, etherType: 0 };
        expect(readEthernet(buf, off, out)).toBe(out);
      }),
    );
  });

  it('rejects truncated headers', () => {
    for (let n = 0; n < 14; n++) expect(ethernet.decode(ARP_FRAME.subarray(0, n)).ok).toBe(false);
    expect(ethernet.decode(ARP_FRAME, 50).ok).toBe(false);
    expect('error' in describeEthernet(new Uint8Array(13))).toBe(true);
  });

  it('never throws on any bytes at any offset (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.integer({ min: -3, max: 90 }), (b, off) => {
        ethernet.decode(b, off);
        ethernet.describe(b, off);
        ethernetPayloadEnd(b, Math.max(0, off));
      }),
    );
  });
});
