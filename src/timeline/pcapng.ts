/**
 * Exports a trace as a capture file that Wireshark and tshark open: pcapng (one interface per capture
 * point, nanosecond timestamps, packet directions) or classic libpcap (one interface).
 *
 * Capture points work like tcpdump's:
 * - no `capture` (or `conversations`): each conversation once, at the interface of the device that
 *   started it (see capture-conversations.ts), so Wireshark reads it as it reads a real capture;
 * - `all-links`: every link, one interface per link, each transmitted frame once at its tx start.
 *   A packet appears once per hop, which Wireshark's TCP analysis reports as retransmissions and
 *   overlapping (malformed) segments that the network never had: for following a packet hop by hop;
 * - a node name (`h1`): every interface of that device (`h1:eth0`, ...), frames it sent at tx start
 *   (outbound) and frames it received at arrival (inbound; frames lost in flight never arrive);
 * - `node:ifname` (`r1:eth1`): that one interface of the device;
 * - a link name (`h1-sw1`): a tap on that wire, both directions at tx start.
 * The two keywords win over a node or link of the same name.
 *
 * Pure and deterministic: timestamps are `startEpochNs` + simulated time, never the wall clock.
 */

import { Place, RecordKind, type Trace } from '../sim/trace';
import { conversationCapture, type ConversationCapture } from './capture-conversations';

/** Default capture start: 2023-11-14T22:13:20Z (1,700,000,000 s), in nanoseconds. */
export const DEFAULT_START_EPOCH_NS = 1_700_000_000_000_000_000n;

/** LINKTYPE_ETHERNET: Ethernet II frames, here without FCS. */
const LINKTYPE_ETHERNET = 1;

/** Largest frame a capture interface declares it keeps whole. */
const SNAPLEN = 262_144;

/** The default capture: each conversation once, where it started. */
export const CAPTURE_CONVERSATIONS = 'conversations';

/** Every link, one interface each: each packet once per hop. */
export const CAPTURE_ALL_LINKS = 'all-links';

/** Options shared by the capture writers. */
export interface CaptureOptions {
  /** What to capture (see module doc); omitted or empty = {@link CAPTURE_CONVERSATIONS}. */
  capture?: string;
  /** Wall-clock time of simulation start, in ns since the Unix epoch; default {@link DEFAULT_START_EPOCH_NS}. */
  startEpochNs?: number | bigint;
}

/** Which side of a link a capture interface watches: one end's device, or the wire itself. */
type CaptureSide = 'a' | 'b' | 'wire';

/** One capture interface (one pcapng IDB). */
interface CaptureInterface {
  /** `if_name`: a link name (`h1-sw1`) for wire taps, `node:ifname` (`h1:eth0`) for a device's interface. */
  readonly name: string;
  /** `if_description`, for people. */
  readonly description: string;
  /** Trace link id. */
  readonly link: number;
  readonly side: CaptureSide;
}

/** Packet direction as seen by the capturing device (`none` for wire taps). */
type CaptureDirection = 'in' | 'out' | 'none';

/** The capture points and the FrameTx records each one sees, in output order. */
export interface CapturePlan {
  readonly interfaces: CaptureInterface[];
  /** Number of packets. */
  readonly count: number;
  /** Trace record index of each packet (always a FrameTx row). */
  readonly records: Int32Array;
  /** Index into `interfaces` of each packet. */
  readonly iface: Int32Array;
  /** Simulated time of each packet, ns (tx start, or arrival for received frames). */
  readonly time: Float64Array;
  /** Direction of each packet: 0 none, 1 in, 2 out (the pcapng epb_flags encoding). */
  readonly dir: Uint8Array;
}

const DIR_NONE = 0;
const DIR_IN = 1;
const DIR_OUT = 2;

/**
 * Direction codes of {@link CapturePlan.dir} as words.
 * @public
 */
export const CAPTURE_DIRECTIONS: readonly CaptureDirection[] = ['none', 'in', 'out'];

/**
 * Every valid `capture` name for this trace: the two keywords, node names, then `node:ifname` for
 * each link end, then link names.
 */
export function captureTargets(trace: Trace): string[] {
  const out: string[] = [CAPTURE_CONVERSATIONS, CAPTURE_ALL_LINKS];
  const seen = new Set<string>();
  const add = (s: string): void => {
    if (!seen.has(s)) {
      seen.add(s);
      out.push(s);
    }
  };
  for (const n of trace.nodes) add(n.name);
  for (const l of trace.links) {
    add(endName(trace, l.a, l.aIf));
    add(endName(trace, l.b, l.bIf));
  }
  for (const l of trace.links) add(l.name);
  return out;
}

/**
 * Resolves a capture name to its interfaces. After the keywords, names are tried as a node, then as
 * `node:ifname`, then as a link. Throws an Error listing the valid names when nothing matches.
 * @public
 */
export function captureInterfaces(trace: Trace, capture?: string): CaptureInterface[] {
  return resolveCapture(trace, capture).interfaces;
}

function isConversations(capture: string | undefined): boolean {
  return capture === undefined || capture === '' || capture === CAPTURE_CONVERSATIONS;
}

/** The interfaces of a capture, and for the conversations capture which frames each one sees. */
function resolveCapture(trace: Trace, capture?: string): { interfaces: CaptureInterface[]; conv: ConversationCapture | null } {
  if (isConversations(capture)) {
    const conv = conversationCapture(trace);
    const interfaces = conv.points.map((p) => {
      const i = endInterface(trace, p.link, p.side);
      return { ...i, description: `${i.description}: the conversations it started` };
    });
    return { interfaces, conv };
  }
  return { interfaces: namedInterfaces(trace, capture!), conv: null };
}

function namedInterfaces(trace: Trace, capture: string): CaptureInterface[] {
  if (capture === CAPTURE_ALL_LINKS) {
    return trace.links.map((l) => ({
      name: l.name,
      description: wireDescription(trace, l.id),
      link: l.id,
      side: 'wire' as const,
    }));
  }
  const node = trace.nodes.find((n) => n.name === capture);
  if (node) {
    const out: CaptureInterface[] = [];
    for (const l of trace.links) {
      if (l.a === node.id) out.push(endInterface(trace, l.id, 'a'));
      if (l.b === node.id) out.push(endInterface(trace, l.id, 'b'));
    }
    return out;
  }
  for (const l of trace.links) {
    if (endName(trace, l.a, l.aIf) === capture) return [endInterface(trace, l.id, 'a')];
    if (endName(trace, l.b, l.bIf) === capture) return [endInterface(trace, l.id, 'b')];
  }
  const link = trace.links.find((l) => l.name === capture);
  if (link) return [{ name: link.name, description: wireDescription(trace, link.id), link: link.id, side: 'wire' }];
  const valid = captureTargets(trace);
  throw new Error(
    `unknown capture "${capture}": expected ${CAPTURE_CONVERSATIONS}, ${CAPTURE_ALL_LINKS}, a node, node:interface or link name` +
      (valid.length ? `; valid names: ${valid.join(', ')}` : '; this trace has no nodes or links'),
  );
}

/**
 * Chooses the packets a capture sees, sorted by timestamp and, for equal timestamps, by trace record
 * order. Throws like {@link captureInterfaces} on an unknown capture name.
 */
export function planCapture(trace: Trace, capture?: string): CapturePlan {
  const { interfaces, conv } = resolveCapture(trace, capture);
  const n = trace.length;
  const kind = trace.kind;
  const place = trace.place;
  const rdir = trace.dir;
  const frame = trace.frame;

  // Per link, the interfaces watching each side (at most a handful; usually one).
  const byLink: number[][] = trace.links.map(() => []);
  for (let i = 0; i < interfaces.length; i++) byLink[interfaces[i].link].push(i);

  // Frames lost in flight: a link Drop that reuses the frame id of a FrameTx on the same link.
  const needDrops = interfaces.some((i) => i.side !== 'wire');
  let droppedOn: Int32Array | null = null;
  if (needDrops) {
    droppedOn = new Int32Array(trace.frameTotal).fill(-1);
    for (let r = 0; r < n; r++) {
      if (kind[r] !== RecordKind.Drop) continue;
      const d = rdir[r];
      const f = frame[r];
      if ((d === Place.AtoB || d === Place.BtoA) && f >= 0 && f < droppedOn.length) droppedOn[f] = place[r];
    }
  }

  const recs: number[] = [];
  const ifs: number[] = [];
  const times: number[] = [];
  const dirs: number[] = [];
  for (let r = 0; r < n; r++) {
    if (kind[r] !== RecordKind.FrameTx) continue;
    const link = place[r];
    const watchers = conv ? (conv.pointOf[r] >= 0 ? [conv.pointOf[r]] : null) : byLink[link];
    if (!watchers || watchers.length === 0) continue;
    const fromA = rdir[r] === Place.AtoB;
    for (const w of watchers) {
      const side = interfaces[w].side;
      let t: number;
      let d: number;
      if (side === 'wire') {
        t = trace.time[r];
        d = DIR_NONE;
      } else if ((side === 'a') === fromA) {
        t = trace.time[r];
        d = DIR_OUT;
      } else {
        if (droppedOn && droppedOn[frame[r]] === link) continue;
        t = trace.arrival[r];
        d = DIR_IN;
      }
      recs.push(r);
      ifs.push(w);
      times.push(t);
      dirs.push(d);
    }
  }

  const count = recs.length;
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  // Entries were pushed in record order, so ties fall back to that order.
  order.sort((x, y) => times[x] - times[y] || x - y);

  const plan: CapturePlan = {
    interfaces,
    count,
    records: new Int32Array(count),
    iface: new Int32Array(count),
    time: new Float64Array(count),
    dir: new Uint8Array(count),
  };
  for (let i = 0; i < count; i++) {
    const k = order[i];
    plan.records[i] = recs[k];
    plan.iface[i] = ifs[k];
    plan.time[i] = times[k];
    plan.dir[i] = dirs[k];
  }
  return plan;
}

/**
 * Writes the trace as pcapng: a section header, one interface description per capture interface
 * (LINKTYPE_ETHERNET, `if_name`, `if_description`, nanosecond `if_tsresol`, no FCS), then one
 * enhanced packet block per frame, in time order.
 */
export function writePcapng(trace: Trace, options: CaptureOptions = {}): Uint8Array {
  const epoch = epochParts(options.startEpochNs);
  const plan = planCapture(trace, options.capture);
  const enc = new TextEncoder();

  const shbOpts: Option[] = [
    { code: 4, data: enc.encode('Packetarium') }, // shb_userappl
    { code: 1, data: enc.encode(`Packetarium simulated capture: ${describeCapture(options.capture)}`) }, // opt_comment
  ];
  const idbOpts = plan.interfaces.map((i): Option[] => [
    { code: 2, data: enc.encode(i.name) }, // if_name
    { code: 3, data: enc.encode(i.description) }, // if_description
    { code: 9, data: Uint8Array.of(9) }, // if_tsresol: 10^-9 s
    { code: 13, data: Uint8Array.of(0) }, // if_fcslen: frames carry no FCS
  ]);

  // Size everything first, then write into one buffer.
  const shbLen = 28 + optionsLength(shbOpts);
  let idbTotal = 0;
  for (const o of idbOpts) idbTotal += 20 + optionsLength(o);
  let epbTotal = 0;
  for (let i = 0; i < plan.count; i++) {
    const len = trace.frameLength(trace.frame[plan.records[i]]);
    epbTotal += 32 + pad4(len) + (plan.dir[i] !== DIR_NONE ? 12 : 0);
  }
  const total = shbLen + idbTotal + epbTotal;
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  let p = 0;

  // Section Header Block.
  v.setUint32(p, 0x0a0d0d0a, true);
  v.setUint32(p + 4, shbLen, true);
  v.setUint32(p + 8, 0x1a2b3c4d, true);
  v.setUint16(p + 12, 1, true);
  v.setUint16(p + 14, 0, true);
  const sectionLen = total - shbLen;
  v.setUint32(p + 16, sectionLen % 0x1_0000_0000, true);
  v.setUint32(p + 20, Math.floor(sectionLen / 0x1_0000_0000), true);
  p = writeOptions(out, v, p + 24, shbOpts);
  v.setUint32(p, shbLen, true);
  p += 4;

  // Interface Description Blocks.
  for (const o of idbOpts) {
    const len = 20 + optionsLength(o);
    v.setUint32(p, 1, true);
    v.setUint32(p + 4, len, true);
    v.setUint16(p + 8, LINKTYPE_ETHERNET, true);
    v.setUint16(p + 10, 0, true);
    v.setUint32(p + 12, SNAPLEN, true);
    p = writeOptions(out, v, p + 16, o);
    v.setUint32(p, len, true);
    p += 4;
  }

  // Enhanced Packet Blocks.
  for (let i = 0; i < plan.count; i++) {
    const f = trace.frame[plan.records[i]];
    const bytes = trace.frameBytes(f);
    const d = plan.dir[i];
    const len = 32 + pad4(bytes.length) + (d !== DIR_NONE ? 12 : 0);
    const [hi, lo] = timestamp64(epoch, plan.time[i]);
    v.setUint32(p, 6, true);
    v.setUint32(p + 4, len, true);
    v.setUint32(p + 8, plan.iface[i], true);
    v.setUint32(p + 12, hi, true);
    v.setUint32(p + 16, lo, true);
    v.setUint32(p + 20, bytes.length, true);
    v.setUint32(p + 24, bytes.length, true);
    out.set(bytes, p + 28);
    p += 28 + pad4(bytes.length);
    if (d !== DIR_NONE) {
      v.setUint16(p, 2, true); // epb_flags
      v.setUint16(p + 2, 4, true);
      v.setUint32(p + 4, d | (d === DIR_IN ? receptionType(bytes) << 2 : 0), true);
      v.setUint32(p + 8, 0, true); // opt_endofopt
      p += 12;
    }
    v.setUint32(p, len, true);
    p += 4;
  }
  if (p !== total) throw new Error(`pcapng writer: wrote ${p} bytes, sized ${total}`);
  return out;
}

/**
 * Writes classic libpcap (nanosecond magic 0xa1b23c4d, LINKTYPE_ETHERNET). It has no interfaces or
 * directions, so the capture must resolve to exactly one interface (a `node:ifname`, a link, a node
 * with one link, or a network with one link); otherwise it throws and pcapng is the answer.
 */
export function writePcap(trace: Trace, options: CaptureOptions = {}): Uint8Array {
  const epoch = epochParts(options.startEpochNs);
  const plan = planCapture(trace, options.capture);
  if (plan.interfaces.length !== 1) {
    throw new Error(
      `pcap holds one interface but capture ${describeCapture(options.capture)} has ${plan.interfaces.length}` +
        (plan.interfaces.length ? ` (${plan.interfaces.map((i) => i.name).join(', ')})` : '') +
        ': pick one of them or write pcapng',
    );
  }
  let total = 24;
  for (let i = 0; i < plan.count; i++) total += 16 + trace.frameLength(trace.frame[plan.records[i]]);
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0xa1b23c4d, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  v.setInt32(8, 0, true);
  v.setUint32(12, 0, true);
  v.setUint32(16, SNAPLEN, true);
  v.setUint32(20, LINKTYPE_ETHERNET, true);
  let p = 24;
  for (let i = 0; i < plan.count; i++) {
    const bytes = trace.frameBytes(trace.frame[plan.records[i]]);
    const nsTotal = epoch.subSecNs + Math.round(plan.time[i]);
    const sec = epoch.sec + Math.floor(nsTotal / 1e9);
    if (sec > 0xffffffff) throw new RangeError('pcap timestamps end in 2106; use pcapng');
    v.setUint32(p, sec, true);
    v.setUint32(p + 4, nsTotal % 1e9, true);
    v.setUint32(p + 8, bytes.length, true);
    v.setUint32(p + 12, bytes.length, true);
    out.set(bytes, p + 16);
    p += 16 + bytes.length;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------

interface Option {
  code: number;
  data: Uint8Array;
}

interface Epoch {
  /** High and low 32 bits of the start time in ns. */
  hi: number;
  lo: number;
  /** Whole seconds and the nanoseconds left over. */
  sec: number;
  subSecNs: number;
}

function epochParts(start: number | bigint | undefined): Epoch {
  let ns: bigint;
  if (start === undefined) ns = DEFAULT_START_EPOCH_NS;
  else if (typeof start === 'bigint') ns = start;
  else if (Number.isInteger(start)) ns = BigInt(start);
  else throw new RangeError(`startEpochNs must be an integer of nanoseconds, got ${start}`);
  if (ns < 0n || ns >= 1n << 64n) throw new RangeError(`startEpochNs out of range: ${ns}`);
  return {
    hi: Number(ns >> 32n),
    lo: Number(ns & 0xffffffffn),
    sec: Number(ns / 1_000_000_000n),
    subSecNs: Number(ns % 1_000_000_000n),
  };
}

/** start + t as a 64-bit count split into (high, low) 32-bit words, without BigInt per packet. */
function timestamp64(epoch: Epoch, t: number): [number, number] {
  const ti = Math.round(t);
  if (ti < 0) throw new RangeError(`negative trace time ${t}`);
  const tHi = Math.floor(ti / 0x1_0000_0000);
  const tLo = ti - tHi * 0x1_0000_0000;
  let lo = epoch.lo + tLo;
  let hi = epoch.hi + tHi;
  if (lo >= 0x1_0000_0000) {
    lo -= 0x1_0000_0000;
    hi += 1;
  }
  if (hi > 0xffffffff) throw new RangeError('timestamp overflows 64 bits');
  return [hi, lo];
}

/** epb_flags reception type from the destination MAC: 1 unicast, 2 multicast, 3 broadcast. */
function receptionType(frame: Uint8Array): number {
  if (frame.length < 6) return 0;
  let all = true;
  for (let i = 0; i < 6; i++) if (frame[i] !== 0xff) all = false;
  if (all) return 3;
  return frame[0] & 1 ? 2 : 1;
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

/** Bytes taken by options including opt_endofopt (none at all when there are no options). */
function optionsLength(opts: Option[]): number {
  if (opts.length === 0) return 0;
  let n = 4;
  for (const o of opts) n += 4 + pad4(o.data.length);
  return n;
}

function writeOptions(out: Uint8Array, v: DataView, p: number, opts: Option[]): number {
  if (opts.length === 0) return p;
  for (const o of opts) {
    if (o.data.length > 0xffff) throw new RangeError(`pcapng option ${o.code} too long`);
    v.setUint16(p, o.code, true);
    v.setUint16(p + 2, o.data.length, true);
    out.set(o.data, p + 4);
    p += 4 + pad4(o.data.length);
  }
  v.setUint32(p, 0, true);
  return p + 4;
}

function endName(trace: Trace, node: number, ifName: string): string {
  return `${trace.nodes[node]?.name ?? `node${node}`}:${ifName}`;
}

function endInterface(trace: Trace, link: number, side: 'a' | 'b'): CaptureInterface {
  const l = trace.links[link];
  const [me, meIf, peer, peerIf] = side === 'a' ? [l.a, l.aIf, l.b, l.bIf] : [l.b, l.bIf, l.a, l.aIf];
  return {
    name: endName(trace, me, meIf),
    description: `${endName(trace, me, meIf)} on link ${l.name} to ${endName(trace, peer, peerIf)}`,
    link,
    side,
  };
}

function wireDescription(trace: Trace, link: number): string {
  const l = trace.links[link];
  return `link ${l.name}: ${endName(trace, l.a, l.aIf)} <-> ${endName(trace, l.b, l.bIf)}`;
}

function describeCapture(capture: string | undefined): string {
  if (isConversations(capture)) return 'each conversation once, at the interface of the device that started it';
  if (capture === CAPTURE_ALL_LINKS) return 'every link (each packet once per hop)';
  return `"${capture}"`;
}
