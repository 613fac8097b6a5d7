/**
 * Things in a scene that are valid but probably not what the author meant: a host with no gateway
 * where routers exist, a router with no way back to a subnet its hosts' gateways point at, two
 * devices with one address, a hub segment longer than Ethernet's slot time allows.
 */
import { inSubnet, parseCidr, parseIpv4 } from '../../protocols/addr';
import { DEFAULT_LINK_PARAMS } from '../../net/link-params';
import { parseDuration } from '../../sim/units';
import { linkId, type SceneData } from './commands';

/** 10 Mb/s Ethernet's slot time (512 bit times), ns: a round trip on a hub segment must fit in it. */
const SLOT_TIME_NS = 51_200;

function endNode(v: unknown): string {
  return typeof v === 'string' ? v.split(':')[0] : '';
}

/** Warnings for the editor's problem list, one sentence each. */
export function sceneWarnings(data: SceneData): string[] {
  const out: string[] = [];
  const nodes = (data.nodes ?? []).filter((n) => n && typeof n.id === 'string');
  const routers = nodes.filter((n) => n.kind === 'router');
  const owner = new Map<number, string>();
  const addrs = (n: Record<string, unknown>): string[] => {
    const list: string[] = [];
    if (typeof n.ip === 'string') list.push(n.ip);
    if (Array.isArray(n.interfaces)) for (const i of n.interfaces) list.push(typeof i === 'string' ? i : String((i as { ip?: unknown })?.ip ?? ''));
    return list.filter((a) => parseCidr(a));
  };
  for (const n of nodes) {
    for (const a of addrs(n)) {
      const c = parseCidr(a)!;
      const first = owner.get(c.addr);
      if (first !== undefined && first !== n.id) out.push(`${String(n.id)} and ${first} both have the address ${a.split('/')[0]}`);
      else owner.set(c.addr, String(n.id));
    }
  }
  if (routers.length > 0) {
    for (const n of nodes) {
      if (
        (n.kind === 'host' || n.kind === 'server') &&
        typeof n.ip === 'string' &&
        n.gateway === undefined &&
        !(Array.isArray(n.routes) && n.routes.length > 0)
      ) {
        out.push(`${String(n.id)} has no gateway: it can reach only its own subnet`);
      }
    }
  }
  // Every router must reach every host's subnet (connected, through a route, or a default route),
  // or replies to that host cannot get back through it.
  const hostSubnets = new Map<string, string>();
  for (const n of nodes) {
    if (typeof n.ip !== 'string') continue;
    const c = parseCidr(n.ip);
    if (c) hostSubnets.set(`${c.network}/${c.prefix}`, String(n.id));
  }
  for (const r of routers) {
    const connected = addrs(r).map((a) => parseCidr(a)!);
    const routes = Array.isArray(r.routes) ? (r.routes as Record<string, unknown>[]) : [];
    const hasDefault = routes.some((x) => x?.to === 'default' || x?.to === '0.0.0.0/0');
    for (const [key, host] of hostSubnets) {
      const [net] = key.split('/').map(Number);
      if (connected.some((c) => inSubnet(net, c.network, c.prefix))) continue;
      if (hasDefault) continue;
      const routed = routes.some((x) => {
        const c = typeof x?.to === 'string' ? parseCidr(x.to) : undefined;
        return c !== undefined && inSubnet(net, c.network, c.prefix);
      });
      if (!routed) out.push(`${String(r.id)} has no route to ${host}'s subnet: replies to it cannot get back`);
    }
  }
  // Hub segments: the longest round trip between two stations through one hub.
  for (const hub of nodes.filter((n) => n.kind === 'hub')) {
    const lat = (data.links ?? [])
      .filter((l) => endNode(l.a) === hub.id || endNode(l.b) === hub.id)
      .map((l) => {
        const d = l.latency === undefined ? { ok: true as const, ns: DEFAULT_LINK_PARAMS.latency } : parseDuration(l.latency);
        return { id: linkId(l), ns: d.ok ? d.ns : 0 };
      })
      .sort((a, b) => b.ns - a.ns);
    if (lat.length >= 2 && 2 * (lat[0].ns + lat[1].ns) > SLOT_TIME_NS) {
      out.push(`hub ${String(hub.id)}: ${lat[0].id} and ${lat[1].id} make a round trip longer than the 51.2 µs slot time; collisions may go unseen`);
    }
  }
  // Gateways that are nobody's address.
  for (const n of nodes) {
    if (typeof n.gateway !== 'string') continue;
    const g = parseIpv4(n.gateway);
    if (g !== undefined && !owner.has(g)) out.push(`${String(n.id)}'s gateway ${n.gateway} is no device's address`);
  }
  return out;
}
