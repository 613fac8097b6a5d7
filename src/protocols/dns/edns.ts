/**
 * EDNS(0) (RFC 6891): the OPT pseudo-record in the additional section, whose CLASS is the
 * sender's UDP payload size and whose TTL holds the extended RCODE, the version and the DO flag;
 * its data is a list of options (code, length, bytes), such as the DNS COOKIE (RFC 7873, code 10).
 *
 * Simplifications, stated: only version 0; the model's servers read the UDP size and answer with
 * their own OPT but implement no options (a COOKIE is ignored, as RFC 7873 §5.2 allows a server
 * without cookie support to do), and never set DO (no DNSSEC).
 */
import { DNS_TYPE, type DnsMessage, type DnsRecord } from './dns';

/** The UDP payload size BIND 9.18 and the DNS Flag Day 2020 recommend (RFC 6891 §6.2.5 leaves it open). */
export const EDNS_UDP_SIZE = 1232;

/** EDNS option codes the model names. */
export const EDNS_OPTION = { COOKIE: 10 } as const;

/** One EDNS option. */
export interface EdnsOption {
  readonly code: number;
  readonly data: Uint8Array;
}

/** An OPT record (version 0, no flags) advertising `udpSize`, carrying `options`. */
export function optRecord(udpSize: number, options: readonly EdnsOption[] = []): DnsRecord {
  let n = 0;
  for (const o of options) n += 4 + o.data.length;
  const bytes = new Uint8Array(n);
  let at = 0;
  for (const o of options) {
    bytes[at] = o.code >> 8;
    bytes[at + 1] = o.code & 0xff;
    bytes[at + 2] = o.data.length >> 8;
    bytes[at + 3] = o.data.length & 0xff;
    bytes.set(o.data, at + 4);
    at += 4 + o.data.length;
  }
  return { name: '', type: DNS_TYPE.OPT, class: udpSize, ttl: 0, data: { kind: 'raw', bytes } };
}

/** The message's OPT record, if it has one. */
export function findOpt(m: DnsMessage): DnsRecord | undefined {
  return m.additional.find((r) => r.type === DNS_TYPE.OPT);
}

/** The options of an OPT record (a truncated option ends the list). */
export function ednsOptions(opt: DnsRecord): EdnsOption[] {
  const b = opt.data.kind === 'raw' ? opt.data.bytes : new Uint8Array(0);
  const out: EdnsOption[] = [];
  for (let at = 0; at + 4 <= b.length;) {
    const code = (b[at] << 8) | b[at + 1];
    const len = (b[at + 2] << 8) | b[at + 3];
    if (at + 4 + len > b.length) break;
    out.push({ code, data: b.slice(at + 4, at + 4 + len) });
    at += 4 + len;
  }
  return out;
}

/** The EDNS version (bits 16-23 of the TTL) and DO flag (bit 15) of an OPT record. */
export function ednsHeader(opt: DnsRecord): { version: number; dnssecOk: boolean; extendedRcode: number } {
  return { extendedRcode: (opt.ttl >>> 24) & 0xff, version: (opt.ttl >>> 16) & 0xff, dnssecOk: (opt.ttl & 0x8000) !== 0 };
}
