import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeDns, DNS_TYPE, dnsSummary, encodeDns, EMPTY_DNS_MESSAGE, readName, type DnsMessage, type DnsRecord } from '../../../src/protocols/dns/dns';
import { describeDns, dns } from '../../../src/protocols/dns/dissect';
import { parseRecordLine } from '../../../src/protocols/dns/zone';
import { hex } from '../arbitraries';

const rec = (line: string, origin = ''): DnsRecord => {
  const r = parseRecordLine(line, origin);
  if (!r.ok) throw new Error(r.error);
  return r.record;
};

const response: DnsMessage = {
  ...EMPTY_DNS_MESSAGE,
  id: 0x1a2b,
  qr: true,
  rd: true,
  ra: true,
  questions: [{ name: 'example.com', type: DNS_TYPE.A, class: 1 }],
  answers: [rec('example.com. 300 A 93.184.216.34')],
};

describe('DNS codec', () => {
  it('encodes a query byte for byte as RFC 1035 lays it out', () => {
    const q: DnsMessage = { ...EMPTY_DNS_MESSAGE, id: 0x1a2b, rd: true, questions: [{ name: 'example.com', type: 1, class: 1 }] };
    expect(encodeDns(q)).toEqual(hex('1a2b 0100 0001 0000 0000 0000 07 6578616d706c65 03 636f6d 00 0001 0001'));
    expect(dnsSummary(q)).toBe('Standard query 0x1a2b A example.com');
  });

  it('summarises a response like Wireshark', () => {
    expect(dnsSummary(response)).toBe('Standard query response 0x1a2b A example.com A 93.184.216.34');
    const nx: DnsMessage = {
      ...response,
      answers: [],
      rcode: 3,
      questions: [{ name: 'nope.example.com', type: 1, class: 1 }],
      authority: [rec('example.com. 300 SOA ns1.example.com. hostmaster.example.com. 1 2 3 4 300')],
    };
    expect(dnsSummary(nx)).toBe('Standard query response 0x1a2b No such name A nope.example.com SOA ns1.example.com');
  });

  it('compresses repeated names with pointers to their first copy', () => {
    const bytes = encodeDns(response);
    // The answer's owner name is a pointer (0xc00c) to the question name at offset 12.
    const q = 12 + 13 + 4;
    expect([bytes[q], bytes[q + 1]]).toEqual([0xc0, 0x0c]);
    expect(bytes.length).toBe(45);
    expect(encodeDns(response, { compress: false }).length).toBe(45 + 11);
    // A suffix is shared too: ns1.example.com points at example.com.
    const ref = encodeDns({ ...response, answers: [], authority: [rec('example.com. 60 NS ns1.example.com.')] });
    const d = decodeDns(ref);
    expect(d.ok && d.value.authority[0].data).toEqual({ kind: 'NS', host: 'ns1.example.com' });
    expect(ref.length).toBe(12 + 17 + 2 + 10 + 4 + 2);
  });

  it('follows pointers and refuses loops and pointers out of the message', () => {
    const loop = hex('0000 0000 0001 0000 0000 0000 c00c 0001 0001');
    expect(decodeDns(loop)).toEqual({ ok: false, error: expect.stringMatching(/loop/) });
    const out = hex('0000 0000 0001 0000 0000 0000 c0ff 0001 0001');
    expect(decodeDns(out)).toEqual({ ok: false, error: expect.stringMatching(/outside/) });
    const twoStep = hex('03 636f6d 00 04 74657374 c000');
    expect(readName(twoStep, 5, 0, twoStep.length)).toEqual({ ok: true, name: 'test.com', next: 12 });
  });

  it('round-trips every record type it understands', () => {
    const m: DnsMessage = {
      ...response,
      aa: true,
      answers: [
        rec('www.example.com. 300 CNAME example.com.'),
        rec('example.com. 300 A 93.184.216.34'),
        rec('example.com. 300 AAAA 2606:2800:220:1:248:1893:25c8:1946'),
        rec('example.com. 300 MX 10 mail.example.com.'),
        rec('example.com. 300 TXT "v=spf1 -all" second'),
        rec('34.216.184.93.in-addr.arpa. 300 PTR example.com.'),
      ],
      authority: [rec('example.com. 300 SOA ns1.example.com. hostmaster.example.com. 2024 7200 3600 1209600 300')],
      additional: [{ name: '', type: DNS_TYPE.OPT, class: 1232, ttl: 0, data: { kind: 'raw', bytes: new Uint8Array(0) } }],
    };
    const bytes = dns.encode(m);
    const d = dns.decode(bytes);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.length).toBe(bytes.length);
    expect(encodeDns(d.value)).toEqual(bytes);
    expect(d.value.answers.map((a) => a.data.kind)).toEqual(['CNAME', 'A', 'AAAA', 'MX', 'TXT', 'PTR']);
    const layer = describeDns(bytes);
    expect('error' in layer).toBe(false);
    if ('error' in layer) return;
    expect(layer.title).toBe('Domain Name System (response)');
    expect(layer.notes?.length).toBeGreaterThan(0);
  });

  const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
  const name = fc.array(label, { maxLength: 4 }).map((l) => l.join('.'));
  const record: fc.Arbitrary<DnsRecord> = fc.oneof(
    fc
      .record({ name, ttl: fc.nat(), a: fc.nat({ max: 0xffffffff }) })
      .map(({ name, ttl, a }) => ({ name, type: 1, class: 1, ttl, data: { kind: 'A' as const, address: a } })),
    fc.record({ name, ttl: fc.nat(), host: name }).map(({ name, ttl, host }) => ({ name, type: 2, class: 1, ttl, data: { kind: 'NS' as const, host } })),
    fc
      .record({ name, ttl: fc.nat(), target: name })
      .map(({ name, ttl, target }) => ({ name, type: 5, class: 1, ttl, data: { kind: 'CNAME' as const, target } })),
    fc
      .record({ name, ttl: fc.nat(), b: fc.uint8Array({ minLength: 16, maxLength: 16 }) })
      .map(({ name, ttl, b }) => ({ name, type: 28, class: 1, ttl, data: { kind: 'AAAA' as const, address: b } })),
  );
  const message: fc.Arbitrary<DnsMessage> = fc.record({
    id: fc.integer({ min: 0, max: 0xffff }),
    qr: fc.boolean(),
    opcode: fc.integer({ min: 0, max: 15 }),
    aa: fc.boolean(),
    tc: fc.boolean(),
    rd: fc.boolean(),
    ra: fc.boolean(),
    z: fc.boolean(),
    ad: fc.boolean(),
    cd: fc.boolean(),
    rcode: fc.integer({ min: 0, max: 15 }),
    questions: fc.array(fc.record({ name, type: fc.integer({ min: 0, max: 0xffff }), class: fc.constant(1) }), { maxLength: 3 }),
    answers: fc.array(record, { maxLength: 4 }),
    authority: fc.array(record, { maxLength: 3 }),
    additional: fc.array(record, { maxLength: 3 }),
  });

  it('decode(encode(m)) == m, compressed or not (fast-check)', () => {
    fc.assert(
      fc.property(message, fc.boolean(), (m, compress) => {
        const bytes = encodeDns(m, { compress });
        const d = decodeDns(bytes);
        expect(d.ok).toBe(true);
        if (d.ok) {
          expect(d.value).toEqual(m);
          expect(d.length).toBe(bytes.length);
          expect(dns.byteLength(m)).toBeLessThanOrEqual(encodeDns(m, { compress: false }).length);
        }
      }),
    );
  });

  it('never throws on garbage, nor on a damaged real message', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        decodeDns(b);
        describeDns(b);
        dns.describe(b, 0);
      }),
    );
    const good = encodeDns(response);
    fc.assert(
      fc.property(fc.nat({ max: good.length - 1 }), fc.integer({ min: 0, max: 255 }), fc.nat({ max: good.length }), (i, v, cut) => {
        const b = good.slice(0, cut);
        if (i < b.length) b[i] = v;
        decodeDns(b);
        describeDns(b);
      }),
    );
  });
});
