/**
 * `tcpdump -i IFACE [-n] [filter]`: the frames a host's interface sent and received up to a time,
 * printed from the trace in tcpdump's own one-line format, e.g.
 * `00:00:00.005123 IP 10.0.0.1 > 10.0.1.5: ICMP echo request, id 1, seq 1, length 64`.
 *
 * Simplifications, stated: the timestamp is the simulated time as a time of day (00:00:00 is the
 * start of the run), taken when a frame starts leaving (sent) or has fully arrived (received).
 * Without -n, addresses print as the scene's node names (as if /etc/hosts listed them) and a few
 * well-known ports by service name. The filter is tcpdump's primitives `host`, `src`/`dst host`,
 * `net`-less `port`, `src`/`dst port`, protocol names (`icmp`, `tcp`, `udp`, `arp`, `ip`) with
 * `and`/`or`/`not`/parentheses, translated to the match language (src/protocols/match), whose
 * field comparisons (`tcp.flags == SYN`) are also accepted; `net`, `portrange`, byte offsets
 * (`tcp[13]`) and `-v` decoding are not supported. DNS is decoded as tcpdump does; other UDP
 * payloads print as `UDP, length N`.
 */
import { formatIpv4, formatMac } from '../../protocols/addr';
import { readU16, readU32 } from '../../protocols/bytes';
import { decodeDns, dnsTypeName, rdataText, type DnsRecord } from '../../protocols/dns/dns';
import { compileMatch } from '../../protocols/match';
import { Place, RecordKind } from '../../sim/trace';
import { hostInfo, type HostInfo, type HostStateSource } from './host-info';
import type { CommandResult } from './result';
import { SERVICE_NAMES } from './ss-command';

const TCPDUMP_USAGE = `Usage: tcpdump [-n] [-i interface] [ expression ]`;

/** Microseconds of a time of day from simulated ns: `HH:MM:SS.uuuuuu`. */
function tcpdumpTime(ns: number): string {
  const us = Math.floor(ns / 1000);
  const s = Math.floor(us / 1e6);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(Math.floor(s / 3600) % 24)}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}.${String(us % 1e6).padStart(6, '0')}`;
}

/**
 * Translates a tcpdump filter to the match language, or returns an error message. Words the match
 * language knows (fields, comparisons) pass through unchanged.
 */
function tcpdumpFilter(words: readonly string[]): { ok: true; match: string } | { ok: false; error: string } {
  const out: string[] = [];
  const isNum = (w: string | undefined) => w !== undefined && /^\d+$/.test(w);
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const next = words[i + 1];
    const after = words[i + 2];
    if ((w === 'tcp' || w === 'udp') && next === 'port') {
      if (!isNum(after)) return { ok: false, error: `syntax error in filter expression: port needs a number` };
      out.push(`${w}.port == ${after}`);
      i += 2;
    } else if (w === 'port') {
      if (!isNum(next)) return { ok: false, error: `syntax error in filter expression: port needs a number` };
      out.push(`(tcp.port == ${next} or udp.port == ${next})`);
      i += 1;
    } else if ((w === 'src' || w === 'dst') && next === 'port') {
      if (!isNum(after)) return { ok: false, error: `syntax error in filter expression: port needs a number` };
      out.push(`(tcp.${w}port == ${after} or udp.${w}port == ${after})`);
      i += 2;
    } else if ((w === 'src' || w === 'dst') && (next === 'host' || /^[\d.]+$/.test(next ?? ''))) {
      const addr = next === 'host' ? after : next;
      if (addr === undefined) return { ok: false, error: `syntax error in filter expression: ${w} host needs an address` };
      out.push(`ip.${w} == ${addr}`);
      i += next === 'host' ? 2 : 1;
    } else if (w === 'host') {
      if (next === undefined) return { ok: false, error: `syntax error in filter expression: host needs an address` };
      out.push(`(ip.addr == ${next} or arp.src.proto_ipv4 == ${next} or arp.dst.proto_ipv4 == ${next})`);
      i += 1;
    } else if (w === 'ether' || w === 'net' || w === 'portrange' || /\[/.test(w)) {
      return { ok: false, error: `syntax error in filter expression: "${w}" is not supported here` };
    } else out.push(w);
  }
  return { ok: true, match: out.join(' ') };
}

interface Names {
  ip(addr: number): string;
  port(p: number): string;
}

const TCP_FLAGS: readonly [number, string][] = [
  [0x01, 'F'],
  [0x02, 'S'],
  [0x04, 'R'],
  [0x08, 'P'],
  [0x10, '.'],
  [0x20, 'U'],
  [0x40, 'E'],
  [0x80, 'W'],
];

/** Relative sequence numbers as tcpdump keeps them, per connection. */
class TcpSeqState {
  private readonly conns = new Map<string, { fwd: string; seq: number; ack: number }>();

  /** seq/ack as tcpdump prints them (relative once the connection's first ACK was seen). */
  numbers(src: string, dst: string, seq: number, ack: number, flags: number): { seq: number; ack: number } {
    if (!(flags & 0x10)) return { seq, ack };
    const key = src < dst ? `${src}|${dst}` : `${dst}|${src}`;
    const c = this.conns.get(key);
    if (!c) {
      this.conns.set(key, { fwd: src, seq, ack: (ack - 1) >>> 0 });
      return { seq, ack };
    }
    if (c.fwd === src) return { seq: (seq - c.seq) >>> 0, ack: (ack - c.ack) >>> 0 };
    return { seq: (seq - c.ack) >>> 0, ack: (ack - c.seq) >>> 0 };
  }
}

function tcpOptions(b: Uint8Array, off: number, end: number): string {
  const parts: string[] = [];
  for (let i = off; i < end;) {
    const kind = b[i];
    if (kind === 0) {
      parts.push('eol');
      break;
    }
    if (kind === 1) {
      parts.push('nop');
      i++;
      continue;
    }
    const len = b[i + 1];
    if (len < 2 || i + len > end) break;
    if (kind === 2) parts.push(`mss ${readU16(b, i + 2)}`);
    else if (kind === 3) parts.push(`wscale ${b[i + 2]}`);
    else if (kind === 4) parts.push('sackOK');
    else if (kind === 5) {
      const blocks: string[] = [];
      for (let j = i + 2; j + 8 <= i + len; j += 8) blocks.push(`{${readU32(b, j)}:${readU32(b, j + 4)}}`);
      parts.push(`sack ${blocks.length} ${blocks.join('')}`);
    } else if (kind === 8) parts.push(`TS val ${readU32(b, i + 2)} ecr ${readU32(b, i + 6)}`);
    else parts.push(`unknown-${kind}`);
    i += len;
  }
  return parts.length ? `, options [${parts.join(',')}]` : '';
}

const RCODE: Readonly<Record<number, string>> = { 1: ' FormErr', 2: ' ServFail', 3: ' NXDomain', 4: ' NotImp', 5: ' Refused' };

function dnsRecordText(r: DnsRecord): string {
  return `${dnsTypeName(r.type)} ${rdataText(r.data, true)}`;
}

function dnsLine(b: Uint8Array, off: number, end: number): string | undefined {
  const m = decodeDns(b, off, end);
  if (!m.ok) return undefined;
  const v = m.value;
  const len = end - off;
  if (!v.qr) {
    const q = v.questions[0];
    const extra = v.additional.length ? ` [${v.additional.length}au]` : '';
    return `${v.id}${v.rd ? '+' : ''}${extra}${q ? ` ${dnsTypeName(q.type)}? ${q.name.replace(/\.?$/, '.')}` : ''} (${len})`;
  }
  const answers = v.answers.map(dnsRecordText).join(', ');
  return `${v.id}${v.aa ? '*' : ''}${v.ra ? '' : '-'}${v.tc ? '|' : ''}${RCODE[v.rcode] ?? ''} ${v.answers.length}/${v.authority.length}/${v.additional.length}${answers ? ` ${answers}` : ''} (${len})`;
}

function icmpText(b: Uint8Array, ip: number, ihl: number, total: number, names: Names): string {
  const o = ip + ihl;
  const type = b[o];
  const code = b[o + 1];
  const length = total - ihl;
  const quotedDst = () => names.ip(readU32(b, o + 8 + 16));
  switch (type) {
    case 8:
    case 0:
      return `ICMP echo ${type === 8 ? 'request' : 'reply'}, id ${readU16(b, o + 4)}, seq ${readU16(b, o + 6)}, length ${length}`;
    case 11:
      return `ICMP time exceeded in-transit${code === 1 ? ' reassembly' : ''}, length ${length}`;
    case 3: {
      const qip = o + 8;
      const qihl = (b[qip] & 0x0f) * 4;
      const qproto = b[qip + 9];
      if (code === 3) {
        const qport = readU16(b, qip + qihl + 2);
        return `ICMP ${quotedDst()} ${qproto === 6 ? 'tcp' : 'udp'} port ${names.port(qport)} unreachable, length ${length}`;
      }
      if (code === 1) return `ICMP host ${quotedDst()} unreachable, length ${length}`;
      if (code === 0) return `ICMP net ${quotedDst()} unreachable, length ${length}`;
      if (code === 2) return `ICMP ${quotedDst()} protocol ${qproto} unreachable, length ${length}`;
      if (code === 4) return `ICMP ${quotedDst()} unreachable - need to frag (mtu ${readU16(b, o + 6)}), length ${length}`;
      return `ICMP ${quotedDst()} unreachable (code ${code}), length ${length}`;
    }
    default:
      return `ICMP type-#${type}, length ${length}`;
  }
}

/** One frame as tcpdump prints it (without the timestamp). */
function tcpdumpLine(b: Uint8Array, names: Names, seqs: TcpSeqState): string {
  const etherType = readU16(b, 12);
  if (etherType === 0x0806) {
    const op = readU16(b, 20);
    const spa = names.ip(readU32(b, 28));
    const tpa = names.ip(readU32(b, 38));
    const length = b.length - 14;
    if (op === 1) return `ARP, Request who-has ${tpa} tell ${spa}, length ${length}`;
    if (op === 2) return `ARP, Reply ${spa} is-at ${formatMac(readU32(b, 22) * 0x10000 + readU16(b, 26))}, length ${length}`;
    return `ARP, Unknown (${op}), length ${length}`;
  }
  if (etherType !== 0x0800) return `ethertype Unknown (0x${etherType.toString(16).padStart(4, '0')}), length ${b.length}`;
  const ip = 14;
  const ihl = (b[ip] & 0x0f) * 4;
  const total = readU16(b, ip + 2);
  const end = Math.min(b.length, ip + total);
  const proto = b[ip + 9];
  const src = readU32(b, ip + 12);
  const dst = readU32(b, ip + 16);
  const frag = readU16(b, ip + 6);
  const offset = (frag & 0x1fff) * 8;
  if (offset > 0) return `IP ${names.ip(src)} > ${names.ip(dst)}: ip-proto-${proto}`;
  const o = ip + ihl;
  if (proto === 1) return `IP ${names.ip(src)} > ${names.ip(dst)}: ${icmpText(b, ip, ihl, total, names)}`;
  if (proto === 6) {
    const sp = readU16(b, o);
    const dp = readU16(b, o + 2);
    const flags = b[o + 13];
    const hl = (b[o + 12] >> 4) * 4;
    const len = end - o - hl;
    const from = `${names.ip(src)}.${names.port(sp)}`;
    const to = `${names.ip(dst)}.${names.port(dp)}`;
    const n = seqs.numbers(`${src}:${sp}`, `${dst}:${dp}`, readU32(b, o + 4), readU32(b, o + 8), flags);
    const flagText = TCP_FLAGS.filter(([bit]) => flags & bit)
      .map(([, c]) => c)
      .join('');
    let text = `IP ${from} > ${to}: Flags [${flagText || 'none'}]`;
    if (len > 0 || flags & 0x07) text += len > 0 ? `, seq ${n.seq}:${(n.seq + len) >>> 0}` : `, seq ${n.seq}`;
    if (flags & 0x10) text += `, ack ${n.ack}`;
    text += `, win ${readU16(b, o + 14)}`;
    text += tcpOptions(b, o + 20, o + hl);
    return `${text}, length ${len}`;
  }
  if (proto === 17) {
    const sp = readU16(b, o);
    const dp = readU16(b, o + 2);
    const head = `IP ${names.ip(src)}.${names.port(sp)} > ${names.ip(dst)}.${names.port(dp)}:`;
    const udpEnd = Math.min(end, o + readU16(b, o + 4));
    if (sp === 53 || dp === 53) {
      const d = dnsLine(b, o + 8, udpEnd);
      if (d) return `${head} ${d}`;
    }
    return `${head} UDP, length ${udpEnd - o - 8}`;
  }
  return `IP ${names.ip(src)} > ${names.ip(dst)}: ip-proto-${proto} ${total - ihl}`;
}

/** `tcpdump [-n] [-i IFACE] [filter...]` on `info`'s host at `t`. */
export function tcpdumpCommand(src: HostStateSource, info: HostInfo, t: number, argv: readonly string[]): CommandResult {
  let numeric = false;
  let ifName: string | undefined;
  const filterWords: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-n' || a === '-nn') numeric = true;
    else if (a === '-i') {
      ifName = argv[++i];
      if (ifName === undefined) return { stdout: '', stderr: `tcpdump: option requires an argument -- 'i'\n${TCPDUMP_USAGE}\n`, exitCode: 1 };
    } else if (/^-i./.test(a)) ifName = a.slice(2);
    else if (/^-ni?$/.test(a) || a === '-in') {
      numeric = true;
      if (a.endsWith('i')) ifName = argv[++i];
    } else if (a.startsWith('-')) return { stdout: '', stderr: `tcpdump: invalid option -- '${a.slice(1, 2)}'\n${TCPDUMP_USAGE}\n`, exitCode: 1 };
    else filterWords.push(a);
  }
  const iface = ifName === undefined ? info.interfaces[0] : info.interfaces.find((i) => i.name === ifName);
  if (!iface) return { stdout: '', stderr: `tcpdump: ${ifName}: No such device exists\n(SIOCGIFHWADDR: No such device)\n`, exitCode: 1 };
  let test: ((bytes: Uint8Array) => boolean) | undefined;
  if (filterWords.length) {
    const f = tcpdumpFilter(filterWords);
    if (!f.ok) return { stdout: '', stderr: `tcpdump: ${f.error}\n`, exitCode: 1 };
    const m = compileMatch(f.match);
    if (!m.ok) return { stdout: '', stderr: `tcpdump: syntax error in filter expression: ${m.error}\n`, exitCode: 1 };
    test = (bytes) => m.matcher.test(bytes);
  }
  const names = numeric ? numericNames : hostNames(src);
  const header = `tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\nlistening on ${iface.name}, link-type EN10MB (Ethernet), snapshot length 262144 bytes\n`;
  const trace = src.trace;
  // Frames on this interface's link: sent (our direction) at tx start, received at arrival unless lost.
  const lost = new Set<number>();
  const seen: { time: number; row: number }[] = [];
  if (iface.link >= 0) {
    for (let r = 0; r < trace.length && trace.time[r] <= t; r++) {
      if (trace.place[r] !== iface.link) continue;
      if (trace.kind[r] === RecordKind.Drop && (trace.dir[r] === Place.AtoB || trace.dir[r] === Place.BtoA) && trace.frame[r] >= 0) lost.add(trace.frame[r]);
    }
    for (let r = 0; r < trace.length && trace.time[r] <= t; r++) {
      if (trace.kind[r] !== RecordKind.FrameTx || trace.place[r] !== iface.link) continue;
      if (trace.dir[r] === iface.end) seen.push({ time: trace.time[r], row: r });
      else if (trace.arrival[r] <= t && !lost.has(trace.frame[r])) seen.push({ time: trace.arrival[r], row: r });
    }
  }
  seen.sort((x, y) => x.time - y.time || x.row - y.row);
  const seqs = new TcpSeqState();
  const lines: string[] = [];
  for (const s of seen) {
    const bytes = trace.frameBytes(trace.frame[s.row]);
    if (test && !test(bytes)) continue;
    lines.push(`${tcpdumpTime(s.time)} ${tcpdumpLine(bytes, names, seqs)}\n`);
  }
  const n = lines.length;
  const footer = `\n${n} packet${n === 1 ? '' : 's'} captured\n${n} packet${n === 1 ? '' : 's'} received by filter\n0 packets dropped by kernel\n`;
  return { preamble: header, stdout: lines.join(''), stderr: footer, exitCode: 0 };
}

const numericNames: Names = { ip: formatIpv4, port: String };

function hostNames(src: HostStateSource): Names {
  const byAddr = new Map<number, string>();
  for (const node of src.scene.nodes) {
    const info = hostInfo(src, node.id);
    for (const i of info?.interfaces ?? []) if (!byAddr.has(i.cidr.addr)) byAddr.set(i.cidr.addr, node.id);
  }
  return { ip: (a) => byAddr.get(a) ?? formatIpv4(a), port: (p) => SERVICE_NAMES[p] ?? String(p) };
}
