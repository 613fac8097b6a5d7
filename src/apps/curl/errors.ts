/**
 * curl's errors as data: a CURLcode and the message curl 8 (built with OpenSSL 3.0) prints after
 * `curl: (code)`, made from typed causes (a TCP error, a TLS alert, a certificate check), never by
 * reading another message's words. Also the `-v` line OpenSSL's message callback gives curl for a
 * TLS alert.
 */
import { ALERT_NAMES, type CertificateProblem, type TlsVersion } from '../../protocols/tls';

/** The CURLcodes the model produces (curl's include/curl/curl.h). */
export const CURLE = {
  UNSUPPORTED_PROTOCOL: 1,
  COULDNT_RESOLVE_HOST: 6,
  COULDNT_CONNECT: 7,
  WEIRD_SERVER_REPLY: 8,
  PARTIAL_FILE: 18,
  HTTP_RETURNED_ERROR: 22,
  OPERATION_TIMEDOUT: 28,
  SSL_CONNECT_ERROR: 35,
  TOO_MANY_REDIRECTS: 47,
  GOT_NOTHING: 52,
  RECV_ERROR: 56,
  PEER_FAILED_VERIFICATION: 60,
  HTTP2_STREAM: 92,
} as const;

/** One of {@link CURLE}. */
type CurlCode = (typeof CURLE)[keyof typeof CURLE];

/** A failed transfer: what curl exits with and prints. */
export interface CurlError {
  readonly code: CurlCode;
  readonly message: string;
}

/** The TLS library curl reports in its OpenSSL error strings (curl 8.5 on Ubuntu 24.04). */
export const CURL_SSL_LIBRARY = 'OpenSSL/3.0.13';

/**
 * OpenSSL's SSL_alert_desc_string_long: the alert names curl's `-v` prints. Mostly the RFC name
 * with spaces; OpenSSL keeps an underscore in `unexpected_message` and writes `unknown CA`.
 */
function alertLongName(description: number): string {
  if (description === 10) return 'unexpected_message';
  if (description === 48) return 'unknown CA';
  if (description === 115) return 'unknown PSK identity';
  const name = ALERT_NAMES[description];
  return name ? name.replace(/_/g, ' ') : 'unknown';
}

/**
 * The `-v` line for a TLS alert: OpenSSL's message callback reports the connection's version and
 * the two alert bytes as one number, level × 256 + description (a fatal handshake_failure is 552).
 */
export function alertTraceLine(a: { direction: 'sent' | 'received'; level: 'warning' | 'fatal'; description: number; version: TlsVersion }): string {
  const code = (a.level === 'fatal' ? 2 : 1) * 256 + a.description;
  return `* TLSv${a.version} (${a.direction === 'sent' ? 'OUT' : 'IN'}), TLS alert, ${alertLongName(a.description)} (${code}):`;
}

/** OpenSSL 3.0's reason text for an alert received from the peer (SSL_R_*_ALERT_*, reason 1000 + alert). */
function receivedAlertReason(description: number): string {
  const sslv3 = new Set([10, 20, 30, 40, 41, 42, 43, 44, 45, 46, 47]);
  const base = alertLongName(description).toLowerCase().replace('unexpected_message', 'unexpected message');
  if (sslv3.has(description)) return `sslv3 alert ${base}`;
  if (description === 109 || description === 116) return `tlsv13 alert ${base}`;
  if (description >= 110 && description <= 114) return `tlsv1 ${base}`;
  if (description === 90) return 'tlsv1 alert user cancelled';
  return `tlsv1 alert ${base}`;
}

/**
 * curl's message for an alert the server sent during the handshake (exit 35): OpenSSL's error
 * queue entry, `OpenSSL/3.0.13: error:0A00042E:SSL routines::tlsv1 alert protocol version`.
 */
export function receivedAlertError(description: number): CurlError {
  const code = (0x0a000000 + 1000 + description).toString(16).toUpperCase().padStart(8, '0');
  return { code: CURLE.SSL_CONNECT_ERROR, message: `${CURL_SSL_LIBRARY}: error:${code}:SSL routines::${receivedAlertReason(description)}` };
}

/** OpenSSL's X509_verify_cert_error_string for each failed check, and curl's host name message. */
export function certificateError(problem: CertificateProblem, host: string): CurlError {
  const openssl: Record<Exclude<CertificateProblem, 'name-mismatch'>, string> = {
    missing: 'unable to get local issuer certificate',
    unparsable: 'unable to decode issuer public key',
    expired: 'certificate has expired',
    'not-yet-valid': 'certificate is not yet valid',
    'unknown-issuer': 'unable to get local issuer certificate',
    'untrusted-root': 'self-signed certificate in certificate chain',
    'not-a-ca': 'invalid CA certificate',
    'bad-signature': 'certificate signature failure',
  };
  const message =
    problem === 'name-mismatch'
      ? `SSL: no alternative certificate subject name matches target host name '${host}'`
      : `SSL certificate problem: ${openssl[problem]}`;
  return { code: CURLE.PEER_FAILED_VERIFICATION, message };
}

/** What curl prints after a (60) error, on stderr, so the learner knows where to read on. */
export const SSLCERTS_HELP: readonly string[] = [
  'More details here: https://curl.se/docs/sslcerts.html',
  '',
  'curl failed to verify the legitimacy of the server and therefore could not',
  'establish a secure connection to it. To learn more about this situation and',
  'how to fix it, please visit the web page mentioned above.',
];

/** `Failed to connect to HOST port P after N ms: REASON` (curl 8's connect failure, exit 7 or 28). */
export function connectError(code: 7 | 28, host: string, port: number, elapsedNs: number): CurlError {
  const why = code === 7 ? "Couldn't connect to server" : 'Timeout was reached';
  return { code, message: `Failed to connect to ${host} port ${port} after ${Math.round(elapsedNs / 1e6)} ms: ${why}` };
}

/**
 * `-m`/`--max-time` running out (exit 28), worded by the phase the transfer was in, like curl's
 * multi_handle_timeout: resolving, connecting, or transferring (with the bytes so far).
 */
export function maxTimeError(phase: 'resolving' | 'connecting' | 'transfer', elapsedNs: number, bytes = 0, size?: number): CurlError {
  const ms = Math.round(elapsedNs / 1e6);
  const message =
    phase === 'resolving'
      ? `Resolving timed out after ${ms} milliseconds`
      : phase === 'connecting'
        ? `Connection timed out after ${ms} milliseconds`
        : size !== undefined
          ? `Operation timed out after ${ms} milliseconds with ${bytes} out of ${size} bytes received`
          : `Operation timed out after ${ms} milliseconds with ${bytes} bytes received`;
  return { code: CURLE.OPERATION_TIMEDOUT, message };
}
