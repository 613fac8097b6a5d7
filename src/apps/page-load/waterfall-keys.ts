/**
 * The trace points `page-load` publishes for the waterfall, and how to read their keys back.
 *
 * Key scheme: `page <load>/<resource> <field>` on the client node, e.g. `page 1/3 firstByte`.
 * `<load>` counts page loads on that node from 1; `<resource>` is 0 for the HTML page, then 1, 2, …
 * for its sub-resources in document order. Values:
 *
 * | field | value |
 * | --- | --- |
 * | `url` | the resource's URL (written when it is queued) |
 * | `queued` | ns: the browser wanted the resource |
 * | `dnsStart`, `dnsEnd` | ns: name lookup (only the request that waited for it) |
 * | `connectStart`, `connectEnd` | ns: TCP handshake of a new connection (only its first request) |
 * | `tlsStart`, `tlsEnd` | ns: TLS handshake of a new connection (only its first request, HTTPS only) |
 * | `requestSent` | ns: the request went to the transport |
 * | `firstByte` | ns: the first byte of the response arrived |
 * | `done` | ns: the last byte arrived |
 * | `connection` | `#<n> <tcp connection id>`, or for HTTP/3 `#<n> <client>><server> quic stream <id>`: which connection (n counts from 0 per load) and QUIC stream carried it |
 * | `status` | HTTP status code, or `error: <text>` |
 * | `bytes` | body bytes received |
 *
 * HTTP/3 has no separate transport handshake: QUIC's handshake carries TLS 1.3, so its first request
 * gets `connectStart` = `connectEnd` = `tlsStart` (the first Initial) and `tlsEnd` (handshake done).
 *
 * Time values are decimal integer nanoseconds. A row is written once the value is known, which for
 * connection phases may be after the phase itself (so readers use the value, not the row time).
 */

/** Fields a page load publishes per resource. */
const WATERFALL_FIELDS = [
  'url',
  'queued',
  'dnsStart',
  'dnsEnd',
  'connectStart',
  'connectEnd',
  'tlsStart',
  'tlsEnd',
  'requestSent',
  'firstByte',
  'done',
  'connection',
  'status',
  'bytes',
] as const;
export type WaterfallField = (typeof WATERFALL_FIELDS)[number];

/** Fields whose values are numbers (times in ns, byte counts); the others are text. */
export const NUMERIC_WATERFALL_FIELDS: ReadonlySet<WaterfallField> = new Set(
  WATERFALL_FIELDS.filter((f) => f !== 'url' && f !== 'connection' && f !== 'status'),
);

/** `page 1/3 firstByte`. */
export function waterfallKey(load: number, resource: number, field: WaterfallField): string {
  return `page ${load}/${resource} ${field}`;
}

const KEY_RE = /^page (\d+)\/(\d+) (\w+)$/;

/** Splits a key written by page-load, or undefined for other keys. */
export function parseWaterfallKey(key: string): { load: number; resource: number; field: WaterfallField } | undefined {
  const m = KEY_RE.exec(key);
  if (!m || !(WATERFALL_FIELDS as readonly string[]).includes(m[3])) return undefined;
  return { load: Number(m[1]), resource: Number(m[2]), field: m[3] as WaterfallField };
}
