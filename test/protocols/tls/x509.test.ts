import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/protocols/tls/crypto';
import { formatUtc, parseTime, TAG } from '../../../src/protocols/tls/der';
import { createTestCa, hostnameMatches, issueServerCertificate, parseCertificate, TLS_EPOCH_MS, verifyChain } from '../../../src/protocols/tls/x509';
import { utf8 } from '../../../src/protocols/tls/wire';

const r = seededRandom('x509');
const ca = createTestCa(r);
const leaf = issueServerCertificate(ca, r, { names: ['www.example.test', '*.api.example.test'] });

describe('X.509 test PKI', () => {
  it('round-trips through our parser', () => {
    const c = parseCertificate(leaf.certificate);
    expect(c.subject).toBe('www.example.test');
    expect(c.issuer).toBe('Packetarium Test CA');
    expect(c.dnsNames).toEqual(['www.example.test', '*.api.example.test']);
    expect(c.isCA).toBe(false);
    expect(parseCertificate(ca.certificate).isCA).toBe(true);
    expect(c.publicKey).toEqual(leaf.key.publicKey);
    expect(formatUtc(c.notBeforeMs)).toBe('2023-11-13 22:13:20 UTC');
  });

  it('is deterministic for a seed', () => {
    const a = seededRandom('same');
    const b = seededRandom('same');
    expect(createTestCa(a).certificate).toEqual(createTestCa(b).certificate);
  });

  it('dates: UTCTime and GeneralizedTime', () => {
    expect(parseTime(TAG.utcTime, utf8('231114221320Z'))).toBe(TLS_EPOCH_MS);
    expect(parseTime(TAG.generalizedTime, utf8('20501231235959Z'))).toBe(2556143999000);
    expect(formatUtc(951782400000)).toBe('2000-02-29 00:00:00 UTC');
  });

  it('chain verification', () => {
    expect(verifyChain([leaf.certificate], [ca.certificate], 'www.example.test', TLS_EPOCH_MS).ok).toBe(true);
    expect(verifyChain([leaf.certificate], [ca.certificate], 'x.api.example.test', TLS_EPOCH_MS).ok).toBe(true);
    expect(verifyChain([leaf.certificate], [ca.certificate], 'a.b.api.example.test', TLS_EPOCH_MS)).toMatchObject({ ok: false, alert: 42 });
    expect(verifyChain([leaf.certificate], [ca.certificate], undefined, TLS_EPOCH_MS + 91 * 86_400_000)).toMatchObject({ ok: false, alert: 45 });
    const tampered = leaf.certificate.slice();
    tampered[tampered.length - 5] ^= 1;
    expect(verifyChain([tampered], [ca.certificate], 'www.example.test', TLS_EPOCH_MS)).toMatchObject({ ok: false });
    expect(hostnameMatches('*.example.test', 'example.test')).toBe(false);
    expect(hostnameMatches('WWW.example.test', 'www.EXAMPLE.test.')).toBe(true);
  });

  const openssl = spawnSync('openssl', ['version']).status === 0;
  it.skipIf(!openssl)('openssl parses the DER strictly and verifies the chain at the scene epoch', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pkt-x509-'));
    try {
      writeFileSync(join(dir, 'ca.der'), ca.certificate);
      writeFileSync(join(dir, 'leaf.der'), leaf.certificate);
      for (const f of ['ca', 'leaf']) {
        const p = spawnSync('openssl', ['x509', '-inform', 'DER', '-in', join(dir, `${f}.der`), '-out', join(dir, `${f}.pem`)]);
        expect(p.status, String(p.stderr)).toBe(0);
      }
      const text = spawnSync('openssl', ['x509', '-in', join(dir, 'leaf.pem'), '-noout', '-text'], { encoding: 'utf8' }).stdout;
      expect(text).toContain('DNS:www.example.test, DNS:*.api.example.test');
      expect(text).toContain('ecdsa-with-SHA256');
      const v = spawnSync('openssl', ['verify', '-attime', String(TLS_EPOCH_MS / 1000), '-CAfile', join(dir, 'ca.pem'), join(dir, 'leaf.pem')], {
        encoding: 'utf8',
      });
      expect(v.stdout.trim()).toBe(`${join(dir, 'leaf.pem')}: OK`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
