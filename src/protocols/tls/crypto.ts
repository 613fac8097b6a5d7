/**
 * Cryptographic building blocks, all synchronous (noble): SHA-256, HKDF (RFC 5869) with TLS 1.3's
 * HKDF-Expand-Label / Derive-Secret (RFC 8446 section 7.1), the TLS 1.2 PRF (RFC 5246 section 5),
 * AES-128-GCM, X25519 and ECDSA P-256. Randomness only ever comes from an injected
 * {@link TlsRandom}: never an ambient source such as the platform's crypto.
 */

import { gcm } from '@noble/ciphers/aes.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { expand, extract } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, TlsWriter, utf8 } from './wire';

/** A deterministic byte source (in the simulator: a seeded RngStream; see {@link rngRandom}). */
export interface TlsRandom {
  bytes(n: number): Uint8Array;
}

/** Adapts anything with `nextU32()` (the kernel's RngStream) into a {@link TlsRandom}. */
export function rngRandom(stream: { nextU32(): number }): TlsRandom {
  return {
    bytes(n: number): Uint8Array {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i += 4) {
        const v = stream.nextU32();
        for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = (v >>> (8 * j)) & 0xff;
      }
      return out;
    },
  };
}

/**
 * A self-contained deterministic {@link TlsRandom} for tests and tools: SHA-256 in counter mode
 * over a label. Not for the simulator's components (they draw from the kernel's named streams).
 */
export function seededRandom(seed: string | number): TlsRandom {
  const key = sha256(utf8(`packetarium-tls-seed:${seed}`));
  let counter = 0;
  let pool = new Uint8Array(0);
  return {
    bytes(n: number): Uint8Array {
      const out = new Uint8Array(n);
      let o = 0;
      while (o < n) {
        if (pool.length === 0) {
          const c = new Uint8Array(4);
          c[0] = counter >>> 24;
          c[1] = (counter >>> 16) & 0xff;
          c[2] = (counter >>> 8) & 0xff;
          c[3] = counter & 0xff;
          counter++;
          pool = sha256(concatBytes(key, c));
        }
        const take = Math.min(pool.length, n - o);
        out.set(pool.subarray(0, take), o);
        pool = pool.subarray(take);
        o += take;
      }
      return out;
    },
  };
}

export const HASH_LEN = 32;

export function hash(data: Uint8Array): Uint8Array {
  return sha256(data);
}

export function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  return hmac(sha256, key, data);
}

export function hkdfExtract(salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  return extract(sha256, ikm, salt);
}

/** HKDF-Expand-Label(Secret, Label, Context, Length) with the "tls13 " prefix (RFC 8446 7.1). */
export function hkdfExpandLabel(secret: Uint8Array, label: string, context: Uint8Array, length: number): Uint8Array {
  const info = new TlsWriter()
    .u16(length)
    .opaque(1, utf8(`tls13 ${label}`))
    .opaque(1, context)
    .finish();
  return expand(sha256, secret, info, length);
}

/** Derive-Secret(Secret, Label, Messages) where `transcriptHash` = Transcript-Hash(Messages). */
export function deriveSecret(secret: Uint8Array, label: string, transcriptHash: Uint8Array): Uint8Array {
  return hkdfExpandLabel(secret, label, transcriptHash, HASH_LEN);
}

/** TLS 1.2 PRF with SHA-256: P_SHA256(secret, label + seed) (RFC 5246 section 5). */
export function prf12(secret: Uint8Array, label: string, seed: Uint8Array, length: number): Uint8Array {
  const fullSeed = concatBytes(utf8(label), seed);
  const out = new Uint8Array(length);
  let a = fullSeed;
  let o = 0;
  while (o < length) {
    a = hmacSha256(secret, a);
    const block = hmacSha256(secret, concatBytes(a, fullSeed));
    const take = Math.min(block.length, length - o);
    out.set(block.subarray(0, take), o);
    o += take;
  }
  return out;
}

/** AES-128-GCM seal: ciphertext || 16-byte tag. */
export function aeadSeal(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array {
  return gcm(key, nonce, aad).encrypt(plaintext);
}

/** AES-128-GCM open; `null` when the tag does not verify. */
export function aeadOpen(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array | null {
  if (sealed.length < 16) return null;
  try {
    return gcm(key, nonce, aad).decrypt(sealed);
  } catch {
    return null;
  }
}

/** An X25519 key pair from the injected randomness. */
export function x25519KeyPair(rand: TlsRandom): { secretKey: Uint8Array; publicKey: Uint8Array } {
  const secretKey = rand.bytes(32);
  return { secretKey, publicKey: x25519.getPublicKey(secretKey) };
}

/** X25519 shared secret; `null` for an invalid peer key (or the all-zero result). */
export function x25519Shared(secretKey: Uint8Array, peerPublic: Uint8Array): Uint8Array | null {
  if (peerPublic.length !== 32) return null;
  try {
    return x25519.getSharedSecret(secretKey, peerPublic);
  } catch {
    return null;
  }
}

/** An ECDSA P-256 key pair from the injected randomness (48 seed bytes reduced mod n, FIPS 186-5 A.2.1). */
export function p256KeyPair(rand: TlsRandom): { secretKey: Uint8Array; publicKey: Uint8Array } {
  const secretKey = p256.utils.randomSecretKey(rand.bytes(48));
  return { secretKey, publicKey: p256.getPublicKey(secretKey, false) };
}

/** ECDSA P-256 / SHA-256 signature, DER-encoded (deterministic nonces, RFC 6979). */
export function ecdsaSign(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
  return p256.sign(message, secretKey, { format: 'der', prehash: true, lowS: true });
}

/** Verifies a DER ECDSA P-256 / SHA-256 signature over `message` with an uncompressed SEC1 key. */
export function ecdsaVerify(publicKey: Uint8Array, message: Uint8Array, derSig: Uint8Array): boolean {
  try {
    return p256.verify(derSig, message, publicKey, { format: 'der', prehash: true, lowS: false });
  } catch {
    return false;
  }
}

/** XORs the 64-bit sequence number into the right end of the static IV (RFC 8446 section 5.3). */
export function nonceFor(iv: Uint8Array, seq: number): Uint8Array {
  const nonce = iv.slice();
  let s = seq;
  for (let i = nonce.length - 1; i >= nonce.length - 8 && s > 0; i--) {
    nonce[i] ^= s & 0xff;
    s = Math.floor(s / 256);
  }
  return nonce;
}
