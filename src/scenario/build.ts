/**
 * Builds a runnable network from a validated scene: devices from the registry, links (or hub
 * cables), programs to start and faults to apply, all as events on the kernel so a run is a pure
 * function of the scene and its seed.
 */
import '../net/devices';
import '../protocols/builtin-transports';
import '../apps';
import { startCommand, parseCommand } from '../apps/registry';
import type { Program } from '../apps/program';
import { SimContext } from '../net/context';
import type { Device } from '../net/device';
import { defaultMac, deviceKind } from '../net/device-registry';
import { IpDevice } from '../net/ip/ip-device';
import { FullDuplexLink } from '../net/link';
import { linkParamsOf, type LinkParams } from '../net/link-params';
import type { Nic } from '../net/nic';
import { PacketFaults } from '../net/packet-faults';
import { Kernel } from '../sim/kernel';
import { RngRegistry } from '../sim/rng';
import { Trace } from '../sim/trace';
import { faultVariants, type FaultTarget, type FaultVariant } from './faults';
import type { LinkEnd, Scene } from './scene';
import type { SceneError } from './validate';

/** A built network, ready to run. */
export interface Network {
  readonly scene: Scene;
  readonly ctx: SimContext;
  readonly devices: ReadonlyMap<string, Device>;
  /** Applies link parameter changes by link id (full-duplex link or hub cable). */
  readonly setLink: (id: string, change: Partial<LinkParams>) => void;
}

/** Thrown when a valid-looking scene cannot be built (e.g. a program on a switch). */
export class SceneBuildError extends Error {
  constructor(readonly errors: SceneError[]) {
    super(errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  }
}

/**
 * Link ends on devices with declared interfaces that no interface was chosen for. Validation
 * picks each one by the subnet across the link (scenario/wiring.ts); a scene that skipped it would
 * otherwise be wired in link order, so it is refused before anything is built.
 */
function unwiredEnds(scene: Scene): SceneError[] {
  const out: SceneError[] = [];
  const nodes = new Map(scene.nodes.map((n) => [n.id, n]));
  scene.links.forEach((link, i) => {
    for (const side of ['a', 'b'] as const) {
      const end = link[side];
      const node = nodes.get(end.node);
      const kind = node && deviceKind(node.kind);
      if (!node || !kind || end.iface !== undefined || kind.interfaces(node.config) === 'per-link') continue;
      out.push({
        path: `links[${i}].${side}`,
        message: `${end.node} is a ${node.kind} with declared interfaces and this end names none; validate the scene first (loadScene picks the one on the subnet across the link)`,
      });
    }
  });
  return out;
}

/** Offsets of per-link port MACs, so they never meet a declared interface's default MAC. */
const PORT_MAC_BASE = 0x80;

/** Builds the network for `scene` with `seed` (the scene's own seed by default). */
// eslint-disable-next-line max-lines-per-function -- builds devices, links, runs and faults of a scene in one deterministic order; splitting it would spread that order over files
export function buildNetwork(scene: Scene, seed = scene.seed): Network {
  const ctx = new SimContext(new Kernel(), new RngRegistry(seed), new Trace());
  const devices = new Map<string, Device>();
  const ordinals = new Map<string, number>();
  const errors: SceneError[] = unwiredEnds(scene);
  if (errors.length) throw new SceneBuildError(errors);

  scene.nodes.forEach((node, i) => {
    const kind = deviceKind(node.kind);
    if (!kind) throw new SceneBuildError([{ path: `nodes[${i}].kind`, message: `unknown kind "${node.kind}"` }]);
    const nodeId = ctx.trace.defineNode(node.id, node.kind);
    devices.set(node.id, kind.build({ ctx, name: node.id, nodeId, ordinal: i + 1, config: node.config }));
    ordinals.set(node.id, i + 1);
  });

  const linkSetters = new Map<string, (change: Partial<LinkParams>) => void>();
  const fullDuplex = new Map<string, FullDuplexLink>();
  const portCount = new Map<string, number>();

  /** The NIC at one end of a link (creating a port for per-link devices), or null for a shared medium. */
  const endNic = (end: LinkEnd, path: string): { nic: Nic | null; ifName: string } => {
    const device = devices.get(end.node)!;
    if (device.sharedMedium) {
      const n = portCount.get(end.node) ?? 0;
      portCount.set(end.node, n + 1);
      return { nic: null, ifName: `port${n + 1}` };
    }
    if (end.iface !== undefined) {
      const nic = device.nic(end.iface);
      if (!nic) errors.push({ path, message: `${end.node} has no interface "${end.iface}"` });
      return { nic: nic ?? null, ifName: end.iface };
    }
    const n = portCount.get(end.node) ?? 0;
    portCount.set(end.node, n + 1);
    const name = `port${n + 1}`;
    return { nic: device.addNic(name, defaultMac(ordinals.get(end.node)!, PORT_MAC_BASE + n)), ifName: name };
  };

  scene.links.forEach((link, i) => {
    const a = endNic(link.a, `links[${i}].a`);
    const b = endNic(link.b, `links[${i}].b`);
    const aDev = devices.get(link.a.node)!;
    const bDev = devices.get(link.b.node)!;
    const linkId = ctx.trace.defineLink(link.id, aDev.nodeId, bDev.nodeId, a.ifName, b.ifName);
    const params = linkParamsOf(link);
    const aMedium = aDev.sharedMedium;
    const bMedium = bDev.sharedMedium;
    if (aMedium && bMedium) {
      // Validation refuses these with the medium's own reason (its `cannotLinkTo`).
      errors.push({ path: `links[${i}]`, message: `${link.a.node} and ${link.b.node} are both shared media: validate the scene first` });
    } else if (aMedium && b.nic) {
      linkSetters.set(link.id, aMedium.attachStation(b.nic, linkId, link.id, 1, params));
    } else if (bMedium && a.nic) {
      linkSetters.set(link.id, bMedium.attachStation(a.nic, linkId, link.id, 0, params));
    } else if (a.nic && b.nic) {
      const l = new FullDuplexLink(ctx, linkId, link.id, a.nic, b.nic, params);
      linkSetters.set(link.id, (c) => l.set(c));
      fullDuplex.set(link.id, l);
    }
    // Otherwise an interface error was already recorded above.
  });

  const programs: Program[] = [];
  scene.run.forEach((run, i) => {
    const device = devices.get(run.on);
    if (!(device instanceof IpDevice)) {
      errors.push({ path: `run[${i}].on`, message: `${run.on} is a ${scene.nodes.find((n) => n.id === run.on)?.kind}: it runs no programs` });
      return;
    }
    const parsed = parseCommand(run.cmd);
    if (!parsed.ok) {
      errors.push({ path: `run[${i}].cmd`, message: parsed.error });
      return;
    }
    // A program started before the host has its address (a DHCP lease) waits for it.
    ctx.kernel.at(run.at, () =>
      device.whenConfigured(() => {
        if (device.isUp) programs.push(startCommand(device, parsed.command));
      }),
    );
  });
  scene.faults.forEach((fault, i) => {
    if (fault.kind === 'link-drop' && !fullDuplex.has(fault.link) && linkSetters.has(fault.link)) {
      errors.push({ path: `faults[${i}].link`, message: `"${fault.link}" is a hub cable: drop faults work on point-to-point links only` });
    }
  });
  if (errors.length) throw new SceneBuildError(errors);

  const setLink = (id: string, change: Partial<LinkParams>) => linkSetters.get(id)?.(change);
  let packetFaults: PacketFaults | undefined;
  const target: FaultTarget = {
    setLink,
    device: (id) => devices.get(id),
    dropOnLink: (id, matches, count, reason) => fullDuplex.get(id)?.addDropRule(matches, count, reason),
    dropOnEveryLink: (matches, reason) => {
      for (const l of fullDuplex.values()) l.addDropRule(matches, Infinity, reason);
    },
    packetFault: (packetId, effect, reason) => {
      if (!packetFaults) {
        packetFaults = new PacketFaults();
        for (const l of fullDuplex.values()) l.packetFaults = packetFaults;
      }
      packetFaults.add(packetId, effect, reason);
    },
    trace: ctx.trace,
  };
  for (const fault of scene.faults) {
    const variant = faultVariants.find((v) => v.kind === fault.kind) as FaultVariant<string, typeof fault> | undefined;
    if (!variant) throw new SceneBuildError([{ path: 'faults', message: `no fault variant "${fault.kind}"` }]);
    ctx.kernel.at(fault.at, () => variant.apply(fault, target));
  }

  // At the end of the run, programs still running print what Ctrl-C would make them print (ping its
  // summary) and stop; the end of observation sends nothing: open connections are left as they are.
  ctx.kernel.at(scene.duration, () => {
    for (const p of programs) if (p.alive) p.endOfRun();
  });

  return { scene, ctx, devices, setLink };
}
