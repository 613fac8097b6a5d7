/**
 * The TLS 1.3 key schedule (RFC 8446 section 7.1) for TLS_AES_128_GCM_SHA256, with no record
 * layer in sight: QUIC (RFC 9001) uses it unchanged with its own labels for packet protection.
 *
 * ```
 *          0 -> HKDF-Extract(salt 0, PSK or 0) = Early Secret
 *                 |-> binder_key ("ext binder" | "res binder", "")
 *                 |-> client_early_traffic_secret ("c e traffic", ClientHello)
 *          Derive-Secret(., "derived", "") -> HKDF-Extract(., (EC)DHE) = Handshake Secret
 *                 |-> client/server_handshake_traffic_secret ("c/s hs traffic", CH..SH)
 *          Derive-Secret(., "derived", "") -> HKDF-Extract(., 0) = Master Secret
 *                 |-> client/server_application_traffic_secret_0 ("c/s ap traffic", CH..server Finished)
 *                 |-> exporter_master_secret ("exp master", CH..server Finished)
 *                 |-> resumption_master_secret ("res master", CH..client Finished)
 * ```
 */

import { deriveSecret, hash, HASH_LEN, hkdfExpandLabel, hkdfExtract, hmacSha256 } from './crypto';

const ZERO = new Uint8Array(HASH_LEN);
/** Transcript-Hash of no messages: SHA-256(""). */
const EMPTY_HASH = hash(new Uint8Array(0));

/** AEAD key and IV for one direction and epoch. */
export interface TrafficKeys {
  readonly key: Uint8Array;
  readonly iv: Uint8Array;
}

/** [sender]_write_key / _iv from a traffic secret (RFC 8446 section 7.3), AES-128-GCM sizes. */
export function trafficKeys(secret: Uint8Array): TrafficKeys {
  return {
    key: hkdfExpandLabel(secret, 'key', new Uint8Array(0), 16),
    iv: hkdfExpandLabel(secret, 'iv', new Uint8Array(0), 12),
  };
}

/** finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length). */
function finishedKey(baseKey: Uint8Array): Uint8Array {
  return hkdfExpandLabel(baseKey, 'finished', new Uint8Array(0), HASH_LEN);
}

/** verify_data = HMAC(finished_key, transcriptHash) (RFC 8446 section 4.4.4). */
export function finishedVerifyData(baseKey: Uint8Array, transcriptHash: Uint8Array): Uint8Array {
  return hmacSha256(finishedKey(baseKey), transcriptHash);
}

/** The PSK a NewSessionTicket stands for (RFC 8446 section 4.6.1). */
export function resumptionPsk(resumptionMasterSecret: Uint8Array, ticketNonce: Uint8Array): Uint8Array {
  return hkdfExpandLabel(resumptionMasterSecret, 'resumption', ticketNonce, HASH_LEN);
}

/** The next generation of an application traffic secret (KeyUpdate, RFC 8446 section 7.2). */
export function nextTrafficSecret(secret: Uint8Array): Uint8Array {
  return hkdfExpandLabel(secret, 'traffic upd', new Uint8Array(0), HASH_LEN);
}

/** One connection's secrets, derived stage by stage as the handshake proceeds. */
export class Tls13KeySchedule {
  /** Early Secret = HKDF-Extract(0, PSK) (a zero PSK when none). */
  readonly earlySecret: Uint8Array;
  handshakeSecret?: Uint8Array;
  masterSecret?: Uint8Array;

  constructor(psk?: Uint8Array) {
    this.earlySecret = hkdfExtract(new Uint8Array(1), psk ?? ZERO);
  }

  /** binder_key for a resumption ("res binder") or external ("ext binder") PSK. */
  binderKey(resumption = true): Uint8Array {
    return deriveSecret(this.earlySecret, resumption ? 'res binder' : 'ext binder', EMPTY_HASH);
  }

  clientEarlyTrafficSecret(clientHelloHash: Uint8Array): Uint8Array {
    return deriveSecret(this.earlySecret, 'c e traffic', clientHelloHash);
  }

  earlyExporterMasterSecret(clientHelloHash: Uint8Array): Uint8Array {
    return deriveSecret(this.earlySecret, 'e exp master', clientHelloHash);
  }

  /** Mixes in the (EC)DHE shared secret. */
  deriveHandshakeSecret(dhe: Uint8Array): Uint8Array {
    const salt = deriveSecret(this.earlySecret, 'derived', EMPTY_HASH);
    this.handshakeSecret = hkdfExtract(salt, dhe);
    return this.handshakeSecret;
  }

  /** client/server handshake traffic secrets from Transcript-Hash(ClientHello..ServerHello). */
  handshakeTrafficSecrets(helloHash: Uint8Array): { client: Uint8Array; server: Uint8Array } {
    const hs = this.need(this.handshakeSecret, 'handshake secret');
    return { client: deriveSecret(hs, 'c hs traffic', helloHash), server: deriveSecret(hs, 's hs traffic', helloHash) };
  }

  deriveMasterSecret(): Uint8Array {
    const hs = this.need(this.handshakeSecret, 'handshake secret');
    this.masterSecret = hkdfExtract(deriveSecret(hs, 'derived', EMPTY_HASH), ZERO);
    return this.masterSecret;
  }

  /** Application traffic secrets and exporter secret from Transcript-Hash(ClientHello..server Finished). */
  applicationSecrets(serverFinishedHash: Uint8Array): { client: Uint8Array; server: Uint8Array; exporter: Uint8Array } {
    const ms = this.need(this.masterSecret, 'master secret');
    return {
      client: deriveSecret(ms, 'c ap traffic', serverFinishedHash),
      server: deriveSecret(ms, 's ap traffic', serverFinishedHash),
      exporter: deriveSecret(ms, 'exp master', serverFinishedHash),
    };
  }

  /** resumption_master_secret from Transcript-Hash(ClientHello..client Finished). */
  resumptionMasterSecret(clientFinishedHash: Uint8Array): Uint8Array {
    return deriveSecret(this.need(this.masterSecret, 'master secret'), 'res master', clientFinishedHash);
  }

  private need(v: Uint8Array | undefined, what: string): Uint8Array {
    if (!v) throw new Error(`TLS 1.3 key schedule: ${what} not derived yet`);
    return v;
  }
}
