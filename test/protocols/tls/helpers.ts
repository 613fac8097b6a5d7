/** Test fixtures: a scene PKI, and a network-less wire that carries flights between a client and a server. */

import { seededRandom, type TlsRandom } from '../../../src/protocols/tls/crypto';
import { TlsClient, type TlsClientConfig } from '../../../src/protocols/tls/client';
import type { TlsEvent } from '../../../src/protocols/tls/endpoint';
import { TlsServer, type TlsServerConfig, TlsSessionCache } from '../../../src/protocols/tls/server';
import { createTestCa, issueServerCertificate, type CertifiedKey } from '../../../src/protocols/tls/x509';

export interface Pki {
  ca: CertifiedKey & { name: string };
  leaf: CertifiedKey;
}

export function makePki(seed = 1, names = ['www.example.test'], leafOpts: { notAfterMs?: number } = {}): Pki {
  const r = seededRandom(`pki:${seed}`);
  const ca = createTestCa(r);
  return { ca, leaf: issueServerCertificate(ca, r, { names, ...leafOpts }) };
}

/** Half a round trip, in ns. */
export const HALF_RTT = 10_000_000;

export interface Clock {
  t: number;
}

function clientConfig(pki: Pki, clock: Clock, rand: TlsRandom, extra: Partial<TlsClientConfig> = {}): TlsClientConfig {
  return { random: rand, now: () => clock.t, serverName: 'www.example.test', trustAnchors: [pki.ca.certificate], alpn: ['http/1.1'], ...extra };
}

function serverConfig(pki: Pki, clock: Clock, rand: TlsRandom, cache: TlsSessionCache, extra: Partial<TlsServerConfig> = {}): TlsServerConfig {
  return {
    random: rand,
    now: () => clock.t,
    identities: [{ chain: [pki.leaf.certificate], key: pki.leaf.key }],
    alpn: ['h2', 'http/1.1'],
    sessionCache: cache,
    ...extra,
  };
}

/** What happened during a run, with times in half round trips. */
export interface RunLog {
  clientEvents: { at: number; e: TlsEvent }[];
  serverEvents: { at: number; e: TlsEvent }[];
  /** Every flight: who sent it, when (half RTTs), its records. */
  flights: { from: 'client' | 'server'; at: number; records: readonly string[]; bytes: Uint8Array }[];
}

/**
 * Starts the client (after writing `early` app data, if any) and carries flights until both are
 * quiet; each flight takes half an RTT. On connect, the client writes `afterConnect`.
 */
export function run(
  client: TlsClient,
  server: TlsServer,
  clock: Clock,
  opts: { early?: Uint8Array; afterConnect?: Uint8Array; serverReply?: Uint8Array } = {},
): RunLog {
  const log: RunLog = { clientEvents: [], serverEvents: [], flights: [] };
  const queue: { at: number; to: 'client' | 'server'; bytes: Uint8Array }[] = [];
  const start = clock.t;
  const half = () => (clock.t - start) / HALF_RTT;
  const handle = (who: 'client' | 'server', events: TlsEvent[]): void => {
    const sink = who === 'client' ? log.clientEvents : log.serverEvents;
    for (const e of events) {
      sink.push({ at: half(), e });
      if (e.type === 'send') {
        log.flights.push({ from: who, at: half(), records: e.records, bytes: e.bytes });
        queue.push({ at: clock.t + HALF_RTT, to: who === 'client' ? 'server' : 'client', bytes: e.bytes });
      }
      if (e.type === 'connected' && who === 'client' && opts.afterConnect) handle('client', client.write(opts.afterConnect));
      if (e.type === 'data' && who === 'server' && opts.serverReply) handle('server', server.write(opts.serverReply));
    }
  };
  if (opts.early) handle('client', client.write(opts.early));
  handle('client', client.start());
  let guard = 0;
  while (queue.length > 0 && guard++ < 100) {
    queue.sort((a, b) => a.at - b.at);
    const next = queue.shift();
    if (!next) break;
    clock.t = next.at;
    handle(next.to, next.to === 'client' ? client.feed(next.bytes) : server.feed(next.bytes));
  }
  return log;
}

export function newPair(pki: Pki, seed: string, cache: TlsSessionCache, clock: Clock, c: Partial<TlsClientConfig> = {}, s: Partial<TlsServerConfig> = {}) {
  const client = new TlsClient(clientConfig(pki, clock, seededRandom(`${seed}:client`), c));
  const server = new TlsServer(serverConfig(pki, clock, seededRandom(`${seed}:server`), cache, s));
  return { client, server };
}

export const of = <T extends TlsEvent['type']>(events: { at: number; e: TlsEvent }[], type: T) =>
  events.filter((x) => x.e.type === type).map((x) => ({ at: x.at, e: x.e as Extract<TlsEvent, { type: T }> }));
