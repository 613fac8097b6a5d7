import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/apps/registry';
import { dnsNet } from '../protocols/dns/dns-net';
import { sceneFromYaml } from '../helpers/net';

describe('dig', () => {
  it('prints the answer like BIND dig', () => {
    const net = dnsNet([{ on: 'h1', at: '1ms', cmd: 'dig example.com A' }]);
    const out = net.logs('h1');
    expect(out[0]).toBe('; <<>> DiG 9.18 (Packetarium) <<>> example.com A');
    expect(out).toContain(';; ANSWER SECTION:');
    expect(out.some((l) => /^;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: \d+$/.test(l))).toBe(true);
    expect(out).toContain(';; flags: qr rd ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 0');
    expect(out.some((l) => /^example\.com\.\s+300\s+IN\s+A\s+93\.184\.216\.34$/.test(l))).toBe(true);
    expect(out.some((l) => /^;; Query time: \d+ msec$/.test(l))).toBe(true);
    expect(out).toContain(';; SERVER: 10.0.0.53#53(10.0.0.53) (UDP)');
    expect(out.at(-1)).toBe(';; MSG SIZE  rcvd: 45');
  });

  it('@server asks that server directly (an authoritative answer, aa set)', () => {
    const net = dnsNet([{ on: 'h1', at: '1ms', cmd: 'dig @10.0.3.53 example.com NS +norecurse' }]);
    const out = net.logs('h1');
    expect(out).toContain(';; flags: qr aa; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1');
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

  it('an answer too big for 512 bytes comes back truncated (TC) and is fetched again over TCP', () => {
    const txt = Array.from({ length: 12 }, (_, i) => `big 300 TXT "${'x'.repeat(60)}${i}"`);
    const net = dnsNet([{ on: 'h1', at: '1ms', cmd: 'dig @10.0.3.53 big.example.com TXT +norecurse' }], { extraRecords: txt });
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
