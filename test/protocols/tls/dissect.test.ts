import { describe, expect, it } from 'vitest';
import type { Field } from '../../../src/protocols/codec';
import type { DissectFailure, DissectStep } from '../../../src/protocols/dissect-types';
import { dissectTlsRecords, TlsSessionCache } from '../../../src/protocols/tls';
import { utf8 } from '../../../src/protocols/tls/wire';
import { makePki, newPair, run } from './helpers';

function ok(s: DissectStep | DissectFailure): DissectStep {
  if ('error' in s) throw new Error(s.error);
  return s;
}

function labels(fields: readonly Field[]): string[] {
  return fields.flatMap((f) => [f.label, ...labels(f.children ?? [])]);
}

describe('dissectTlsRecords', () => {
  const pki = makePki();
  const clock = { t: 0 };
  const { client, server } = newPair(pki, 'dis', new TlsSessionCache(), clock);
  const log = run(client, server, clock, { afterConnect: utf8('hello') });

  it('ClientHello: record header, handshake type, SNI', () => {
    const ch = log.flights[0].bytes;
    const step = ok(dissectTlsRecords(ch, 0, ch.length));
    expect(step.protocol).toBe('TLSv1.3');
    expect(step.summary).toBe('Client Hello (SNI=www.example.test)');
    const rec = step.layer.fields[0];
    expect(rec.children?.[0]).toMatchObject({ key: 'tls.record.content_type', value: 'Handshake (22)', offset: 0, length: 1 });
    expect(rec.children?.[1].value).toBe('TLS 1.0 (0x0301)');
    expect(labels(step.layer.fields)).toContain('Server Name');
    expect(step.layer.notes?.length).toBeGreaterThan(0);
  });

  it('server flight: ServerHello in clear, the rest as encrypted application data', () => {
    const b = log.flights[1].bytes;
    const step = ok(dissectTlsRecords(b, 0, b.length));
    expect(step.summary).toBe('Server Hello, Application Data');
    expect(step.layer.fields).toHaveLength(2);
    expect(step.layer.fields[1].children?.[3].label).toBe('Encrypted Application Data');
  });

  it('TLS 1.2: certificate details, CCS, encrypted handshake; alerts', () => {
    const c2 = { t: 0 };
    const p = newPair(pki, 'dis12', new TlsSessionCache(), c2, { versions: ['1.2'] });
    const l = run(p.client, p.server, c2);
    const sf = ok(dissectTlsRecords(l.flights[1].bytes, 0, l.flights[1].bytes.length));
    expect(sf.summary).toBe('Server Hello, Certificate, Server Key Exchange, Server Hello Done');
    expect(sf.protocol).toBe('TLSv1.2');
    const cert = labels(sf.layer.fields);
    expect(cert).toContain('Certificate 1');
    const cf = ok(dissectTlsRecords(l.flights[2].bytes, 0, l.flights[2].bytes.length));
    expect(cf.summary).toBe('Client Key Exchange, Change Cipher Spec, Encrypted Handshake Message');
    const alert = Uint8Array.of(21, 3, 3, 0, 2, 2, 42);
    expect(ok(dissectTlsRecords(alert, 0, alert.length)).summary).toBe('Alert (Fatal, bad_certificate)');
  });

  it('a record cut by the segment end is partial; offsets and non-TLS bytes are handled', () => {
    const ch = log.flights[0].bytes;
    const framed = new Uint8Array(ch.length + 10);
    framed.set(ch, 10);
    const step = ok(dissectTlsRecords(framed, 10, 10 + 50));
    expect(step.layer.fields[0].value).toContain('continues in the next TCP segment');
    expect(step.layer.fields[0].offset).toBe(10);
    expect(dissectTlsRecords(utf8('GET / HTTP/1.1\r\n'), 0)).toHaveProperty('error');
    expect(dissectTlsRecords(new Uint8Array(0), 0)).toHaveProperty('error');
  });
});
