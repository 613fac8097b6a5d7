/** The RR codec and dissector, the client population device, the slowdown fault, scene checks. */
import { describe, expect, it } from 'vitest';
import { dissectFrame } from '../../src/protocols/dissect';
import { checkRr, encodeRr, encodeRrInto, readRr, rr, RR_HEADER_BYTES, RrStatus, RrType, type RrMessage } from '../../src/protocols/rr/rr';
import { parseCommand } from '../../src/apps/registry';
import { loadScene } from '../../src/scenario/load';
import { readRrEvents, serverSojourns } from '../../src/timeline/metrics';
import { sceneFromYaml } from '../helpers/net';
import { clientServer } from './helpers';

const request: RrMessage = {
  type: RrType.Request,
  status: RrStatus.Ok,
  tier: 2,
  attempt: 3,
  requestId: 123456,
  rootId: 42,
  deadlineUs: 1_250_000,
  bodyLength: 10,
};

describe('RR codec', () => {
  it('round-trips every field', () => {
    const bytes = rr.encode(request);
    expect(bytes.length).toBe(RR_HEADER_BYTES + 10);
    expect(rr.byteLength(request)).toBe(bytes.length);
    const d = rr.decode(bytes);
    expect(d).toEqual({ ok: true, value: request, length: bytes.length });
  });

  it('reads a message in place at an offset, into a reused message object', () => {
    const buf = new Uint8Array(8 + RR_HEADER_BYTES + 10);
    encodeRrInto(buf, 8, request);
    expect(checkRr(buf, 8, buf.length)).toBeUndefined();
    const out: RrMessage = { ...request, type: RrType.Probe, requestId: 1, rootId: 1, attempt: 1 };
    expect(readRr(buf, 8, out)).toBe(out);
    expect(out).toEqual(request);
    expect(readRr(buf, 8)).toEqual(request);
  });

  it('describes the header field by field', () => {
    const layer = rr.describe(encodeRr(request));
    if ('error' in layer) throw new Error(layer.error);
    const value = (k: string) => layer.fields.find((f) => f.key === k)?.value;
    expect(value('rr.type')).toBe('1 (Request)');
    expect(value('rr.attempt')).toBe('3');
    expect(value('rr.tier')).toBe('2');
    expect(value('rr.root')).toBe('42');
    expect(value('rr.deadline')).toContain('1.25 s');
  });

  it('rejects what is not RR, never throwing', () => {
    expect(checkRr(new Uint8Array(10))).toMatch(/truncated/);
    const bad = encodeRr(request);
    bad[0] = 0;
    expect(rr.decode(bad)).toMatchObject({ ok: false });
    const short = encodeRr(request).subarray(0, RR_HEADER_BYTES + 2);
    expect(checkRr(short)).toMatch(/body length/);
    expect(() => encodeRr({ ...request, attempt: 256 })).toThrow(RangeError);
  });

  it('is dissected on UDP port 9000 in captured frames, with a Wireshark-style Info column', () => {
    const net = clientServer({ server: 'rr-server', client: 'rr-client 10.0.0.2 --rate 100 --timeout 1s', duration: '100ms', count: 50 });
    const frames = net.frames('sw-srv').filter((f) => f.ip?.protocol === 17);
    expect(frames.length).toBeGreaterThan(5);
    for (const f of frames) expect(f.dissected.error).toBeUndefined();
    const req = frames.find((f) => f.dir === 'a>b')!;
    expect(req.dissected.protocol).toBe('RR');
    expect(req.dissected.summary).toMatch(/^RR Request id=\d+ attempt=1 tier=1 root=\d+ deadline=/);
    const resp = frames.find((f) => f.dir === 'b>a')!;
    expect(resp.dissected.summary).toMatch(/^RR Response id=\d+ OK attempt=1/);
    expect(dissectFrame(resp.bytes).layers.map((l) => l.protocol)).toEqual(['eth', 'ip', 'udp', 'rr']);
  });
});

describe('client population', () => {
  it('sends from its own address per client and answers ARP for each of them', () => {
    const net = clientServer({ server: 'rr-server', client: 'rr-client 10.0.0.2 --rate 2000 --timeout 1s', duration: '300ms', count: 300 });
    const toServer = net.frames('clients-sw').filter((f) => f.ip && f.dir === 'a>b');
    const sources = new Set(toServer.map((f) => f.ip!.src));
    expect(sources.size).toBeGreaterThan(250);
    const arpReplies = net.frames('clients-sw').filter((f) => f.arp?.op === 2 && f.dir === 'a>b');
    // One ARP reply per client the server has answered so far (the last few are still resolving).
    expect(arpReplies.length).toBeGreaterThan(sources.size * 0.9);
    expect(arpReplies.length).toBeLessThanOrEqual(sources.size);
    expect(new Set(net.states('srv', 'arp 10.0.').map((r) => r.key)).size).toBeGreaterThanOrEqual(arpReplies.length);
    expect(net.logs('clients').join('\n')).toMatch(/300 clients/);
  });

  it('closed loop: each client waits for its answer and thinks before the next request', () => {
    const net = clientServer({
      server: 'rr-server --workers 4 --service const:1ms',
      client: 'rr-client 10.0.0.2 --think 100ms --think-const --timeout 1s',
      duration: '1s',
      count: 20,
    });
    const sends = net.states('clients', 'rr.send');
    // 20 clients, one request per ~104 ms each (think + round trip): about 190 in 1 s.
    expect(sends.length).toBeGreaterThan(170);
    expect(sends.length).toBeLessThan(200);
  });

  it('--once: each client makes exactly one request, all started within --spread', () => {
    const net = clientServer({
      server: 'rr-server --workers 4 --queue 10 --service const:5ms',
      client: 'rr-client 10.0.0.2 --once --spread 40ms --retry expo-full --base 20ms --attempts 50 --timeout 1s',
      duration: '3s',
      count: 100,
    });
    const clients = readRrEvents(net.trace).get('clients')!;
    const r = clients.requests;
    expect(r.id.length).toBe(100);
    expect(r.outcome.every((o) => o === 'ok')).toBe(true);
    // First attempts start between the program's start (1 ms) and 40 ms later, spread out.
    const starts = [...r.start].sort((a, b) => a - b);
    expect(starts[0]).toBeGreaterThanOrEqual(1e6);
    expect(starts[99]).toBeLessThanOrEqual(41e6);
    expect(starts[99] - starts[0]).toBeGreaterThan(30e6);
    // One client, one request: the sources of first attempts are 100 different addresses.
    const firstSources = new Set(
      net
        .frames('clients-sw')
        .filter((f) => f.dir === 'a>b' && f.ip)
        .map((f) => f.ip!.src),
    );
    expect(firstSources.size).toBe(100);
    // More attempts than requests: the small queue refused some, and they were retried.
    expect(clients.sends.time.length).toBeGreaterThan(100);
    expect(net.logs('clients').join('\n')).toMatch(/100 clients .* one request each, spread over 40ms/);
  });

  it('--once without --spread starts every request at once', () => {
    const net = clientServer({
      server: 'rr-server --workers 8 --queue 100 --service const:1ms',
      client: 'rr-client 10.0.0.2 --once --clients 20 --timeout 1s',
      duration: '500ms',
      count: 50,
    });
    const r = readRrEvents(net.trace).get('clients')!.requests;
    expect(r.id.length).toBe(20); // --clients 20 of the 50
    expect(new Set(r.start)).toEqual(new Set([1e6]));
  });

  it('rejects a population that does not fit its subnet', () => {
    const r = loadScene('version: 1\ntitle: t\nduration: 1s\nnodes:\n  - { id: c, kind: clients, count: 300, ip: 10.0.0.1/24 }\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatchObject({ path: 'nodes[0].count' });
  });
});

describe('commands and faults', () => {
  it('parses policies and says what is wrong', () => {
    expect(parseCommand('rr-client 10.0.0.2 --rate 500@0s,2000@5s --ramp --retry decorrelated --budget 0.1 --breaker 5').ok).toBe(true);
    expect(parseCommand('rr-server --order lifo --service lognormal:20ms:0.5 --shed-deadline --next 10.0.0.3:9001 --retry expo-equal').ok).toBe(true);
    expect(parseCommand('rr-client 10.0.0.2')).toMatchObject({ ok: false, error: expect.stringContaining('--rate') });
    expect(parseCommand('rr-client 10.0.0.2 --once --spread 20ms --retry expo-full --attempts 255').ok).toBe(true);
    expect(parseCommand('rr-client 10.0.0.2 --once --rate 100')).toMatchObject({ ok: false, error: expect.stringContaining('--once') });
    expect(parseCommand('rr-client 10.0.0.2 --once --think 1s')).toMatchObject({ ok: false, error: expect.stringContaining('give one of') });
    expect(parseCommand('rr-client 10.0.0.2 --rate 100 --spread 10ms')).toMatchObject({ ok: false, error: expect.stringContaining('--spread needs --once') });
    expect(parseCommand('rr-client 10.0.0.2 --once --spread soon')).toMatchObject({ ok: false, error: expect.stringContaining('--spread') });
    expect(parseCommand('rr-client 10.0.0.2 --rate 5 --retry sometimes')).toMatchObject({
      ok: false,
      error: expect.stringContaining('--retry sometimes: must be'),
    });
    expect(parseCommand('rr-server --service gamma:5ms')).toMatchObject({ ok: false, error: expect.stringContaining('unknown distribution') });
    expect(parseCommand('rr-lb --policy rr')).toMatchObject({ ok: false, error: expect.stringContaining('--backends') });
  });

  it('a slowdown fault multiplies service time between its start and end', () => {
    const net = clientServer({
      server: 'rr-server --workers 1 --service const:10ms',
      client: 'rr-client 10.0.0.2 --rate 20 --timeout 1s',
      duration: '1s',
      faults: '[{ at: 300ms, node: srv, slowdown: { factor: 3, until: 600ms } }]',
    });
    expect(net.states('srv', 'slowdown').map((r) => [r.time, r.value])).toEqual([
      [300e6, 'x3'],
      [600e6, ''],
    ]);
    const s = serverSojourns(readRrEvents(net.trace).get('srv')!);
    const sojourns = [...s.time].map((t, i) => ({ t, ns: s.sojourn[i] }));
    const during = sojourns.filter((s) => s.t > 320e6 && s.t < 580e6);
    const after = sojourns.filter((s) => s.t > 700e6);
    expect(during.length).toBeGreaterThan(3);
    expect(Math.min(...during.map((s) => s.ns))).toBeGreaterThanOrEqual(30e6);
    expect(Math.min(...after.map((s) => s.ns))).toBe(10e6);
  });

  it('a slowdown must end after it starts and name a node', () => {
    expect(() => sceneFromYaml('nodes: [{ id: s, kind: server, ip: 10.0.0.1/24 }]\nfaults: [{ at: 2s, node: s, slowdown: { factor: 2, until: 1s } }]')).toThrow(
      /until must be later/,
    );
    expect(() => sceneFromYaml('nodes: [{ id: s, kind: server, ip: 10.0.0.1/24 }]\nfaults: [{ at: 2s, node: x, slowdown: { factor: 2 } }]')).toThrow(
      /no node "x"/,
    );
  });
});
