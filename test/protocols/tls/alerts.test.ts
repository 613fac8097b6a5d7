/** Every failure a scene can demo ends in the alert real stacks send. */
import { describe, expect, it } from 'vitest';
import type { TlsEvent } from '../../../src/protocols/tls/endpoint';
import { TlsSessionCache } from '../../../src/protocols/tls/server';
import { TLS_EPOCH_MS } from '../../../src/protocols/tls/x509';
import { makePki, newPair, of, run } from './helpers';

const pki = makePki();

function alerts(events: { e: TlsEvent }[], direction: 'sent' | 'received') {
  return events.filter((x) => x.e.type === 'alert' && x.e.direction === direction).map((x) => (x.e as { name: string }).name);
}

describe('TLS alerts', () => {
  it('certificate name does not match SNI: client sends bad_certificate', () => {
    const clock = { t: 0 };
    const { client, server } = newPair(pki, 'n', new TlsSessionCache(), clock, { serverName: 'evil.example.test' });
    const log = run(client, server, clock);
    expect(alerts(log.clientEvents, 'sent')).toEqual(['bad_certificate']);
    expect(alerts(log.serverEvents, 'received')).toEqual(['bad_certificate']);
    const a = log.clientEvents.find((x) => x.e.type === 'alert');
    expect((a?.e as { reason: string }).reason).toContain('evil.example.test');
    expect(of(log.clientEvents, 'connected')).toHaveLength(0);
    expect(of(log.clientEvents, 'closed')[0].e.reason).toBe('alert');
  });

  it('unknown SNI at a strict server: unrecognized_name', () => {
    const clock = { t: 0 };
    const { client, server } = newPair(pki, 'o', new TlsSessionCache(), clock, { serverName: 'other.test' }, { rejectUnknownSni: true });
    const log = run(client, server, clock);
    expect(alerts(log.serverEvents, 'sent')).toEqual(['unrecognized_name']);
    expect(alerts(log.clientEvents, 'received')).toEqual(['unrecognized_name']);
    expect(log.flights[1].records).toEqual(['Alert: unrecognized_name']);
  });

  it('expired certificate (by simulated time): certificate_expired', () => {
    const clock = { t: 0 };
    const { client, server } = newPair(pki, 'p', new TlsSessionCache(), clock, { epochMs: TLS_EPOCH_MS + 400 * 86_400_000 });
    const log = run(client, server, clock);
    expect(alerts(log.clientEvents, 'sent')).toEqual(['certificate_expired']);
  });

  it('certificate issued already expired: certificate_expired in TLS 1.2 too', () => {
    const clock = { t: 0 };
    const old = makePki(3, ['www.example.test'], { notAfterMs: TLS_EPOCH_MS - 1000 });
    const { client, server } = newPair(old, 'q', new TlsSessionCache(), clock, { versions: ['1.2'] });
    const log = run(client, server, clock);
    expect(alerts(log.clientEvents, 'sent')).toEqual(['certificate_expired']);
  });

  it('certificate from another CA: unknown_ca', () => {
    const clock = { t: 0 };
    const other = makePki(99);
    const { client, server } = newPair(pki, 'r', new TlsSessionCache(), clock, { trustAnchors: [other.ca.certificate] });
    const log = run(client, server, clock);
    expect(alerts(log.clientEvents, 'sent')).toEqual(['unknown_ca']);
  });

  it('client TLS 1.3 only, server TLS 1.2 only: server sends protocol_version', () => {
    const clock = { t: 0 };
    const { client, server } = newPair(pki, 's', new TlsSessionCache(), clock, { versions: ['1.3'] }, { versions: ['1.2'] });
    const log = run(client, server, clock);
    expect(alerts(log.serverEvents, 'sent')).toEqual(['protocol_version']);
    expect(alerts(log.clientEvents, 'received')).toEqual(['protocol_version']);
  });

  it('client TLS 1.2 only, server TLS 1.3 only: server sends protocol_version', () => {
    const clock = { t: 0 };
    const { client, server } = newPair(pki, 't', new TlsSessionCache(), clock, { versions: ['1.2'] }, { versions: ['1.3'] });
    const log = run(client, server, clock);
    expect(alerts(log.serverEvents, 'sent')).toEqual(['protocol_version']);
  });

  it('no common ALPN protocol: no_application_protocol', () => {
    const clock = { t: 0 };
    const { client, server } = newPair(pki, 'u', new TlsSessionCache(), clock, { alpn: ['spdy/3'] });
    const log = run(client, server, clock);
    expect(alerts(log.serverEvents, 'sent')).toEqual(['no_application_protocol']);
  });

  it('garbage instead of a ClientHello: decode_error or unexpected_message, never a throw', () => {
    const clock = { t: 0 };
    const { server } = newPair(pki, 'v', new TlsSessionCache(), clock);
    const ev = server.feed(Uint8Array.of(22, 3, 1, 0, 4, 1, 0, 0, 0));
    expect(ev.find((e) => e.type === 'alert')).toMatchObject({ direction: 'sent', level: 'fatal' });
    expect(server.feed(Uint8Array.of(1, 2, 3))).toEqual([]);
  });
});
