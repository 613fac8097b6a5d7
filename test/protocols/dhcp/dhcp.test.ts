/**
 * DHCP message encoding as RFC 2131 §2/§3 and RFC 2132 lay it out: the BOOTP header at fixed offsets,
 * the magic cookie 99.130.83.99 at byte 236, options as code/length/value ended by 255, and the whole
 * message padded to BOOTP's 300-byte minimum (RFC 1542 §2.1).
 */
import { describe, expect, it } from 'vitest';
import { parseIpv4, parseMac } from '../../../src/protocols/addr';
import {
  BOOTP_MIN_BYTES,
  BOOTREPLY,
  BOOTREQUEST,
  decodeDhcp,
  DHCP_FLAG_BROADCAST,
  DhcpType,
  encodeDhcp,
  type DhcpMessage,
} from '../../../src/protocols/dhcp/dhcp';
import { describeDhcp, dhcp } from '../../../src/protocols/dhcp/dissect';

const ip = (s: string) => parseIpv4(s)!;
const MAC = parseMac('02:00:00:00:01:01')!;

const discover: DhcpMessage = {
  op: BOOTREQUEST,
  hops: 0,
  xid: 0x3903f326,
  secs: 0,
  flags: DHCP_FLAG_BROADCAST,
  ciaddr: 0,
  yiaddr: 0,
  siaddr: 0,
  giaddr: 0,
  chaddr: MAC,
  options: { type: DhcpType.Discover, parameterList: [1, 3, 6] },
};

const ack: DhcpMessage = {
  op: BOOTREPLY,
  hops: 0,
  xid: 0x3903f326,
  secs: 0,
  flags: DHCP_FLAG_BROADCAST,
  ciaddr: 0,
  yiaddr: ip('10.0.0.100'),
  siaddr: 0,
  giaddr: ip('10.0.1.254'),
  chaddr: MAC,
  options: {
    type: DhcpType.Ack,
    serverId: ip('10.0.0.2'),
    leaseTime: 3600,
    renewalTime: 1800,
    rebindingTime: 3150,
    subnetMask: 0xffffff00,
    routers: [ip('10.0.0.254')],
    dns: [ip('10.0.0.53'), ip('10.0.0.54')],
  },
};

/** The options area as [code, value bytes] pairs, read by hand from byte 240. */
function optionsOf(b: Uint8Array): [number, number[]][] {
  const out: [number, number[]][] = [];
  let i = 240;
  while (i < b.length) {
    const code = b[i];
    if (code === 0) {
      i++;
      continue;
    }
    if (code === 255) {
      out.push([255, []]);
      break;
    }
    out.push([code, [...b.subarray(i + 2, i + 2 + b[i + 1])]]);
    i += 2 + b[i + 1];
  }
  return out;
}

describe('DHCP message encoding (RFC 2131, RFC 2132)', () => {
  it('puts the BOOTP fields at their fixed offsets', () => {
    const b = encodeDhcp(ack);
    expect([b[0], b[1], b[2], b[3]]).toEqual([2, 1, 6, 0]); // op BOOTREPLY, htype Ethernet, hlen 6, hops
    expect([...b.subarray(4, 8)]).toEqual([0x39, 0x03, 0xf3, 0x26]); // xid
    expect([b[10], b[11]]).toEqual([0x80, 0x00]); // the broadcast flag is the top bit of flags
    expect([...b.subarray(16, 20)]).toEqual([10, 0, 0, 100]); // yiaddr
    expect([...b.subarray(24, 28)]).toEqual([10, 0, 1, 254]); // giaddr
    expect([...b.subarray(28, 34)]).toEqual([2, 0, 0, 0, 1, 1]); // chaddr
    expect(b.subarray(34, 236).every((x) => x === 0)).toBe(true); // chaddr padding, sname, file
  });

  it('opens the options with the magic cookie 99.130.83.99 at byte 236', () => {
    expect([...encodeDhcp(discover).subarray(236, 240)]).toEqual([99, 130, 83, 99]);
  });

  it('encodes options 53, 54, 51, 1, 3 and 6 as code, length, value, and ends with 255', () => {
    const opts = new Map(optionsOf(encodeDhcp(ack)));
    expect(opts.get(53)).toEqual([5]); // DHCPACK
    expect(opts.get(54)).toEqual([10, 0, 0, 2]);
    expect(opts.get(51)).toEqual([0, 0, 0x0e, 0x10]); // 3600 s
    expect(opts.get(58)).toEqual([0, 0, 0x07, 0x08]); // T1 1800 s
    expect(opts.get(59)).toEqual([0, 0, 0x0c, 0x4e]); // T2 3150 s
    expect(opts.get(1)).toEqual([255, 255, 255, 0]);
    expect(opts.get(3)).toEqual([10, 0, 0, 254]);
    expect(opts.get(6)).toEqual([10, 0, 0, 53, 10, 0, 0, 54]); // a list: 4 bytes per address
    expect(optionsOf(encodeDhcp(ack)).at(-1)).toEqual([255, []]);
    // Option 53 comes first (RFC 2131 §4.1 does not require it; dhclient and dhcpd put it there).
    expect(optionsOf(encodeDhcp(ack))[0][0]).toBe(53);
  });

  it('pads a short message with zeros to the 300-byte BOOTP minimum', () => {
    const b = encodeDhcp(discover);
    expect(b.length).toBe(BOOTP_MIN_BYTES);
    const end = b.indexOf(255, 240);
    expect(b.subarray(end + 1).every((x) => x === 0)).toBe(true);
  });

  it('round-trips, through the codec too', () => {
    for (const m of [discover, ack]) {
      const d = decodeDhcp(encodeDhcp(m));
      expect(d.ok && d.value).toEqual(m);
      expect(dhcp.decode(dhcp.encode(m))).toEqual({ ok: true, value: m, length: dhcp.byteLength(m) });
    }
  });

  it('refuses a wrong magic cookie, a missing End and a message with no type (plain BOOTP)', () => {
    const b = encodeDhcp(discover);
    const bad = b.slice();
    bad[236] = 0;
    expect(decodeDhcp(bad)).toMatchObject({ ok: false, error: expect.stringContaining('magic cookie') });
    const noEnd = b.slice(0, b.indexOf(255, 240));
    expect(decodeDhcp(noEnd)).toMatchObject({ ok: false, error: expect.stringContaining('End') });
    const bootp = b.slice();
    bootp.fill(0, 240);
    bootp[240] = 255;
    expect(decodeDhcp(bootp)).toMatchObject({ ok: false, error: expect.stringContaining('message type') });
  });

  it('describes the message for the inspector, each option with its bytes, and the notes', () => {
    const b = encodeDhcp(ack);
    const layer = describeDhcp(b);
    if ('error' in layer) throw new Error(layer.error);
    expect(layer.title).toBe('Dynamic Host Configuration Protocol (ACK)');
    const byLabel = new Map(layer.fields.map((f) => [f.label, f]));
    expect(byLabel.get('Option: (53) DHCP Message Type')?.value).toBe('DHCP: ACK (5)');
    expect(byLabel.get('Option: (51) IP Address Lease Time')?.value).toBe('(3600s) 1 hour');
    expect(byLabel.get('Option: (6) Domain Name Server')?.value).toBe('10.0.0.53, 10.0.0.54');
    expect(byLabel.get('Relay agent IP address')?.value).toBe('10.0.1.254');
    const router = byLabel.get('Option: (3) Router')!;
    expect([...b.subarray(router.offset, router.offset + router.length)]).toEqual([3, 4, 10, 0, 0, 254]);
    expect(layer.notes?.join(' ')).toContain('broadcast flag');
  });
});
