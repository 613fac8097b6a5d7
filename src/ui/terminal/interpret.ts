/**
 * What one line typed into a host's terminal does. Commands that only look (`ip neigh`, `tcpdump`,
 * ...) print at once from the trace at the playhead (`runHostCommand`); `history` and `clear` are the
 * terminal's own; a program that sends packets becomes a branch action at the playhead, after the
 * checks bash and the tool make (unknown program, bad option, an address no host in the scene has):
 * those print what bash or the tool prints and make no branch.
 *
 * Host names of the scene work as addresses (as if every host's /etc/hosts listed them): `ping h2`
 * runs `ping 10.0.1.5`.
 */
import '../../apps';
import { splitCommand } from '../../apps/command';
import { appKinds } from '../../apps/registry';
import { formatIpv4, parseIpv4 } from '../../protocols/addr';
import { hostInfo, runHostCommand, terminalHosts, type HostStateSource } from '../../timeline/host-state';

/** What the terminal does with a line. */
export type LineOutcome =
  | { readonly kind: 'print'; readonly text: string }
  | { readonly kind: 'clear' }
  /** Run `cmd` on the host as a branch action at the playhead; `program` is its name (for Ctrl-C). */
  | { readonly kind: 'run'; readonly program: string; readonly cmd: string };

/** Every host's name and addresses, in scene order (for completion and for `ping h2`). */
export function sceneAddresses(src: HostStateSource): { host: string; addrs: string[] }[] {
  return terminalHosts(src.scene).map((host) => ({
    host,
    addrs: (hostInfo(src, host)?.interfaces ?? []).map((i) => formatIpv4(i.cidr.addr)),
  }));
}

/** bash's `history`: numbered, right-aligned in five columns. */
function formatHistory(history: readonly string[]): string {
  return history.map((h, i) => `${String(i + 1).padStart(5)}  ${h}\n`).join('');
}

/** Addresses that belong to no one but are fine to name (loopback, broadcast, any). */
function isSpecial(addr: number): boolean {
  return addr >>> 24 === 127 || addr === 0 || addr === 0xffffffff || addr >>> 28 === 0xe;
}

/** Reads one line typed on `host` at `t` (ns). `history` is the terminal's, this line included. */
export function interpretLine(src: HostStateSource, host: string, t: number, line: string, history: readonly string[]): LineOutcome {
  const split = splitCommand(line);
  const argv = split.ok ? split.argv : [];
  const name = argv[0];
  if (name === 'history' && argv.length === 1) return { kind: 'print', text: formatHistory(history) };
  if (name === 'clear' && argv.length === 1) return { kind: 'clear' };
  const app = appKinds().find((a) => a.name === name);
  if (!split.ok || !app) {
    const r = runHostCommand(src, host, t, line);
    return { kind: 'print', text: (r.preamble ?? '') + r.stdout + r.stderr };
  }
  const hosts = sceneAddresses(src);
  const byName = new Map(hosts.map((h) => [h.host, h.addrs[0]] as const));
  const words = argv.slice(1).map((w) => (byName.has(w) && byName.get(w) !== undefined ? byName.get(w)! : w));
  const parsed = app.parse(words);
  if (!parsed.ok) return { kind: 'print', text: `${app.name}: ${parsed.error}\nUsage: ${app.usage}\n` };
  const known = new Set(hosts.flatMap((h) => h.addrs));
  for (const w of words) {
    for (const m of w.matchAll(/(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?![\d.])/g)) {
      const a = parseIpv4(m[1]);
      if (a !== undefined && !isSpecial(a) && !known.has(m[1])) {
        return { kind: 'print', text: `${app.name}: ${m[1]}: no host in this scene has this address; nothing was sent\n` };
      }
    }
  }
  const down = runHostCommand(src, host, t, '');
  if (down.exitCode !== 0) return { kind: 'print', text: down.stderr };
  return { kind: 'run', program: app.name, cmd: words.map(quoteWord).join(' ').replace(/^/, `${app.name} `).trimEnd() };
}

/** A word as the command language reads it back (quoted when it holds spaces or quotes). */
function quoteWord(w: string): string {
  if (w !== '' && !/[\s"']/.test(w)) return w;
  return w.includes("'") ? `"${w}"` : `'${w}'`;
}
