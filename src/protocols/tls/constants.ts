/**
 * TLS code points (IANA "TLS Parameters" registry) used by the engine and the dissector.
 */

/** Record content types (RFC 8446 section 5.1). */
export const ContentType = {
  changeCipherSpec: 20,
  alert: 21,
  handshake: 22,
  applicationData: 23,
} as const;

export const CONTENT_TYPE_NAMES: Readonly<Record<number, string>> = {
  20: 'Change Cipher Spec',
  21: 'Alert',
  22: 'Handshake',
  23: 'Application Data',
};

/** Handshake message types (RFC 8446 section 4, RFC 5246 section 7.4). */
export const HandshakeType = {
  helloRequest: 0,
  clientHello: 1,
  serverHello: 2,
  newSessionTicket: 4,
  endOfEarlyData: 5,
  encryptedExtensions: 8,
  certificate: 11,
  serverKeyExchange: 12,
  certificateRequest: 13,
  serverHelloDone: 14,
  certificateVerify: 15,
  clientKeyExchange: 16,
  finished: 20,
  keyUpdate: 24,
} as const;

export const HANDSHAKE_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'Hello Request',
  1: 'Client Hello',
  2: 'Server Hello',
  4: 'New Session Ticket',
  5: 'End of Early Data',
  8: 'Encrypted Extensions',
  11: 'Certificate',
  12: 'Server Key Exchange',
  13: 'Certificate Request',
  14: 'Server Hello Done',
  15: 'Certificate Verify',
  16: 'Client Key Exchange',
  20: 'Finished',
  24: 'Key Update',
};

/** Protocol versions on the wire. */
export const VERSION_TLS10 = 0x0301;
export const VERSION_TLS12 = 0x0303;
export const VERSION_TLS13 = 0x0304;

/** The versions this engine speaks. */
export type TlsVersion = '1.2' | '1.3';

export const VERSION_NAMES: Readonly<Record<number, string>> = {
  0x0300: 'SSL 3.0',
  0x0301: 'TLS 1.0',
  0x0302: 'TLS 1.1',
  0x0303: 'TLS 1.2',
  0x0304: 'TLS 1.3',
};

/** Cipher suites: the one of each version this engine implements. */
export const TLS_AES_128_GCM_SHA256 = 0x1301;
export const TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 = 0xc02b;

export const CIPHER_SUITE_NAMES: Readonly<Record<number, string>> = {
  0x1301: 'TLS_AES_128_GCM_SHA256',
  0x1302: 'TLS_AES_256_GCM_SHA384',
  0x1303: 'TLS_CHACHA20_POLY1305_SHA256',
  0xc02b: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  0xc02f: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  0x00ff: 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV',
};

/** Extension types. */
export const ExtensionType = {
  serverName: 0,
  supportedGroups: 10,
  ecPointFormats: 11,
  signatureAlgorithms: 13,
  alpn: 16,
  sessionTicket: 35,
  preSharedKey: 41,
  earlyData: 42,
  supportedVersions: 43,
  pskKeyExchangeModes: 45,
  keyShare: 51,
  /** RFC 9001 section 8.2: QUIC transport parameters (opaque to TLS). */
  quicTransportParameters: 57,
} as const;

export const EXTENSION_NAMES: Readonly<Record<number, string>> = {
  0: 'server_name',
  10: 'supported_groups',
  11: 'ec_point_formats',
  13: 'signature_algorithms',
  16: 'application_layer_protocol_negotiation',
  23: 'extended_master_secret',
  35: 'session_ticket',
  41: 'pre_shared_key',
  42: 'early_data',
  43: 'supported_versions',
  45: 'psk_key_exchange_modes',
  51: 'key_share',
  57: 'quic_transport_parameters',
  0xff01: 'renegotiation_info',
};

/** Named groups. */
export const GROUP_X25519 = 0x001d;
/** @public */
export const GROUP_SECP256R1 = 0x0017;
export const GROUP_NAMES: Readonly<Record<number, string>> = { 0x001d: 'x25519', 0x0017: 'secp256r1' };

/** Signature schemes. */
export const SIG_ECDSA_SECP256R1_SHA256 = 0x0403;
export const SIG_NAMES: Readonly<Record<number, string>> = {
  0x0403: 'ecdsa_secp256r1_sha256',
  0x0804: 'rsa_pss_rsae_sha256',
  0x0401: 'rsa_pkcs1_sha256',
};

/** PSK key exchange mode psk_dhe_ke. */
export const PSK_DHE_KE = 1;

/**
 * Alert levels and descriptions (RFC 8446 section 6).
 * @public
 */
export const AlertLevel = { warning: 1, fatal: 2 } as const;

export const AlertDescription = {
  closeNotify: 0,
  unexpectedMessage: 10,
  badRecordMac: 20,
  recordOverflow: 22,
  handshakeFailure: 40,
  badCertificate: 42,
  unsupportedCertificate: 43,
  certificateRevoked: 44,
  certificateExpired: 45,
  certificateUnknown: 46,
  illegalParameter: 47,
  unknownCa: 48,
  decodeError: 50,
  decryptError: 51,
  protocolVersion: 70,
  insufficientSecurity: 71,
  internalError: 80,
  inappropriateFallback: 86,
  missingExtension: 109,
  certificateRequired: 116,
  unsupportedExtension: 110,
  unrecognizedName: 112,
  noApplicationProtocol: 120,
} as const;

export const ALERT_NAMES: Readonly<Record<number, string>> = {
  0: 'close_notify',
  10: 'unexpected_message',
  20: 'bad_record_mac',
  22: 'record_overflow',
  40: 'handshake_failure',
  42: 'bad_certificate',
  43: 'unsupported_certificate',
  44: 'certificate_revoked',
  45: 'certificate_expired',
  46: 'certificate_unknown',
  47: 'illegal_parameter',
  48: 'unknown_ca',
  50: 'decode_error',
  51: 'decrypt_error',
  70: 'protocol_version',
  71: 'insufficient_security',
  80: 'internal_error',
  86: 'inappropriate_fallback',
  109: 'missing_extension',
  116: 'certificate_required',
  110: 'unsupported_extension',
  112: 'unrecognized_name',
  120: 'no_application_protocol',
};

/** A name for a code point, or `Unknown (0x..)`. */
export function codeName(table: Readonly<Record<number, string>>, v: number, digits = 4): string {
  return table[v] ?? `Unknown (0x${v.toString(16).padStart(digits, '0')})`;
}

/** Largest plaintext fragment of one record (2^14). */
export const MAX_FRAGMENT = 16384;
