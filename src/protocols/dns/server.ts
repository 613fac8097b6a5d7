/**
 * A DNS server on UDP port 53: authoritative for the zones it is given, and, when it has root
 * hints, a recursive resolver that walks the delegation tree iteratively (root, then TLD, then the
 * zone) and caches every RRset for its TTL, with negative caching of NXDOMAIN and NODATA answers
 * for the SOA's TTL capped by its MINIMUM (RFC 2308 §5).
 *
 * The cache is published to the trace as state rows, one per RRset: `dns-cache example.com A` =
 * `93.184.216.34 ttl 300`, `dns-cache nope.example.com A` = `NXDOMAIN ttl 300`; the row is cleared
 * (`""`) when the entry expires.
 *
 * Simplifications, stated: negative answers are cached per (name, type), not per name for NXDOMAIN;
 * no bailiwick checks on glue or answers (every record in a response is believed); one upstream
 * query at a time per client question; no DNSSEC. EDNS(0) (RFC 6891): a query with an OPT record
 * gets an OPT record back (§7), advertising 1232 bytes, and its answer may fill the smaller of the
 * client's UDP size and 1232 bytes; without OPT the limit is 512. EDNS options (a COOKIE) are
 * ignored and the upstream queries of the recursive walk carry no OPT. Over UDP a response larger
 * than the limit is cut to its header, question and OPT with TC set, and TCP clients are answered
 * from port 53 when the host runs TCP.
 */
import { formatIpv4, type Ipv4 } from '../addr';
import { IP_PROTO_TCP, IP_PROTO_UDP } from '../ipv4/ipv4';
import type { TcpService } from '../tcp/tcp-service';
import type { IpHost } from '../transport';
import type { UdpService, UdpSocket } from '../udp/udp-service';
import {
  canonicalName,
  decodeDns,
  DNS_CLASS_IN,
  DNS_PORT,
  DNS_RCODE,
  DNS_TYPE,
  DNS_UDP_MAX,
  dnsTypeName,
  encodeDns,
  EMPTY_DNS_MESSAGE,
  isSubdomain,
  parentName,
  rdataText,
  type DnsMessage,
  type DnsQuestion,
  type DnsRecord,
} from './dns';
import { EDNS_UDP_SIZE, findOpt, optRecord } from './edns';
import { DnsQuerier, type DnsTimers } from './query';
import type { Zone } from './zone';

/** A root server hint: where the iterative walk starts. */
interface RootHint {
  readonly name: string;
  readonly address: Ipv4;
}

/** What a server does. */
export interface DnsServerOptions {
  /** Zones served with authority. */
  readonly zones: readonly Zone[];
  /** Root hints; when given, the server also resolves recursively for queries with RD set. */
  readonly roots?: readonly RootHint[];
  /** How long to wait for one upstream answer before trying the next server (ns). */
  readonly upstreamTimeoutNs?: number;
}

/** The parts of an answer. */
export interface DnsAnswer {
  rcode: number;
  aa: boolean;
  answers: DnsRecord[];
  authority: DnsRecord[];
  additional: DnsRecord[];
}

const sameName = (a: string, b: string) => canonicalName(a) === canonicalName(b);

/**
 * The authoritative answer from `zones` to `q` (the zone whose origin is the longest match), or
 * undefined when no zone contains the name. Gives a referral (NS + glue, not authoritative) below
 * a delegation, follows CNAMEs inside the zone, and NXDOMAIN / NODATA with the zone's SOA.
 */
function authoritativeAnswer(zones: readonly Zone[], q: DnsQuestion): DnsAnswer | undefined {
  let zone: Zone | undefined;
  for (const z of zones) if (isSubdomain(q.name, z.origin) && (!zone || z.origin.length > zone.origin.length)) zone = z;
  if (!zone) return undefined;
  const z = zone;
  const soa = z.records.filter((r) => r.type === DNS_TYPE.SOA && sameName(r.name, z.origin));
  const glueFor = (ns: readonly DnsRecord[]) =>
    ns.flatMap((n) =>
      n.data.kind === 'NS'
        ? z.records.filter((r) => (r.type === DNS_TYPE.A || r.type === DNS_TYPE.AAAA) && sameName(r.name, (n.data as { host: string }).host))
        : [],
    );
  const answers: DnsRecord[] = [];
  let name = canonicalName(q.name);
  for (let hops = 0; hops < 8; hops++) {
    // A delegation between the origin and the name (excluding the origin itself) makes a referral.
    for (let cut: string | undefined = name; cut !== undefined && !sameName(cut, z.origin); cut = parentName(cut)) {
      const ns = z.records.filter((r) => r.type === DNS_TYPE.NS && sameName(r.name, cut!));
      if (ns.length) {
        if (answers.length) return { rcode: 0, aa: true, answers, authority: [], additional: [] };
        return { rcode: 0, aa: false, answers: [], authority: ns, additional: glueFor(ns) };
      }
    }
    const here = z.records.filter((r) => sameName(r.name, name));
    const match = here.filter((r) => r.type === q.type || q.type === DNS_TYPE.ANY);
    if (match.length) {
      answers.push(...match);
      const additional = q.type === DNS_TYPE.NS ? glueFor(match) : [];
      return { rcode: 0, aa: true, answers, authority: [], additional };
    }
    const cname = here.find((r) => r.type === DNS_TYPE.CNAME);
    if (cname && cname.data.kind === 'CNAME') {
      answers.push(cname);
      if (!isSubdomain(cname.data.target, z.origin)) return { rcode: 0, aa: true, answers, authority: [], additional: [] };
      name = canonicalName(cname.data.target);
      continue;
    }
    const exists = here.length > 0 || z.records.some((r) => canonicalName(r.name).endsWith(`.${name}`));
    return { rcode: exists ? 0 : DNS_RCODE.NXDOMAIN, aa: true, answers, authority: soa, additional: [] };
  }
  return { rcode: 0, aa: true, answers, authority: [], additional: [] };
}

/** Negative-cache TTL of a response: min(SOA TTL, SOA MINIMUM) (RFC 2308 §5), 0 without SOA. */
function negativeTtl(authority: readonly DnsRecord[]): number {
  const soa = authority.find((r) => r.type === DNS_TYPE.SOA);
  return soa && soa.data.kind === 'SOA' ? Math.min(soa.ttl, soa.data.minimum) : 0;
}

interface CacheEntry {
  readonly records: readonly DnsRecord[];
  /** For a negative entry: the rcode (NXDOMAIN or NOERROR for NODATA) and the SOA to hand out. */
  readonly negative?: { rcode: number; soa: readonly DnsRecord[] };
  readonly storedAt: number;
  readonly expires: number;
  readonly timer: number;
}

/** One question being resolved for a client. */
interface Task {
  readonly original: DnsQuestion;
  name: string;
  readonly type: number;
  /** CNAMEs followed so far. */
  readonly chain: DnsRecord[];
  /** Queries sent for this question (bounded, so a referral loop ends in SERVFAIL). */
  queries: number;
  readonly depth: number;
  readonly done: (a: DnsAnswer) => void;
}

const MAX_QUERIES_PER_TASK = 24;
const MAX_DEPTH = 4;

export class DnsServer {
  private udp: UdpSocket | undefined;
  private tcpListener: { close(): void } | undefined;
  private querier: DnsQuerier | undefined;
  private readonly cache = new Map<string, CacheEntry>();
  private readonly timerIds = new Set<number>();
  private running = false;
  readonly timers: DnsTimers;

  constructor(
    private readonly host: IpHost,
    private readonly options: DnsServerOptions,
  ) {
    this.timers = {
      after: (delay, fn) => {
        const id: number = host.kernel.after(delay, () => {
          this.timerIds.delete(id);
          if (this.running) fn();
        });
        this.timerIds.add(id);
        return id;
      },
      cancel: (id) => {
        if (this.timerIds.delete(id)) host.kernel.cancel(id);
      },
    };
  }

  /** Whether the server answers recursive queries. */
  get recursive(): boolean {
    return (this.options.roots?.length ?? 0) > 0;
  }

  /** Binds port 53 (UDP, and TCP when the host has it). Returns an error text on failure. */
  start(): string | undefined {
    const udp = this.host.transport<UdpService>(IP_PROTO_UDP);
    const s = udp?.bind(DNS_PORT, { onMessage: (m, sock) => this.onQuery(m.data, (bytes) => sock.send(m.from, m.fromPort, bytes), DNS_UDP_MAX) });
    if (!s || typeof s === 'string') return s ?? 'UDP not available';
    this.udp = s;
    this.running = true;
    const tcp = this.host.transport<TcpService>(IP_PROTO_TCP);
    const l = tcp?.listen?.(DNS_PORT, {
      onAccept: () => {
        let buffered = new Uint8Array(0);
        return {
          onData: (sock, data) => {
            const b = new Uint8Array(buffered.length + data.length);
            b.set(buffered);
            b.set(data, buffered.length);
            buffered = b;
            while (buffered.length >= 2) {
              const len = (buffered[0] << 8) | buffered[1];
              if (buffered.length < 2 + len) break;
              const msg = buffered.slice(2, 2 + len);
              buffered = buffered.slice(2 + len);
              this.onQuery(
                msg,
                (bytes) => {
                  const framed = new Uint8Array(2 + bytes.length);
                  framed[0] = bytes.length >> 8;
                  framed[1] = bytes.length & 0xff;
                  framed.set(bytes, 2);
                  sock.send(framed);
                },
                0xffff,
              );
            }
          },
          onEnd: (sock) => sock.close(),
        };
      },
    });
    if (l && typeof l !== 'string') this.tcpListener = l;
    return undefined;
  }

  /** Stops answering and forgets the cache (the host crashed or the server was stopped). */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    for (const id of this.timerIds) this.host.kernel.cancel(id);
    this.timerIds.clear();
    for (const key of this.cache.keys()) this.host.state(`dns-cache ${key}`, '');
    this.cache.clear();
    this.querier?.close();
    this.querier = undefined;
    this.udp?.close();
    this.udp = undefined;
    this.tcpListener?.close();
    this.tcpListener = undefined;
  }

  private onQuery(data: Uint8Array, reply: (bytes: Uint8Array) => void, limit: number): void {
    const d = decodeDns(data);
    if (!d.ok) {
      if (data.length >= 2) reply(encodeDns({ ...EMPTY_DNS_MESSAGE, id: (data[0] << 8) | data[1], qr: true, rcode: DNS_RCODE.FORMERR }));
      return;
    }
    const m = d.value;
    if (m.qr) return;
    const base = { ...EMPTY_DNS_MESSAGE, id: m.id, qr: true, opcode: m.opcode, rd: m.rd, ra: this.recursive, questions: m.questions };
    // RFC 6891 §7: answer an OPT with an OPT; the client's UDP size (at least 512) bounds the reply.
    const opt = findOpt(m);
    const ours = opt ? [optRecord(EDNS_UDP_SIZE)] : [];
    const max = opt && limit === DNS_UDP_MAX ? Math.max(DNS_UDP_MAX, Math.min(opt.class, EDNS_UDP_SIZE)) : limit;
    const send = (a: DnsAnswer) => {
      if (!this.running) return;
      let bytes = encodeDns({ ...base, rcode: a.rcode, aa: a.aa, answers: a.answers, authority: a.authority, additional: [...a.additional, ...ours] });
      if (bytes.length > max) bytes = encodeDns({ ...base, rcode: a.rcode, aa: a.aa, tc: true, additional: ours });
      reply(bytes);
    };
    if (m.opcode !== 0) return send({ rcode: DNS_RCODE.NOTIMP, aa: false, answers: [], authority: [], additional: [] });
    if (m.questions.length !== 1 || m.questions[0].class !== DNS_CLASS_IN) {
      return send({ rcode: DNS_RCODE.FORMERR, aa: false, answers: [], authority: [], additional: [] });
    }
    const q = m.questions[0];
    const auth = authoritativeAnswer(this.options.zones, q);
    if (auth && (auth.aa || !m.rd || !this.recursive)) return send(auth);
    if (!m.rd || !this.recursive) return send({ rcode: DNS_RCODE.REFUSED, aa: false, answers: [], authority: [], additional: [] });
    this.resolve({ name: canonicalName(q.name), type: q.type, class: DNS_CLASS_IN }, 0, send);
  }

  // ----- Cache -----------------------------------------------------------------------------------

  private key(name: string, type: number): string {
    return `${canonicalName(name) || '.'} ${dnsTypeName(type)}`;
  }

  /** The live entry for a name and type. */
  private lookup(name: string, type: number): CacheEntry | undefined {
    const e = this.cache.get(this.key(name, type));
    return e && e.expires > this.host.kernel.now ? e : undefined;
  }

  /** Records of an entry with their TTLs counted down to now. */
  private aged(records: readonly DnsRecord[], e: CacheEntry): DnsRecord[] {
    const left = Math.floor((e.expires - this.host.kernel.now) / 1e9);
    return records.map((r) => ({ ...r, ttl: Math.max(0, Math.min(r.ttl, left)) }));
  }

  private store(name: string, type: number, records: readonly DnsRecord[], ttl: number, negative?: CacheEntry['negative']): void {
    const key = this.key(name, type);
    if (ttl <= 0 || this.lookup(name, type)) return;
    const now = this.host.kernel.now;
    const timer = this.timers.after(ttl * 1e9, () => {
      if (this.cache.get(key)?.timer !== timer) return;
      this.cache.delete(key);
      this.host.state(`dns-cache ${key}`, '');
    });
    this.cache.set(key, { records, negative, storedAt: now, expires: now + ttl * 1e9, timer });
    const what = negative ? (negative.rcode === DNS_RCODE.NXDOMAIN ? 'NXDOMAIN' : 'NODATA') : records.map((r) => rdataText(r.data)).join(', ');
    this.host.state(`dns-cache ${key}`, `${what} ttl ${ttl}`);
  }

  /** Caches every RRset of a response section, grouped by owner and type. */
  private storeAll(records: readonly DnsRecord[]): void {
    const groups = new Map<string, DnsRecord[]>();
    for (const r of records) {
      if (r.type === DNS_TYPE.OPT) continue;
      const k = this.key(r.name, r.type);
      const g = groups.get(k);
      if (g) g.push(r);
      else groups.set(k, [r]);
    }
    for (const g of groups.values()) this.store(g[0].name, g[0].type, g, Math.min(...g.map((r) => r.ttl)));
  }

  /** Entries currently cached (for tests and tools): key -> display value. */
  cacheSnapshot(): Map<string, string> {
    const out = new Map<string, string>();
    for (const [k, e] of this.cache) {
      if (e.expires <= this.host.kernel.now) continue;
      out.set(k, e.negative ? (e.negative.rcode === DNS_RCODE.NXDOMAIN ? 'NXDOMAIN' : 'NODATA') : e.records.map((r) => rdataText(r.data)).join(', '));
    }
    return out;
  }

  // ----- Iterative resolution ------------------------------------------------------------------

  private resolve(q: DnsQuestion, depth: number, done: (a: DnsAnswer) => void): void {
    this.step({ original: q, name: q.name, type: q.type, chain: [], queries: 0, depth, done });
  }

  private finish(t: Task, a: Partial<DnsAnswer> & { rcode: number }): void {
    t.done({ aa: false, answers: [...t.chain, ...(a.answers ?? [])], authority: a.authority ?? [], additional: a.additional ?? [], rcode: a.rcode });
  }

  /** Answers from the cache, or asks the closest known servers. */
  private step(t: Task): void {
    if (!this.running) return;
    for (let hops = 0; hops < 8; hops++) {
      const hit = this.lookup(t.name, t.type);
      if (hit) {
        if (hit.negative) return this.finish(t, { rcode: hit.negative.rcode, authority: this.aged(hit.negative.soa, hit) });
        return this.finish(t, { rcode: 0, answers: this.aged(hit.records, hit) });
      }
      const cname = t.type !== DNS_TYPE.CNAME ? this.lookup(t.name, DNS_TYPE.CNAME) : undefined;
      if (!cname || cname.records[0].data.kind !== 'CNAME') break;
      t.chain.push(...this.aged(cname.records, cname));
      t.name = canonicalName(cname.records[0].data.target);
    }
    // The closest enclosing zone whose name servers we know, falling back to the root hints.
    for (let zone: string | undefined = t.name; zone !== undefined; zone = parentName(zone)) {
      const ns = this.lookup(zone, DNS_TYPE.NS);
      if (!ns) continue;
      const servers: { name: string; address: Ipv4 }[] = [];
      const unknown: string[] = [];
      for (const r of ns.records) {
        if (r.data.kind !== 'NS') continue;
        const a = this.lookup(r.data.host, DNS_TYPE.A);
        if (a && !a.negative) for (const x of a.records) if (x.data.kind === 'A') servers.push({ name: r.data.host, address: x.data.address });
        if (!a) unknown.push(r.data.host);
      }
      if (servers.length) return this.ask(t, zone, servers, 0);
      if (unknown.length && t.depth < MAX_DEPTH) {
        // No glue: find a name server's address first, then carry on.
        return this.resolve({ name: unknown[0], type: DNS_TYPE.A, class: DNS_CLASS_IN }, t.depth + 1, (a) => {
          if (a.rcode === 0 && a.answers.some((r) => r.type === DNS_TYPE.A)) this.storeAll(a.answers.filter((r) => sameName(r.name, unknown[0])));
          if (this.lookup(unknown[0], DNS_TYPE.A)) this.step(t);
          else this.finish(t, { rcode: DNS_RCODE.SERVFAIL });
        });
      }
    }
    const roots = this.options.roots ?? [];
    if (!roots.length) return this.finish(t, { rcode: DNS_RCODE.SERVFAIL });
    this.ask(t, '', roots, 0);
  }

  /** Sends the question to `servers[i]` (authoritative for `zone`), without recursion desired. */
  private ask(t: Task, zone: string, servers: readonly { name: string; address: Ipv4 }[], i: number): void {
    if (!this.running) return;
    if (i >= servers.length || ++t.queries > MAX_QUERIES_PER_TASK) return this.finish(t, { rcode: DNS_RCODE.SERVFAIL });
    this.querier ??= new DnsQuerier(this.host, this.timers);
    const server = servers[i];
    const query: DnsMessage = { ...EMPTY_DNS_MESSAGE, id: this.querier.newId(), questions: [{ name: t.name, type: t.type, class: DNS_CLASS_IN }] };
    this.querier.send(server.address, query, this.options.upstreamTimeoutNs ?? 800e6, (r) => {
      if (!this.running) return;
      if (!r.ok) {
        this.host.log(`dns: ${t.name} ${dnsTypeName(t.type)}: no answer from ${formatIpv4(server.address)} (${r.error})`);
        return this.ask(t, zone, servers, i + 1);
      }
      const m = r.message;
      if (m.tc) {
        // TODO: retry this upstream query over TCP (RFC 7766); the model's answers fit in 512 bytes.
        return this.ask(t, zone, servers, i + 1);
      }
      if (m.rcode === DNS_RCODE.NXDOMAIN) {
        this.storeAll(m.answers);
        const soa = m.authority.filter((x) => x.type === DNS_TYPE.SOA);
        this.store(t.name, t.type, [], negativeTtl(m.authority), { rcode: DNS_RCODE.NXDOMAIN, soa });
        return this.finish(t, { rcode: DNS_RCODE.NXDOMAIN, answers: [...m.answers], authority: soa });
      }
      if (m.rcode !== 0) return this.ask(t, zone, servers, i + 1);
      if (m.answers.length) {
        this.storeAll(m.answers);
        const direct = m.answers.filter((x) => sameName(x.name, t.name) && x.type === t.type);
        if (direct.length) return this.finish(t, { rcode: 0, answers: this.answerChain(m.answers, t) });
        const cname = m.answers.find((x) => sameName(x.name, t.name) && x.data.kind === 'CNAME');
        if (cname && cname.data.kind === 'CNAME') {
          t.chain.push(cname);
          t.name = canonicalName(cname.data.target);
          return this.step(t);
        }
      }
      const ns = m.authority.filter((x) => x.type === DNS_TYPE.NS);
      const cut = ns[0]?.name;
      if (cut !== undefined && isSubdomain(t.name, cut) && isSubdomain(cut, zone) && !sameName(cut, zone)) {
        // A referral one step closer: remember the delegation and its glue, then ask again.
        this.storeAll(ns);
        this.storeAll(m.additional.filter((x) => x.type === DNS_TYPE.A || x.type === DNS_TYPE.AAAA));
        return this.step(t);
      }
      if (!m.answers.length && m.aa) {
        const soa = m.authority.filter((x) => x.type === DNS_TYPE.SOA);
        this.store(t.name, t.type, [], negativeTtl(m.authority), { rcode: 0, soa });
        return this.finish(t, { rcode: 0, authority: soa });
      }
      this.ask(t, zone, servers, i + 1);
    });
  }

  /** The CNAME chain and final records from an answer section, in order. */
  private answerChain(answers: readonly DnsRecord[], t: Task): DnsRecord[] {
    return answers.filter((x) => x.type === t.type || x.type === DNS_TYPE.CNAME);
  }
}
