/**
 * dig: asks a DNS server one question and prints the answer as BIND's dig does. The server is
 * `@SERVER` or the host's resolver (its scene `dns:`). `+short` prints only the answer data;
 * `+norecurse` clears RD; `+trace` walks the delegation itself from the root (asking the resolver
 * for the root servers first, like dig), printing each step's records and who sent them. A
 * truncated (TC) answer is retried over TCP (";; Truncated, retrying in TCP mode.") when the
 * host runs TCP.
 *
 * Simplifications, stated: one question per run; no +tries/+time options (timeout 5 s, 3 tries);
 * +trace uses the first name server of each referral that has glue (or that the resolver can
 * find), not a random one; no ;; WHEN: line (there is no wall clock in a simulation).
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
import { DnsQuerier, type DnsQueryResult, type DnsTimers } from '../../protocols/dns/query';
import { resolversOf } from '../../protocols/dns/stub';
import { IP_PROTO_TCP } from '../../protocols/ipv4/ipv4';
import type { TcpService } from '../../protocols/tcp/tcp-service';
import type { IpDevice } from '../../net/ip/ip-device';
import { Program } from '../program';
import { registerApp } from '../registry';

export interface DigOptions {
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
}

const TIMEOUT_NS = 5e9;
const TRIES = 3;
const MAX_TRACE_STEPS = 16;

/** `example.com.   300   IN   A   93.184.216.34`, columns as dig aligns them. */
export function recordLine(r: DnsRecord): string {
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

export class Dig extends Program {
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
    if (!this.o.short) {
      this.print(`; <<>> DiG 9.18 (Packetarium) <<>> ${this.o.args}`);
      this.print(';; global options: +cmd');
    }
    if (this.o.trace) this.startTrace(server);
    else if (this.o.tcp) this.queryTcp(server, this.newQuery(this.o.name, this.o.type, this.o.recurse));
    else this.queryUdp(server, this.newQuery(this.o.name, this.o.type, this.o.recurse), 0, (r) => this.printAnswer(r));
  }

  private newQuery(name: string, type: number, rd: boolean): DnsMessage {
    return { ...EMPTY_DNS_MESSAGE, id: this.querier!.newId(), rd, questions: [{ name, type, class: DNS_CLASS_IN }] };
  }

  /** Sends over UDP with dig's retries; `done` runs on an answer (a truncated one goes to TCP). */
  private queryUdp(server: Ipv4, query: DnsMessage, attempt: number, done: (r: Extract<DnsQueryResult, { ok: true }>) => void): void {
    this.querier!.send(
      server,
      query,
      TIMEOUT_NS,
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
        if (attempt + 1 < TRIES && r.error === 'timeout') this.queryUdp(server, { ...query, id: this.querier!.newId() }, attempt + 1, done);
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

  private printSection(title: string, records: readonly DnsRecord[]): void {
    const shown = records.filter((r) => r.type !== DNS_TYPE.OPT);
    if (!shown.length) return;
    this.print(`;; ${title} SECTION:`);
    for (const r of shown) this.print(recordLine(r));
    this.print('');
  }

  private printAnswer(r: Extract<DnsQueryResult, { ok: true }>, proto = 'UDP'): void {
    const m = r.message;
    if (this.o.short) {
      for (const a of m.answers) this.print(rdataText(a.data));
      this.exit();
      return;
    }
    this.print(';; Got answer:');
    this.print(`;; ->>HEADER<<- opcode: QUERY, status: ${dnsRcodeName(m.rcode)}, id: ${m.id}`);
    this.print(
      `;; flags: ${flagsText(m)}; QUERY: ${m.questions.length}, ANSWER: ${m.answers.length}, AUTHORITY: ${m.authority.length}, ADDITIONAL: ${m.additional.length}`,
    );
    if (this.o.recurse && !m.ra) this.print(';; WARNING: recursion requested but not available');
    this.print('');
    if (m.questions.length) {
      this.print(';; QUESTION SECTION:');
      for (const q of m.questions) this.print(`;${fqdn(q.name).padEnd(31)}IN      ${dnsTypeName(q.type)}`);
      this.print('');
    }
    this.printSection('ANSWER', m.answers);
    this.printSection('AUTHORITY', m.authority);
    this.printSection('ADDITIONAL', m.additional);
    this.print(`;; Query time: ${msec(r.rttNs)} msec`);
    this.print(`;; SERVER: ${formatIpv4(r.server)}#${this.o.port}(${formatIpv4(r.server)}) (${proto})`);
    this.print(`;; MSG SIZE  rcvd: ${r.size}`);
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
      if (referral) this.nextHop(resolver, m.authority.filter((a) => a.type === DNS_TYPE.NS), m.additional);
      else this.exit();
    });
  }

  protected override onExit(): void {
    this.querier?.close();
  }
}

registerApp<DigOptions>({
  name: 'dig',
  summary: 'ask a DNS server a question and print its answer (+short, +trace, @server)',
  usage: 'dig [@server] NAME [TYPE] [+short] [+trace] [+norecurse] [+tcp] [-p port]',
  parse(argv) {
    let server: Ipv4 | undefined;
    let name: string | undefined;
    let type: number | undefined;
    let short = false;
    let trace = false;
    let recurse = true;
    let tcp = false;
    let port = 53;
    for (let i = 0; i < argv.length; i++) {
      const w = argv[i];
      if (w.startsWith('@')) {
        server = parseIpv4(w.slice(1));
        if (server === undefined) return { ok: false, error: `${w}: give the server as an IPv4 address, e.g. @10.0.0.53` };
      } else if (w.startsWith('+')) {
        const opt = w.slice(1).toLowerCase();
        if (opt === 'short') short = true;
        else if (opt === 'trace') trace = true;
        else if (opt === 'norecurse' || opt === 'norec') recurse = false;
        else if (opt === 'recurse' || opt === 'rec') recurse = true;
        else if (opt === 'tcp' || opt === 'vc') tcp = true;
        else return { ok: false, error: `unknown option ${w} (known: +short, +trace, +norecurse, +tcp)` };
      } else if (w === '-p') {
        const v = argv[++i];
        if (v === undefined || !/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 65535) return { ok: false, error: '-p needs a port 1 to 65535' };
        port = Number(v);
      } else if (w === '-t') {
        const v = argv[++i];
        type = v === undefined ? undefined : parseDnsType(v);
        if (type === undefined) return { ok: false, error: `-t needs a record type, e.g. A` };
      } else if (w.startsWith('-')) {
        return { ok: false, error: `unknown option ${w}` };
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
      options: { server, name: canonicalName(name), type: type ?? DNS_TYPE.A, short, trace, recurse, tcp, port, args: argv.join(' ') },
    };
  },
  create: (device, o) => new Dig(device, o),
});
