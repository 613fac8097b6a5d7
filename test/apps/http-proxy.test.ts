/** reverse-proxy: round robin, the response cache, 502 for a dead back end, TLS termination. */
import { describe, expect, it } from 'vitest';
import '../../src/apps';
import { maxAge, parseBackends } from '../../src/apps/reverse-proxy/reverse-proxy';
import { TestNet } from '../helpers/net';

const lan = (proxy: string, client: string, backends = ['http-server --site gallery', 'http-server --site gallery']) =>
  TestNet.fromYaml(
    `
nodes:
  - { id: c1, kind: host, ip: 10.0.0.1/24 }
  - { id: px, kind: host, ip: 10.0.0.10/24 }
  - { id: b1, kind: host, ip: 10.0.0.21/24 }
  - { id: b2, kind: host, ip: 10.0.0.22/24 }
  - { id: sw1, kind: switch }
links:
  - { a: c1, b: sw1, latency: 1ms }
  - { a: px, b: sw1, latency: 1ms }
  - { a: b1, b: sw1, latency: 1ms }
  - { a: b2, b: sw1, latency: 1ms }
run:
${backends.map((b, i) => `  - { on: b${i + 1}, at: 0ms, cmd: "${b}" }`).join('\n')}
  - { on: px, at: 0ms, cmd: "${proxy}" }
  - { on: c1, at: 1ms, cmd: "${client}" }
`,
  ).runUntil('2s');

describe('reverse-proxy', () => {
  it('parses back ends and max-age', () => {
    expect(parseBackends('10.0.0.1,10.0.0.2:8080')).toEqual([
      { addr: 0x0a000001, port: 80 },
      { addr: 0x0a000002, port: 8080 },
    ]);
    expect(typeof parseBackends('x')).toBe('string');
    expect(maxAge([{ name: 'Cache-Control', value: 'public, max-age=60' }])).toBe(60);
    expect(maxAge([{ name: 'Cache-Control', value: 'no-store' }])).toBeUndefined();
  });

  it('spreads requests over the back ends round robin', () => {
    const urls = ['/', '/style.css', '/img/1.svg', '/img/2.svg'].map((p) => `http://10.0.0.10${p}`).join(' ');
    const n = lan('reverse-proxy -p 80 --backends 10.0.0.21,10.0.0.22', `curl -o /dev/null ${urls}`);
    expect(
      n
        .logs('b1')
        .slice(1)
        .map((l) => l.split('"')[1]),
    ).toEqual(['GET / HTTP/1.1', 'GET /img/1.svg HTTP/1.1']);
    expect(
      n
        .logs('b2')
        .slice(1)
        .map((l) => l.split('"')[1]),
    ).toEqual(['GET /style.css HTTP/1.1', 'GET /img/2.svg HTTP/1.1']);
    expect(n.logs('px')[1]).toBe('10.0.0.1 "GET / HTTP/1.1" 200 -> 10.0.0.21:80');
  });

  it('caches responses for their max-age and answers repeats itself', () => {
    const n = lan('reverse-proxy -p 80 --backends 10.0.0.21,10.0.0.22 --cache', 'curl -v -o /dev/null http://10.0.0.10/style.css http://10.0.0.10/style.css');
    expect(n.logs('px').slice(1)).toEqual([
      '10.0.0.1 "GET /style.css HTTP/1.1" 200 -> 10.0.0.21:80 (MISS, stored)',
      '10.0.0.1 "GET /style.css HTTP/1.1" 200 from cache (age 0 s)',
    ]);
    expect(n.logs('b1')).toHaveLength(2);
    expect(n.logs('b2')).toHaveLength(1);
    const c = n.logs('c1');
    expect(c).toContain('< X-Cache: MISS');
    expect(c).toContain('< X-Cache: HIT');
    expect(c).toContain('< Via: 1.1 packetarium-proxy');
  });

  it('answers 502 when a back end refuses', () => {
    const n = lan('reverse-proxy --backends 10.0.0.21,10.0.0.22', 'curl -v -o /dev/null http://10.0.0.10/ http://10.0.0.10/', ['http-server']);
    const c = n.logs('c1');
    expect(c.filter((l) => l.startsWith('< HTTP/1.1'))).toEqual(['< HTTP/1.1 200 OK', '< HTTP/1.1 502 Bad Gateway']);
  });
});

describe('reverse-proxy with TLS', () => {
  it('terminates TLS (h2 by ALPN) and talks plain HTTP/1.1 to the back ends', () => {
    const n = lan(
      'reverse-proxy --tls --backends 10.0.0.21,10.0.0.22',
      'curl -v -o /dev/null --resolve www.example.test:443:10.0.0.10 https://www.example.test/ https://www.example.test/style.css',
    );
    const c = n.logs('c1');
    expect(c).toContain('* ALPN: server accepted h2');
    expect(c.filter((l) => l.startsWith('< HTTP/2 200'))).toHaveLength(2);
    expect(n.logs('b1')[1]).toBe('10.0.0.10 - - "GET / HTTP/1.1" 200 394');
    expect(n.logs('b2')[1]).toBe('10.0.0.10 - - "GET /style.css HTTP/1.1" 200 95');
  });
});
