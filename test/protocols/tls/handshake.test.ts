import { describe, expect, it } from 'vitest';
import type { TlsSession } from '../../../src/protocols/tls/endpoint';
import { TlsSessionCache } from '../../../src/protocols/tls/server';
import { utf8, fromUtf8 } from '../../../src/protocols/tls/wire';
import { HALF_RTT, makePki, newPair, of, run } from './helpers';

const pki = makePki();
const REQ = utf8('GET / HTTP/1.1\r\nHost: www.example.test\r\n\r\n');
const RESP = utf8('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');

function firstDataAt(log: ReturnType<typeof run>) {
  return of(log.serverEvents, 'data')[0];
}

describe('TLS 1.3', () => {
  it('full handshake: 1 RTT before the request leaves, data both ways', () => {
    const clock = { t: 0 };
    const { client, server } = newPair(pki, 'a', new TlsSessionCache(), clock);
    const log = run(client, server, clock, { afterConnect: REQ, serverReply: RESP });
    const cc = of(log.clientEvents, 'connected')[0];
    expect(cc.e).toMatchObject({ version: '1.3', resumed: false, alpn: 'http/1.1', earlyData: 'none' });
    expect(cc.at).toBe(2); // one round trip
    // flights: CH | SH+EE+Cert+CV+Fin | Fin + request | NST | response
    expect(log.flights[0]).toMatchObject({ from: 'client', at: 0 });
    expect(log.flights[0].records).toEqual(['Handshake: Client Hello']);
    expect(log.flights[1].from).toBe('server');
    expect(log.flights[1].records[0]).toBe('Handshake: Server Hello');
    expect(log.flights[1].records[1]).toContain('Encrypted Extensions, Certificate, Certificate Verify, Finished');
    const d = firstDataAt(log);
    expect(d.at).toBe(3); // request arrives after 1.5 RTT: it left after 1 RTT
    expect(fromUtf8(d.e.data)).toBe(fromUtf8(REQ));
    expect(fromUtf8(of(log.clientEvents, 'data')[0].e.data)).toBe(fromUtf8(RESP));
    expect(of(log.clientEvents, 'session')).toHaveLength(1);
    expect(of(log.serverEvents, 'connected')[0].e).toMatchObject({ version: '1.3', serverName: 'www.example.test' });
  });

  it('writes before the handshake are held until connected (no session, no 0-RTT)', () => {
    const clock = { t: 0 };
    const { client, server } = newPair(pki, 'b', new TlsSessionCache(), clock);
    const log = run(client, server, clock, { early: REQ });
    expect(log.flights[0].records).toEqual(['Handshake: Client Hello']);
    expect(firstDataAt(log).at).toBe(3);
    expect(firstDataAt(log).e.early).toBe(false);
  });

  it('key log has the five 1.3 secrets, identical on both ends', () => {
    const clock = { t: 0 };
    const { client, server } = newPair(pki, 'c', new TlsSessionCache(), clock);
    run(client, server, clock);
    const labels = client.keyLogLines().map((l) => l.split(' ')[0]);
    expect(labels).toEqual([
      'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
      'SERVER_HANDSHAKE_TRAFFIC_SECRET',
      'SERVER_TRAFFIC_SECRET_0',
      'CLIENT_TRAFFIC_SECRET_0',
      'EXPORTER_SECRET',
    ]);
    expect([...server.keyLogLines()].sort()).toEqual([...client.keyLogLines()].sort());
    for (const l of client.keyLogLines()) expect(l).toMatch(/^[A-Z_0-9]+ [0-9a-f]{64} [0-9a-f]{64}$/);
  });

  function firstSession(seed: string, cache: TlsSessionCache, clock: { t: number }, server: Record<string, unknown> = {}): TlsSession {
    const { client, server: srv } = newPair(pki, seed, cache, clock, {}, server);
    const log = run(client, srv, clock);
    const s = of(log.clientEvents, 'session')[0];
    expect(s).toBeDefined();
    return s.e.session;
  }

  it('PSK resumption: no certificate, still 1 RTT', () => {
    const clock = { t: 0 };
    const cache = new TlsSessionCache();
    const session = firstSession('d1', cache, clock);
    clock.t += 1e9;
    const { client, server } = newPair(pki, 'd2', cache, clock, { session, earlyData: false });
    const log = run(client, server, clock, { afterConnect: REQ });
    const cc = of(log.clientEvents, 'connected')[0];
    expect(cc.e).toMatchObject({ version: '1.3', resumed: true, earlyData: 'none' });
    expect(cc.at).toBe(2);
    const received = of(log.clientEvents, 'handshake')
      .filter((h) => h.e.direction === 'received')
      .map((h) => h.e.message);
    expect(received).not.toContain('Certificate');
    expect(firstDataAt(log).at).toBe(3);
  });

  it('0-RTT early data accepted: the request leaves with the ClientHello', () => {
    const clock = { t: 0 };
    const cache = new TlsSessionCache();
    const session = firstSession('e1', cache, clock);
    expect(session.maxEarlyData).toBeGreaterThan(0);
    clock.t += 2e9;
    const { client, server } = newPair(pki, 'e2', cache, clock, { session });
    const log = run(client, server, clock, { early: REQ, serverReply: RESP });
    expect(log.flights[0].records).toEqual(['Handshake: Client Hello', 'Application Data (encrypted, early)']);
    const d = firstDataAt(log);
    expect(d.at).toBe(1); // arrives with the ClientHello: 0 RTT
    expect(d.e.early).toBe(true);
    expect(fromUtf8(d.e.data)).toBe(fromUtf8(REQ));
    expect(of(log.clientEvents, 'connected')[0].e).toMatchObject({ resumed: true, earlyData: 'accepted' });
    expect(of(log.serverEvents, 'connected')[0].e).toMatchObject({ resumed: true, earlyData: 'accepted' });
    // the server answered the early request in its first flight's reply: the response arrives at 2 half-RTTs
    expect(of(log.clientEvents, 'data')[0].at).toBe(2);
    expect(client.keyLogLines()[0]).toMatch(/^CLIENT_EARLY_TRAFFIC_SECRET /);
    const sent = of(log.clientEvents, 'handshake')
      .filter((h) => h.e.direction === 'sent')
      .map((h) => h.e.message);
    expect(sent).toContain('End of Early Data');
  });

  it('0-RTT rejected by a server that disables it: data resent after the handshake', () => {
    const clock = { t: 0 };
    const cache = new TlsSessionCache();
    const session = firstSession('f1', cache, clock);
    const { client, server } = newPair(pki, 'f2', cache, clock, { session }, { maxEarlyData: 0 });
    const log = run(client, server, clock, { early: REQ });
    expect(of(log.clientEvents, 'connected')[0].e).toMatchObject({ resumed: true, earlyData: 'rejected' });
    const data = of(log.serverEvents, 'data');
    expect(data).toHaveLength(1);
    expect(data[0].e.early).toBe(false);
    expect(data[0].at).toBe(3);
  });

  it('tickets are single use: a replayed ticket gets a full handshake', () => {
    const clock = { t: 0 };
    const cache = new TlsSessionCache();
    const session = firstSession('g1', cache, clock);
    run(...(Object.values(newPair(pki, 'g2', cache, clock, { session, earlyData: false })) as [never, never]), clock);
    const { client, server } = newPair(pki, 'g3', cache, clock, { session, earlyData: false });
    const log = run(client, server, clock);
    expect(of(log.clientEvents, 'connected')[0].e.resumed).toBe(false);
  });

  it('close_notify both ways', () => {
    const clock = { t: 0 };
    const { client, server } = newPair(pki, 'h', new TlsSessionCache(), clock);
    run(client, server, clock);
    const ev = client.close();
    const bytes = ev.find((e) => e.type === 'send');
    expect(bytes).toBeDefined();
    const sev = server.feed((bytes as { bytes: Uint8Array }).bytes);
    expect(sev.map((e) => e.type)).toEqual(['alert', 'alert', 'send', 'closed']);
  });

  it('a tampered record is refused with bad_record_mac', () => {
    const clock = { t: 0 };
    const { client, server } = newPair(pki, 'i', new TlsSessionCache(), clock);
    run(client, server, clock);
    const send = client.write(REQ).find((e) => e.type === 'send') as { bytes: Uint8Array };
    const bad = send.bytes.slice();
    bad[bad.length - 1] ^= 1;
    const ev = server.feed(bad);
    expect(ev.find((e) => e.type === 'alert')).toMatchObject({ direction: 'sent', name: 'bad_record_mac' });
  });

  it('bytes may arrive one at a time', () => {
    const clock = { t: 0 };
    const { client, server } = newPair(pki, 'j', new TlsSessionCache(), clock);
    const ch = client.start().find((e) => e.type === 'send') as { bytes: Uint8Array };
    const out = [];
    for (const b of ch.bytes) out.push(...server.feed(Uint8Array.of(b)));
    expect(out.filter((e) => e.type === 'send')).toHaveLength(1);
  });
});

describe('TLS 1.2', () => {
  it('full handshake: 2 RTTs before the request leaves', () => {
    const clock = { t: 0 };
    const { client, server } = newPair(pki, 'k', new TlsSessionCache(), clock, { versions: ['1.2'] });
    const log = run(client, server, clock, { afterConnect: REQ, serverReply: RESP });
    const cc = of(log.clientEvents, 'connected')[0];
    expect(cc.e).toMatchObject({ version: '1.2', resumed: false, alpn: 'http/1.1' });
    expect(cc.at).toBe(4);
    expect(log.flights[1].records).toEqual(['Handshake: Server Hello, Certificate, Server Key Exchange, Server Hello Done']);
    expect(log.flights[2].records).toEqual(['Handshake: Client Key Exchange', 'Change Cipher Spec', 'Handshake: Finished (encrypted, application)']);
    expect(log.flights[3].records).toEqual(['Handshake: New Session Ticket', 'Change Cipher Spec', 'Handshake: Finished (encrypted, application)']);
    expect(firstDataAt(log).at).toBe(5);
    expect(fromUtf8(of(log.clientEvents, 'data')[0].e.data)).toBe(fromUtf8(RESP));
    expect(client.keyLogLines()).toHaveLength(1);
    expect(client.keyLogLines()[0]).toMatch(/^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}$/);
    expect(server.keyLogLines()).toEqual(client.keyLogLines());
  });

  it('a 1.3-capable server talking to a 1.2-only client sets the downgrade sentinel', () => {
    const clock = { t: 0 };
    const { client, server } = newPair(pki, 'l', new TlsSessionCache(), clock, { versions: ['1.2'] });
    const log = run(client, server, clock);
    const sh = log.flights[1].bytes;
    // record header 5 + handshake header 4 + version 2 + random 32: last 8 bytes of random
    expect(fromUtf8(sh.subarray(5 + 4 + 2 + 24, 5 + 4 + 2 + 32))).toBe('DOWNGRD\x01');
  });

  for (const tickets of [true, false]) {
    it(`abbreviated handshake by ${tickets ? 'session ticket' : 'session ID'}: 1 RTT`, () => {
      const clock = { t: 0 };
      const cache = new TlsSessionCache();
      const a = newPair(pki, `m1${tickets}`, cache, clock, { versions: ['1.2'], sessionTickets: tickets });
      const first = run(a.client, a.server, clock);
      const session = of(first.clientEvents, 'session')[0].e.session;
      expect(session.version).toBe('1.2');
      expect(tickets ? session.ticket : session.sessionId).toBeDefined();
      clock.t += 1e9;
      const b = newPair(pki, `m2${tickets}`, cache, clock, { versions: ['1.2'], sessionTickets: tickets, session });
      const log = run(b.client, b.server, clock, { afterConnect: REQ });
      const cc = of(log.clientEvents, 'connected')[0];
      expect(cc.e).toMatchObject({ version: '1.2', resumed: true });
      expect(cc.at).toBe(2);
      expect(log.flights[1].records).toEqual(['Handshake: Server Hello', 'Change Cipher Spec', 'Handshake: Finished (encrypted, application)']);
      expect(firstDataAt(log).at).toBe(3);
      expect(of(log.serverEvents, 'connected')[0].e.resumed).toBe(true);
    });
  }
});

describe('determinism', () => {
  it('same seeds give byte-identical handshakes; another seed does not', () => {
    const once = (seed: string) => {
      const clock = { t: 0 };
      const { client, server } = newPair(makePki(7), seed, new TlsSessionCache(), clock);
      return run(client, server, clock, { afterConnect: REQ, serverReply: RESP }).flights.map((f) => Buffer.from(f.bytes).toString('hex'));
    };
    expect(once('x')).toEqual(once('x'));
    expect(once('x')).not.toEqual(once('y'));
    expect(HALF_RTT).toBeGreaterThan(0);
  });
});
