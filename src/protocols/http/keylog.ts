/**
 * The NSS key log (SSLKEYLOGFILE format) of a run: every line TLS clients published as a state row
 * under {@link TLS_KEYLOG_KEY}, in trace order. Written by `npm run sim -- SCENE --keylog FILE`, so
 * Wireshark can decrypt the capture (`tshark -o tls.keylog_file:FILE -r out.pcapng`).
 */
import { Place, RecordKind, type Trace } from '../../sim/trace';
import { TLS_KEYLOG_KEY } from './stream';

/** The key log lines in the trace, each once, in order. */
export function keyLogLines(trace: Trace): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (let r = 0; r < trace.length; r++) {
    if (trace.kind[r] !== RecordKind.State || trace.dir[r] !== Place.Node || trace.string(trace.code[r]) !== TLS_KEYLOG_KEY) continue;
    const line = trace.string(trace.frame[r]);
    if (!seen.has(line)) {
      seen.add(line);
      out.push(line);
    }
  }
  return out;
}
