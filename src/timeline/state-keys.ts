/** Queries over the names of the state rows a trace holds. */
import { Place, RecordKind, type Trace } from '../sim/trace';

/**
 * Whether any node's state row has a key (a trace string such as `tcp 10.0.0.1:40000>...` or
 * `rr.send`) that `matches`. Cheap: each distinct key is tested once, and the scan stops at the
 * first match.
 */
export function traceHasStateKey(trace: Trace, matches: (key: string) => boolean): boolean {
  const seen = new Map<number, boolean>();
  for (let r = 0; r < trace.length; r++) {
    if (trace.kind[r] !== RecordKind.State || trace.dir[r] !== Place.Node) continue;
    const code = trace.code[r];
    let yes = seen.get(code);
    if (yes === undefined) {
      yes = matches(trace.string(code));
      seen.set(code, yes);
    }
    if (yes) return true;
  }
  return false;
}
