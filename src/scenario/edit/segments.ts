/**
 * The scene's layer-3 picture as the editor's helpers read it: segments (the links joined through
 * switches and hubs, one broadcast domain each), the addressed devices attached to each, and the
 * subnet of each segment. Read from plain scene data, so it works on scenes that are not valid yet.
 */
import { formatIpv4, inSubnet, parseCidr, type Cidr } from '../../protocols/addr';
import type { Catalog, SceneData } from './commands';

/** How a kind holds its addresses: none (switch, hub), one `ip`, or a list of `interfaces` (router). */
export type AddressStyle = 'per-link' | 'ip' | 'interfaces';

/**
 * A kind's address style, from its config spec: `interfaces()` of an empty config says `per-link`,
 * one interface (an `ip` field) or as many as the `interfaces` list holds.
 */
export function addressStyle(catalog: Catalog, kind: string): AddressStyle | undefined {
  const spec = catalog.get(kind);
  if (!spec) return undefined;
  try {
    const decl = spec.interfaces({ interfaces: [] } as never);
    return decl === 'per-link' ? 'per-link' : decl.length === 0 ? 'interfaces' : 'ip';
  } catch {
    return undefined;
  }
}

/** One addressed device's attachment to a segment, through link `link` (its index). */
interface Attachment {
  readonly node: string;
  readonly nodeIndex: number;
  readonly style: 'ip' | 'interfaces';
  readonly link: number;
  /** The interface named by the link end (`r1:eth1`), when it names one. */
  readonly iface?: string;
}

/** A broadcast domain: links joined through switches and hubs, and what is attached to it. */
export interface Segment {
  /** Link indexes, ascending. */
  readonly links: readonly number[];
  /** Switches and hubs in it, in scene order. */
  readonly bridges: readonly string[];
  /** Addressed devices attached, in scene order. */
  readonly attached: readonly Attachment[];
}

function endNode(end: unknown): string {
  return typeof end === 'string' ? end.split(':')[0] : '';
}

function endIface(end: unknown): string | undefined {
  if (typeof end !== 'string') return undefined;
  const c = end.indexOf(':');
  return c < 0 ? undefined : end.slice(c + 1);
}

/** Every segment of the scene, ordered by their first link. */
export function sceneSegments(catalog: Catalog, data: SceneData): Segment[] {
  const nodes = data.nodes ?? [];
  const index = new Map<string, number>();
  nodes.forEach((n, i) => {
    if (n && typeof n.id === 'string' && !index.has(n.id)) index.set(n.id, i);
  });
  const styleOf = (id: string): AddressStyle | undefined => {
    const i = index.get(id);
    return i === undefined ? undefined : addressStyle(catalog, String(nodes[i].kind));
  };
  const links = data.links ?? [];
  // Union-find over links: two links meet in a segment when they share a switch or hub.
  const parent = links.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const firstAt = new Map<string, number>();
  links.forEach((l, i) => {
    for (const end of [l?.a, l?.b]) {
      const id = endNode(end);
      if (styleOf(id) !== 'per-link') continue;
      const first = firstAt.get(id);
      if (first === undefined) firstAt.set(id, i);
      else parent[find(i)] = find(first);
    }
  });
  const groups = new Map<number, number[]>();
  links.forEach((l, i) => {
    if (!l || !index.has(endNode(l.a)) || !index.has(endNode(l.b))) return;
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), i]);
  });
  return [...groups.values()].map((ls) => {
    const bridges = new Set<string>();
    const attached: Attachment[] = [];
    for (const li of ls) {
      for (const end of [links[li].a, links[li].b]) {
        const id = endNode(end);
        const style = styleOf(id);
        if (style === 'per-link') bridges.add(id);
        else if (style !== undefined) {
          const iface = endIface(end);
          attached.push({ node: id, nodeIndex: index.get(id)!, style, link: li, ...(iface ? { iface } : {}) });
        }
      }
    }
    attached.sort((x, y) => x.nodeIndex - y.nodeIndex || x.link - y.link);
    return { links: ls, bridges: [...bridges].sort((x, y) => index.get(x)! - index.get(y)!), attached };
  });
}

/** A router interface as written: `10.0.0.254/24` or `{ name?, ip }`, with its name by position. */
export interface WrittenInterface {
  readonly name: string;
  readonly cidr: Cidr;
  readonly text: string;
}

/** The interfaces a node writes (its `ip`, or each entry of `interfaces`), skipping bad ones. */
export function writtenInterfaces(node: Record<string, unknown>): WrittenInterface[] {
  const out: WrittenInterface[] = [];
  if (typeof node.ip === 'string') {
    const c = parseCidr(node.ip);
    if (c) out.push({ name: 'eth0', cidr: c, text: node.ip });
  }
  if (Array.isArray(node.interfaces)) {
    node.interfaces.forEach((i: unknown, k) => {
      const text = typeof i === 'string' ? i : i && typeof i === 'object' ? (i as { ip?: unknown }).ip : undefined;
      const name = i && typeof i === 'object' && typeof (i as { name?: unknown }).name === 'string' ? String((i as { name: string }).name) : `eth${k}`;
      const c = typeof text === 'string' ? parseCidr(text) : undefined;
      if (c) out.push({ name, cidr: c, text: text as string });
    });
  }
  return out;
}

/** `10.0.1.0/24`. */
export function subnetText(c: { network: number; prefix: number }): string {
  return `${formatIpv4(c.network)}/${c.prefix}`;
}

/** A segment's subnet and each attachment's address on it (when it has one). */
export interface SegmentAddressing {
  readonly subnet?: { network: number; prefix: number };
  /** Address (with prefix) of each attachment on the segment, by position in `attached`. */
  readonly addresses: readonly (WrittenInterface | undefined)[];
}

/**
 * The subnet of every segment: the one its single-address devices (and named router ends) are
 * on; else, for a segment where only routers are, a router interface that no other segment uses.
 */
export function segmentAddressing(data: SceneData, segments: readonly Segment[]): SegmentAddressing[] {
  const nodes = data.nodes ?? [];
  const known = segments.map((seg) => {
    for (const a of seg.attached) {
      const ifs = writtenInterfaces(nodes[a.nodeIndex]);
      const w = a.style === 'ip' ? ifs[0] : a.iface !== undefined ? ifs.find((i) => i.name === a.iface) : undefined;
      if (w) return { network: w.cidr.network, prefix: w.cidr.prefix };
    }
    return undefined;
  });
  const subnets: ({ network: number; prefix: number } | undefined)[] = [...known];
  const claimed = (c: Cidr) => subnets.some((k) => k !== undefined && inSubnet(c.addr, k.network, k.prefix));
  const routerIfs = (seg: Segment) => seg.attached.filter((a) => a.style === 'interfaces').map((a) => writtenInterfaces(nodes[a.nodeIndex]));
  // Segments of routers only: first those two or more routers share a subnet on, then a lone
  // router's one interface that no other segment uses.
  for (const lone of [false, true]) {
    segments.forEach((seg, s) => {
      if (subnets[s]) return;
      const ifs = routerIfs(seg);
      if (ifs.length === 0 || (ifs.length === 1) !== lone) return;
      const free = ifs[0].filter(
        (i) => !claimed(i.cidr) && ifs.every((other) => other.some((o) => o.cidr.network === i.cidr.network && o.cidr.prefix === i.cidr.prefix)),
      );
      if (free.length === 1) subnets[s] = { network: free[0].cidr.network, prefix: free[0].cidr.prefix };
    });
  }
  return segments.map((seg, s) => {
    const sub = subnets[s];
    const addresses = seg.attached.map((a) => {
      if (!sub) return undefined;
      const ifs = writtenInterfaces(nodes[a.nodeIndex]);
      return ifs.find((i) => i.cidr.prefix === sub.prefix && inSubnet(i.cidr.addr, sub.network, sub.prefix));
    });
    return { subnet: sub, addresses };
  });
}
