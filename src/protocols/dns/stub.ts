/**
 * The stub resolver of a host: the resolver addresses from its scene config (`dns: 10.0.0.53`,
 * like /etc/resolv.conf's `nameserver`) and a lookup that asks them with recursion desired,
 * retrying on timeout (glibc's defaults: 5 s timeout, 2 attempts, servers in order).
 */
import type { Ipv4 } from '../addr';
import type { IpHost } from '../transport';
import { canonicalName, DNS_CLASS_IN, EMPTY_DNS_MESSAGE, type DnsMessage } from './dns';
import { DnsQuerier, type DnsQueryResult, type DnsTimers } from './query';

const resolvConf = new WeakMap<IpHost, readonly Ipv4[]>();

/** Sets the resolvers a host's programs ask (its `dns:` config). */
export function setResolvers(host: IpHost, servers: readonly Ipv4[]): void {
  resolvConf.set(host, [...servers]);
}

/** The resolvers a host's programs ask, in order (empty when the scene gave none). */
export function resolversOf(host: IpHost): readonly Ipv4[] {
  return resolvConf.get(host) ?? [];
}

/** A stub resolver for one program. Close it when the program exits. */
export class StubResolver {
  private readonly querier: DnsQuerier;

  constructor(
    private readonly host: IpHost,
    timers: DnsTimers,
    readonly options: { timeoutNs?: number; attempts?: number } = {},
  ) {
    this.querier = new DnsQuerier(host, timers);
  }

  /**
   * Asks the host's resolvers for `name`/`type` with RD set; `done` gets the first answer, or the
   * last failure after every attempt at every server.
   */
  lookup(name: string, type: number, done: (r: DnsQueryResult | { ok: false; error: 'no resolver' }) => void): void {
    const servers = resolversOf(this.host);
    if (!servers.length) return done({ ok: false, error: 'no resolver' });
    const attempts = this.options.attempts ?? 2;
    const tries: Ipv4[] = [];
    for (let a = 0; a < attempts; a++) tries.push(...servers);
    const next = (i: number): void => {
      const query: DnsMessage = {
        ...EMPTY_DNS_MESSAGE,
        id: this.querier.newId(),
        rd: true,
        questions: [{ name: canonicalName(name), type, class: DNS_CLASS_IN }],
      };
      this.querier.send(tries[i], query, this.options.timeoutNs ?? 5e9, (r) => {
        if (!r.ok && i + 1 < tries.length) next(i + 1);
        else done(r);
      });
    };
    next(0);
  }

  close(): void {
    this.querier.close();
  }
}
