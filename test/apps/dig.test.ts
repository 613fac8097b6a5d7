import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/apps/registry';
import { dnsNet } from '../protocols/dns/dns-net';
import { sceneFromYaml } from '../helpers/net';
import { decodeDns } from '../../src/protocols/dns/dns';
import { ednsOptions, findOpt } from '../../src/protocols/dns/edns';

describe('dig', () => {
  it('prints the answer like BIND dig', () => {
    const net = dnsNet([{ on: 'h1', at: '1ms', cmd: 'dig example.com A' }]);
    const out = net.logs('h1');
    expect(out[0]).toBe('; <<>> DiG 9.18 (Packetarium) <<>> example.com A');
    expect(out).toContain(';; ANSWER SECTION:');
    expect(out.some((l) => /^;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: \d+$/.test(l))).toBe(true);
    expect(out).toContain(';; flags: qr rd ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1');
    expect(out.some((l) => /^example\.com\.\s+300\s+IN\s+A\s+93\.184\.216\.34$/.test(l))).toBe(true);
    expect(out.some((l) => /^;; Query time: \d+ msec$/.test(l))).toBe(true);
    expect(out).toContain(';; SERVER: 10.0.0.53#53(10.0.0.53) (UDP)');
    // 45 bytes of message plus the server's OPT record (11 bytes).
    expect(out.at(-1)).toBe(';; MSG SIZE  rcvd: 56');
  });

  it('sends an EDNS OPT record (UDP size 1232, a client COOKIE) and shows the OPT pseudosection of the reply', () => {
    const net = dnsNet([{ on: 'h1', at: '1ms', cmd: 'dig example.com' }]);
    const out = net.logs('h1');
    const at = out.indexOf(';; OPT PSEUDOSECTION:');
    expect(at).toBeGreaterThan(0);
    expect(out.slice(at, at + 3)).toEqual([';; OPT PSEUDOSECTION:', '; EDNS: version: 0, flags:; udp: 1232', ';; QUESTION SECTION:']);
    const query = net.frames('h1-sw1', 'a>b').find((f) => f.dissected.protocol === 'DNS')!;
    const q = decodeDns(query.bytes, 14 + 20 + 8);
    expect(q.ok).toBe(true);
    const opt = q.ok ? findOpt(q.value) : undefined;
    expect(opt?.class).toBe(1232);
    expect(ednsOptions(opt!).map((o) => [o.code, o.data.length])).toEqual([[10, 8]]);
    // RFC 6891 §7: the server answers an OPT with an OPT.
    const answer = net.frames('h1-sw1', 'b>a').find((f) => f.dissected.protocol === 'DNS')!;
    const a = decodeDns(answer.bytes, 14 + 20 + 8);
    expect(a.ok && findOpt(a.value)?.class).toBe(1232);
    // +noedns: no OPT, and none back.
    const plain = dnsNet([{ on: 'h1', at: '1ms', cmd: 'dig +noedns example.com' }]);
    expect(plain.logs('h1')).not.toContain(';; OPT PSEUDOSECTION:');
    expect(plain.logs('h1')).toContain(';; flags: qr rd ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 0');
  });

  it('the resolver asks each upstream server from a fresh random source port (RFC 5452)', () => {
    const net = dnsNet([{ on: 'h1', at: '1ms', cmd: 'dig example.com' }]);
    const ports = net
      .frames('r1-root', 'a>b')
      .concat(net.frames('r1-tld', 'a>b'), net.frames('r1-auth', 'a>b'))
      .filter((f) => f.dissected.protocol === 'DNS')
      .map((f) => (f.bytes[34] << 8) | f.bytes[35]);
    expect(ports.length).toBeGreaterThanOrEqual(3);
    expect(new Set(ports).size).toBe(ports.length);
    for (const p of ports) expect(p >= 32768 && p <= 60999).toBe(true);
  });

  it('+noall +answer prints only the answer records; -x asks for a PTR; +dnssec is refused by name', () => {
    const net = dnsNet([{ on: 'h1', at: '1ms', cmd: 'dig +noall +answer example.com' }]);
    const out = net.logs('h1');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^example\.com\.\s+300\s+IN\s+A\s+93\.184\.216\.34$/);
    expect(parseCommand('dig -x 10.0.0.5')).toMatchObject({ ok: true, command: { options: { name: '5.0.0.10.in-addr.arpa', type: 12 } } });
    expect(parseCommand('dig +short +noall +answer @10.0.0.53 -t AAAA example.com +tries=2 +time=1 -4').ok).toBe(true);
    expect(parseCommand('dig +dnssec example.com')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/option \+dnssec: is not modelled in Packetarium/),
    });
    expect(parseCommand('dig +frob example.com')).toMatchObject({ ok: false, error: expect.stringMatching(/Invalid option: \+frob/) });
  });

  it('@server asks that server directly (an authoritative answer, aa set)', () => {
    const net = dnsNet([{ on: 'h1', at: '1ms', cmd: 'dig @10.0.3.53 example.com NS +norecurse' }]);
    const out = net.logs('h1');
    expect(out).toContain(';; flags: qr aa; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 2');
    expect(out).toContain(';; SERVER: 10.0.3.53#53(10.0.3.53) (UDP)');
    expect(net.frames('r1-root')).toHaveLength(0);
  });

  it('+trace walks the delegation itself, from the root', () => {
    const net = dnsNet([{ on: 'h1', at: '1ms', cmd: 'dig example.com +trace' }]);
    const out = net.logs('h1');
    const received = out.filter((l) => l.startsWith(';; Received'));
    expect(received.map((l) => l.replace(/ \d+ bytes/, ' N bytes').replace(/in \d+ ms/, 'in T ms'))).toEqual([
      ';; Received N bytes from 10.0.0.53#53(10.0.0.53) in T ms',
      ';; Received N bytes from 10.0.1.53#53(a.root-servers.net) in T ms',
      ';; Received N bytes from 10.0.2.53#53(a.gtld-servers.net) in T ms',
      ';; Received N bytes from 10.0.3.53#53(ns1.example.com) in T ms',
    ]);
    expect(out.some((l) => /^com\.\s+172800\s+IN\s+NS\s+a\.gtld-servers\.net\.$/.test(l))).toBe(true);
    expect(out.some((l) => /^example\.com\.\s+300\s+IN\s+A\s+93\.184\.216\.34$/.test(l))).toBe(true);
  });

  it('an answer of 1000 bytes fits the EDNS size of 1232 over UDP', () => {
    const txt = Array.from({ length: 12 }, (_, i) => `big 300 TXT "${'x'.repeat(60)}${i}"`);
    const out = dnsNet([{ on: 'h1', at: '1ms', cmd: 'dig @10.0.3.53 big.example.com TXT +norecurse' }], { extraRecords: txt }).logs('h1');
    expect(out).not.toContain(';; Truncated, retrying in TCP mode.');
    expect(out).toContain(';; SERVER: 10.0.3.53#53(10.0.3.53) (UDP)');
  });

  it('without EDNS an answer too big for 512 bytes comes back truncated (TC) and is fetched again over TCP', () => {
    const txt = Array.from({ length: 12 }, (_, i) => `big 300 TXT "${'x'.repeat(60)}${i}"`);
    const net = dnsNet([{ on: 'h1', at: '1ms', cmd: 'dig +noedns @10.0.3.53 big.example.com TXT +norecurse' }], { extraRecords: txt });
    const out = net.logs('h1');
    expect(out).toContain(';; Truncated, retrying in TCP mode.');
    expect(out).toContain(';; flags: qr aa; QUERY: 1, ANSWER: 12, AUTHORITY: 0, ADDITIONAL: 0');
    expect(out).toContain(';; SERVER: 10.0.3.53#53(10.0.3.53) (TCP)');
    const udp = net.frames('r1-auth', 'b>a').filter((f) => f.dissected.protocol === 'DNS');
    expect(udp[0].field('dns.flags.truncated')).toBe('Message is truncated');
  });

  it('says so when no server answers', () => {
    const net = dnsNet([{ on: 'h1', at: '1ms', cmd: 'dig @10.0.3.99 example.com' }], { duration: '20s' });
    const out = net.logs('h1');
    // The router cannot resolve 10.0.3.99 with ARP and says so (ICMP host unreachable): no retry.
    expect(out.filter((l) => l.startsWith(';; communications error to 10.0.3.99#53'))).toEqual([';; communications error to 10.0.3.99#53: host unreachable']);
    expect(out.at(-1)).toBe(';; no servers could be reached');
  });

  it('retries three times, 5 s apart, when the server stays silent', () => {
    // A first lookup lets the router learn the server's MAC; then every frame on its link is lost.
    const net = dnsNet(
      [
        { on: 'h1', at: '1ms', cmd: 'dig @10.0.3.53 example.com +short' },
        { on: 'h1', at: '100ms', cmd: 'dig @10.0.3.53 example.com' },
      ],
      { duration: '20s', faults: [{ at: '50ms', link: 'r1-auth', set: { loss: 1 } }] },
    );
    const rows = net.logRows('h1').filter((r) => r.text.startsWith(';; communications error'));
    expect(rows.map((r) => r.text)).toEqual(Array(3).fill(';; communications error to 10.0.3.53#53: timed out'));
    expect(rows.map((r) => Math.round((r.time - 100e6) / 1e9))).toEqual([5, 10, 15]);
    expect(net.logs('h1').at(-1)).toBe(';; no servers could be reached');
  });

  it('parses its arguments like dig', () => {
    expect(parseCommand('dig example.com MX +short').ok).toBe(true);
    expect(parseCommand('dig @10.0.0.53 -t AAAA example.com').ok).toBe(true);
    expect(parseCommand('dig @nowhere example.com')).toMatchObject({ ok: false });
    expect(parseCommand('dig +bogus example.com')).toMatchObject({ ok: false });
    expect(parseCommand('dig')).toMatchObject({ ok: false });
  });

  it('a bad zone record is reported at its path', () => {
    expect(() =>
      sceneFromYaml(`
nodes:
  - id: ns
    kind: dns-server
    ip: 10.0.0.53/24
    zones: [{ origin: example.com, records: ["@ SOA ns1 host 1 2 3 4 5", "www A 300.1.2.3"] }]
`),
    ).toThrow(/nodes\[0\]\.zones\[0\]\.records\[1\].*A needs an IPv4 address/);
    expect(() => sceneFromYaml(`nodes: [{ id: h1, kind: host, ip: 10.0.0.1/24, dns: resolver }]`)).toThrow(/nodes\[0\]\.dns/);
  });
});
