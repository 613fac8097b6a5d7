/**
 * The waterfall of a page load, read back from the trace (a pure function, no React): one row per
 * resource with its DNS, connect, TLS, wait (time to first byte) and receive phases, like a
 * browser's network panel. The rows come from the state rows `page-load` writes; the key scheme is
 * documented in `src/apps/page-load/waterfall-keys.ts`.
 */
import { NUMERIC_WATERFALL_FIELDS, parseWaterfallKey, type WaterfallField } from '../../apps/page-load/waterfall-keys';
import { Place, RecordKind, type Trace } from '../../sim/trace';

/** A phase's start and end, ns. */
interface Span {
  readonly start: number;
  readonly end: number;
}

/** One resource of one page load. */
export interface WaterfallRow {
  /** Which page load on the node (from 1). */
  readonly load: number;
  /** 0 for the page, then its sub-resources in document order. */
  readonly index: number;
  readonly url: string;
  /** When the browser wanted it, ns. */
  readonly queued: number;
  readonly dns?: Span;
  readonly connect?: Span;
  readonly tls?: Span;
  /** Waiting for a connection: queued until the request (or its connection's setup) began. */
  readonly blocked?: Span;
  /** Request sent until first byte (TTFB). */
  readonly wait?: Span;
  /** First byte until last byte. */
  readonly receive?: Span;
  /** When it finished (or failed), ns. */
  readonly end?: number;
  /** `#2 10.0.0.1:40001>10.0.0.2:80`. */
  readonly connection?: string;
  /** HTTP status, when it completed. */
  readonly status?: number;
  /** Why it failed, when it did. */
  readonly error?: string;
  readonly bytes?: number;
}

function span(start: number | undefined, end: number | undefined): Span | undefined {
  return start === undefined || end === undefined ? undefined : { start, end };
}

/** The waterfall rows of every page load on `node` (a node name), by load then resource. */
export function waterfall(trace: Trace, node: string): WaterfallRow[] {
  const nodeId = trace.nodes.find((n) => n.name === node)?.id;
  if (nodeId === undefined) return [];
  const raw = new Map<string, { load: number; index: number; num: Partial<Record<WaterfallField, number>>; text: Partial<Record<WaterfallField, string>> }>();
  for (let r = 0; r < trace.length; r++) {
    if (trace.kind[r] !== RecordKind.State || trace.dir[r] !== Place.Node || trace.place[r] !== nodeId) continue;
    const k = parseWaterfallKey(trace.string(trace.code[r]));
    if (!k) continue;
    const id = `${k.load}/${k.resource}`;
    let e = raw.get(id);
    if (!e) {
      e = { load: k.load, index: k.resource, num: {}, text: {} };
      raw.set(id, e);
    }
    const value = trace.string(trace.frame[r]);
    if (NUMERIC_WATERFALL_FIELDS.has(k.field)) e.num[k.field] = Number(value);
    else e.text[k.field] = value;
  }
  const rows: WaterfallRow[] = [];
  for (const e of raw.values()) {
    const n = e.num;
    const status = e.text.status;
    const setupStart = n.dnsStart ?? n.connectStart ?? n.requestSent;
    const queued = n.queued ?? 0;
    rows.push({
      load: e.load,
      index: e.index,
      url: e.text.url ?? '',
      queued,
      dns: span(n.dnsStart, n.dnsEnd),
      connect: span(n.connectStart, n.connectEnd),
      tls: span(n.tlsStart, n.tlsEnd),
      blocked: setupStart !== undefined && setupStart > queued ? { start: queued, end: setupStart } : undefined,
      wait: span(n.requestSent, n.firstByte),
      receive: span(n.firstByte, n.done),
      end: n.done,
      connection: e.text.connection,
      status: status !== undefined && /^\d+$/.test(status) ? Number(status) : undefined,
      error: status?.startsWith('error: ') ? status.slice(7) : undefined,
      bytes: n.bytes,
    });
  }
  return rows.sort((a, b) => a.load - b.load || a.index - b.index);
}

/** When a page load finished: the last resource's end, ns (undefined while any is unfinished). */
export function pageLoadTime(rows: readonly WaterfallRow[], load = 1): { start: number; end: number } | undefined {
  const mine = rows.filter((r) => r.load === load);
  if (!mine.length || mine.some((r) => r.end === undefined && r.error === undefined)) return undefined;
  return { start: Math.min(...mine.map((r) => r.queued)), end: Math.max(...mine.map((r) => r.end ?? r.queued)) };
}
