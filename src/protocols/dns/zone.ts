/**
 * Zone data as scenes write it: one record per line in zone-file syntax (RFC 1035 §5.1, one line,
 * no parentheses or $-directives): `NAME [TTL] [IN] TYPE DATA`. `@` is the zone's origin; a name
 * without a trailing dot is relative to the origin.
 *
 *   origin: example.com
 *   records:
 *     - "@ 3600 SOA ns1 hostmaster 1 7200 3600 1209600 300"
 *     - "@ NS ns1"
 *     - "ns1 A 10.0.3.53"
 *     - "@ 300 A 93.184.216.34"
 */
import { parseIpv4 } from '../addr';
import { canonicalName, DNS_CLASS_IN, DNS_TYPE, nameLabels, type DnsRData, type DnsRecord } from './dns';

/** A zone: its origin and its records (absolute names, TTLs filled in). */
export interface Zone {
  readonly origin: string;
  readonly records: readonly DnsRecord[];
}

/** Default TTL of a record line that gives none. */
export const DEFAULT_ZONE_TTL = 3600;

/** Parses an IPv6 address into 16 bytes, or undefined. */
function parseIpv6(text: string): Uint8Array | undefined {
  const parts = text.split('::');
  if (parts.length > 2) return undefined;
  const group = (s: string) => (s === '' ? [] : s.split(':'));
  const head = group(parts[0]);
  const tail = parts.length === 2 ? group(parts[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (parts.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array<string>(parts.length === 2 ? missing : 0).fill('0'), ...tail];
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(all[i])) return undefined;
    const v = parseInt(all[i], 16);
    out[2 * i] = v >> 8;
    out[2 * i + 1] = v & 0xff;
  }
  return out;
}

/** Makes a zone-file name absolute (without the trailing dot). Throws RangeError on a bad name. */
export function absoluteName(word: string, origin: string): string {
  let name: string;
  if (word === '@') name = origin;
  else if (word === '.') name = '';
  else if (word.endsWith('.') && !word.endsWith('\\.')) name = word.slice(0, -1);
  else name = origin === '' ? word : `${word}.${origin}`;
  nameLabels(name);
  return canonicalName(name);
}

function u32(word: string | undefined, what: string): number {
  if (word === undefined || !/^\d+$/.test(word) || Number(word) > 0xffffffff) throw new RangeError(`${what} "${word ?? ''}" is not a number of seconds`);
  return Number(word);
}

/** Splits a line into words; double quotes group words (for TXT). */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[1] !== undefined ? `"${m[1]}` : m[2]);
  return out;
}

/** Parses one record line relative to `origin`. Returns the record or what is wrong. */
export function parseRecordLine(line: string, origin: string, defaultTtl = DEFAULT_ZONE_TTL): { ok: true; record: DnsRecord } | { ok: false; error: string } {
  try {
    const w = words(line.trim());
    if (w.length < 3) return { ok: false, error: `"${line}" needs NAME [TTL] [IN] TYPE DATA` };
    const name = absoluteName(w[0], origin);
    let i = 1;
    let ttl = defaultTtl;
    if (/^\d+$/.test(w[i])) ttl = u32(w[i++], 'TTL');
    if (w[i]?.toUpperCase() === 'IN') i++;
    const typeWord = (w[i++] ?? '').toUpperCase();
    const rest = w.slice(i);
    const n = (k: number, what: string) => {
      if (rest[k] === undefined) throw new RangeError(`${typeWord} needs ${what}`);
      return absoluteName(rest[k], origin);
    };
    const arity = (k: number) => {
      if (rest.length > k) throw new RangeError(`unexpected "${rest[k]}" after the ${typeWord} data`);
    };
    let data: DnsRData;
    switch (typeWord) {
      case 'A': {
        const a = rest[0] !== undefined ? parseIpv4(rest[0]) : undefined;
        if (a === undefined) throw new RangeError(`A needs an IPv4 address, not "${rest[0] ?? ''}"`);
        arity(1);
        data = { kind: 'A', address: a };
        break;
      }
      case 'AAAA': {
        const a = rest[0] !== undefined ? parseIpv6(rest[0]) : undefined;
        if (!a) throw new RangeError(`AAAA needs an IPv6 address, not "${rest[0] ?? ''}"`);
        arity(1);
        data = { kind: 'AAAA', address: a };
        break;
      }
      case 'NS':
        data = { kind: 'NS', host: n(0, 'a name server') };
        arity(1);
        break;
      case 'CNAME':
      case 'PTR':
        data = { kind: typeWord, target: n(0, 'a target name') };
        arity(1);
        break;
      case 'MX': {
        const pref = Number(rest[0]);
        if (!/^\d+$/.test(rest[0] ?? '') || pref > 0xffff) throw new RangeError(`MX needs a preference 0 to 65535, not "${rest[0] ?? ''}"`);
        data = { kind: 'MX', preference: pref, exchange: n(1, 'a mail exchange') };
        arity(2);
        break;
      }
      case 'TXT': {
        if (!rest.length) throw new RangeError('TXT needs text');
        const strings = rest.map((s) => (s.startsWith('"') ? s.slice(1).replace(/\\(.)/g, '$1') : s));
        for (const s of strings)
          if (s.length > 255 || [...s].some((c) => c.charCodeAt(0) > 0xff)) throw new RangeError('TXT strings are at most 255 Latin-1 characters');
        data = { kind: 'TXT', strings };
        break;
      }
      case 'SOA':
        data = {
          kind: 'SOA',
          mname: n(0, 'a primary name server'),
          rname: n(1, 'a mailbox'),
          serial: u32(rest[2], 'serial'),
          refresh: u32(rest[3], 'refresh'),
          retry: u32(rest[4], 'retry'),
          expire: u32(rest[5], 'expire'),
          minimum: u32(rest[6], 'minimum'),
        };
        arity(7);
        break;
      default:
        throw new RangeError(`unknown record type "${typeWord}" (known: A, AAAA, NS, CNAME, PTR, MX, TXT, SOA)`);
    }
    const type = DNS_TYPE[typeWord as keyof typeof DNS_TYPE];
    return { ok: true, record: { name, type, class: DNS_CLASS_IN, ttl, data } };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message.replace(/^DNS: /, '') : String(e) };
  }
}
