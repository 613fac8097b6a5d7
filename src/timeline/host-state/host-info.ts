/**
 * What a host is configured with, before anything happens: its interfaces (name, MAC, address,
 * MTU, the link behind each), its routing table and its resolvers. This comes from the scene (the
 * network is built, not run); everything that changes over time comes from the trace.
 */
import { resolversOf } from '../../protocols/dns/stub';
import type { Cidr } from '../../protocols/addr';
import { buildNetwork, type Network } from '../../scenario/build';
import type { Scene } from '../../scenario/scene';
import type { Route } from '../../net/ip/routing-table';
import { IpDevice } from '../../net/ip/ip-device';
import type { Trace } from '../../sim/trace';

/** One interface of a host. */
interface HostInterface {
  readonly name: string;
  readonly mac: number;
  readonly cidr: Cidr;
  readonly mtu: number;
  /** The trace link on this interface, or -1 when none is connected. */
  readonly link: number;
  /** Which end of that link the host is (0 = a, 1 = b). */
  readonly end: 0 | 1;
  /** The link's transmit queue, frames (shown as `qlen`). */
  readonly qlen: number;
}

/** A host's configuration at time zero. */
export interface HostInfo {
  readonly name: string;
  readonly kind: string;
  /** Trace node id. */
  readonly node: number;
  readonly interfaces: readonly HostInterface[];
  /** The routing table as configured, best first. */
  readonly routes: readonly Route[];
  /** Resolver addresses (`nameserver` lines). */
  readonly resolvers: readonly number[];
  /** Whether the device forwards packets (a router). */
  readonly forwarding: boolean;
}

/** What the state commands read: the scene (configuration) and its trace (what happened). */
export interface HostStateSource {
  readonly scene: Scene;
  readonly trace: Trace;
}

const built = new WeakMap<Scene, Network>();

function networkOf(scene: Scene): Network {
  let n = built.get(scene);
  if (!n) {
    n = buildNetwork(scene);
    built.set(scene, n);
  }
  return n;
}

/**
 * The names of the devices a terminal can open on (those with an IP stack), in scene order.
 */
export function terminalHosts(scene: Scene): string[] {
  const n = networkOf(scene);
  return scene.nodes.filter((x) => n.devices.get(x.id) instanceof IpDevice).map((x) => x.id);
}

/** The configuration of `host`, or undefined when it has no IP stack (a switch, a hub) or does not exist. */
export function hostInfo(src: HostStateSource, host: string): HostInfo | undefined {
  const device = networkOf(src.scene).devices.get(host);
  if (!(device instanceof IpDevice)) return undefined;
  const node = src.trace.nodes.findIndex((n) => n.name === host);
  const stack = device.stack;
  const interfaces = stack.interfaces.map((i): HostInterface => {
    let link = -1;
    let end: 0 | 1 = 0;
    for (const l of src.trace.links) {
      if (l.a === node && l.aIf === i.nic.name) [link, end] = [l.id, 0];
      else if (l.b === node && l.bIf === i.nic.name) [link, end] = [l.id, 1];
    }
    const sceneLink = link >= 0 ? src.scene.links[link] : undefined;
    return { name: i.nic.name, mac: i.nic.mac, cidr: i.cidr, mtu: i.mtu ?? sceneLink?.mtu ?? 1500, link, end, qlen: sceneLink?.queue ?? 1000 };
  });
  return {
    name: host,
    kind: device instanceof IpDevice ? (src.scene.nodes.find((n) => n.id === host)?.kind ?? '') : '',
    node,
    interfaces,
    routes: [...stack.routes.all()],
    resolvers: [...resolversOf(stack)],
    forwarding: stack.forwarding,
  };
}
