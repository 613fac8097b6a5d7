import { describe, expect, it } from 'vitest';
import { Http2Connection, type Http2Handler } from '../../../src/protocols/http2/connection';
import { ErrorCode, type Http2Frame } from '../../../src/protocols/http2/frame';
import type { HeaderField } from '../../../src/protocols/http2/hpack';

/** A client and a server joined back to back; bytes move only when `flush` is called. */
function pair(clientOpts = {}, serverOpts = {}, serverHandler: Partial<Http2Handler> = {}) {
  const toServer: Uint8Array[] = [];
  const toClient: Uint8Array[] = [];
  const log: string[] = [];
  const got = new Map<number, { headers?: HeaderField[]; data: number; ended: boolean; reset?: number }>();
  const entry = (id: number) => got.get(id) ?? (got.set(id, { data: 0, ended: false }), got.get(id)!);
  const frames: { dir: string; f: Http2Frame }[] = [];
  const client = new Http2Connection(
    'client',
    {
      send: (b) => toServer.push(b),
      onHeaders: (id, headers, end) => {
        entry(id).headers = headers;
        if (end) entry(id).ended = true;
      },
      onData: (id, d, end) => {
        entry(id).data += d.length;
        if (end) entry(id).ended = true;
        log.push(`data ${id} ${d.length}`);
      },
      onReset: (id, code) => {
        entry(id).reset = code;
      },
      onPingAck: () => log.push('pong'),
      onGoaway: (last, code) => log.push(`goaway ${last} ${code}`),
      onFrame: (dir, f) => frames.push({ dir: `client ${dir}`, f }),
    },
    clientOpts,
  );
  const server: Http2Connection = new Http2Connection(
    'server',
    {
      send: (b) => toClient.push(b),
      onHeaders: (id, headers) => {
        const path = headers.find((x) => x.name === ':path')!.value;
        const size = Number(path.slice(1)) || 10;
        server.respond(id, [{ name: ':status', value: '200' }], new Uint8Array(size));
      },
      ...serverHandler,
    },
    serverOpts,
  );
  server.start();
  client.start();
  const flush = () => {
    for (let i = 0; i < 100 && (toServer.length || toClient.length); i++) {
      for (const b of toServer.splice(0)) server.feed(b);
      for (const b of toClient.splice(0)) client.feed(b);
    }
  };
  return { client, server, got, flush, log, frames, toServer, toClient };
}

const GET = (path: string): HeaderField[] => [
  { name: ':method', value: 'GET' },
  { name: ':path', value: path },
  { name: ':scheme', value: 'http' },
  { name: ':authority', value: 'x' },
];

describe('Http2Connection', () => {
  it('multiplexes several requests on odd stream ids and interleaves their DATA', () => {
    const p = pair({ connectionWindow: 1 << 24, initialWindow: 1 << 20 }, { chunkSize: 1000 });
    p.flush();
    p.client.batch(() => {
      for (const size of [3000, 3000, 3000]) p.client.request(GET(`/${size}`));
    });
    p.flush();
    expect([...p.got.keys()]).toEqual([1, 3, 5]);
    for (const g of p.got.values()) expect(g).toMatchObject({ data: 3000, ended: true });
    // Round robin: stream 1, 3, 5, 1, 3, 5, ...
    expect(p.log.filter((l) => l.startsWith('data')).slice(0, 6)).toEqual([
      'data 1 1000',
      'data 3 1000',
      'data 5 1000',
      'data 1 1000',
      'data 3 1000',
      'data 5 1000',
    ]);
    expect(p.client.openStreams).toBe(0);
  });

  it('honours flow control: a stream stops at the window until WINDOW_UPDATE', () => {
    const p = pair({ initialWindow: 1000 });
    p.flush();
    p.client.request(GET('/5000'));
    p.flush();
    expect(p.got.get(1)).toMatchObject({ data: 5000, ended: true });
    const updates = p.frames.filter((x) => x.dir === 'client sent' && x.f.type === 'WINDOW_UPDATE');
    expect(updates.length).toBeGreaterThanOrEqual(4);
    // The server never had more than the window outstanding on the stream.
    const data = p.frames.filter((x) => x.dir === 'client received' && x.f.type === 'DATA').map((x) => (x.f as { data: Uint8Array }).data.length);
    expect(Math.max(...data)).toBeLessThanOrEqual(1000);
  });

  it('acknowledges SETTINGS and PING, and resets and closes with RST_STREAM and GOAWAY', () => {
    const p = pair({}, {}, { onHeaders: () => {} });
    p.flush();
    expect(p.frames.filter((x) => x.dir === 'client received' && x.f.type === 'SETTINGS').map((x) => (x.f as { ack: boolean }).ack)).toEqual([false, true]);
    p.client.ping(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8));
    p.flush();
    expect(p.log).toContain('pong');
    const id = p.client.request(GET('/'));
    p.flush();
    p.server.reset(id, ErrorCode.REFUSED_STREAM);
    p.flush();
    expect(p.got.get(id)!.reset).toBe(ErrorCode.REFUSED_STREAM);
    p.server.close();
    p.flush();
    expect(p.log).toContain(`goaway ${id} 0`);
  });

  it('answers a bad preface with GOAWAY PROTOCOL_ERROR', () => {
    const sent: Uint8Array[] = [];
    const errors: string[] = [];
    const s = new Http2Connection('server', { send: (b) => sent.push(b), onError: (e) => errors.push(e) });
    s.feed(new TextEncoder().encode('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    expect(errors[0]).toMatch(/PROTOCOL_ERROR/);
  });
});
