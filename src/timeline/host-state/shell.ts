/**
 * A host's terminal, for the commands that only look: each is a pure function of (scene, trace,
 * time, host) that prints what the Linux tool would print at that moment. Programs that send
 * packets (ping, dig, curl, ...) are not run here: they are branch actions (`25ms h1 ping ...`),
 * because running one changes what happens next.
 *
 * ```
 * runHostCommand({ scene, trace }, 'h1', 25_000_000, 'ip neigh')
 * // { stdout: '10.0.0.254 dev eth0 lladdr 02:00:00:00:03:01 REACHABLE\n', stderr: '', exitCode: 0 }
 * ```
 */
import '../../apps';
import { splitCommand } from '../../apps/command';
import { appKinds } from '../../apps/registry';
import { formatIpv4 } from '../../protocols/addr';
import { formatDurationExact } from '../../sim/units';
import { hostInfo, type HostInfo, type HostStateSource } from './host-info';
import { arpCommand, ipCommand } from './ip-command';
import type { CommandResult } from './result';
import { ssCommand } from './ss-command';
import { tcpdumpCommand } from './tcpdump-command';
import { downSince } from './trace-scan';

type StateCommand = (src: HostStateSource, info: HostInfo, t: number, argv: readonly string[]) => CommandResult;

/** One terminal command: how it runs and its manual page. */
interface ShellCommand {
  readonly summary: string;
  readonly synopsis: string;
  readonly description: string;
  readonly run: StateCommand;
}

const ok = (stdout: string): CommandResult => ({ stdout, stderr: '', exitCode: 0 });

const COMMANDS: Readonly<Record<string, ShellCommand>> = {
  ip: {
    summary: 'show addresses, routes and neighbours',
    synopsis: 'ip [-4] [-n] { address | route | neigh } [show] [dev IFACE]',
    description:
      'address: the interfaces, their state and IPv4 addresses. route: the routing table. neigh: the ARP (neighbour) table, with REACHABLE, STALE, INCOMPLETE and FAILED entries. Objects may be abbreviated (ip a, ip r, ip n).',
    run: ipCommand,
  },
  arp: {
    summary: 'show the ARP cache (net-tools)',
    synopsis: 'arp -n',
    description: 'The neighbour table in the older net-tools format; incomplete entries show (incomplete).',
    run: arpCommand,
  },
  ss: {
    summary: 'show sockets',
    synopsis: 'ss [-t] [-u] [-a] [-l] [-n]',
    description: '-t TCP, -u UDP, -a all (listening too), -l listening only, -n numeric ports. Typical: ss -tan, ss -uan.',
    run: ssCommand,
  },
  tcpdump: {
    summary: 'print the frames an interface sent and received',
    synopsis: 'tcpdump [-n] [-i IFACE] [filter]',
    description:
      "Every frame on the interface up to now, one line each, oldest first. Filters: icmp, tcp, udp, arp, ip, host ADDR, src/dst host ADDR, port N, src/dst port N, tcp/udp port N, and, or, not, parentheses; also the inspector's field comparisons such as tcp.flags == SYN.",
    run: tcpdumpCommand,
  },
  cat: {
    summary: 'print a file (/etc/resolv.conf, /etc/hostname)',
    synopsis: 'cat FILE',
    description: 'The host has two files: /etc/resolv.conf (its resolvers) and /etc/hostname.',
    run: catCommand,
  },
  help: {
    summary: 'list the commands',
    synopsis: 'help',
    description: 'Lists the commands this terminal knows.',
    run: () => ok(helpText()),
  },
  man: {
    summary: "show a command's manual page",
    synopsis: 'man PROGRAM',
    description: 'A short page for each command and each program a host can run.',
    run: manCommand,
  },
};

function catCommand(src: HostStateSource, info: HostInfo, _t: number, argv: readonly string[]): CommandResult {
  const files = argv.slice(1);
  if (files.length === 0) return { stdout: '', stderr: 'cat: reading standard input is not supported here\n', exitCode: 1 };
  let stdout = '';
  let stderr = '';
  for (const f of files) {
    if (f === '/etc/resolv.conf' && info.resolvers.length) stdout += info.resolvers.map((r) => `nameserver ${formatIpv4(r)}\n`).join('');
    else if (f === '/etc/hostname') stdout += `${info.name}\n`;
    else stderr += `cat: ${f}: No such file or directory\n`;
  }
  return { stdout, stderr, exitCode: stderr ? 1 : 0 };
}

function helpText(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = ["Commands that show this host's state at the playhead:"];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(width)}  ${c.summary}`);
  lines.push('', 'Programs that send packets run as branch actions (e.g. "25ms h1 ping 10.0.0.2 -c 1"):');
  lines.push(
    `  ${appKinds()
      .map((a) => a.name)
      .join(', ')}`,
    '',
    'man PROGRAM shows a short page.',
  );
  return `${lines.join('\n')}\n`;
}

function manCommand(_src: HostStateSource, _info: HostInfo, _t: number, argv: readonly string[]): CommandResult {
  const name = argv[1];
  if (name === undefined) return { stdout: '', stderr: "What manual page do you want?\nFor example, try 'man ip'.\n", exitCode: 1 };
  const c = COMMANDS[name];
  if (c) return ok(page(name, c.summary, c.synopsis, c.description));
  const app = appKinds().find((a) => a.name === name);
  if (app)
    return ok(
      page(
        name,
        app.summary,
        app.usage,
        'Runs as a branch action at a time on this host, e.g. "25ms h1 ' + name + ' ...". Its output appears in the trace as the host\'s log.',
      ),
    );
  return { stdout: '', stderr: `No manual entry for ${name}\n`, exitCode: 16 };
}

function page(name: string, summary: string, synopsis: string, description: string): string {
  return `${name.toUpperCase()}(8)\n\nNAME\n       ${name} - ${summary}\n\nSYNOPSIS\n       ${synopsis}\n\nDESCRIPTION\n       ${description}\n`;
}

/**
 * The terminal commands, by name, with a one-line summary each (for completion and help).
 */
export function shellCommands(): { name: string; summary: string }[] {
  return Object.entries(COMMANDS).map(([name, c]) => ({ name, summary: c.summary }));
}

/**
 * Runs one terminal line on `host` at simulated time `t` (ns) against a finished (or partial)
 * trace. Unknown commands answer `bash: foo: command not found` (exit 127); a bad option answers
 * with the tool's usage; nothing is changed either way.
 */
export function runHostCommand(src: HostStateSource, host: string, t: number, line: string): CommandResult {
  const info = hostInfo(src, host);
  if (!info) {
    const exists = src.scene.nodes.some((n) => n.id === host);
    return {
      stdout: '',
      stderr: exists ? `${host} has no shell (it is not an IP host)\n` : `ssh: Could not resolve hostname ${host}: Name or service not known\n`,
      exitCode: 255,
    };
  }
  const down = downSince(src.trace, info.node, t);
  if (down !== undefined)
    return { stdout: '', stderr: `ssh: connect to host ${host}: No route to host (${host} crashed at ${formatDurationExact(down)})\n`, exitCode: 255 };
  const split = splitCommand(line);
  if (!split.ok) return { stdout: '', stderr: `bash: ${split.error}\n`, exitCode: 2 };
  const argv = split.argv;
  if (argv.length === 0) return ok('');
  const name = argv[0];
  const c = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (c) return c.run(src, info, t, argv);
  if (appKinds().some((a) => a.name === name)) {
    return { stdout: '', stderr: `${name}: sends packets, so it runs as a branch action: "${formatDurationExact(t)} ${host} ${line.trim()}"\n`, exitCode: 126 };
  }
  return { stdout: '', stderr: `bash: ${name}: command not found\n`, exitCode: 127 };
}
