/**
 * Checks a capture written from a trace against tshark: the file must open with no malformed packets,
 * no expert-info errors and no bad checksums (validation switched on), and tshark must see the same
 * frames as the trace, one for one, in the same order: same length, interface, direction, timestamp,
 * Ethernet addresses and IPv4 TTL as our own decode of `trace.frameBytes`.
 *
 * One tshark process per check, whatever the number of packets.
 */

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Trace } from '../../src/sim/trace';
import { DEFAULT_START_EPOCH_NS, planCapture } from '../../src/timeline/pcapng';
import { readPcapng } from '../../src/timeline/pcapng-read';

/** The failure message when tshark cannot be run. */
export const TSHARK_MISSING = "tshark not found: install Debian's tshark (apt-get install tshark)";

/**
 * Checksum validation preferences (names from `tshark -G defaultprefs | grep -i check_checksum`,
 * tshark 4.0). ICMP and ICMPv6 checksums are always validated and have no preference.
 */
export const CHECKSUM_PREFS = ['ip.check_checksum:TRUE', 'udp.check_checksum:TRUE', 'tcp.check_checksum:TRUE'];

// Expert info severities and groups (epan/proto.h).
const PI_ERROR = 0x00800000;
const PI_CHECKSUM = 0x01000000;
const PI_MALFORMED = 0x07000000;

/** Fields asked of tshark, in order. The free-text expert messages come last (they may hold commas). */
const FIELDS = [
  'frame.number',
  'frame.len',
  'frame.cap_len',
  'frame.interface_name',
  'frame.packet_flags_direction',
  'frame.time_epoch',
  'eth.src',
  'eth.dst',
  'ip.ttl',
  'frame.protocols',
  '_ws.malformed.expert',
  '_ws.expert.severity',
  '_ws.expert.group',
  '_ws.expert.message',
] as const;

/** One packet as tshark dissected it. */
interface TsharkPacket {
  number: number;
  len: number;
  capLen: number;
  iface: string;
  /** 0 unknown, 1 inbound, 2 outbound. */
  direction: number;
  /** `frame.time_epoch` as printed, and parsed to ns (null if unparseable). */
  timeEpoch: string;
  timeNs: bigint | null;
  ethSrc: string;
  ethDst: string;
  /** First (outermost) `ip.ttl`, '' when there is no IPv4 header. */
  ipTtl: string;
  protocols: string;
  malformed: boolean;
  severities: number[];
  groups: number[];
  messages: string;
}

let versionCache: string | null | undefined;

/** `tshark -v`'s first line, or null when tshark cannot be run. */
export function tsharkVersion(): string | null {
  if (versionCache !== undefined) return versionCache;
  const r = spawnSync('tshark', ['-v'], { encoding: 'utf8', env: tsharkEnv() });
  versionCache = r.error || r.status !== 0 ? null : (r.stdout.split('\n')[0] ?? '').trim() || null;
  return versionCache;
}

/** Throws {@link TSHARK_MISSING} unless `tshark -v` runs. */
export function requireTshark(): string {
  const v = tsharkVersion();
  if (!v) throw new Error(TSHARK_MISSING);
  return v;
}

let configDir: string | undefined;

/** An environment with an empty personal configuration, so nobody's Wireshark profile changes results. */
function tsharkEnv(): NodeJS.ProcessEnv {
  if (!configDir) {
    configDir = join(tmpdir(), 'packetarium-tshark-config');
    mkdirSync(configDir, { recursive: true });
  }
  return { ...process.env, WIRESHARK_CONFIG_DIR: configDir, LC_ALL: 'C' };
}

/** Runs tshark once over a capture file and returns every packet's fields, or an error. */
function tsharkFields(path: string): { packets: TsharkPacket[]; error: string | null } {
  const args = ['-r', path, '-n'];
  for (const p of CHECKSUM_PREFS) args.push('-o', p);
  args.push('-T', 'fields', '-E', 'separator=,', '-E', 'aggregator=;', '-E', 'header=n');
  for (const f of FIELDS) args.push('-e', f);
  const r = spawnSync('tshark', args, { encoding: 'utf8', env: tsharkEnv(), maxBuffer: 1 << 30 });
  if (r.error) return { packets: [], error: `tshark failed to run: ${r.error.message}` };
  const stderr = r.stderr
    .split('\n')
    .filter((l) => l.trim() && !/^Running as user .* This could be dangerous\.$/.test(l.trim()))
    .join('\n');
  const packets: TsharkPacket[] = [];
  const bad: string[] = [];
  for (const line of r.stdout.split('\n')) {
    if (!line) continue;
    const parts = splitFields(line, FIELDS.length);
    if (!parts) {
      bad.push(line);
      continue;
    }
    const [num, len, capLen, iface, dir, time, src, dst, ttl, protocols, malformed, sev, group, messages] = parts;
    packets.push({
      number: Number(num),
      len: Number(len),
      capLen: Number(capLen),
      iface,
      direction: dir ? Number(dir) : 0,
      timeEpoch: time,
      timeNs: parseEpoch(time),
      ethSrc: src,
      ethDst: dst,
      ipTtl: ttl.split(';')[0],
      protocols,
      malformed: malformed !== '',
      severities: numbers(sev),
      groups: numbers(group),
      messages,
    });
  }
  let error: string | null = null;
  if (r.status !== 0) error = `tshark exited with status ${r.status}: ${stderr || '(no message)'}`;
  else if (stderr) error = `tshark complained: ${stderr}`;
  else if (bad.length) error = `unparseable tshark output line: ${bad[0]}`;
  return { packets, error };
}

/** Options of {@link checkWithTshark}: the ones the capture was written with. */
export interface TsharkCheckOptions {
  capture?: string;
  startEpochNs?: number | bigint;
  /** When to keep the temporary capture file: default `on-problems` (and name it in the problems). */
  keepFile?: 'always' | 'on-problems' | 'never';
}

/** What our own decode of a frame says tshark should show. */
export interface ExpectedFields {
  ethSrc: string;
  ethDst: string;
  ipTtl: string;
}

/** Decodes the Ethernet addresses and the outer IPv4 TTL of a frame (through 802.1Q tags). */
export function decodeFrame(b: Uint8Array): ExpectedFields {
  const mac = (o: number): string => (b.length >= o + 6 ? Array.from(b.subarray(o, o + 6), (x) => x.toString(16).padStart(2, '0')).join(':') : '');
  let o = 12;
  let type = b.length >= 14 ? (b[12] << 8) | b[13] : -1;
  while ((type === 0x8100 || type === 0x88a8) && b.length >= o + 6) {
    o += 4;
    type = (b[o] << 8) | b[o + 1];
  }
  const ip = o + 2;
  const ipTtl = type === 0x0800 && b.length >= ip + 20 && b[ip] >> 4 === 4 ? String(b[ip + 8]) : '';
  return { ethDst: mac(0), ethSrc: mac(6), ipTtl };
}

/**
 * Writes `pcapBytes` to a temporary file, runs tshark once with checksum validation on, and compares
 * with `trace` as captured with `options` (same capture name and epoch the file was written with).
 * Returns the problems found, empty when all is well. By default the file is kept (and named in the
 * problems) when there are any.
 */
export function checkWithTshark(pcapBytes: Uint8Array, trace: Trace, options: TsharkCheckOptions = {}): string[] {
  requireTshark();
  const problems: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'packetarium-wire-'));
  const path = join(dir, `${(options.capture || 'network').replace(/[^\w.-]+/g, '_')}.pcapng`);
  writeFileSync(path, pcapBytes);
  try {
    const plan = planCapture(trace, options.capture);
    const epoch = options.startEpochNs === undefined ? DEFAULT_START_EPOCH_NS : BigInt(options.startEpochNs);
    const frames = Array.from(plan.records, (r) => trace.frameBytes(trace.frame[r]));

    // Our own reader must agree byte for byte before tshark's opinion is worth having.
    const ours = readPcapng(pcapBytes);
    if (!ours.ok) problems.push(`our reader: ${ours.error}`);
    else if (ours.packets.length !== frames.length) {
      problems.push(`our reader: ${ours.packets.length} packets in the file, ${frames.length} in the trace`);
    } else {
      for (let i = 0; i < frames.length && problems.length < 10; i++) {
        if (!equalBytes(ours.packets[i].data, frames[i])) problems.push(`our reader: packet ${i + 1} bytes differ from the trace`);
      }
    }

    const { packets, error } = tsharkFields(path);
    if (error) problems.push(error);
    if (packets.length !== frames.length) {
      problems.push(`tshark saw ${packets.length} packets, the trace has ${frames.length} for this capture`);
    }
    const n = Math.min(packets.length, frames.length);
    const dirNames = ['unknown', 'in', 'out'];
    for (let i = 0; i < n; i++) {
      const t = packets[i];
      const where = `packet ${t.number} (trace record ${plan.records[i]}, ${t.protocols})`;
      const f = frames[i];
      const want = decodeFrame(f);
      const iface = plan.interfaces[plan.iface[i]].name;
      const wantNs = epoch + BigInt(Math.round(plan.time[i]));
      const diffs: string[] = [];
      if (t.len !== f.length) diffs.push(`frame.len ${t.len} != ${f.length}`);
      if (t.capLen !== f.length) diffs.push(`frame.cap_len ${t.capLen} != ${f.length}`);
      if (t.iface !== iface) diffs.push(`interface ${t.iface} != ${iface}`);
      if (t.direction !== plan.dir[i]) diffs.push(`direction ${dirNames[t.direction] ?? t.direction} != ${dirNames[plan.dir[i]]}`);
      if (t.timeNs !== wantNs) diffs.push(`frame.time_epoch ${t.timeEpoch} != ${formatEpoch(wantNs)}`);
      if (t.ethSrc !== want.ethSrc) diffs.push(`eth.src ${t.ethSrc} != ${want.ethSrc}`);
      if (t.ethDst !== want.ethDst) diffs.push(`eth.dst ${t.ethDst} != ${want.ethDst}`);
      if (t.ipTtl !== want.ipTtl) diffs.push(`ip.ttl ${t.ipTtl || '(none)'} != ${want.ipTtl || '(none)'}`);
      if (diffs.length) problems.push(`${where}: ${diffs.join('; ')}`);
      if (t.malformed || t.groups.includes(PI_MALFORMED)) {
        const verdict = t.messages.includes(OVERLAP_MESSAGE) ? sameBytesAsEarlier(frames, i) : 'not a retransmission overlap';
        if (verdict !== 'same') problems.push(`${where}: malformed: ${t.messages}${verdict === 'different' ? ' (and the bytes really differ)' : ''}`);
      } else if (t.severities.some((s) => s >= PI_ERROR) || t.groups.includes(PI_CHECKSUM)) {
        problems.push(`${where}: expert info: ${t.messages}`);
      }
    }
  } catch (e) {
    problems.push(`check failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (problems.length > 50) problems.splice(50, problems.length - 50, `... and ${problems.length - 50} more problems`);
  const keep = options.keepFile ?? 'on-problems';
  if (keep === 'always' || (keep === 'on-problems' && problems.length)) {
    if (problems.length) problems.push(`capture kept at ${path}`);
  } else {
    rmSync(dir, { recursive: true, force: true });
  }
  return problems;
}

/** Splits a tshark fields line: the first `count - 1` fields never contain commas, the last may. */
function splitFields(line: string, count: number): string[] | null {
  const out: string[] = [];
  let p = 0;
  for (let i = 0; i < count - 1; i++) {
    const c = line.indexOf(',', p);
    if (c < 0) return null;
    out.push(line.slice(p, c));
    p = c + 1;
  }
  out.push(line.slice(p));
  return out;
}

function numbers(s: string): number[] {
  return s ? s.split(';').map((x) => Number(x)) : [];
}

function parseEpoch(s: string): bigint | null {
  const m = /^(\d+)(?:\.(\d{1,9}))?$/.exec(s);
  if (!m) return null;
  return BigInt(m[1]) * 1_000_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

function formatEpoch(ns: bigint): string {
  return `${ns / 1_000_000_000n}.${String(ns % 1_000_000_000n).padStart(9, '0')}`;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * tshark's TCP reassembly reports "New fragment overlaps old data" when it meets a sequence range a
 * second time: a retransmission captured upstream of where the original was lost, or, in a capture
 * of every link, the same segment seen again one hop further on (tshark's TCP analysis does not tell
 * interfaces apart). Real captures show it too. It is accepted only when our own bytes prove that
 * the overlap carries exactly the data of every earlier copy in the capture.
 */
const OVERLAP_MESSAGE = 'New fragment overlaps old data';

interface TcpSegment {
  conn: string;
  seq: number;
  payload: Uint8Array;
}

function tcpSegment(f: Uint8Array): TcpSegment | null {
  if (f.length < 54 || f[12] !== 0x08 || f[13] !== 0x00 || f[23] !== 6) return null;
  const ihl = (f[14] & 0x0f) * 4;
  const total = (f[16] << 8) | f[17];
  const t = 14 + ihl;
  const dataOff = (f[t + 12] >> 4) * 4;
  const conn = `${Array.from(f.subarray(26, 34)).join('.')}:${(f[t] << 8) | f[t + 1]}>${(f[t + 2] << 8) | f[t + 3]}`;
  const seq = ((f[t + 4] << 24) | (f[t + 5] << 16) | (f[t + 6] << 8) | f[t + 7]) >>> 0;
  return { conn, seq, payload: f.subarray(t + dataOff, 14 + total) };
}

/** Whether frame `i`'s TCP payload matches, byte for byte, every earlier copy of the same sequence range. */
export function sameBytesAsEarlier(frames: Uint8Array[], i: number): 'same' | 'different' | 'no earlier copy' {
  const seg = tcpSegment(frames[i]);
  if (!seg || seg.payload.length === 0) return 'no earlier copy';
  let overlapped = false;
  for (let j = 0; j < i; j++) {
    const old = tcpSegment(frames[j]);
    if (!old || old.conn !== seg.conn) continue;
    const from = Math.max(seg.seq, old.seq);
    const to = Math.min(seg.seq + seg.payload.length, old.seq + old.payload.length);
    for (let s = from; s < to; s++) {
      overlapped = true;
      if (seg.payload[s - seg.seq] !== old.payload[s - old.seq]) return 'different';
    }
  }
  return overlapped ? 'same' : 'no earlier copy';
}
