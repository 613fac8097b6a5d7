/**
 * The scenes' public-key infrastructure for HTTPS: one test CA that every simulated client trusts
 * (like a system trust store holding one root), and server certificates it issues on demand. Keys
 * come from fixed seeds, so certificates are the same in every run and every scene.
 */
import { createTestCa, issueServerCertificate, seededRandom, TLS_EPOCH_MS, type CertifiedKey, type TlsServerIdentity } from '../tls';

let ca: (CertifiedKey & { readonly name: string }) | undefined;
const leaves = new Map<string, CertifiedKey>();

/** The scene CA (created once, from a fixed seed). */
export function sceneCa(): CertifiedKey & { readonly name: string } {
  ca ??= createTestCa(seededRandom('packetarium:scene-ca'), { name: 'Packetarium Scene CA' });
  return ca;
}

/** What a server certificate says. */
export interface CertOptions {
  /** DNS names it is valid for. */
  readonly names: readonly string[];
  /** Issued so that it expired a day before the simulation starts. */
  readonly expired?: boolean;
}

const DAY_MS = 86_400_000;

/** A server identity (chain and key) issued by the scene CA. */
export function serverIdentity(o: CertOptions): TlsServerIdentity {
  const key = `${o.names.join(',')}|${o.expired ? 'expired' : 'valid'}`;
  let leaf = leaves.get(key);
  if (!leaf) {
    const when = o.expired ? { notBeforeMs: TLS_EPOCH_MS - 91 * DAY_MS, notAfterMs: TLS_EPOCH_MS - DAY_MS } : {};
    leaf = issueServerCertificate(sceneCa(), seededRandom(`packetarium:leaf:${key}`), { names: o.names, ...when });
    leaves.set(key, leaf);
  }
  return { chain: [leaf.certificate], key: leaf.key };
}
