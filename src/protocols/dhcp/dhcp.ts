/**
 * DHCP messages (RFC 2131) and their options (RFC 2132) over BOOTP (RFC 951, RFC 1542): the fixed
 * 236-byte BOOTP header, the magic cookie 99.130.83.99, then options as code/length/value, ended by
 * option 255 and padded with zeros to BOOTP's 300-byte minimum.
 *
 * ```
 *  op htype hlen hops | xid (4) | secs (2) flags (2) | ciaddr | yiaddr | siaddr | giaddr
 *  chaddr (16) | sname (64) | file (128) | magic cookie (4) | options ... 255 | pad
 * ```
 *
 * Simplifications, stated: only Ethernet hardware addresses (htype 1, hlen 6); sname and file are
 * always empty (no option overload, option 52); options are never split across several instances
 * (RFC 3396 concatenation is not done); options beyond those listed in {@link DhcpOptions} are kept
 * as raw bytes.
 */
import { readMac, writeMac, type Ipv4, type Mac } from '../addr';
import { ByteReader } from '../byte-reader';
import { ByteWriter } from '../byte-writer';
import type { Decoded } from '../codec';

/** The server's UDP port (BOOTP server, RFC 951). */
export const DHCP_SERVER_PORT = 67;
/** The client's UDP port (BOOTP client). */
export const DHCP_CLIENT_PORT = 68;
/** The four bytes that open the options field: 99.130.83.99 (RFC 2131 §3). */
const DHCP_MAGIC_COOKIE = 0x63825363;
/** The smallest BOOTP message a relay must accept (RFC 1542 §2.1): 300 bytes, options padded. */
export const BOOTP_MIN_BYTES = 300;

/** `op`: a request from a client, or a reply from a server (RFC 951). */
export const BOOTREQUEST = 1;
export const BOOTREPLY = 2;

/** The broadcast bit of `flags` (RFC 1542 §2.2): reply by broadcast, the client has no address yet. */
export const DHCP_FLAG_BROADCAST = 0x8000;

/** DHCP message types (option 53, RFC 2132 §9.6). */
export const DhcpType = {
  Discover: 1,
  Offer: 2,
  Request: 3,
  Decline: 4,
  Ack: 5,
  Nak: 6,
  Release: 7,
  Inform: 8,
} as const;
export type DhcpType = (typeof DhcpType)[keyof typeof DhcpType];

const TYPE_NAMES: Record<number, string> = {
  1: 'Discover',
  2: 'Offer',
  3: 'Request',
  4: 'Decline',
  5: 'ACK',
  6: 'NAK',
  7: 'Release',
  8: 'Inform',
};

/** The name tshark gives a message type: `Discover`, `ACK`... */
export function dhcpTypeName(type: number): string {
  return TYPE_NAMES[type] ?? `Unknown (${type})`;
}

/** Option codes this model writes and reads (RFC 2132). */
export const DhcpOption = {
  Pad: 0,
  SubnetMask: 1,
  Router: 3,
  DomainNameServer: 6,
  HostName: 12,
  RequestedIp: 50,
  LeaseTime: 51,
  MessageType: 53,
  ServerId: 54,
  ParameterList: 55,
  Message: 56,
  RenewalTime: 58,
  RebindingTime: 59,
  End: 255,
} as const;

const OPTION_NAMES: Record<number, string> = {
  1: 'Subnet Mask',
  3: 'Router',
  6: 'Domain Name Server',
  12: 'Host Name',
  50: 'Requested IP Address',
  51: 'IP Address Lease Time',
  53: 'DHCP Message Type',
  54: 'DHCP Server Identifier',
  55: 'Parameter Request List',
  56: 'Message',
  58: 'Renewal Time Value',
  59: 'Rebinding Time Value',
  255: 'End',
};

/** The name tshark gives option `code`. */
export function dhcpOptionName(code: number): string {
  return OPTION_NAMES[code] ?? `Unknown (${code})`;
}

/** The options a message carries; absent ones are not sent. */
export interface DhcpOptions {
  /** Option 53. */
  readonly type: DhcpType;
  /** Option 54: the server's address. */
  readonly serverId?: Ipv4;
  /** Option 50: the address the client asks for. */
  readonly requestedIp?: Ipv4;
  /** Option 51, seconds. */
  readonly leaseTime?: number;
  /** Option 58 (T1), seconds. */
  readonly renewalTime?: number;
  /** Option 59 (T2), seconds. */
  readonly rebindingTime?: number;
  /** Option 1, as a mask (e.g. 0xffffff00). */
  readonly subnetMask?: number;
  /** Option 3. */
  readonly routers?: readonly Ipv4[];
  /** Option 6. */
  readonly dns?: readonly Ipv4[];
  /** Option 12. */
  readonly hostName?: string;
  /** Option 55: the option codes the client wants. */
  readonly parameterList?: readonly number[];
  /** Option 56: why a NAK was sent. */
  readonly message?: string;
  /** Options of other codes, as received. */
  readonly other?: readonly { readonly code: number; readonly data: Uint8Array }[];
}

/** A DHCP message. */
export interface DhcpMessage {
  readonly op: typeof BOOTREQUEST | typeof BOOTREPLY;
  /** Relay agents passed through (RFC 1542). */
  readonly hops: number;
  /** Transaction id the client chose at random. */
  readonly xid: number;
  /** Seconds since the client began acquiring or renewing. */
  readonly secs: number;
  /** Bit 15: broadcast. */
  readonly flags: number;
  /** Client address, when it already has one (renewing, rebinding). */
  readonly ciaddr: Ipv4;
  /** "Your" address: what the server offers or assigns. */
  readonly yiaddr: Ipv4;
  /** Next server (boot server); 0 here. */
  readonly siaddr: Ipv4;
  /** Relay agent address (RFC 1542), 0 when not relayed. */
  readonly giaddr: Ipv4;
  /** Client hardware address. */
  readonly chaddr: Mac;
  readonly options: DhcpOptions;
}

/** Where each part of an encoded message is, for the inspector. */
export interface DhcpOptionSpan {
  readonly code: number;
  readonly offset: number;
  /** Code, length and value. */
  readonly length: number;
}

class DhcpReader extends ByteReader {
  protected truncated(_n: number, what: string): Error {
    return new Error(`DHCP: ${what} runs past the end of the message`);
  }
}

function addrList(w: ByteWriter, code: number, list: readonly Ipv4[] | undefined): void {
  if (!list || list.length === 0) return;
  w.u8(code).u8(list.length * 4);
  for (const a of list) w.u32(a);
}

function u32Option(w: ByteWriter, code: number, v: number | undefined): void {
  if (v !== undefined) w.u8(code).u8(4).u32(v);
}

function textOption(w: ByteWriter, code: number, text: string | undefined): void {
  if (text === undefined) return;
  const bytes = new TextEncoder().encode(text).subarray(0, 255);
  w.u8(code).u8(bytes.length).bytes(bytes);
}

/** Writes the options in the order dhclient and ISC dhcpd do: type and server id first, End last. */
function writeOptions(w: ByteWriter, o: DhcpOptions): void {
  w.u8(DhcpOption.MessageType).u8(1).u8(o.type);
  u32Option(w, DhcpOption.ServerId, o.serverId);
  u32Option(w, DhcpOption.RequestedIp, o.requestedIp);
  u32Option(w, DhcpOption.LeaseTime, o.leaseTime);
  u32Option(w, DhcpOption.RenewalTime, o.renewalTime);
  u32Option(w, DhcpOption.RebindingTime, o.rebindingTime);
  u32Option(w, DhcpOption.SubnetMask, o.subnetMask);
  addrList(w, DhcpOption.Router, o.routers);
  addrList(w, DhcpOption.DomainNameServer, o.dns);
  textOption(w, DhcpOption.HostName, o.hostName);
  if (o.parameterList && o.parameterList.length) {
    w.u8(DhcpOption.ParameterList).u8(o.parameterList.length);
    for (const c of o.parameterList) w.u8(c);
  }
  textOption(w, DhcpOption.Message, o.message);
  for (const x of o.other ?? []) w.u8(x.code).u8(x.data.length).bytes(x.data);
  w.u8(DhcpOption.End);
}

/** Encodes a message: the BOOTP header, the cookie, the options, End, zero padding to 300 bytes. */
export function encodeDhcp(m: DhcpMessage): Uint8Array {
  const w = new ByteWriter(BOOTP_MIN_BYTES);
  w.u8(m.op).u8(1).u8(6).u8(m.hops);
  w.u32(m.xid).u16(m.secs).u16(m.flags);
  w.u32(m.ciaddr).u32(m.yiaddr).u32(m.siaddr).u32(m.giaddr);
  const chaddr = new Uint8Array(16 + 64 + 128);
  writeMac(chaddr, 0, m.chaddr);
  w.bytes(chaddr);
  w.u32(DHCP_MAGIC_COOKIE);
  writeOptions(w, m.options);
  if (w.length < BOOTP_MIN_BYTES) w.bytes(new Uint8Array(BOOTP_MIN_BYTES - w.length));
  return w.finish();
}

function addrs(data: Uint8Array): Ipv4[] {
  const out: Ipv4[] = [];
  for (let i = 0; i + 4 <= data.length; i += 4) out.push(((data[i] << 24) | (data[i + 1] << 16) | (data[i + 2] << 8) | data[i + 3]) >>> 0);
  return out;
}

function u32Of(data: Uint8Array, code: number): number {
  if (data.length !== 4) throw new Error(`DHCP: option ${code} (${dhcpOptionName(code)}) has length ${data.length}, not 4`);
  return addrs(data)[0];
}

type MutableOptions = { -readonly [K in keyof DhcpOptions]?: DhcpOptions[K] };

function readOption(o: MutableOptions, other: { code: number; data: Uint8Array }[], code: number, data: Uint8Array): void {
  const text = () => new TextDecoder().decode(data);
  switch (code) {
    case DhcpOption.MessageType:
      if (data.length !== 1) throw new Error(`DHCP: option 53 has length ${data.length}, not 1`);
      o.type = data[0] as DhcpType;
      return;
    case DhcpOption.ServerId:
      o.serverId = u32Of(data, code);
      return;
    case DhcpOption.RequestedIp:
      o.requestedIp = u32Of(data, code);
      return;
    case DhcpOption.LeaseTime:
      o.leaseTime = u32Of(data, code);
      return;
    case DhcpOption.RenewalTime:
      o.renewalTime = u32Of(data, code);
      return;
    case DhcpOption.RebindingTime:
      o.rebindingTime = u32Of(data, code);
      return;
    case DhcpOption.SubnetMask:
      o.subnetMask = u32Of(data, code);
      return;
    case DhcpOption.Router:
      o.routers = addrs(data);
      return;
    case DhcpOption.DomainNameServer:
      o.dns = addrs(data);
      return;
    case DhcpOption.HostName:
      o.hostName = text();
      return;
    case DhcpOption.ParameterList:
      o.parameterList = [...data];
      return;
    case DhcpOption.Message:
      o.message = text();
      return;
    default:
      other.push({ code, data: data.slice() });
  }
}

/**
 * Decodes a message, with where each option lies (`spans`). Fails on a wrong cookie, a truncated
 * option, options without End, or a missing message type (a BOOTP message, not DHCP).
 */
export function decodeDhcpWithSpans(
  bytes: Uint8Array,
  offset = 0,
  end = bytes.length,
): { ok: true; value: DhcpMessage; spans: DhcpOptionSpan[]; length: number } | { ok: false; error: string } {
  try {
    const r = new DhcpReader(bytes, offset, Math.min(end, bytes.length));
    const op = r.u8('op');
    if (op !== BOOTREQUEST && op !== BOOTREPLY) return { ok: false, error: `DHCP: op ${op} is neither BOOTREQUEST (1) nor BOOTREPLY (2)` };
    const htype = r.u8('htype');
    const hlen = r.u8('hlen');
    if (htype !== 1 || hlen !== 6) return { ok: false, error: `DHCP: hardware type ${htype}, length ${hlen}: only Ethernet (1, 6) is modelled` };
    const hops = r.u8('hops');
    const xid = r.u32('xid');
    const secs = r.u16('secs');
    const flags = r.u16('flags');
    const ciaddr = r.u32('ciaddr');
    const yiaddr = r.u32('yiaddr');
    const siaddr = r.u32('siaddr');
    const giaddr = r.u32('giaddr');
    const chaddrBytes = r.view(16, 'chaddr');
    r.view(64 + 128, 'sname and file');
    const cookie = r.u32('magic cookie');
    if (cookie !== DHCP_MAGIC_COOKIE) return { ok: false, error: `DHCP: magic cookie 0x${cookie.toString(16)} is not 0x63825363` };
    const o: MutableOptions = {};
    const other: { code: number; data: Uint8Array }[] = [];
    const spans: DhcpOptionSpan[] = [];
    let ended = false;
    while (r.left > 0) {
      const at = r.pos;
      const code = r.u8('option code');
      if (code === DhcpOption.Pad) continue;
      if (code === DhcpOption.End) {
        spans.push({ code, offset: at, length: 1 });
        ended = true;
        break;
      }
      const len = r.u8(`option ${code} length`);
      const data = r.view(len, `option ${code} (${dhcpOptionName(code)})`);
      readOption(o, other, code, data);
      spans.push({ code, offset: at, length: 2 + len });
    }
    if (!ended) return { ok: false, error: 'DHCP: options end without the End option (255)' };
    if (o.type === undefined) return { ok: false, error: 'DHCP: no message type (option 53): a plain BOOTP message' };
    if (other.length) o.other = other;
    const value: DhcpMessage = { op, hops, xid, secs, flags, ciaddr, yiaddr, siaddr, giaddr, chaddr: readMac(chaddrBytes, 0), options: o as DhcpOptions };
    return { ok: true, value, spans, length: r.end - offset };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** Decodes a message (see {@link decodeDhcpWithSpans}). */
export function decodeDhcp(bytes: Uint8Array, offset = 0, end = bytes.length): Decoded<DhcpMessage> {
  const d = decodeDhcpWithSpans(bytes, offset, end);
  return d.ok ? { ok: true, value: d.value, length: d.length } : d;
}

/** Wireshark's Info column: `DHCP Discover - Transaction ID 0x3903f326`. */
export function dhcpSummary(m: DhcpMessage): string {
  return `DHCP ${dhcpTypeName(m.options.type)} - Transaction ID 0x${m.xid.toString(16).padStart(8, '0')}`;
}

/** One line for logs: `DHCPOFFER of 10.0.0.100 from 10.0.0.254`. */
export function dhcpLogName(type: number): string {
  return `DHCP${dhcpTypeName(type).toUpperCase()}`;
}
