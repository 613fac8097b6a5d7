/**
 * A tiny TestEditor-style driver for network tests: build a scene from a compact YAML string, run
 * it to a time, and ask the trace what a learner would see — program output on a node, frames on a
 * link (dissected), drops with their reasons, and state rows such as `mac 02:...` or `arp 10.0.0.2`.
 *
 *   const net = TestNet.fromYaml(`
 *     nodes: [{ id: h1, kind: host, ip: 10.0.0.1/24 }, { id: h2, kind: host, ip: 10.0.0.2/24 }]
 *     links: [{ a: h1, b: h2 }]
 *     run:   [{ on: h1, at: 1ms, cmd: "ping 10.0.0.2 -c 1" }]
 *   `).runUntil('20ms');
 *   expect(net.logs('h1')).toContain(...);
 *
 * `version`, `title` and `duration` may be left out; they default to 1, "test" and 1s.
 */
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { formatIpv4, formatMac, readMac } from '../../src/protocols/addr';
import { registerBuiltinProtocols } from '../../src/protocols/builtin';
import { readU16 } from '../../src/protocols/bytes';
import { dissectFrame, type DissectedFrame } from '../../src/protocols/dissect';
import type { Field } from '../../src/protocols/codec';
import { ETHERTYPE_ARP, ETHERTYPE_IPV4 } from '../../src/protocols/ethernet/ethernet';
import { IP_PROTO_ICMP, readIpv4Header } from '../../src/protocols/ipv4/ipv4';
import { buildNetwork, type Network } from '../../src/scenario/build';
import { loadScene } from '../../src/scenario/load';
import type { Scene } from '../../src/scenario/scene';
import { parseDuration } from '../../src/sim/units';
import { formatSceneError } from '../../src/scenario/validate';
import { Place, RecordKind, type Trace } from '../../src/sim/trace';

registerBuiltinProtocols();

/** A time as ns or as a duration string (`20ms`). */
export type TimeArg = number | string;

/** Converts `20ms` / `1.5s` / a number of ns to integer ns. */
function toNs(t: TimeArg): number {
  if (typeof t === 'number') return t;
  const d = parseDuration(t);
  if (!d.ok) throw new Error(`not a duration: ${t}: ${d.error}`);
  return d.ns;
}

/** Parses and validates scene YAML, filling in version/title/duration; throws listing every error. */
export function sceneFromYaml(yaml: string, defaults: { duration?: string } = {}): Scene {
  const raw = (parseYaml(yaml) ?? {}) as Record<string, unknown>;
  const full = { version: 1, title: 'test', duration: defaults.duration ?? '1s', ...raw };
  const text = stringifyYaml(full);
  const r = loadScene(text, 'test.yaml');
  if (!r.ok) throw new Error(`scene did not load:\n${r.errors.map((e) => formatSceneError(e, 'test.yaml')).join('\n')}\n---\n${text}`);
  return r.scene;
}

/** A frame as it crossed one direction of one link. */
export interface SeenFrame {
  readonly row: number;
  readonly link: string;
  /** `a>b` or `b>a` relative to the link as the scene wrote it. */
  readonly dir: 'a>b' | 'b>a';
  /** Transmission start, end, and arrival of the last bit, ns. */
  readonly time: number;
  readonly end: number;
  readonly arrival: number;
  readonly packetId: number;
  readonly bytes: Uint8Array;
  readonly dissected: DissectedFrame;
  readonly ethSrc: string;
  readonly ethDst: string;
  readonly etherType: number;
  /** IPv4 header fields, when the frame carries IPv4. */
  readonly ip?: {
    src: string;
    dst: string;
    ttl: number;
    protocol: number;
    id: number;
    dontFragment: boolean;
    moreFragments: boolean;
    fragmentOffset: number;
    totalLength: number;
  };
  /** ICMP type and code (first fragment only). */
  readonly icmp?: { type: number; code: number };
  /** ARP opcode (1 request, 2 reply) and addresses. */
  readonly arp?: { op: number; senderIp: string; targetIp: string; senderMac: string; targetMac: string };
  /** The value of a dissector field by key (e.g. `ip.ttl`), searched through every layer. */
  field(key: string): string | undefined;
}

/** A drop row. */
export interface SeenDrop {
  readonly row: number;
  readonly time: number;
  /** When the dropped frame began transmission (links), or `time` (nodes). */
  readonly started: number;
  /** Node or link name. */
  readonly where: string;
  readonly at: 'node' | 'link';
  readonly reason: string;
  readonly packetId: number;
  /** The dropped frame's bytes, when the drop stored one. */
  readonly frame?: Uint8Array;
}

/** A state row. */
export interface SeenState {
  readonly row: number;
  readonly time: number;
  readonly key: string;
  readonly value: string;
}

function findField(fields: readonly Field[], key: string): string | undefined {
  for (const f of fields) {
    if (f.key === key) return f.value;
    if (f.children) {
      const v = findField(f.children, key);
      if (v !== undefined) return v;
    }
  }
  return undefined;
}

/** Decodes trace frame bytes into a {@link SeenFrame} (without the row data). */
export function decodeFrame(bytes: Uint8Array): Omit<SeenFrame, 'row' | 'link' | 'dir' | 'time' | 'end' | 'arrival' | 'packetId'> {
  const dissected = dissectFrame(bytes);
  const etherType = readU16(bytes, 12);
  let ip: SeenFrame['ip'];
  let icmp: SeenFrame['icmp'];
  let arp: SeenFrame['arp'];
  if (etherType === ETHERTYPE_IPV4) {
    const h = readIpv4Header(bytes, 14);
    ip = {
      src: formatIpv4(h.src),
      dst: formatIpv4(h.dst),
      ttl: h.ttl,
      protocol: h.protocol,
      id: h.id,
      dontFragment: h.dontFragment,
      moreFragments: h.moreFragments,
      fragmentOffset: h.fragmentOffset,
      totalLength: h.totalLength,
    };
    if (h.protocol === IP_PROTO_ICMP && h.fragmentOffset === 0) icmp = { type: bytes[34], code: bytes[35] };
  } else if (etherType === ETHERTYPE_ARP) {
    const o = 14;
    arp = {
      op: readU16(bytes, o + 6),
      senderMac: formatMac(readMac(bytes, o + 8)),
      senderIp: formatIpv4(((bytes[o + 14] << 24) | (bytes[o + 15] << 16) | (bytes[o + 16] << 8) | bytes[o + 17]) >>> 0),
      targetMac: formatMac(readMac(bytes, o + 18)),
      targetIp: formatIpv4(((bytes[o + 24] << 24) | (bytes[o + 25] << 16) | (bytes[o + 26] << 8) | bytes[o + 27]) >>> 0),
    };
  }
  return {
    bytes,
    dissected,
    ethDst: formatMac(readMac(bytes, 0)),
    ethSrc: formatMac(readMac(bytes, 6)),
    etherType,
    ip,
    icmp,
    arp,
    field: (key: string) => {
      for (const l of dissected.layers) {
        const v = findField(l.fields, key);
        if (v !== undefined) return v;
      }
      return undefined;
    },
  };
}

/** Queries over a finished (or partly run) trace. */
export class TraceView {
  constructor(readonly trace: Trace) {}

  nodeId(name: string): number {
    const n = this.trace.nodes.find((x) => x.name === name);
    if (!n) throw new Error(`no node ${name} (have ${this.trace.nodes.map((x) => x.name).join(', ')})`);
    return n.id;
  }

  linkId(name: string): number {
    const l = this.trace.links.find((x) => x.name === name);
    if (!l) throw new Error(`no link ${name} (have ${this.trace.links.map((x) => x.name).join(', ')})`);
    return l.id;
  }

  /** Program output lines of `node`, in order. */
  logs(node: string): string[] {
    return this.logRows(node).map((r) => r.text);
  }

  /** Program output of `node` with times. */
  logRows(node: string): { time: number; text: string }[] {
    const id = this.nodeId(node);
    const t = this.trace;
    const out: { time: number; text: string }[] = [];
    for (let i = 0; i < t.length; i++) {
      if (t.kind[i] === RecordKind.Log && t.place[i] === id) out.push({ time: t.time[i], text: t.string(t.code[i]) });
    }
    return out;
  }

  /** Frames transmitted on `link` (both directions unless `dir` is given), in record order. */
  frames(link: string, dir?: 'a>b' | 'b>a'): SeenFrame[] {
    const id = this.linkId(link);
    const t = this.trace;
    const out: SeenFrame[] = [];
    for (let i = 0; i < t.length; i++) {
      if (t.kind[i] !== RecordKind.FrameTx || t.place[i] !== id) continue;
      const d = t.dir[i] === Place.AtoB ? 'a>b' : 'b>a';
      if (dir && d !== dir) continue;
      out.push({
        row: i,
        link,
        dir: d,
        time: t.time[i],
        end: t.end[i],
        arrival: t.arrival[i],
        packetId: t.packet[i],
        ...decodeFrame(t.frameBytes(t.frame[i])),
      });
    }
    return out;
  }

  /** Every frame on every link, in record order. */
  allFrames(): SeenFrame[] {
    return this.trace.links.flatMap((l) => this.frames(l.name)).sort((a, b) => a.row - b.row);
  }

  /** Drop rows, optionally only those at one node or link (by name). */
  drops(where?: string): SeenDrop[] {
    const t = this.trace;
    const out: SeenDrop[] = [];
    for (let i = 0; i < t.length; i++) {
      if (t.kind[i] !== RecordKind.Drop) continue;
      const atNode = t.dir[i] === Place.Node;
      const name = atNode ? t.nodes[t.place[i]].name : t.links[t.place[i]].name;
      if (where !== undefined && name !== where) continue;
      const f = t.frame[i];
      out.push({
        row: i,
        time: t.time[i],
        started: t.end[i],
        where: name,
        at: atNode ? 'node' : 'link',
        reason: t.string(t.code[i]),
        packetId: t.packet[i],
        ...(f >= 0 ? { frame: t.frameBytes(f) } : {}),
      });
    }
    return out;
  }

  /** State rows of `node`, optionally only keys starting with `prefix`. */
  states(node: string, prefix = ''): SeenState[] {
    const id = this.nodeId(node);
    const t = this.trace;
    const out: SeenState[] = [];
    for (let i = 0; i < t.length; i++) {
      if (t.kind[i] !== RecordKind.State || t.dir[i] !== Place.Node || t.place[i] !== id) continue;
      const key = t.string(t.code[i]);
      if (key.startsWith(prefix)) out.push({ row: i, time: t.time[i], key, value: t.string(t.frame[i]) });
    }
    return out;
  }

  /** The latest value of `key` on `node`, or undefined if never set. */
  stateOf(node: string, key: string): string | undefined {
    const rows = this.states(node, key).filter((r) => r.key === key);
    return rows.length ? rows[rows.length - 1].value : undefined;
  }
}

/** A built network with a kernel to drive, plus the trace queries. */
export class TestNet extends TraceView {
  readonly network: Network;

  constructor(
    readonly scene: Scene,
    seed?: number,
  ) {
    const network = buildNetwork(scene, seed ?? scene.seed);
    super(network.ctx.trace);
    this.network = network;
  }

  /** Builds a network from compact scene YAML (see the module comment). */
  static fromYaml(yaml: string, options: { seed?: number; duration?: string } = {}): TestNet {
    return new TestNet(sceneFromYaml(yaml, { duration: options.duration }), options.seed);
  }

  /**
   * The smallest client-server network: h1 (10.0.0.1) and h2 (10.0.0.2) on one 1 ms link; `server`
   * starts on h2 at 0 ms, then `client` on h1 at 1 ms, then any `later` commands on h1.
   */
  static twoHosts(server: string, client: string, later: readonly { at: string; cmd: string }[] = []): TestNet {
    return TestNet.fromYaml(`
nodes:
  - { id: h1, kind: host, ip: 10.0.0.1/24 }
  - { id: h2, kind: host, ip: 10.0.0.2/24 }
links:
  - { a: h1, b: h2, latency: 1ms }
run:
  - { on: h2, at: 0ms, cmd: ${JSON.stringify(server)} }
  - { on: h1, at: 1ms, cmd: ${JSON.stringify(client)} }
${later.map((l) => `  - { on: h1, at: ${l.at}, cmd: ${JSON.stringify(l.cmd)} }`).join('\n')}
`);
  }

  get now(): number {
    return this.network.ctx.kernel.now;
  }

  /** Runs every event up to and including `t`. */
  runUntil(t: TimeArg): this {
    this.network.ctx.kernel.runUntil(toNs(t));
    return this;
  }

  /** Runs to the scene's duration. */
  runToEnd(): this {
    return this.runUntil(this.scene.duration);
  }
}
