/**
 * dig: asks a DNS server one question and prints the answer as BIND 9.18's dig does. The server is
 * `@SERVER` or the host's resolver (its scene `dns:`). Queries carry an EDNS OPT record (RFC 6891:
 * UDP payload size 1232, and a COOKIE option with an 8-byte client cookie, RFC 7873) unless
 * `+noedns`/`+nocookie`, and the reply's OPT is shown as `;; OPT PSEUDOSECTION:`. `+short` prints
 * only the answer data; `+noall +answer` (and the other display options: cmd, comments, question,
 * answer, authority, additional, stats) choose what is printed; `+norecurse` clears RD; `-x ADDR`
 * asks for the PTR of an address; `+tries`/`+retry`/`+time` set the retries and the timeout.
 * `+trace` walks the delegation itself from the root (asking the resolver for the root servers
 * first, like dig), printing each step's records and who sent them. A truncated (TC) answer is
 * retried over TCP (";; Truncated, retrying in TCP mode.") when the host runs TCP.
 *
 * Simplifications, stated: one question per run; +trace uses the first name server of each
 * referral that has glue (or that the resolver can find), not a random one; no ;; WHEN: line
 * (there is no wall clock in a simulation); the client cookie is random per query rather than
 * derived from the server address and a secret; options of the real dig the model does not
 * reproduce (+dnssec, +nsid, -6, TSIG keys, ...) are refused by name.
 */
import { formatIpv4, parseIpv4, type Ipv4 } from '../../protocols/addr';
import {
  canonicalName,
  DNS_CLASS_IN,
  DNS_TYPE,
  dnsRcodeName,
  dnsTypeName,
  encodeDns,
  decodeDns,
  EMPTY_DNS_MESSAGE,
  fqdn,
  nameLabels,
  parseDnsType,
  rdataText,
  type DnsMessage,
  type DnsRecord,
} from '../../protocols/dns/dns';
import { EDNS_OPTION, EDNS_UDP_SIZE, ednsHeader, ednsOptions, findOpt, optRecord } from '../../protocols/dns/edns';
import { DnsQuerier, type DnsQueryResult, type DnsTimers } from '../../protocols/dns/query';
import { resolversOf } from '../../protocols/dns/stub';
import { IP_PROTO_TCP } from '../../protocols/ipv4/ipv4';
import type { TcpService } from '../../protocols/tcp/tcp-service';
import type { IpDevice } from '../../net/ip/ip-device';
import { Program } from '../program';
import type { OptionSpec } from '../command';
import { registerApp } from '../registry';

interface DigOptions {
  /** Server address; the host's resolver when absent. */
  server?: Ipv4;
  name: string;
  type: number;
  short: boolean;
  trace: boolean;
  recurse: boolean;
  tcp: boolean;
  port: number;
  /** The arguments as given, for the banner. */
  args: string;
  /** Send an OPT record (default true), with this UDP size, and a COOKIE option. */
  edns?: boolean;
  bufsize?: number;
  cookie?: boolean;
  /** What to print (dig's display options); all true by default. */
  show?: DigDisplay;
  /** UDP attempts (`+tries`, or `+retry` + 1) and the wait for each (`+time`). */
  tries?: number;
  timeoutNs?: number;
}

/** dig's display options. */
interface DigDisplay {
  cmd: boolean;
  comments: boolean;
  question: boolean;
  answer: boolean;
  authority: boolean;
  additional: boolean;
  stats: boolean;
}

const ALL_SHOWN: DigDisplay = { cmd: true, comments: true, question: true, answer: true, authority: true, additional: true, stats: true };

const TIMEOUT_NS = 5e9;
const TRIES = 3;
const MAX_TRACE_STEPS = 16;

/** `example.com.   300   IN   A   93.184.216.34`, columns as dig aligns them. */
function recordLine(r: DnsRecord): string {
  const name = fqdn(r.name);
  return `${name.padEnd(24)}${String(r.ttl).padEnd(8)}IN      ${dnsTypeName(r.type).padEnd(8)}${rdataText(r.data)}`;
}

function flagsText(m: DnsMessage): string {
  const f: string[] = [];
  if (m.qr) f.push('qr');
  if (m.aa) f.push('aa');
  if (m.tc) f.push('tc');
  if (m.rd) f.push('rd');
  if (m.ra) f.push('ra');
  if (m.ad) f.push('ad');
  if (m.cd) f.push('cd');
  return f.join(' ');
}

function msec(ns: number): number {
  return Math.round(ns / 1e6);
}

class Dig extends Program {
  private querier: DnsQuerier | undefined;
  private readonly dnsTimers: DnsTimers;
  private traceSteps = 0;

  constructor(
    device: IpDevice,
    private readonly o: DigOptions,
  ) {
    super(device);
    this.dnsTimers = { after: (d, fn) => this.after(d, fn), cancel: (id) => this.cancel(id) };
  }

  private get host() {
    return this.device.stack;
  }

  protected main(): void {
    const server = this.o.server ?? resolversOf(this.host)[0];
    if (server === undefined) {
      this.print(';; no servers could be reached (no @server given and the host has no dns: resolver)');
      this.exit();
      return;
    }
    this.querier = new DnsQuerier(this.host, this.dnsTimers);
    if (this.querier.error) {
      this.print(`dig: ${this.querier.error}`);
      this.exit();
      return;
    }
    if (!this.o.short && this.show.cmd) {
      this.print(`; <<>> DiG 9.18 (Packetarium) <<>> ${this.o.args}`);
      this.print(';; global options: +cmd');
    }
    if (this.o.trace) this.startTrace(server);
    else if (this.o.tcp) this.queryTcp(server, this.newQuery(this.o.name, this.o.type, this.o.recurse));
    else this.queryUdp(server, this.newQuery(this.o.name, this.o.type, this.o.recurse), 0, (r) => this.printAnswer(r));
  }

  private get show(): DigDisplay {
    return this.o.show ?? ALL_SHOWN;
  }

  private newQuery(name: string, type: number, rd: boolean): DnsMessage {
    const additional: DnsRecord[] = [];
    if (this.o.edns !== false) {
      const cookie = this.o.cookie !== false ? [{ code: EDNS_OPTION.COOKIE, data: this.clientCookie() }] : [];
      additional.push(optRecord(this.o.bufsize ?? EDNS_UDP_SIZE, cookie));
    }
    // dig 9.18 sets AD in its queries (RFC 6840 §5.7: "I understand the AD bit").
    return { ...EMPTY_DNS_MESSAGE, id: this.querier!.newId(), rd, ad: true, questions: [{ name, type, class: DNS_CLASS_IN }], additional };
  }

  /** An 8-byte client cookie (RFC 7873 §4.1), from the host's `dig:cookie` stream. */
  private clientCookie(): Uint8Array {
    const rng = this.host.rng('dig:cookie');
    const c = new Uint8Array(8);
    for (let i = 0; i < 8; i++) c[i] = rng.int(256);
    return c;
  }

  /** Sends over UDP with dig's retries; `done` runs on an answer (a truncated one goes to TCP). */
  private queryUdp(server: Ipv4, query: DnsMessage, attempt: number, done: (r: Extract<DnsQueryResult, { ok: true }>) => void): void {
    this.querier!.send(
      server,
      query,
      this.o.timeoutNs ?? TIMEOUT_NS,
      (r) => {
        if (!this.alive) return;
        if (r.ok) {
          if (r.message.tc && !this.o.trace && this.host.transport<TcpService>(IP_PROTO_TCP)) {
            this.print(';; Truncated, retrying in TCP mode.');
            this.queryTcp(server, query);
            return;
          }
          done(r);
          return;
        }
        const why = { timeout: 'timed out', refused: 'connection refused', unreachable: 'host unreachable', 'no route': 'network unreachable' }[r.error];
        this.print(`;; communications error to ${formatIpv4(server)}#${this.o.port}: ${why}`);
        if (attempt + 1 < (this.o.tries ?? TRIES) && r.error === 'timeout') this.queryUdp(server, { ...query, id: this.querier!.newId() }, attempt + 1, done);
        else this.fail();
      },
      this.o.port,
    );
  }

  /** DNS over TCP (RFC 7766): a 2-byte length before each message. */
  private queryTcp(server: Ipv4, query: DnsMessage): void {
    const tcp = this.host.transport<TcpService>(IP_PROTO_TCP);
    if (!tcp) {
      this.print(';; TCP is not available on this host');
      return this.fail();
    }
    const bytes = encodeDns(query);
    const framed = new Uint8Array(2 + bytes.length);
    framed[0] = bytes.length >> 8;
    framed[1] = bytes.length & 0xff;
    framed.set(bytes, 2);
    let got = new Uint8Array(0);
    const sentAt = this.now;
    let done = false;
    const s = tcp.connect(server, this.o.port, {
      onConnect: (sock) => sock.send(framed),
      onData: (sock, data) => {
        const b = new Uint8Array(got.length + data.length);
        b.set(got);
        b.set(data, got.length);
        got = b;
        if (got.length < 2 || got.length < 2 + ((got[0] << 8) | got[1])) return;
        const len = (got[0] << 8) | got[1];
        const d = decodeDns(got, 2, 2 + len);
        done = true;
        sock.close();
        if (!this.alive) return;
        if (!d.ok || d.value.id !== query.id) {
          this.print(`;; malformed answer over TCP from ${formatIpv4(server)}`);
          return this.fail();
        }
        this.printAnswer({ ok: true, message: d.value, size: len, rttNs: this.now - sentAt, server }, 'TCP');
      },
      onClose: (_s, error) => {
        if (done || !this.alive) return;
        this.print(`;; communications error to ${formatIpv4(server)}#${this.o.port}: ${error ?? 'end of file'}`);
        this.fail();
      },
    });
    if (typeof s === 'string') {
      this.print(`;; ${s}`);
      this.fail();
    }
  }

  private fail(): void {
    this.print(';; no servers could be reached');
    this.exit();
  }

  private printSection(title: string, records: readonly DnsRecord[], shown: boolean): void {
    const rs = records.filter((r) => r.type !== DNS_TYPE.OPT);
    if (!shown || !rs.length) return;
    if (this.show.comments) this.print(`;; ${title} SECTION:`);
    for (const r of rs) this.print(recordLine(r));
    if (this.show.comments) this.print('');
  }

  /** The reply's OPT record as dig 9.18 shows it. */
  private printOpt(m: DnsMessage): void {
    const opt = findOpt(m);
    if (!opt || !this.show.comments) return;
    const h = ednsHeader(opt);
    this.print(';; OPT PSEUDOSECTION:');
    this.print(`; EDNS: version: ${h.version}, flags:${h.dnssecOk ? ' do' : ''}; udp: ${opt.class}`);
    for (const o of ednsOptions(opt)) {
      const hex = [...o.data].map((b) => b.toString(16).padStart(2, '0')).join('');
      if (o.code === EDNS_OPTION.COOKIE) this.print(`; COOKIE: ${hex}${o.data.length > 8 ? ' (good)' : ''}`);
      else this.print(`; OPT=${o.code}: ${hex}`);
    }
  }

  private printAnswer(r: Extract<DnsQueryResult, { ok: true }>, proto = 'UDP'): void {
    const m = r.message;
    if (this.o.short) {
      for (const a of m.answers) this.print(rdataText(a.data));
      this.exit();
      return;
    }
    const show = this.show;
    if (show.comments) {
      this.print(';; Got answer:');
      this.print(`;; ->>HEADER<<- opcode: QUERY, status: ${dnsRcodeName(m.rcode)}, id: ${m.id}`);
      this.print(
        `;; flags: ${flagsText(m)}; QUERY: ${m.questions.length}, ANSWER: ${m.answers.length}, AUTHORITY: ${m.authority.length}, ADDITIONAL: ${m.additional.length}`,
      );
      if (this.o.recurse && !m.ra) this.print(';; WARNING: recursion requested but not available');
      this.print('');
      this.printOpt(m);
    }
    if (m.questions.length && show.question) {
      if (show.comments) this.print(';; QUESTION SECTION:');
      for (const q of m.questions) this.print(`;${fqdn(q.name).padEnd(31)}IN      ${dnsTypeName(q.type)}`);
      if (show.comments) this.print('');
    }
    this.printSection('ANSWER', m.answers, show.answer);
    this.printSection('AUTHORITY', m.authority, show.authority);
    this.printSection('ADDITIONAL', m.additional, show.additional);
    if (show.stats) {
      this.print(`;; Query time: ${msec(r.rttNs)} msec`);
      this.print(`;; SERVER: ${formatIpv4(r.server)}#${this.o.port}(${formatIpv4(r.server)}) (${proto})`);
      this.print(`;; MSG SIZE  rcvd: ${r.size}`);
    }
    this.exit();
  }

  // ----- +trace ---------------------------------------------------------------------------------

  private received(r: Extract<DnsQueryResult, { ok: true }>, serverName: string): void {
    this.print(`;; Received ${r.size} bytes from ${formatIpv4(r.server)}#${this.o.port}(${serverName}) in ${msec(r.rttNs)} ms`);
    this.print('');
  }

  private startTrace(resolver: Ipv4): void {
    this.queryUdp(resolver, this.newQuery('', DNS_TYPE.NS, true), 0, (r) => {
      for (const a of r.message.answers) this.print(recordLine(a));
      this.received(r, formatIpv4(resolver));
      const ns = r.message.answers.filter((a) => a.data.kind === 'NS');
      if (!ns.length) {
        this.print(';; no root name servers');
        return this.exit();
      }
      this.nextHop(resolver, ns, r.message.additional);
    });
  }

  /** Picks a name server of a referral (glue first, else asks the resolver) and asks it. */
  private nextHop(resolver: Ipv4, ns: readonly DnsRecord[], glue: readonly DnsRecord[]): void {
    if (++this.traceSteps > MAX_TRACE_STEPS) {
      this.print(';; too many referrals');
      return this.exit();
    }
    for (const n of ns) {
      if (n.data.kind !== 'NS') continue;
      const host = canonicalName(n.data.host);
      const a = glue.find((g) => g.data.kind === 'A' && canonicalName(g.name) === host);
      if (a && a.data.kind === 'A') return this.iterate(resolver, a.data.address, host);
    }
    const first = ns.find((n) => n.data.kind === 'NS');
    if (!first || first.data.kind !== 'NS') return this.exit();
    const host = canonicalName(first.data.host);
    this.queryUdp(resolver, this.newQuery(host, DNS_TYPE.A, true), 0, (r) => {
      const a = r.message.answers.find((x) => x.data.kind === 'A');
      if (!a || a.data.kind !== 'A') {
        this.print(`;; could not find the address of ${fqdn(host)}`);
        return this.exit();
      }
      this.iterate(resolver, a.data.address, host);
    });
  }

  private iterate(resolver: Ipv4, server: Ipv4, serverName: string): void {
    this.queryUdp(server, this.newQuery(this.o.name, this.o.type, false), 0, (r) => {
      const m = r.message;
      const referral = !m.answers.length && !m.aa && m.rcode === 0 && m.authority.some((a) => a.type === DNS_TYPE.NS);
      for (const a of m.answers) this.print(recordLine(a));
      if (referral || m.rcode !== 0 || !m.answers.length) for (const a of m.authority) this.print(recordLine(a));
      this.received(r, serverName);
      if (referral)
        this.nextHop(
          resolver,
          m.authority.filter((a) => a.type === DNS_TYPE.NS),
          m.additional,
        );
      else this.exit();
    });
  }

  protected override onExit(): void {
    this.querier?.close();
  }
}

/** dig's + options the model does not reproduce. */
const DIG_UNMODELLED = new Set([
  'dnssec',
  'nsid',
  'nssearch',
  'multiline',
  'subnet',
  'identify',
  'ignore',
  'besteffort',
  'sigchase',
  'topdown',
  'expire',
  'keepopen',
  'padding',
  'qr',
  'crypto',
  'rrcomments',
  'ttlunits',
  'onesoa',
  'split',
  'zflag',
  'https',
  'tls',
  'http-plain',
  'idnin',
  'idnout',
]);

/** dig's - options the model does not reproduce. */
const DIG_UNMODELLED_DASH = new Set(['-6', '-b', '-k', '-y', '-f', '-m', '-u', '-i']);

/** Reads a dig `+[no]option[=value]`; returns an error text, or undefined when taken. */
function digPlus(
  w: string,
  o: {
    short: boolean;
    trace: boolean;
    recurse: boolean;
    tcp: boolean;
    edns: boolean;
    cookie: boolean;
    bufsize?: number;
    tries?: number;
    timeoutNs?: number;
    show: DigDisplay;
  },
): string | undefined {
  const m = /^\+(no)?([a-z-]+)(?:=(.*))?$/i.exec(w);
  if (!m) return `Invalid option: ${w}`;
  const on = !m[1];
  const name = m[2].toLowerCase();
  const value = m[3];
  const num = (min: number, max: number): number | undefined =>
    value !== undefined && /^\d+$/.test(value) && Number(value) >= min && Number(value) <= max ? Number(value) : undefined;
  const display = ['cmd', 'comments', 'question', 'answer', 'authority', 'additional', 'stats'] as const;
  const d = display.find((x) => x === name);
  if (d) o.show[d] = on;
  else if (name === 'all') for (const x of display) o.show[x] = on;
  else if (name === 'short') o.short = on;
  else if (name === 'trace') o.trace = on;
  else if (name === 'recurse' || name === 'rec') o.recurse = on;
  else if (name === 'tcp' || name === 'vc') o.tcp = on;
  else if (name === 'edns') o.edns = on;
  else if (name === 'cookie') o.cookie = on;
  else if (name === 'bufsize') {
    const n = num(0, 65535);
    if (n === undefined) return `${w}: give the UDP buffer size, 0 to 65535 (e.g. +bufsize=1232)`;
    o.bufsize = n;
  } else if (name === 'tries' || name === 'retry') {
    const n = num(name === 'tries' ? 1 : 0, 100);
    if (n === undefined) return `${w}: give a number (e.g. +${name}=${name === 'tries' ? 3 : 2})`;
    o.tries = name === 'tries' ? n : n + 1;
  } else if (name === 'time') {
    const n = num(1, 300);
    if (n === undefined) return `${w}: give a number of seconds (e.g. +time=5)`;
    o.timeoutNs = n * 1e9;
  } else if (DIG_UNMODELLED.has(name)) return `option ${w}: is not modelled in Packetarium`;
  else return `Invalid option: ${w}`;
  return undefined;
}

/** `10.0.0.5` → `5.0.0.10.in-addr.arpa` (dig -x). */
function reverseName(addr: Ipv4): string {
  return `${formatIpv4(addr).split('.').reverse().join('.')}.in-addr.arpa`;
}

/** dig's dash options, for the terminal's completions; dig reads its words itself (also @server and +options). */
const DIG_OPTIONS: OptionSpec = { p: 'int', t: 'string', q: 'string', c: 'string', x: 'string', '4': 'flag' };

registerApp<DigOptions>({
  name: 'dig',
  options: DIG_OPTIONS,
  summary: 'ask a DNS server a question and print its answer (+short, +trace, @server)',
  usage:
    'dig [@server] [-t TYPE] [-x ADDR] [-p port] [-q NAME] NAME [TYPE] [+short] [+[no]all|answer|question|authority|additional|comments|cmd|stats] [+trace] [+norecurse] [+tcp] [+[no]edns] [+[no]cookie] [+bufsize=N] [+tries=N] [+time=N]',
  parse(argv) {
    let server: Ipv4 | undefined;
    let name: string | undefined;
    let type: number | undefined;
    const o = { short: false, trace: false, recurse: true, tcp: false, edns: true, cookie: true, show: { ...ALL_SHOWN } } as Parameters<typeof digPlus>[1];
    let port = 53;
    for (let i = 0; i < argv.length; i++) {
      const w = argv[i];
      if (w.startsWith('@')) {
        server = parseIpv4(w.slice(1));
        if (server === undefined) return { ok: false, error: `${w}: give the server as an IPv4 address, e.g. @10.0.0.53` };
      } else if (w.startsWith('+')) {
        const error = digPlus(w, o);
        if (error) return { ok: false, error };
      } else if (w === '-p') {
        const v = argv[++i];
        if (v === undefined || !/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 65535) return { ok: false, error: '-p needs a port 1 to 65535' };
        port = Number(v);
      } else if (w === '-t') {
        const v = argv[++i];
        type = v === undefined ? undefined : parseDnsType(v);
        if (type === undefined) return { ok: false, error: `-t needs a record type, e.g. A` };
      } else if (w === '-q') {
        const v = argv[++i];
        if (v === undefined) return { ok: false, error: '-q needs a name' };
        name = v;
      } else if (w === '-c') {
        const v = argv[++i];
        if (v?.toUpperCase() !== 'IN') return { ok: false, error: `option -c ${v ?? ''}: only class IN is modelled in Packetarium` };
      } else if (w === '-x') {
        const addr = parseIpv4(argv[++i] ?? '');
        if (addr === undefined) return { ok: false, error: '-x needs an IPv4 address' };
        name = reverseName(addr);
        type ??= DNS_TYPE.PTR;
      } else if (w === '-4') {
        // IPv4 only: the only transport the model has.
      } else if (DIG_UNMODELLED_DASH.has(w)) {
        return { ok: false, error: `option ${w}: is not modelled in Packetarium` };
      } else if (w.startsWith('-')) {
        return { ok: false, error: `Invalid option: ${w}` };
      } else if (name !== undefined && type === undefined && parseDnsType(w) !== undefined) {
        type = parseDnsType(w);
      } else if (name === undefined) {
        name = w;
      } else {
        return { ok: false, error: `unexpected "${w}"` };
      }
    }
    if (name === undefined) return { ok: false, error: 'missing the name to look up' };
    try {
      nameLabels(name);
    } catch (e) {
      return { ok: false, error: `"${name}" is not a domain name: ${e instanceof Error ? e.message.replace(/^DNS: /, '') : e}` };
    }
    return {
      ok: true,
      options: {
        server,
        name: canonicalName(name),
        type: type ?? DNS_TYPE.A,
        short: o.short,
        trace: o.trace,
        recurse: o.recurse,
        tcp: o.tcp,
        port,
        args: argv.join(' '),
        edns: o.edns,
        bufsize: o.bufsize,
        cookie: o.cookie,
        show: o.show,
        tries: o.tries,
        timeoutNs: o.timeoutNs,
      },
    };
  },
  create: (device, o) => new Dig(device, o),
});
