/**
 * What the waterfall panel draws, from the trace (pure, no React): the nodes that ran `page-load`,
 * each page load's rows (timeline/waterfall) with its protocol (from the program's first output
 * line) and its span, and the coloured phases of a row.
 */
import { parseWaterfallKey } from '../../apps/page-load/waterfall-keys';
import { RecordKind, type Trace } from '../../sim/trace';
import { traceHasStateKey } from '../../timeline/state-keys';
import { waterfall, type WaterfallRow } from '../../timeline/waterfall';

/** A bar's phases, in the order they happen, with their colours (the legend's order). */
export const PHASES = [
  { id: 'blocked', label: 'Blocked', color: '#5b6577', hint: 'queued: waiting for a free connection' },
  { id: 'dns', label: 'DNS', color: '#2dd4bf', hint: 'name lookup' },
  { id: 'connect', label: 'Connect', color: '#f59e0b', hint: 'TCP three-way handshake' },
  { id: 'tls', label: 'TLS', color: '#c084fc', hint: 'TLS handshake (HTTP/3: the QUIC handshake, which carries TLS)' },
  { id: 'wait', label: 'Wait', color: '#4ade80', hint: 'request sent, waiting for the first byte (TTFB)' },
  { id: 'receive', label: 'Receive', color: '#60a5fa', hint: 'first byte to last byte' },
] as const;

export type PhaseId = (typeof PHASES)[number]['id'];

/** One page load of one node. */
export interface PageLoadGroup {
  readonly node: string;
  readonly load: number;
  /** `HTTP/1.1`, `HTTP/2`..., from page-load's first line (empty when unknown). */
  readonly protocol: string;
  readonly rows: readonly WaterfallRow[];
  readonly start: number;
  /** Last end seen (the load may be unfinished at the end of the trace). */
  readonly end: number;
  readonly finished: boolean;
}

/** Whether the trace has any page-load rows (cheap: stops at the first). */
export function traceHasPageLoads(trace: Trace): boolean {
  return traceHasStateKey(trace, (key) => key.startsWith('page ') && parseWaterfallKey(key) !== undefined);
}

/** Every page load in the trace, by node (trace order) then load. */
export function pageLoadGroups(trace: Trace): PageLoadGroup[] {
  const out: PageLoadGroup[] = [];
  for (const n of trace.nodes) {
    const rows = waterfall(trace, n.name);
    if (!rows.length) continue;
    const protocols: string[] = [];
    for (let r = 0; r < trace.length; r++) {
      if (trace.kind[r] !== RecordKind.Log || trace.place[r] !== n.id) continue;
      const m = /^page-load: \S+ over (HTTP\/[\d.]+)/.exec(trace.string(trace.code[r]));
      if (m) protocols.push(m[1]);
    }
    const loads = [...new Set(rows.map((r) => r.load))];
    for (const load of loads) {
      const mine = rows.filter((r) => r.load === load);
      const start = Math.min(...mine.map((r) => r.queued));
      const ends = mine.map((r) => r.end ?? r.receive?.start ?? r.wait?.start ?? r.queued);
      out.push({
        node: n.name,
        load,
        protocol: protocols[load - 1] ?? '',
        rows: mine,
        start,
        end: Math.max(...ends),
        finished: mine.every((r) => r.end !== undefined || r.error !== undefined),
      });
    }
  }
  return out;
}

/** The phases of a row that happened, as [phase, start, end] (ns). */
export function rowPhases(r: WaterfallRow): { phase: PhaseId; start: number; end: number }[] {
  const out: { phase: PhaseId; start: number; end: number }[] = [];
  for (const p of PHASES) {
    const s = r[p.id];
    if (s && s.end > s.start) out.push({ phase: p.id, start: s.start, end: s.end });
  }
  return out;
}

/** `/img/3.svg` from `http://10.0.0.80/img/3.svg`. */
export function shortUrl(url: string): string {
  const m = /^[a-z]+:\/\/[^/]+(\/.*)?$/.exec(url);
  return m ? (m[1] ?? '/') : url;
}

/** A round tick step (1, 2, 5 × 10^n ns) for about `n` ticks over `span`. */
export function tickStep(span: number, n: number): number {
  const raw = span / Math.max(1, n);
  const p = 10 ** Math.floor(Math.log10(Math.max(1, raw)));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

export const fmtMs = (ns: number) => {
  const ms = ns / 1e6;
  return `${ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2)} ms`;
};
