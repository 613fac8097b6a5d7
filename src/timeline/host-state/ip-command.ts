/**
 * `ip addr`, `ip route`, `ip neigh` (iproute2) and `arp -n` (net-tools) at a time, in the tools'
 * own output formats. Interfaces and configured routes come from the scene; link carrier, the
 * default route a fault moved, and neighbours come from the trace.
 *
 * An interface configured by DHCP (`ip: dhcp`) shows the address of its lease at `t` (the trace's
 * `addr <ifname>` rows), marked `dynamic`, and none before the first lease or after it expires.
 *
 * Simplifications, stated: every host has `lo` (127.0.0.1/8) as on Linux; the queueing discipline
 * shows as `pfifo` with the link's queue as `qlen`; route metrics are not shown; a leased address
 * shows `valid_lft forever` (the seconds left of the lease are not counted down).
 */
import { formatCidr, formatIpv4, formatMac, parseCidr, parseIpv4, type Cidr } from '../../protocols/addr';
import type { HostInfo, HostStateSource } from './host-info';
import { neighbours } from './neighbours';
import type { CommandResult } from './result';
import { forEachState, linkUpAt } from './trace-scan';

const IP_USAGE = `Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }
where  OBJECT := { address | route | neigh }
       OPTIONS := { -4 | -n }`;

/** Whether the interface's link has carrier at `t`. */
function carrier(src: HostStateSource, info: HostInfo, i: HostInfo['interfaces'][number], t: number): boolean {
  if (i.link < 0) return false;
  return linkUpAt(src.trace, i.link, t, src.scene.links[i.link]?.up ?? true);
}

/**
 * Each interface's address at `t`: the configured one, or for an interface with none (0.0.0.0, a
 * DHCP client) the lease's from the trace, or undefined while it has none.
 */
function addressesAt(src: HostStateSource, info: HostInfo, t: number): (Cidr | undefined)[] {
  const leased = new Map<string, string>();
  forEachState(src.trace, info.node, t, (key, value) => {
    if (key.startsWith('addr ')) leased.set(key.slice(5), value);
  });
  return info.interfaces.map((i) => (i.cidr.addr !== 0 ? i.cidr : parseCidr(leased.get(i.name) ?? '')));
}

function ipAddr(src: HostStateSource, info: HostInfo, t: number, only?: string): CommandResult {
  const addrs = addressesAt(src, info, t);
  const lines: string[] = [];
  if (only !== undefined && only !== 'lo' && !info.interfaces.some((i) => i.name === only)) {
    return { stdout: '', stderr: `Device "${only}" does not exist.\n`, exitCode: 1 };
  }
  if (only === undefined || only === 'lo') {
    lines.push(
      '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000',
      '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
      '    inet 127.0.0.1/8 scope host lo',
      '       valid_lft forever preferred_lft forever',
    );
  }
  info.interfaces.forEach((i, n) => {
    if (only !== undefined && only !== i.name) return;
    const up = carrier(src, info, i, t);
    const flags = up ? 'BROADCAST,MULTICAST,UP,LOWER_UP' : 'NO-CARRIER,BROADCAST,MULTICAST,UP';
    lines.push(
      `${n + 2}: ${i.name}: <${flags}> mtu ${i.mtu} qdisc pfifo state ${up ? 'UP' : 'DOWN'} group default qlen ${i.qlen}`,
      `    link/ether ${formatMac(i.mac)} brd ff:ff:ff:ff:ff:ff`,
    );
    const c = addrs[n];
    if (!c) return;
    const dynamic = i.cidr.addr === 0 ? 'dynamic ' : '';
    lines.push(
      `    inet ${formatCidr(c.addr, c.prefix)}${c.prefix < 31 ? ` brd ${formatIpv4(c.broadcast)}` : ''} scope global ${dynamic}${i.name}`,
      '       valid_lft forever preferred_lft forever',
    );
  });
  return { stdout: lines.map((l) => `${l}\n`).join(''), stderr: '', exitCode: 0 };
}

function ipRoute(src: HostStateSource, info: HostInfo, t: number): CommandResult {
  const ifName = (k: number) => info.interfaces[k]?.name ?? '?';
  const down = new Set(info.interfaces.filter((i) => !carrier(src, info, i, t)).map((i) => i.name));
  const lines: { network: number; prefix: number; order: number; text: string }[] = [];
  // A default route a fault installed (`{ node, gateway }`) comes first, as the preferred one.
  let moved: number | undefined;
  forEachState(src.trace, info.node, t, (key, value) => {
    if (key === 'default route' && value.startsWith('via ')) moved = parseIpv4(value.slice(4));
  });
  const addrs = addressesAt(src, info, t);
  const routes = [...info.routes];
  // A leased address brings its connected route.
  addrs.forEach((c, iface) => {
    if (c && info.interfaces[iface].cidr.addr === 0) routes.push({ network: c.network, prefix: c.prefix, via: 0, iface, metric: 0, origin: 'connected' });
  });
  if (moved !== undefined) {
    const iface = addrs.findIndex((c) => c !== undefined && (moved! & ~(0xffffffff >>> c.prefix)) >>> 0 === c.network);
    if (iface >= 0) routes.unshift({ network: 0, prefix: 0, via: moved, iface, metric: -1, origin: 'static' });
  }
  routes.forEach((r, order) => {
    const dev = ifName(r.iface);
    const to = r.prefix === 0 ? 'default' : formatCidr(r.network, r.prefix);
    const via = r.via ? ` via ${formatIpv4(r.via)}` : '';
    const kernel = r.origin === 'connected' ? ` proto kernel scope link src ${formatIpv4(addrs[r.iface]?.addr ?? 0)}` : '';
    lines.push({ network: r.network, prefix: r.prefix, order, text: `${to}${via} dev ${dev}${kernel}${down.has(dev) ? ' linkdown' : ''}` });
  });
  // The main table lists default first, then by destination.
  lines.sort((a, b) => a.network - b.network || a.prefix - b.prefix || a.order - b.order);
  return { stdout: lines.map((l) => `${l.text}\n`).join(''), stderr: '', exitCode: 0 };
}

function ipNeigh(src: HostStateSource, info: HostInfo, t: number): CommandResult {
  const lines = neighbours(src, info, t).map((n) =>
    n.mac !== undefined ? `${formatIpv4(n.ip)} dev ${n.dev} lladdr ${formatMac(n.mac)} ${n.state}` : `${formatIpv4(n.ip)} dev ${n.dev} ${n.state}`,
  );
  return { stdout: lines.map((l) => `${l}\n`).join(''), stderr: '', exitCode: 0 };
}

/** `ip OBJECT [COMMAND]`. */
export function ipCommand(src: HostStateSource, info: HostInfo, t: number, argv: readonly string[]): CommandResult {
  const args = argv.slice(1).filter((a) => a !== '-4' && a !== '-n');
  const bad = argv.slice(1).find((a) => a.startsWith('-') && a !== '-4' && a !== '-n');
  if (bad) return { stdout: '', stderr: `Option "${bad}" is unknown, try "ip -help".\n`, exitCode: 255 };
  const [object, command, ...rest] = args;
  if (object === undefined || object === 'help') return { stdout: '', stderr: `${IP_USAGE}\n`, exitCode: 255 };
  const is = (word: string | undefined, full: string) => word !== undefined && word.length > 0 && full.startsWith(word);
  const show = command === undefined || is(command, 'show') || is(command, 'list');
  const kind = is(object, 'address') ? 'addr' : is(object, 'route') ? 'route' : is(object, 'neighbour') || is(object, 'neighbor') ? 'neigh' : undefined;
  if (!kind) return { stdout: '', stderr: `Object "${object}" is unknown, try "ip help".\n`, exitCode: 255 };
  if (!show) return { stdout: '', stderr: `Command "${command}" is unknown, try "ip ${kind} help".\n`, exitCode: 255 };
  if (kind === 'addr') {
    const dev = rest[0] === 'dev' ? rest[1] : rest[0];
    return ipAddr(src, info, t, dev);
  }
  return kind === 'route' ? ipRoute(src, info, t) : ipNeigh(src, info, t);
}

/** `arp -n`: the neighbour table in net-tools' columns. */
export function arpCommand(src: HostStateSource, info: HostInfo, t: number, argv: readonly string[]): CommandResult {
  const bad = argv.slice(1).find((a) => a !== '-n' && a !== '-a' && a !== '-an' && a !== '-na');
  if (bad) {
    return {
      stdout: '',
      stderr: `arp: invalid option -- '${bad.replace(/^-+/, '').slice(0, 1) || bad}'\nUsage:\n  arp [-vn]  [<HW>] [-i <if>] [-a] [<hostname>]             <-Display ARP cache\n`,
      exitCode: 255,
    };
  }
  const col = (s: string, w: number) => s.padEnd(w).slice(0, w);
  const lines = ['Address                  HWtype  HWaddress           Flags Mask            Iface'];
  for (const n of neighbours(src, info, t)) {
    const hw = n.mac !== undefined ? `${col('ether', 8)}${col(formatMac(n.mac), 20)}` : `${col('', 8)}${col('(incomplete)', 20)}`;
    lines.push(`${col(formatIpv4(n.ip), 23)}  ${hw}${col(n.mac !== undefined ? 'C' : '', 6)}${col('', 15)} ${n.dev}`);
  }
  return { stdout: lines.map((l) => `${l}\n`).join(''), stderr: '', exitCode: 0 };
}
