/** Colour classes come with a protocol's registration: a new protocol needs no edit to the views. */
import { describe, expect, it } from 'vitest';
import { registerBuiltinProtocols } from '../../src/protocols/builtin';
import { colorClasses, colorClassOfFrame } from '../../src/protocols/color-class';
import { registerIpProtocol } from '../../src/protocols/dissect';

/** An Ethernet II frame with `etherType`, and for IPv4 a 20-byte header carrying `proto`. */
function frame(etherType: number, proto = 0): Uint8Array {
  const b = new Uint8Array(60);
  b[12] = etherType >> 8;
  b[13] = etherType & 0xff;
  b[14] = 0x45;
  b[23] = proto;
  return b;
}

describe('colour classes', () => {
  registerBuiltinProtocols();
  const name = (b: Uint8Array) => colorClasses()[colorClassOfFrame(b)].name;

  it('colour the built-in protocols in the legend order ARP, ICMP, UDP, TCP, after Other', () => {
    expect(
      colorClasses()
        .slice(0, 5)
        .map((c) => c.name),
    ).toEqual(['Other', 'ARP', 'ICMP', 'UDP', 'TCP']);
    expect(name(frame(0x0806))).toBe('ARP');
    expect(name(frame(0x0800, 1))).toBe('ICMP');
    expect(name(frame(0x0800, 17))).toBe('UDP');
    expect(name(frame(0x0800, 6))).toBe('TCP');
  });

  it('colour DHCP (UDP ports 67 and 68) apart from other UDP, whichever port is the source', () => {
    const udp = (sport: number, dport: number) => {
      const b = frame(0x0800, 17);
      b[34] = sport >> 8;
      b[35] = sport & 0xff;
      b[36] = dport >> 8;
      b[37] = dport & 0xff;
      return b;
    };
    expect(name(udp(68, 67))).toBe('DHCP');
    expect(name(udp(67, 68))).toBe('DHCP');
    expect(name(udp(67, 67))).toBe('DHCP'); // relay to server
    expect(name(udp(40000, 53))).toBe('UDP');
    // A later fragment has no UDP header: it keeps UDP's colour.
    const fragment = udp(68, 67);
    fragment[21] = 0x10;
    expect(name(fragment)).toBe('UDP');
  });

  it('leave unregistered protocols and short frames as Other', () => {
    expect(name(frame(0x86dd))).toBe('Other');
    expect(name(frame(0x0800, 47))).toBe('Other');
    expect(name(new Uint8Array(10))).toBe('Other');
  });

  it('take a new protocol from its dissector registration', () => {
    registerIpProtocol(89, () => ({ ok: false, error: 'not dissected here' }) as never, { name: 'OSPF', color: '#ff8800' });
    expect(name(frame(0x0800, 89))).toBe('OSPF');
    expect(colorClasses().find((c) => c.name === 'OSPF')?.color).toBe('#ff8800');
  });
});
