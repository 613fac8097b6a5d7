/**
 * The inspector's DHCP dissector (UDP ports 67 and 68) and the DHCP codec: a layer shaped like
 * Wireshark's "Dynamic Host Configuration Protocol", the BOOTP header then each option with its bytes.
 */
import { formatIpv4, formatMac } from '../addr';
import type { Codec, Field, Layer } from '../codec';
import type { DissectFailure, DissectStep, Dissector } from '../dissect-types';
import { hex } from '../format';
import {
  BOOTREQUEST,
  decodeDhcp,
  decodeDhcpWithSpans,
  DhcpOption,
  dhcpOptionName,
  dhcpSummary,
  dhcpTypeName,
  DHCP_FLAG_BROADCAST,
  encodeDhcp,
  type DhcpMessage,
} from './dhcp';

/** What the inspector says about the model's simplifications (the same as the modules' headers). */
const DHCP_MODEL_NOTES: readonly string[] = [
  'DHCP (RFC 2131/2132) over Ethernet only; sname and file are empty (no option overload). Clients set the broadcast flag, so servers and relays broadcast OFFER, ACK and NAK to a client that has no address yet.',
  'The client runs INIT, SELECTING (it takes the first OFFER), REQUESTING, BOUND, RENEWING at T1 (a unicast REQUEST to the server), REBINDING at T2 (a broadcast REQUEST) and back to INIT on a NAK or when the lease expires. It retransmits after 4 s, 8 s, 16 s... (RFC 2131 §4.1) without the ±1 s randomisation, does no ARP check of the offered address (no DECLINE) and sends no RELEASE. The first DISCOVER leaves at boot, without the random 1 to 10 s wait of §4.4.1.',
  "The server keeps its leases in memory (a crash forgets them), offers the client its previous address or the lowest free one, and sends a NAK to a REQUEST for an address that is not on the client's subnet or is leased to another client. A relay (RFC 1542) sets giaddr to the address of the interface the request came in on and forwards to its servers; it broadcasts their replies back on that interface.",
];

const TYPE_OPTION_VALUE = (m: DhcpMessage) => `DHCP: ${dhcpTypeName(m.options.type)} (${m.options.type})`;

function seconds(n: number): string {
  if (n % 86400 === 0 && n > 0) return `(${n}s) ${n / 86400} day${n === 86400 ? '' : 's'}`;
  if (n % 3600 === 0 && n > 0) return `(${n}s) ${n / 3600} hour${n === 3600 ? '' : 's'}`;
  if (n % 60 === 0 && n > 0) return `(${n}s) ${n / 60} minute${n === 60 ? '' : 's'}`;
  return `(${n}s) ${n} second${n === 1 ? '' : 's'}`;
}

function optionValue(m: DhcpMessage, code: number, bytes: Uint8Array, offset: number, length: number): string {
  const o = m.options;
  switch (code) {
    case DhcpOption.MessageType:
      return TYPE_OPTION_VALUE(m);
    case DhcpOption.ServerId:
      return formatIpv4(o.serverId ?? 0);
    case DhcpOption.RequestedIp:
      return formatIpv4(o.requestedIp ?? 0);
    case DhcpOption.LeaseTime:
      return seconds(o.leaseTime ?? 0);
    case DhcpOption.RenewalTime:
      return seconds(o.renewalTime ?? 0);
    case DhcpOption.RebindingTime:
      return seconds(o.rebindingTime ?? 0);
    case DhcpOption.SubnetMask:
      return formatIpv4(o.subnetMask ?? 0);
    case DhcpOption.Router:
      return (o.routers ?? []).map(formatIpv4).join(', ');
    case DhcpOption.DomainNameServer:
      return (o.dns ?? []).map(formatIpv4).join(', ');
    case DhcpOption.HostName:
      return o.hostName ?? '';
    case DhcpOption.Message:
      return o.message ?? '';
    case DhcpOption.ParameterList:
      return (o.parameterList ?? []).map((c) => `${dhcpOptionName(c)} (${c})`).join(', ');
    case DhcpOption.End:
      return '';
    default:
      return `${length - 2} bytes: ${hex(bytes[offset + 2] ?? 0, 2)}...`;
  }
}

/** The inspector layer for the message at `offset`. */
export function describeDhcp(bytes: Uint8Array, offset = 0, end = bytes.length): Layer | { error: string } {
  const d = decodeDhcpWithSpans(bytes, offset, end);
  if (!d.ok) return { error: d.error };
  const m = d.value;
  const o = offset;
  const ip = (key: string, label: string, at: number, v: number): Field => ({ key, label, value: formatIpv4(v), offset: o + at, length: 4 });
  const broadcast = (m.flags & DHCP_FLAG_BROADCAST) !== 0;
  const fields: Field[] = [
    { key: 'dhcp.type', label: 'Message type', value: m.op === BOOTREQUEST ? 'Boot Request (1)' : 'Boot Reply (2)', offset: o, length: 1 },
    { key: 'dhcp.hw.type', label: 'Hardware type', value: 'Ethernet (0x01)', offset: o + 1, length: 1 },
    { key: 'dhcp.hw.len', label: 'Hardware address length', value: '6', offset: o + 2, length: 1 },
    { key: 'dhcp.hops', label: 'Hops', value: `${m.hops}`, offset: o + 3, length: 1 },
    { key: 'dhcp.id', label: 'Transaction ID', value: hex(m.xid, 8), offset: o + 4, length: 4 },
    { key: 'dhcp.secs', label: 'Seconds elapsed', value: `${m.secs}`, offset: o + 8, length: 2 },
    {
      key: 'dhcp.flags',
      label: 'Bootp flags',
      value: `${hex(m.flags, 4)} (${broadcast ? 'Broadcast' : 'Unicast'})`,
      offset: o + 10,
      length: 2,
      children: [{ key: 'dhcp.flags.bc', label: 'Broadcast flag', value: broadcast ? 'Broadcast' : 'Unicast', offset: o + 10, length: 0 }],
    },
    ip('dhcp.ip.client', 'Client IP address', 12, m.ciaddr),
    ip('dhcp.ip.your', 'Your (client) IP address', 16, m.yiaddr),
    ip('dhcp.ip.server', 'Next server IP address', 20, m.siaddr),
    ip('dhcp.ip.relay', 'Relay agent IP address', 24, m.giaddr),
    { key: 'dhcp.hw.mac_addr', label: 'Client MAC address', value: formatMac(m.chaddr), offset: o + 28, length: 6 },
    { key: 'dhcp.hw.addr_padding', label: 'Client hardware address padding', value: '00000000000000000000', offset: o + 34, length: 10 },
    { key: 'dhcp.server', label: 'Server host name', value: 'not given', offset: o + 44, length: 64 },
    { key: 'dhcp.file', label: 'Boot file name', value: 'not given', offset: o + 108, length: 128 },
    { key: 'dhcp.cookie', label: 'Magic cookie', value: 'DHCP', offset: o + 236, length: 4 },
  ];
  for (const s of d.spans) {
    fields.push({
      key: 'dhcp.option.type',
      label: `Option: (${s.code}) ${dhcpOptionName(s.code)}`,
      value: optionValue(m, s.code, bytes, s.offset, s.length),
      offset: s.offset,
      length: s.length,
    });
  }
  const last = d.spans[d.spans.length - 1];
  const padStart = last.offset + last.length;
  const padEnd = Math.min(end, bytes.length);
  if (padEnd > padStart)
    fields.push({ key: 'dhcp.option.padding', label: 'Padding', value: `${padEnd - padStart} bytes`, offset: padStart, length: padEnd - padStart });
  return {
    protocol: 'dhcp',
    title: `Dynamic Host Configuration Protocol (${dhcpTypeName(m.options.type)})`,
    offset,
    length: padEnd - offset,
    fields,
    notes: DHCP_MODEL_NOTES,
  };
}

/** Dissector for UDP ports 67 and 68. */
export const dissectDhcp: Dissector = (bytes, offset, end): DissectStep | DissectFailure => {
  const d = decodeDhcp(bytes, offset, end);
  if (!d.ok) return { error: d.error };
  const layer = describeDhcp(bytes, offset, end);
  if ('error' in layer) return { error: layer.error };
  return { layer, protocol: 'DHCP', summary: dhcpSummary(d.value), end };
};

/** Codec for whole DHCP messages. */
export const dhcp: Codec<DhcpMessage> = {
  protocol: 'dhcp',
  encode: (m) => encodeDhcp(m),
  decode: (bytes, offset = 0) => decodeDhcp(bytes, offset),
  byteLength: (m) => encodeDhcp(m).length,
  describe: (bytes, offset = 0) => describeDhcp(bytes, offset),
};
