/**
 * HTTP versions on the wire: round trips and connections counted from the trace, keep-alive,
 * pipelining and its head-of-line blocking, the six-connection limit.
 */
import { describe, expect, it } from 'vitest';
import '../../src/apps';
import { parseCommand } from '../../src/apps/registry';
import { TestNet, type SeenFrame } from '../helpers/net';

/** Client and server on one 10 ms link: a round trip is 20 ms plus transmission. */
export const pairNet = (runs: string[], extra = '') =>
  TestNet.fromYaml(`
nodes:
  - { id: h1, kind: host, ip: 10.0.0.1/24 }
  - { id: h2, kind: host, ip: 10.0.0.2/24 }
links:
  - { a: h1, b: h2, latency: 10ms, bandwidth: 100Mbps${extra} }
run:
${runs.map((r, i) => `  - { on: ${i === 0 ? 'h2' : 'h1'}, at: ${i === 0 ? 0 : 1}ms, cmd: "${r}" }`).join('\n')}
`);

const tcpFlags = (f: SeenFrame) => f.field('tcp.flags') ?? '';
const syns = (net: TestNet) => net.frames('h1-h2', 'a>b').filter((f) => /\(SYN\)/.test(tcpFlags(f)));
const requests = (net: TestNet) => net.frames('h1-h2', 'a>b').filter((f) => f.dissected.protocol === 'HTTP' && /^GET /.test(f.dissected.summary));

describe('HTTP/1.0, 1.1 and 2 on the wire', () => {
  it('HTTP/1.0 opens a TCP connection (a handshake round trip) for every request', () => {
    const net = pairNet([
      'http-server --site gallery',
      'curl -o /dev/null --http1.0 http://10.0.0.2/ http://10.0.0.2/style.css http://10.0.0.2/img/1.svg',
    ]).runUntil('1s');
    expect(syns(net)).toHaveLength(3);
    expect(requests(net).map((f) => f.dissected.summary)).toEqual(['GET / HTTP/1.0 ', 'GET /style.css HTTP/1.0 ', 'GET /img/1.svg HTTP/1.0 ']);
    // The server closes each connection after its response.
    expect(net.frames('h1-h2', 'b>a').filter((f) => /FIN/.test(tcpFlags(f)))).toHaveLength(3);
  });

  it('HTTP/1.1 keeps the connection alive: one handshake, then one round trip per request', () => {
    const net = pairNet(['http-server --site gallery', 'curl -o /dev/null http://10.0.0.2/ http://10.0.0.2/style.css http://10.0.0.2/index.html']).runUntil(
      '1s',
    );
    expect(syns(net)).toHaveLength(1);
    const reqs = requests(net);
    expect(reqs).toHaveLength(3);
    // Each request leaves one round trip after the previous one (curl waits for each response).
    const gaps = reqs.slice(1).map((f, i) => (f.time - reqs[i].time) / 1e6);
    for (const g of gaps) expect(g).toBeGreaterThanOrEqual(20);
    for (const g of gaps) expect(g).toBeLessThan(22);
  });

  it('HTTP/2 multiplexes every request on one connection', () => {
    const net = pairNet(['http-server --site gallery', 'page-load http://10.0.0.2/ --http2']).runUntil('2s');
    expect(syns(net)).toHaveLength(1);
    const h2 = net.frames('h1-h2', 'a>b').filter((f) => f.dissected.protocol === 'HTTP2');
    const headers = h2.flatMap((f) => f.dissected.summary.split(', ')).filter((s) => s.startsWith('HEADERS['));
    expect(headers.map((s) => s.match(/\[(\d+)\]/)![1])).toEqual(['1', '3', '5', '7', '9', '11', '13', '15']);
    // The seven sub-resource requests left together, in one segment.
    expect(h2.some((f) => (f.dissected.summary.match(/HEADERS/g) ?? []).length === 7)).toBe(true);
  });

  it('opens at most 6 connections per host over HTTP/1.1, like browsers', () => {
    const net = pairNet(['http-server --site icons', 'page-load http://10.0.0.2/ --http1.1']).runUntil('2s');
    expect(syns(net)).toHaveLength(6);
    expect(net.logs('h1').at(-1)).toMatch(/^page-load: 14 requests \(14 ok\), \d+ B, 6 connections, finished in/);
    const one = pairNet(['http-server --site icons', 'page-load http://10.0.0.2/ --http1.1 --connections 1']).runUntil('2s');
    expect(syns(one)).toHaveLength(1);
  });

  it('HTTP/1.1 pipelining: a slow first response holds back the ready ones behind it (head-of-line blocking)', () => {
    const net = pairNet(['http-server --site gallery --delay /style.css=200ms', 'page-load http://10.0.0.2/ --http1.1 --connections 1 --pipeline']).runUntil(
      '2s',
    );
    // All seven sub-resource requests went out back to back on the one connection.
    const reqs = requests(net);
    expect(reqs).toHaveLength(8);
    const sub = reqs.slice(1);
    expect((sub.at(-1)!.time - sub[0].time) / 1e6).toBeLessThan(1);
    // No image response leaves the server before the slow stylesheet's, although the images were
    // ready 200 ms earlier.
    const responses = net.frames('h1-h2', 'b>a').filter((f) => /^HTTP\/1\.1 200/.test(f.dissected.summary));
    const css = responses.find((f) => f.dissected.summary.includes('text/css'))!;
    const firstImage = responses.find((f) => f.dissected.summary.includes('image/svg+xml'))!;
    expect(firstImage.time).toBeGreaterThan(css.time);
    expect((css.time - sub[0].arrival) / 1e6).toBeGreaterThanOrEqual(200);
  });

  it('HTTP/2 has no such blocking at the HTTP layer: ready responses overtake the slow one', () => {
    const net = pairNet(['http-server --site gallery --delay /style.css=200ms', 'page-load http://10.0.0.2/ --http2']).runUntil('2s');
    const lines = net.logs('h1').filter((l) => /^ {2}200 /.test(l));
    expect(lines.at(-1)).toMatch(/\/style\.css/);
  });

  it('rejects bad arguments', () => {
    expect(parseCommand('curl').ok).toBe(false);
    expect(parseCommand('curl --http1.0 --http2 http://x/').ok).toBe(false);
    expect(parseCommand('curl ftp://x/').ok).toBe(false);
    expect(parseCommand('page-load http://x/ --http2 --pipeline').ok).toBe(false);
    expect(parseCommand('http-server --site nope').ok).toBe(false);
    expect(parseCommand('http-server --delay img=5ms').ok).toBe(false);
    expect(parseCommand('http-server --delay /a=5ms,/b=1s').ok).toBe(true);
  });
});
