/**
 * "Add default routes" for a network shaped like a tree: each host without a gateway gets the
 * router on its segment as its gateway, and each router gets a static route to every subnet it
 * does not touch, through the neighbouring router that leads there. In a tree that path is the
 * only one, so the routes are right; when routers and segments form a loop there is a choice to
 * make (which way round), and the helper says so and changes nothing. Routes already written are
 * kept, and a subnet a router already routes to is skipped. One command (one undo step).
 */
import { formatIpv4, inSubnet, parseCidr } from '../../protocols/addr';
import type { Catalog, EditCommand, SceneData } from './commands';
import type { EditOp } from './ops';
import { sceneSegments, segmentAddressing, subnetText, type SegmentAddressing } from './segments';

/** The routes to add, or why none are added. */
export type DefaultRoutesResult = { readonly ok: true; readonly command: EditCommand | null } | { readonly ok: false; readonly message: string };

/** Router `node`'s address on segment `seg`. */
interface Port {
  readonly router: number;
  readonly seg: number;
  readonly addr: number;
}

/** The subnets router `r` reaches through the graph, each with the neighbour address to go via. */
function firstHops(r: number, ports: readonly Port[]): Map<number, number | null> {
  const out = new Map<number, number | null>();
  const seenRouters = new Set([r]);
  let frontier: { router: number; via: number | null }[] = [{ router: r, via: null }];
  while (frontier.length > 0) {
    const next: { router: number; via: number | null }[] = [];
    for (const f of frontier) {
      for (const p of ports.filter((q) => q.router === f.router)) {
        if (out.has(p.seg)) continue;
        out.set(p.seg, f.via);
        for (const q of ports.filter((x) => x.seg === p.seg && !seenRouters.has(x.router))) {
          seenRouters.add(q.router);
          // Leaving r, the next hop is the neighbour's address on the segment r shares with it.
          next.push({ router: q.router, via: f.via ?? q.addr });
        }
      }
    }
    frontier = next;
  }
  return out;
}

/** A loop among routers and segments, as the routers on it, or null for a tree (a forest). */
function findLoop(ports: readonly Port[], ids: (router: number) => string): string | null {
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    const p = parent.get(k) ?? k;
    if (p === k) return k;
    const root = find(p);
    parent.set(k, root);
    return root;
  };
  for (const p of ports) {
    const a = find(`r${p.router}`);
    const b = find(`s${p.seg}`);
    if (a === b) {
      const on = [...new Set(ports.filter((q) => find(`r${q.router}`) === a).map((q) => ids(q.router)))];
      return on.join(', ');
    }
    parent.set(a, b);
  }
  return null;
}

function routesOf(node: Record<string, unknown>): { to?: unknown }[] {
  return Array.isArray(node.routes) ? (node.routes as { to?: unknown }[]) : [];
}

/** Where a new `gateway` key goes: after `ip` (else after id, kind, label, position). */
function gatewayAt(node: Record<string, unknown>): number {
  const keys = Object.keys(node);
  const ip = keys.indexOf('ip');
  if (ip >= 0) return ip + 1;
  let at = 0;
  keys.forEach((k, i) => {
    if (['id', 'kind', 'label', 'position'].includes(k)) at = i + 1;
  });
  return at;
}

/** The ports of every router: its address on each segment it is cabled to. */
function routerPorts(data: SceneData, addressing: readonly SegmentAddressing[], segments: ReturnType<typeof sceneSegments>): Port[] | string {
  const ports: Port[] = [];
  for (let s = 0; s < segments.length; s++) {
    const seg = segments[s];
    for (let k = 0; k < seg.attached.length; k++) {
      const a = seg.attached[k];
      if (a.style !== 'interfaces') continue;
      const w = addressing[s].addresses[k];
      if (!w) return `${a.node} has no address on the segment of link ${linkName(data, a.link)}: address it first`;
      if (!ports.some((p) => p.router === a.nodeIndex && p.seg === s)) ports.push({ router: a.nodeIndex, seg: s, addr: w.cidr.addr });
    }
  }
  return ports;
}

function linkName(data: SceneData, i: number): string {
  const l = data.links?.[i];
  if (!l) return String(i);
  const end = (v: unknown) => (typeof v === 'string' ? v.split(':')[0] : '');
  return typeof l.id === 'string' ? l.id : `${end(l.a)}-${end(l.b)}`;
}

/** Gateways for hosts and routes for routers, as one command; refused for a network with a loop. */
export function addDefaultRoutes(catalog: Catalog, data: SceneData): DefaultRoutesResult {
  const nodes = data.nodes ?? [];
  const segments = sceneSegments(catalog, data);
  const addressing = segmentAddressing(data, segments);
  const ports = routerPorts(data, addressing, segments);
  if (typeof ports === 'string') return { ok: false, message: ports };
  const loop = findLoop(ports, (r) => String(nodes[r].id));
  if (loop !== null) {
    return { ok: false, message: `the routers ${loop} and their segments form a loop: which way round to send is a choice; add those routes by hand` };
  }
  const ops: EditOp[] = [];
  const what: string[] = [];
  // Hosts: the first router on their segment (in scene order) is their gateway.
  segments.forEach((seg, s) => {
    const gw = ports.filter((p) => p.seg === s).sort((x, y) => x.router - y.router)[0];
    if (!gw) return;
    for (const a of seg.attached) {
      const node = nodes[a.nodeIndex];
      if (a.style !== 'ip' || node.gateway !== undefined || routesOf(node).length > 0) continue;
      const sub = addressing[s].subnet;
      const own = typeof node.ip === 'string' ? parseCidr(node.ip) : undefined;
      if (!sub || !own || !inSubnet(own.addr, sub.network, sub.prefix)) continue;
      ops.push({ op: 'set', path: ['nodes', a.nodeIndex, 'gateway'], value: formatIpv4(gw.addr), at: gatewayAt(node) });
      what.push(`${String(node.id)} via ${formatIpv4(gw.addr)}`);
    }
  });
  // Routers: a route to each subnet they do not touch.
  const routers = [...new Set(ports.map((p) => p.router))].sort((x, y) => x - y);
  for (const r of routers) {
    const node = nodes[r];
    const existing = routesOf(node);
    let added = 0;
    for (const [seg, via] of firstHops(r, ports)) {
      const sub = addressing[seg].subnet;
      if (via === null || !sub) continue;
      const covered = existing.some((x) => {
        const c = typeof x?.to === 'string' && x.to !== 'default' ? parseCidr(x.to) : undefined;
        return c !== undefined && c.prefix > 0 && c.prefix <= sub.prefix && inSubnet(sub.network, c.network, c.prefix);
      });
      if (covered) continue;
      ops.push({ op: 'insert', path: ['nodes', r, 'routes'], index: existing.length + added++, value: { to: subnetText(sub), via: formatIpv4(via) } });
    }
    if (added > 0) what.push(`${String(node.id)}: ${added} route${added === 1 ? '' : 's'}`);
  }
  return { ok: true, command: ops.length === 0 ? null : { name: `Add default routes (${what.join('; ')})`, ops } };
}
