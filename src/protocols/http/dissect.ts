/**
 * The inspector's dissector for HTTP on its TCP ports (80, 8000, 8080): each segment's payload is shown
 * as HTTP/1.x (a request or status line and headers, or a continuation of a body) or, for h2c with
 * prior knowledge, as HTTP/2 frames. Stateless: one segment at a time.
 */
import type { DissectFailure, DissectStep } from '../dissect-types';
import { describeHttp2, findFrameStart, startsHttp2 } from '../http2/frame';
import { dissectTlsRecords, TLS_NOTES } from '../tls';
import { bytesLabel } from '../format';
import { describeHttp1, http1Summary, startsHttp1 } from './http1';

/** TCP ports the HTTP dissector is registered on (80 and 8080 are Wireshark's defaults too; 8000 is not). */
export const HTTP_TCP_PORTS: readonly number[] = [80, 8000, 8080];

/** TCP ports the TLS record dissector is registered on (HTTPS; 8443 is the usual alternate). */
export const HTTPS_TCP_PORTS: readonly number[] = [443, 8443];

/** Dissects one segment's HTTP payload `[offset, end)`. */
export function dissectHttp(bytes: Uint8Array, offset: number, end: number): DissectStep | DissectFailure {
  const stop = Math.min(end, bytes.length);
  if (!startsHttp1(bytes, offset, stop) && startsHttp2(bytes, offset, stop)) {
    const { layer, info } = describeHttp2(bytes, offset, stop);
    return { layer, protocol: 'HTTP2', summary: info, end: stop };
  }
  const start = startsHttp1(bytes, offset, stop);
  if (!start) {
    // A segment inside an HTTP/2 stream: frames may begin after the end of the previous one.
    const k = findFrameStart(bytes, offset, stop);
    if (k > 0) {
      const { layer, info } = describeHttp2(bytes, offset, stop, k);
      return { layer, protocol: 'HTTP2', summary: info, end: stop };
    }
  }
  const layer = describeHttp1(bytes, offset, stop);
  if ('error' in layer) return layer;
  return { layer, protocol: 'HTTP', summary: start ? http1Summary(bytes, offset, stop) : 'Continuation', end: stop };
}

/**
 * HTTPS: the TLS records of one segment. A segment that starts inside a record (a large encrypted
 * record spans several segments) is shown as its continuation rather than as malformed.
 */
export function dissectHttps(bytes: Uint8Array, offset: number, end: number): DissectStep | DissectFailure {
  const step = dissectTlsRecords(bytes, offset, end);
  if (!('error' in step) || step.layer) return step;
  const stop = Math.min(end, bytes.length);
  return {
    layer: {
      protocol: 'tls',
      title: 'Transport Layer Security',
      offset,
      length: stop - offset,
      fields: [
        {
          key: 'tls.segment',
          label: 'TLS segment data',
          value: `${bytesLabel(stop - offset)} (continuation of an earlier record)`,
          offset,
          length: stop - offset,
        },
      ],
      notes: TLS_NOTES,
    },
    protocol: 'TLS',
    summary: 'Continuation Data',
    end: stop,
  };
}
