/**
 * Auto-addressing, as a network tool's "address this subnet": a segment whose devices have no
 * address on it gets one. Its subnet is the one its addressed devices already use, else the first
 * free /24 of 10.0.0.0/8 that overlaps no subnet, address or route of the scene. Routers take the
 * top of the subnet (.254, then .253...), other devices the lowest free addresses (.1, .2...).
 * Addresses already written are never changed. The result is one command (one undo step).
 */
import { formatIpv4, inSubnet, parseCidr } from '../../protocols/addr';
import type { Catalog, EditCommand, SceneData } from './commands';
import type { EditOp } from './ops';
import { sceneSegments, segmentAddressing, writtenInterfaces, type Segment } from './segments';

/** Which segments to address: those holding these links, or these devices; all when absent. */
export interface AddressScope {
  readonly links?: readonly number[];
  readonly nodes?: readonly string[];
}

interface Net {
  network: number;
  prefix: number;
}

/** Every subnet the scene already names: devices' addresses and routes' destinations. */
function usedSubnets(data: SceneData): Net[] {
  const out: Net[] = [];
  for (const n of data.nodes ?? []) {
    if (!n) continue;
    for (const w of writtenInterfaces(n)) out.push({ network: w.cidr.network, prefix: w.cidr.prefix });
    if (Array.isArray(n.routes)) {
      for (const r of n.routes as { to?: unknown }[]) {
        const c = typeof r?.to === 'string' && r.to !== 'default' ? parseCidr(r.to) : undefined;
        if (c && c.prefix > 0) out.push({ network: c.network, prefix: c.prefix });
      }
    }
  }
  return out;
}

function overlaps(a: Net, b: Net): boolean {
  const p = Math.min(a.prefix, b.prefix);
  return inSubnet(a.network, b.network, p);
}

/** The first 10.0.x.0/24 (then 10.x.y.0/24) that overlaps none of `used`. */
function freeSlash24(used: readonly Net[]): Net | undefined {
  for (let i = 0; i < 65_536; i++) {
    const net = { network: ((10 << 24) | (i << 8)) >>> 0, prefix: 24 };
    if (!used.some((u) => overlaps(u, net))) return net;
  }
  return undefined;
}

function inScope(seg: Segment, scope: AddressScope | undefined): boolean {
  if (!scope || (scope.links === undefined && scope.nodes === undefined)) return true;
  return (
    seg.links.some((l) => scope.links?.includes(l)) ||
    seg.bridges.some((b) => scope.nodes?.includes(b)) ||
    seg.attached.some((a) => scope.nodes?.includes(a.node))
  );
}

/**
 * Addresses the segments in `scope`: every attached device without an address on its segment gets
 * one (a router a new entry in `interfaces`, other devices `ip`). `null` when there is nothing to do.
 */
export function addressSegments(catalog: Catalog, data: SceneData, scope?: AddressScope): EditCommand | null {
  const segments = sceneSegments(catalog, data);
  const addressing = segmentAddressing(data, segments);
  const used = usedSubnets(data);
  const taken = new Set<number>();
  for (const n of data.nodes ?? []) if (n) for (const w of writtenInterfaces(n)) taken.add(w.cidr.addr);
  const ops: EditOp[] = [];
  /** Interfaces appended to each router so far (a router may join several segments at once). */
  const appended = new Map<number, number>();
  const names: string[] = [];
  segments.forEach((seg, s) => {
    if (!inScope(seg, scope)) return;
    const missing = seg.attached.filter((a, k) => addressing[s].addresses[k] === undefined && !(a.style === 'ip' && hasIp(data, a.nodeIndex)));
    if (missing.length === 0) return;
    const subnet = addressing[s].subnet ?? freeSlash24(used);
    if (!subnet) return;
    if (!addressing[s].subnet) used.push(subnet);
    const size = 2 ** (32 - subnet.prefix);
    const pick = (top: boolean): number | undefined => {
      for (let k = 1; k < size - 1; k++) {
        const a = (subnet.network + (top ? size - 1 - k : k)) >>> 0;
        if (!taken.has(a)) return a;
      }
      return undefined;
    };
    for (const a of missing) {
      // A named end on an interface that exists without an address is left for the user.
      if (a.style === 'interfaces' && a.iface !== undefined) continue;
      const addr = pick(a.style === 'interfaces');
      if (addr === undefined) continue;
      taken.add(addr);
      const cidr = `${formatIpv4(addr)}/${subnet.prefix}`;
      const node = data.nodes![a.nodeIndex];
      if (a.style === 'ip') {
        ops.push({ op: 'set', path: ['nodes', a.nodeIndex, 'ip'], value: cidr, ...keyAt(node) });
      } else {
        const have = Array.isArray(node.interfaces) ? node.interfaces.length : 0;
        const more = appended.get(a.nodeIndex) ?? 0;
        appended.set(a.nodeIndex, more + 1);
        ops.push({ op: 'insert', path: ['nodes', a.nodeIndex, 'interfaces'], index: have + more, value: cidr });
      }
      names.push(`${a.node} ${cidr}`);
    }
  });
  if (ops.length === 0) return null;
  return { name: `Address ${names.join(', ')}`, ops };
}

/** Whether the node writes an `ip` (kept even when it is on another subnet than its segment). */
function hasIp(data: SceneData, i: number): boolean {
  return typeof data.nodes?.[i]?.ip === 'string';
}

/** A new `ip` key goes after id, kind, label and position. */
function keyAt(node: Record<string, unknown>): { at?: number } {
  const keys = Object.keys(node);
  let at = 0;
  keys.forEach((k, i) => {
    if (['id', 'kind', 'label', 'position'].includes(k)) at = i + 1;
  });
  return { at };
}
