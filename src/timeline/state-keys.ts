/** Queries over the names of the state rows a trace holds. */
import { Place, RecordKind, type Trace } from '../sim/trace';

const known = new WeakMap<Trace, Int32Array>();

/** The distinct string codes of the keys of node state rows, in first-seen order. */
export function readStateKeyCodes(trace: Trace): Int32Array {
  const seen = new Set<number>();
  for (let r = 0; r < trace.length; r++) {
    if (trace.kind[r] !== RecordKind.State || trace.dir[r] !== Place.Node) continue;
    seen.add(trace.code[r]);
  }
  return Int32Array.from(seen);
}

/**
 * `readStateKeyCodes(trace)`, read once per trace; a simulation worker reads them next to its trace
 * and the page is handed them (`knowStateKeyCodes`), so panels asking what a trace holds never scan it.
 */
function stateKeyCodes(trace: Trace): Int32Array {
  let codes = known.get(trace);
  if (!codes) known.set(trace, (codes = readStateKeyCodes(trace)));
  return codes;
}

/** Records the state key codes of `trace`, read elsewhere over an identical trace (e.g. in the worker). */
export function knowStateKeyCodes(trace: Trace, codes: Int32Array): void {
  known.set(trace, codes);
}

/**
 * Whether any node's state row has a key (a trace string such as `tcp 10.0.0.1:40000>...` or
 * `rr.send`) that `matches`. Cheap: each distinct key is tested once, and the trace is scanned at
 * most once for its keys.
 */
export function traceHasStateKey(trace: Trace, matches: (key: string) => boolean): boolean {
  for (const code of stateKeyCodes(trace)) if (matches(trace.string(code))) return true;
  return false;
}
