import { describe, expect, it } from 'vitest';
import { dnsNet, dnsOn } from './dns-net';

describe('recursive resolver', () => {
  it('walks root -> com -> example.com, then answers the repeat from its cache', () => {
    const net = dnsNet([
      { on: 'h1', at: '1ms', cmd: 'dig example.com +short' },
      { on: 'h1', at: '250ms', cmd: 'dig example.com +short' },
    ]);
    expect(net.logs('h1')).toEqual(['93.184.216.34', '93.184.216.34']);
    // The resolver's upstream queries, in order: root, then the com server, then example.com's.
    const upstream = net
      .frames('sw1-r1', 'a>b')
      .filter((f) => f.dissected.protocol === 'DNS')
      .map((f) => [f.ip!.dst, f.field('dns.flags.recdesired')]);
    expect(upstream).toEqual([
      ['10.0.1.53', 'Do not query recursively'],
      ['10.0.2.53', 'Do not query recursively'],
      ['10.0.3.53', 'Do not query recursively'],
    ]);
    expect(dnsOn(net, 'r1-root')).toEqual([
      ['a>b', 'Standard query ID A example.com'],
      ['b>a', 'Standard query response ID A example.com NS a.gtld-servers.net'],
    ]);
    expect(dnsOn(net, 'r1-tld')[1]).toEqual(['b>a', 'Standard query response ID A example.com NS ns1.example.com']);
    expect(dnsOn(net, 'r1-auth')[1]).toEqual(['b>a', 'Standard query response ID A example.com A 93.184.216.34']);
    // The second lookup never left the resolver: h1 saw two exchanges, upstream links one each.
    expect(dnsOn(net, 'h1-sw1')).toHaveLength(4);
    const second = net.frames('h1-sw1').filter((f) => f.dissected.protocol === 'DNS' && f.time >= 250e6);
    expect(second).toHaveLength(2);
    expect(second[1].arrival - second[0].time).toBeLessThan(10e6);
    // The cache is in the trace, one row per RRset.
    expect(net.stateOf('resolver', 'dns-cache com NS')).toBe('a.gtld-servers.net. ttl 172800');
    expect(net.stateOf('resolver', 'dns-cache a.gtld-servers.net A')).toBe('10.0.2.53 ttl 172800');
    expect(net.stateOf('resolver', 'dns-cache example.com NS')).toBe('ns1.example.com. ttl 172800');
    expect(net.stateOf('resolver', 'dns-cache example.com A')).toBe('93.184.216.34 ttl 300');
  });

  it('asks again once the TTL has run out (but not the servers it still remembers)', () => {
    const net = dnsNet(
      [
        { on: 'h1', at: '1ms', cmd: 'dig example.com +short' },
        { on: 'h1', at: '500ms', cmd: 'dig example.com +short' },
        { on: 'h1', at: '2500ms', cmd: 'dig example.com +short' },
      ],
      { ttl: 2, duration: '3s' },
    );
    expect(net.logs('h1')).toEqual(['93.184.216.34', '93.184.216.34', '93.184.216.34']);
    const rows = net.states('resolver', 'dns-cache example.com A');
    expect(rows.map((r) => [r.value, r.time > 2e9])).toEqual([
      ['93.184.216.34 ttl 2', false],
      ['', true],
      ['93.184.216.34 ttl 2', true],
    ]);
    // Only the example.com server is asked again; root and com are still cached.
    expect(dnsOn(net, 'r1-root')).toHaveLength(2);
    expect(dnsOn(net, 'r1-tld')).toHaveLength(2);
    expect(dnsOn(net, 'r1-auth')).toHaveLength(4);
  });

  it('NXDOMAIN comes back with the SOA and is cached negatively', () => {
    const net = dnsNet([
      { on: 'h1', at: '1ms', cmd: 'dig nope.example.com' },
      { on: 'h1', at: '250ms', cmd: 'dig nope.example.com +short' },
    ]);
    const out = net.logs('h1');
    expect(out.some((l) => l.includes('status: NXDOMAIN'))).toBe(true);
    expect(out.some((l) => /^example\.com\.\s+\d+\s+IN\s+SOA\s+ns1\.example\.com\. hostmaster\.example\.com\. 2024010101/.test(l))).toBe(true);
    expect(dnsOn(net, 'r1-auth')).toEqual([
      ['a>b', 'Standard query ID A nope.example.com'],
      ['b>a', 'Standard query response ID No such name A nope.example.com SOA ns1.example.com'],
    ]);
    expect(net.stateOf('resolver', 'dns-cache nope.example.com A')).toBe('NXDOMAIN ttl 300');
  });

  it('follows a CNAME inside the zone', () => {
    const net = dnsNet([{ on: 'h1', at: '1ms', cmd: 'dig www.example.com +short' }]);
    expect(net.logs('h1')).toEqual(['example.com.', '93.184.216.34']);
  });
});
