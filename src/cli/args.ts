/** Command-line flags of the headless runner, validated with messages that name the flag. */
import { parseDuration } from '../sim/units';

export const USAGE = `usage: npm run sim -- <scene file> [--seed N] [--until 50ms] [--pcap out.pcapng] [--capture all-links|DEVICE|DEVICE:IFACE|LINK] [--trace out.json] [--keylog out.keys] [--metrics out.csv [--window 100ms]] [--summary] [--quiet]

  --seed N        run with seed N instead of the scene's
  --until T       stop at simulated time T (e.g. 50ms); default: the scene's duration
  --pcap FILE     write a pcapng capture: each conversation once, on the interface of the device
                  that started it (as tcpdump on each client would show it), unless --capture
  --capture WHERE all-links: every link, one interface each (each packet once per hop, which
                  Wireshark's TCP analysis reports as retransmissions and overlaps); or capture like
                  tcpdump on a device (h1), one interface (r1:eth1) or a link (h1-sw1)
  --trace FILE    write the trace as JSON
  --keylog FILE   write the TLS clients' secrets as an NSS key log, for Wireshark to decrypt the capture
  --metrics FILE  write the request/response metrics (rr-client, rr-server) as CSV, one row per window
  --window T      the metrics window (e.g. 100ms, 1s); default 100ms
  --act ACTION    add a timed action to the run (repeatable), making it a branch of the scene:
                  "20ms link h1-sw1 down", "30ms partition h1,h2 | h3", "25ms node s1 crash",
                  "40ms drop packet 17", "35ms h1 ping 10.0.1.5 -c 2" (see docs/branches.md)
  --exec H@T CMD  after the run, print what CMD in host H's terminal shows at time T (repeatable),
                  e.g. --exec "h1@25ms ip neigh"; ip, arp, ss, tcpdump, cat, help, man
  --summary       end with one JSON line: events, frames, drops, simTimeNs, wallMs, eventsPerSec, traceHash
  --quiet         do not print the programs' output`;

export interface RunnerArgs {
  scene: string;
  seed?: number;
  untilNs?: number;
  pcap?: string;
  capture?: string;
  trace?: string;
  keylog?: string;
  summary: boolean;
  quiet: boolean;
  /** Where to write the RR metrics as CSV. */
  metrics?: string;
  /** The metrics window, ns. */
  windowNs?: number;
  /** Timed actions (`--act`), in order: the run is a branch of the scene. */
  acts: string[];
  /** Terminal commands to print after the run (`--exec`), as given. */
  execs: string[];
}

/** Default metrics window: 100 ms. */
export const DEFAULT_WINDOW_NS = 100_000_000;

/** Parses argv (without node and script); returns an error message for anything unknown or malformed. */
export function parseRunnerArgs(argv: readonly string[]): { ok: true; args: RunnerArgs } | { ok: false; error: string } {
  const args: RunnerArgs = { scene: '', summary: false, quiet: false, acts: [], execs: [] };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string | undefined => argv[++i];
    switch (a) {
      case '--seed': {
        const v = value();
        if (v === undefined || !/^\d+$/.test(v) || !Number.isSafeInteger(Number(v)))
          return { ok: false, error: `--seed needs a whole number, got ${v ?? 'nothing'}` };
        args.seed = Number(v);
        break;
      }
      case '--until': {
        const v = value();
        const d = parseDuration(v ?? '');
        if (!d.ok) return { ok: false, error: `--until: ${v === undefined ? 'needs a time, e.g. 50ms' : d.error}` };
        args.untilNs = d.ns;
        break;
      }
      case '--pcap':
      case '--capture':
      case '--trace':
      case '--keylog': {
        const v = value();
        if (v === undefined || v.startsWith('--')) return { ok: false, error: `${a} needs a value` };
        args[a.slice(2) as 'pcap' | 'capture' | 'trace' | 'keylog'] = v;
        break;
      }
      case '--metrics': {
        const v = value();
        if (v === undefined || v.startsWith('--')) return { ok: false, error: '--metrics needs a file name' };
        args.metrics = v;
        break;
      }
      case '--window': {
        const v = value();
        if (v === undefined || v.startsWith('--')) return { ok: false, error: '--window needs a time, e.g. 100ms' };
        const d = parseDuration(v);
        if (!d.ok) return { ok: false, error: `--window: ${d.error}` };
        if (d.ns < 1000) return { ok: false, error: `--window must be at least 1us, got ${v}` };
        args.windowNs = d.ns;
        break;
      }
      case '--act':
      case '--exec': {
        const v = value();
        if (v === undefined || v.startsWith('--'))
          return {
            ok: false,
            error: a === '--act' ? '--act needs an action, e.g. "20ms link h1-sw1 down"' : '--exec needs HOST@TIME COMMAND, e.g. "h1@25ms ip neigh"',
          };
        (a === '--act' ? args.acts : args.execs).push(v);
        break;
      }
      case '--summary':
        args.summary = true;
        break;
      case '--quiet':
        args.quiet = true;
        break;
      default:
        if (a.startsWith('-')) return { ok: false, error: `unknown flag ${a}` };
        positional.push(a);
    }
  }
  if (positional.length !== 1) return { ok: false, error: positional.length ? `one scene file expected, got ${positional.join(' ')}` : 'missing scene file' };
  if (args.capture && !args.pcap) return { ok: false, error: '--capture needs --pcap' };
  if (args.windowNs !== undefined && !args.metrics) return { ok: false, error: '--window needs --metrics' };
  args.scene = positional[0];
  return { ok: true, args };
}
