import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { registerBuiltinProtocols } from '../../../src/protocols/builtin';
import { dissectHttp } from '../../../src/protocols/http/dissect';
import {
  decodeRequest,
  decodeResponse,
  describeHttp1,
  encodeRequest,
  encodeResponse,
  httpRequest,
  httpResponse,
  RequestParser,
  ResponseParser,
  type HttpRequest,
  type HttpResponse,
} from '../../../src/protocols/http/http1';
import { generateSite, SITES, subresources } from '../../../src/protocols/http/site';

registerBuiltinProtocols();

const enc = new TextEncoder();
const token = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,12}$/);
const value = fc.stringMatching(/^[ -~]{0,20}$/).map((s) => s.trim());
const headers = fc.array(fc.record({ name: token.filter((n) => n.toLowerCase() !== 'content-length'), value }), { maxLength: 5 });
const version = fc.constantFrom('HTTP/1.0' as const, 'HTTP/1.1' as const);

const request: fc.Arbitrary<HttpRequest> = fc.record({
  method: fc.constantFrom('GET', 'HEAD', 'POST'),
  target: fc.stringMatching(/^\/[a-z0-9/._-]{0,20}$/),
  version,
  headers,
  body: fc.constant(new Uint8Array(0)),
});

const response: fc.Arbitrary<HttpResponse> = fc
  .record({
    version,
    status: fc.constantFrom(200, 404, 500),
    reason: fc.constantFrom('OK', 'Not Found', 'Internal Server Error'),
    headers,
    body: fc.uint8Array({ maxLength: 300 }),
  })
  .map((r) => ({ ...r, headers: [...r.headers, { name: 'Content-Length', value: String(r.body.length) }] }));

describe('HTTP/1.x messages', () => {
  it('round-trip requests and responses, with byteLength matching', () => {
    fc.assert(
      fc.property(request, (r) => {
        const b = httpRequest.encode(r);
        expect(httpRequest.byteLength(r)).toBe(b.length);
        expect(decodeRequest(b)).toEqual({ ok: true, value: r, length: b.length });
      }),
    );
    fc.assert(
      fc.property(response, (r) => {
        const b = httpResponse.encode(r);
        expect(decodeResponse(b)).toEqual({ ok: true, value: r, length: b.length });
      }),
    );
  });

  it('writes HTTP/0.9 as a bare request line and a bare body', () => {
    const r: HttpRequest = { method: 'GET', target: '/', version: 'HTTP/0.9', headers: [], body: new Uint8Array(0) };
    expect(new TextDecoder().decode(encodeRequest(r))).toBe('GET /\r\n');
    expect(decodeRequest(encodeRequest(r))).toMatchObject({ ok: true, value: { version: 'HTTP/0.9', target: '/' } });
    expect(encodeResponse({ version: 'HTTP/0.9', status: 200, reason: '', headers: [], body: enc.encode('<html>') })).toEqual(enc.encode('<html>'));
  });

  it('splits a pipelined byte stream into requests, however it is cut', () => {
    fc.assert(
      fc.property(fc.array(request, { minLength: 1, maxLength: 4 }), fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 20 }), (reqs, cuts) => {
        const all = new Uint8Array(reqs.flatMap((r) => [...encodeRequest(r)]));
        const p = new RequestParser();
        const got: HttpRequest[] = [];
        let at = 0;
        for (const c of cuts) {
          got.push(...p.push(all.subarray(at, Math.min(all.length, at + c))));
          at = Math.min(all.length, at + c);
        }
        got.push(...p.push(all.subarray(at)));
        expect(p.error).toBeUndefined();
        expect(got).toEqual(reqs);
      }),
    );
  });

  it('matches pipelined responses to their requests in order (HEAD has no body)', () => {
    const p = new ResponseParser();
    p.expect({ head: false, simple: false });
    p.expect({ head: true, simple: false });
    const a = encodeResponse({ version: 'HTTP/1.1', status: 200, reason: 'OK', headers: [{ name: 'Content-Length', value: '5' }], body: enc.encode('hello') });
    const b = encodeResponse({ version: 'HTTP/1.1', status: 200, reason: 'OK', headers: [{ name: 'Content-Length', value: '100' }], body: new Uint8Array(0) });
    const bytes = new Uint8Array([...a, ...b]);
    const events = [...p.push(bytes.subarray(0, 7)), ...p.push(bytes.subarray(7))];
    expect(events.map((e) => e.type)).toEqual(['head', 'body', 'done', 'head', 'done']);
    expect(p.outstanding).toBe(0);
  });

  it('ends a close-delimited body when the connection ends', () => {
    const p = new ResponseParser();
    p.expect({ head: false, simple: true });
    expect(p.push(enc.encode('<html>')).map((e) => e.type)).toEqual(['head', 'body']);
    const done = p.end();
    expect(done[0]).toMatchObject({ type: 'done', response: { version: 'HTTP/0.9', body: enc.encode('<html>') } });
  });

  it('describes a request and a response like Wireshark', () => {
    const req = encodeRequest({
      method: 'GET',
      target: '/img/1.svg',
      version: 'HTTP/1.1',
      headers: [{ name: 'Host', value: '10.0.0.2' }],
      body: new Uint8Array(0),
    });
    const layer = describeHttp1(req, 0, req.length);
    if ('error' in layer) throw new Error(layer.error);
    expect(layer.title).toBe('Hypertext Transfer Protocol');
    expect(layer.fields[0].children!.map((c) => [c.key, c.value])).toEqual([
      ['http.request.method', 'GET'],
      ['http.request.uri', '/img/1.svg'],
      ['http.request.version', 'HTTP/1.1'],
    ]);
    expect(layer.fields.find((f) => f.key === 'http.host')!.value).toBe('Host: 10.0.0.2\\r\\n');
    expect(dissectHttp(req, 0, req.length)).toMatchObject({ protocol: 'HTTP', summary: 'GET /img/1.svg HTTP/1.1 ' });
    const res = encodeResponse({
      version: 'HTTP/1.1',
      status: 200,
      reason: 'OK',
      headers: [
        { name: 'Content-Type', value: 'text/html' },
        { name: 'Content-Length', value: '3' },
      ],
      body: enc.encode('abc'),
    });
    expect(dissectHttp(res, 0, res.length)).toMatchObject({ protocol: 'HTTP', summary: 'HTTP/1.1 200 OK  (text/html)' });
    expect(dissectHttp(enc.encode('more body'), 0, 9)).toMatchObject({ protocol: 'HTTP', summary: 'Continuation' });
  });
});

describe('generated sites', () => {
  it('builds the gallery: a page that references a stylesheet and six images of the given size', () => {
    const files = generateSite(SITES.gallery);
    const html = new TextDecoder().decode(files.get('/')!.body);
    const refs = subresources(html);
    expect(refs).toEqual(['/style.css', '/img/1.svg', '/img/2.svg', '/img/3.svg', '/img/4.svg', '/img/5.svg', '/img/6.svg']);
    for (const r of refs.slice(1)) expect(files.get(r)!.body.length).toBe(20_000);
    expect(new TextDecoder().decode(files.get('/img/3.svg')!.body)).toMatch(/^<\?xml version="1.0"\?>\n<svg [^]*<\/svg>\n$/);
  });
});
