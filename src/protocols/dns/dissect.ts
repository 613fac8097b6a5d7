/**
 * The inspector's DNS dissector (UDP port 53) and the DNS codec: a Wireshark-like layer for a
 * message, header flags, questions and records field by field, each with its byte span.
 */
import type { Codec, Field, Layer } from '../codec';
import type { DissectFailure, DissectStep, Dissector } from '../dissect-types';
import { bytesLabel, hex, hexBytes } from '../format';
import { formatIpv4 } from '../addr';
import { readU16 } from '../bytes';
import {
  decodeDns,
  decodeWithSpans,
  DNS_TYPE,
  dnsOpcodeWord,
  dnsRcodeName,
  dnsSummary,
  dnsTypeName,
  encodeDns,
  formatAaaa,
  RCODE_WORDS,
  rdataText,
  type DnsMessage,
  type DnsRecord,
  type RecordSpan,
  type Spans,
} from './dns';

/** What the inspector says about the model's simplifications. */
const DNS_MODEL_NOTES: readonly string[] = [
  'Simulated DNS: no DNSSEC (dig sets AD in queries, as dig 9.18 does; servers never set AD or CD). EDNS(0): dig sends an OPT record (UDP size 1232, a client COOKIE) and servers answer it with their own OPT, so UDP answers may reach 1232 bytes; servers ignore EDNS options (no server cookies), and the stub resolver and the recursive walk send no OPT.',
  'Record data is interpreted for A, NS, CNAME, SOA, PTR, MX, TXT, AAAA; other types are shown as raw bytes.',
  'Each query leaves from its own random source port with a random ID (RFC 5452). An answer over the UDP limit (512 bytes, or the EDNS size) is sent with TC set and only the question; dig then asks again over TCP (RFC 7766). The recursive resolver does not retry upstream over TCP (it tries the next server).',
  'The resolver caches negative answers per name and type (RFC 2308 caches NXDOMAIN per name) and does no bailiwick checks on the records it is given.',
];

// ---------------------------------------------------------------------------------------------
// Describe (inspector)
// ---------------------------------------------------------------------------------------------

const CLASS_NAMES: Record<number, string> = { 1: 'IN', 3: 'CH', 4: 'HS', 255: 'ANY' };
function className(c: number): string {
  return CLASS_NAMES[c] ?? hex(c, 4);
}

function rdataFields(r: DnsRecord, span: RecordSpan): Field[] {
  const o = span.rdata;
  const len = span.end - span.rdata;
  const d = r.data;
  switch (d.kind) {
    case 'A':
      return [{ key: 'dns.a', label: 'Address', value: formatIpv4(d.address), offset: o, length: 4 }];
    case 'AAAA':
      return [{ key: 'dns.aaaa', label: 'AAAA Address', value: formatAaaa(d.address), offset: o, length: 16 }];
    case 'NS':
      return [{ key: 'dns.ns', label: 'Name Server', value: d.host || '<Root>', offset: o, length: len }];
    case 'CNAME':
      return [{ key: 'dns.cname', label: 'CNAME', value: d.target || '<Root>', offset: o, length: len }];
    case 'PTR':
      return [{ key: 'dns.ptr.domain_name', label: 'Domain Name', value: d.target || '<Root>', offset: o, length: len }];
    case 'MX':
      return [
        { key: 'dns.mx.preference', label: 'Preference', value: `${d.preference}`, offset: o, length: 2 },
        { key: 'dns.mx.mail_exchange', label: 'Mail Exchange', value: d.exchange || '<Root>', offset: o + 2, length: len - 2 },
      ];
    case 'TXT':
      return d.strings.map((s) => ({ key: 'dns.txt', label: 'TXT', value: JSON.stringify(s), offset: o, length: len }));
    case 'SOA':
      return [
        { key: 'dns.soa.mname', label: 'Primary name server', value: d.mname || '<Root>', offset: o, length: 0 },
        { key: 'dns.soa.rname', label: "Responsible authority's mailbox", value: d.rname || '<Root>', offset: o, length: 0 },
        { key: 'dns.soa.serial_number', label: 'Serial Number', value: `${d.serial}`, offset: span.end - 20, length: 4 },
        { key: 'dns.soa.refresh_interval', label: 'Refresh Interval', value: `${d.refresh}`, offset: span.end - 16, length: 4 },
        { key: 'dns.soa.retry_interval', label: 'Retry Interval', value: `${d.retry}`, offset: span.end - 12, length: 4 },
        { key: 'dns.soa.expire_limit', label: 'Expire limit', value: `${d.expire}`, offset: span.end - 8, length: 4 },
        { key: 'dns.soa.minimum_ttl', label: 'Minimum TTL', value: `${d.minimum}`, offset: span.end - 4, length: 4 },
      ];
    case 'raw':
      return len ? [{ key: 'dns.data', label: 'Data', value: hexBytes(d.bytes, 0, d.bytes.length), offset: o, length: len }] : [];
  }
}

function recordField(r: DnsRecord, span: RecordSpan): Field {
  const nameText = r.name || '<Root>';
  const p = span.nameEnd;
  if (r.type === DNS_TYPE.OPT) {
    return {
      key: 'dns.opt',
      label: nameText,
      value: `type OPT`,
      offset: span.start,
      length: span.end - span.start,
      children: [
        { key: 'dns.resp.name', label: 'Name', value: nameText, offset: span.start, length: p - span.start },
        { key: 'dns.resp.type', label: 'Type', value: `OPT (41)`, offset: p, length: 2 },
        { key: 'dns.rr.udp_payload_size', label: 'UDP payload size', value: `${r.class}`, offset: p + 2, length: 2 },
        { key: 'dns.resp.ext_rcode', label: 'Higher bits in extended RCODE', value: hex(r.ttl >>> 24, 2), offset: p + 4, length: 1 },
        { key: 'dns.resp.edns0_version', label: 'EDNS0 version', value: `${(r.ttl >>> 16) & 0xff}`, offset: p + 5, length: 1 },
        { key: 'dns.resp.z', label: 'Z', value: hex(r.ttl & 0xffff, 4), offset: p + 6, length: 2 },
        { key: 'dns.rr.opt.len', label: 'Data length', value: `${span.end - span.rdata}`, offset: p + 8, length: 2 },
      ],
    };
  }
  const data = rdataText(r.data, false);
  return {
    key: 'dns.resp',
    label: nameText,
    value: `type ${dnsTypeName(r.type)}, class ${className(r.class)}, ${data}`,
    offset: span.start,
    length: span.end - span.start,
    children: [
      { key: 'dns.resp.name', label: 'Name', value: nameText, offset: span.start, length: p - span.start },
      { key: 'dns.resp.type', label: 'Type', value: `${dnsTypeName(r.type)} (${r.type})`, offset: p, length: 2 },
      { key: 'dns.resp.class', label: 'Class', value: `${className(r.class)} (${hex(r.class, 4)})`, offset: p + 2, length: 2 },
      { key: 'dns.resp.ttl', label: 'Time to live', value: `${r.ttl}`, offset: p + 4, length: 4 },
      { key: 'dns.resp.len', label: 'Data length', value: `${span.end - span.rdata}`, offset: p + 8, length: 2 },
      ...rdataFields(r, span),
    ],
  };
}

function flagText(on: boolean, yes: string, no: string): string {
  return on ? yes : no;
}

/** The inspector layer for the message in `[offset, end)`. */
// eslint-disable-next-line max-lines-per-function -- builds the inspector tree of a DNS message section by section (RFC 1035 §4.1), in wire order
export function describeDns(bytes: Uint8Array, offset = 0, end = bytes.length): Layer | { error: string } {
  const spans: Spans = { questions: [], records: [] };
  const d = decodeWithSpans(bytes, offset, end, spans);
  if (!d.ok) return { error: d.error };
  const m = d.value;
  const o = offset;
  const flags = readU16(bytes, o + 2);
  const flagChildren: Field[] = [
    { key: 'dns.flags.response', label: 'Response', value: flagText(m.qr, 'Message is a response', 'Message is a query'), offset: o + 2, length: 0 },
    { key: 'dns.flags.opcode', label: 'Opcode', value: `${dnsOpcodeWord(m.opcode)} (${m.opcode})`, offset: o + 2, length: 0 },
  ];
  if (m.qr) {
    flagChildren.push({
      key: 'dns.flags.authoritative',
      label: 'Authoritative',
      value: flagText(m.aa, 'Server is an authority for domain', 'Server is not an authority for domain'),
      offset: o + 2,
      length: 0,
    });
  }
  flagChildren.push(
    { key: 'dns.flags.truncated', label: 'Truncated', value: flagText(m.tc, 'Message is truncated', 'Message is not truncated'), offset: o + 2, length: 0 },
    {
      key: 'dns.flags.recdesired',
      label: 'Recursion desired',
      value: flagText(m.rd, 'Do query recursively', 'Do not query recursively'),
      offset: o + 2,
      length: 0,
    },
  );
  if (m.qr) {
    flagChildren.push({
      key: 'dns.flags.recavail',
      label: 'Recursion available',
      value: flagText(m.ra, 'Server can do recursive queries', "Server can't do recursive queries"),
      offset: o + 3,
      length: 0,
    });
  }
  flagChildren.push({ key: 'dns.flags.z', label: 'Z', value: m.z ? 'reserved (1)' : 'reserved (0)', offset: o + 3, length: 0 });
  if (m.qr)
    flagChildren.push({
      key: 'dns.flags.rcode',
      label: 'Reply code',
      value: `${RCODE_WORDS[m.rcode] ?? dnsRcodeName(m.rcode)} (${m.rcode})`,
      offset: o + 3,
      length: 0,
    });

  const fields: Field[] = [
    { key: 'dns.id', label: 'Transaction ID', value: hex(m.id, 4), offset: o, length: 2 },
    {
      key: 'dns.flags',
      label: 'Flags',
      value: `${hex(flags, 4)} ${dnsOpcodeWord(m.opcode)}${m.qr ? ' response' : ''}${m.qr && m.rcode ? `, ${RCODE_WORDS[m.rcode] ?? dnsRcodeName(m.rcode)}` : m.qr ? ', No error' : ''}`,
      offset: o + 2,
      length: 2,
      children: flagChildren,
    },
    { key: 'dns.count.queries', label: 'Questions', value: `${m.questions.length}`, offset: o + 4, length: 2 },
    { key: 'dns.count.answers', label: 'Answer RRs', value: `${m.answers.length}`, offset: o + 6, length: 2 },
    { key: 'dns.count.auth_rr', label: 'Authority RRs', value: `${m.authority.length}`, offset: o + 8, length: 2 },
    { key: 'dns.count.add_rr', label: 'Additional RRs', value: `${m.additional.length}`, offset: o + 10, length: 2 },
  ];
  if (m.questions.length) {
    const qs = m.questions.map((q, i): Field => {
      const s = spans.questions[i];
      const name = q.name || '<Root>';
      return {
        key: 'dns.qry',
        label: name,
        value: `type ${dnsTypeName(q.type)}, class ${className(q.class)}`,
        offset: s.start,
        length: s.nameEnd + 4 - s.start,
        children: [
          { key: 'dns.qry.name', label: 'Name', value: name, offset: s.start, length: s.nameEnd - s.start },
          { key: 'dns.qry.type', label: 'Type', value: `${dnsTypeName(q.type)} (${q.type})`, offset: s.nameEnd, length: 2 },
          { key: 'dns.qry.class', label: 'Class', value: `${className(q.class)} (${hex(q.class, 4)})`, offset: s.nameEnd + 2, length: 2 },
        ],
      };
    });
    const first = spans.questions[0].start;
    const last = spans.questions[spans.questions.length - 1].nameEnd + 4;
    fields.push({ key: 'dns.queries', label: 'Queries', value: '', offset: first, length: last - first, children: qs });
  }
  let k = 0;
  const sections: [string, string, readonly DnsRecord[]][] = [
    ['dns.answers', 'Answers', m.answers],
    ['dns.authority', 'Authoritative nameservers', m.authority],
    ['dns.additional', 'Additional records', m.additional],
  ];
  for (const [key, label, records] of sections) {
    if (!records.length) continue;
    const children = records.map((r) => recordField(r, spans.records[k++]));
    const first = children[0].offset;
    const last = children[children.length - 1];
    fields.push({ key, label, value: '', offset: first, length: last.offset + last.length - first, children });
  }
  const trailing = Math.min(end, bytes.length) - (o + d.length);
  const notes = [...DNS_MODEL_NOTES];
  if (trailing > 0) notes.push(`${bytesLabel(trailing)} after the message are not part of it.`);
  return {
    protocol: 'dns',
    title: `Domain Name System (${m.qr ? 'response' : 'query'})`,
    offset,
    length: d.length,
    fields,
    notes,
  };
}

/** Dissector for UDP port 53. */
export const dissectDns: Dissector = (bytes, offset, end): DissectStep | DissectFailure => {
  const d = decodeDns(bytes, offset, end);
  if (!d.ok) return { error: d.error };
  const layer = describeDns(bytes, offset, end);
  if ('error' in layer) return { error: layer.error };
  return { layer, protocol: 'DNS', summary: dnsSummary(d.value), end };
};

/** Codec for whole DNS messages (`encode` compresses names and throws RangeError on bad fields). */
export const dns: Codec<DnsMessage> = {
  protocol: 'dns',
  encode: (m) => encodeDns(m),
  decode: (bytes, offset = 0) => decodeDns(bytes, offset),
  byteLength: (m) => encodeDns(m).length,
  describe: (bytes, offset = 0) => describeDns(bytes, offset),
};
