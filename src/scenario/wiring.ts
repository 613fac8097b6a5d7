/**
 * Which interface an unnamed link end takes on a device with several declared interfaces (a
 * router). A router port is cabled to one subnet, so the link goes to the interface on the subnet
 * of what is across the cable, never to the next one in link order:
 *
 * 1. the interface whose address the devices across it send through (a host's gateway, a router's
 *    route `via`), else
 * 2. the interface whose subnet holds their addresses.
 *
 * "Across it" is the peer device, or, through switches and hubs, every addressed device on that
 * segment. A peer router whose own end is not yet known offers all its addresses; ends are
 * resolved in rounds until nothing changes, each round from the state the last one left, so the
 * result does not depend on the order links are listed. An end that fits no interface, fits two,
 * or needs an interface another link needs, is an error for that link. A cable to a segment with
 * no addresses at all takes the device's one remaining interface, if exactly one is left.
 */
import type { InterfaceDecl } from '../net/device-config';
import { formatIpv4, inSubnet, parseCidr, parseIpv4, type Cidr } from '../protocols/addr';

/** A node as wiring sees it. */
export interface WiringNode {
  readonly id: string;
  readonly interfaces: readonly InterfaceDecl[] | 'per-link';
  /** Addresses the node sends through: gateway, route next hops. */
  readonly nextHops: readonly string[];
}

/** A link's two node ids, by its index in the scene. */
export interface WiringLink {
  readonly index: number;
  readonly id: string;
  readonly a: string;
  readonly b: string;
}

/** A link end waiting for an interface. */
export interface WiringEnd {
  readonly linkIndex: number;
  readonly side: 'a' | 'b';
  readonly node: string;
}

/** A problem with one end. */
export interface WiringError {
  readonly linkIndex: number;
  readonly side: 'a' | 'b';
  readonly message: string;
}

/** `${linkIndex}:${side}`. */
export type EndKey = string;

export const endKey = (linkIndex: number, side: 'a' | 'b'): EndKey => `${linkIndex}:${side}`;

interface Iface {
  readonly name: string;
  readonly cidr: Cidr;
  readonly text: string;
}

/** One addressed device across a link and the addresses it shows there. */
interface Station {
  readonly node: string;
  readonly order: number;
  readonly addrs: readonly number[];
  readonly hops: readonly number[];
}

/**
 * Resolves `pending` ends (each on a node with two or more declared interfaces). `assigned` holds
 * the ends already known (named in the scene, or on single-interface devices) and receives the
 * resolved ones.
 */
// eslint-disable-next-line max-lines-per-function -- one fixed-point loop (resolve what is certain, repeat) over local maps of segments and stations that its steps share; each step is commented
export function wireUnnamedEnds(
  nodes: readonly WiringNode[],
  links: readonly WiringLink[],
  assigned: Map<EndKey, string>,
  pending: readonly WiringEnd[],
): WiringError[] {
  const byId = new Map(nodes.map((n, i) => [n.id, { node: n, order: i }] as const));
  const ifaces = new Map<string, Iface[]>();
  for (const n of nodes) {
    if (n.interfaces === 'per-link') continue;
    const list: Iface[] = [];
    for (const d of n.interfaces) {
      const cidr = d.cidr !== undefined ? parseCidr(d.cidr) : undefined;
      if (cidr) list.push({ name: d.name, cidr, text: d.cidr! });
    }
    ifaces.set(n.id, list);
  }
  const linksOf = new Map<string, WiringLink[]>();
  for (const l of links) {
    for (const id of [l.a, l.b]) {
      const list = linksOf.get(id) ?? [];
      list.push(l);
      linksOf.set(id, list);
    }
  }
  const linkByIndex = new Map(links.map((l) => [l.index, l]));
  /** Which link holds each interface of each node: `node:iface` -> link id. */
  const holder = new Map<string, string>();
  for (const [key, iface] of assigned) {
    const [index, side] = key.split(':');
    const l = linkByIndex.get(Number(index));
    if (l) holder.set(`${side === 'a' ? l.a : l.b}:${iface}`, l.id);
  }

  /** Ends with a node across them that failed validation: their errors would only repeat it. */
  const unsure = new Set<WiringEnd>();
  /** The addressed devices across `end`'s link, sorted by scene order. */
  const across = (end: WiringEnd): Station[] => {
    const link = linkByIndex.get(end.linkIndex)!;
    const peerSide = end.side === 'a' ? 'b' : 'a';
    const out: Station[] = [];
    const visit = (node: string, key: EndKey): void => {
      const entry = byId.get(node);
      if (!entry) unsure.add(end);
      if (!entry || node === end.node) return;
      const all = ifaces.get(node) ?? [];
      const known = assigned.get(key);
      const shown = known !== undefined ? all.filter((i) => i.name === known) : all;
      const hops: number[] = [];
      for (const h of entry.node.nextHops) {
        const a = parseIpv4(h);
        if (a !== undefined && shown.some((i) => inSubnet(a, i.cidr.network, i.cidr.prefix))) hops.push(a);
      }
      if (shown.length) out.push({ node, order: entry.order, addrs: shown.map((i) => i.cidr.addr), hops });
    };
    const first = peerSide === 'a' ? link.a : link.b;
    if (byId.get(first)?.node.interfaces !== 'per-link') {
      visit(first, endKey(link.index, peerSide));
    } else {
      const seen = new Set([first]);
      const queue = [first];
      while (queue.length) {
        const q = queue.shift()!;
        for (const l of linksOf.get(q) ?? []) {
          if (l.index === link.index) continue;
          const [far, farSide] = l.a === q ? [l.b, 'b' as const] : [l.a, 'a' as const];
          if (!byId.has(far)) {
            unsure.add(end);
          } else if (byId.get(far)?.node.interfaces === 'per-link') {
            if (!seen.has(far)) {
              seen.add(far);
              queue.push(far);
            }
          } else {
            visit(far, endKey(l.index, farSide));
          }
        }
      }
    }
    return out.sort((x, y) => x.order - y.order || x.node.localeCompare(y.node));
  };

  /** The interfaces of `node` that `stations` point at: gateway/next hop first, else subnet. */
  const match = (node: string, stations: readonly Station[]): Iface[] => {
    const mine = ifaces.get(node) ?? [];
    const byHop = mine.filter((i) => stations.some((s) => s.hops.includes(i.cidr.addr)));
    if (byHop.length) return byHop;
    return mine.filter((i) => stations.some((s) => [...s.addrs, ...s.hops].some((a) => inSubnet(a, i.cidr.network, i.cidr.prefix))));
  };

  const errors: WiringError[] = [];
  const fail = (e: WiringEnd, message: string): void => {
    if (!unsure.has(e)) errors.push({ linkIndex: e.linkIndex, side: e.side, message });
  };
  const linkId = (e: WiringEnd): string => linkByIndex.get(e.linkIndex)!.id;
  /** `h2 (10.0.0.5)`: the first station with an address on `i`'s subnet (or using it as next hop). */
  const witness = (stations: readonly Station[], i: Iface): string => {
    const s =
      stations.find((st) => st.hops.includes(i.cidr.addr)) ??
      stations.find((st) => st.addrs.some((a) => inSubnet(a, i.cidr.network, i.cidr.prefix))) ??
      stations[0];
    const addr = s.addrs.find((a) => inSubnet(a, i.cidr.network, i.cidr.prefix)) ?? s.addrs[0];
    return `${s.node} (${formatIpv4(addr)})`;
  };

  let open = [...pending];
  const done = new Set<WiringEnd>();
  for (;;) {
    const proposals = new Map<string, { end: WiringEnd; iface: Iface; stations: Station[] }[]>();
    for (const e of open) {
      const stations = across(e);
      const m = match(e.node, stations);
      if (m.length !== 1) continue;
      const key = `${e.node}:${m[0].name}`;
      const list = proposals.get(key) ?? [];
      list.push({ end: e, iface: m[0], stations });
      proposals.set(key, list);
    }
    if (proposals.size === 0) break;
    for (const [key, list] of proposals) {
      const taken = holder.get(key);
      for (const p of list) {
        done.add(p.end);
        const others = [...(taken !== undefined ? [taken] : []), ...list.filter((q) => q !== p).map((q) => linkId(q.end))];
        if (others.length) {
          fail(
            p.end,
            `${p.end.node} has one interface on the subnet of ${witness(p.stations, p.iface)}, ${p.iface.name}, and link ${others.join(', ')} needs it too`,
          );
        }
      }
      if (taken === undefined && list.length === 1) {
        const p = list[0];
        assigned.set(endKey(p.end.linkIndex, p.end.side), p.iface.name);
        holder.set(key, linkId(p.end));
      }
    }
    open = open.filter((e) => !done.has(e));
  }

  // What is left fits no interface, fits several, or has nothing across it.
  const blind = new Map<string, WiringEnd[]>();
  for (const e of open) {
    const stations = across(e);
    if (stations.length === 0) {
      const list = blind.get(e.node) ?? [];
      list.push(e);
      blind.set(e.node, list);
      continue;
    }
    const m = match(e.node, stations);
    if (m.length === 0) {
      const names = stations.slice(0, 3).map((s) => `${s.node} (${s.addrs.map(formatIpv4).join(', ')})`);
      const more = stations.length > 3 ? ` or ${stations.length - 3} more` : '';
      fail(e, `${e.node} has no interface on the subnet of ${names.join(' or ')}${more}`);
    } else {
      const options = m.map((i) => `${i.name} (${i.text})`);
      const seen = stations.map((s) => `${s.node} ${s.addrs.map(formatIpv4).join(', ')}`).join(', ');
      fail(
        e,
        `${e.node} could take ${options.slice(0, -1).join(', ')} or ${options[options.length - 1]} for this link (across it: ${seen}); name one, e.g. ${e.node}:${m[0].name}`,
      );
    }
  }
  for (const [node, ends] of blind) {
    const free = (ifaces.get(node) ?? []).filter((i) => !holder.has(`${node}:${i.name}`));
    if (ends.length === 1 && free.length === 1) {
      assigned.set(endKey(ends[0].linkIndex, ends[0].side), free[0].name);
      continue;
    }
    const names = free.map((i) => `${node}:${i.name}`);
    const hint =
      names.length === 0
        ? 'every interface is taken'
        : `name one (${names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : names[0]})`;
    for (const e of ends) fail(e, `${node} cannot tell which interface this link takes: nothing across it has an address; ${hint}`);
  }
  return errors;
}
