/**
 * TLS 1.2 / 1.3 for Packetarium: a transport-agnostic engine (feed bytes in, get events out).
 *
 * Driving it from TCP:
 * ```ts
 * const tls = new TlsClient({ random: rngRandom(host.rng('tls:client')), now: () => kernel.now,
 *                             serverName: 'www.example.test', trustAnchors: [sceneCa.certificate] });
 * on TCP established:   handle(tls.start())
 * on TCP data:          handle(tls.feed(bytes))
 * app writes:           handle(tls.write(bytes)); app closes: handle(tls.close())
 * handle(events): for each event in order: 'send' -> tcp.write(e.bytes); 'data' -> app;
 *                 'connected' / 'alert' / 'closed' / 'session' -> app and trace.
 * ```
 * The server side is the same with `new TlsServer({...identities, sessionCache})` (no `start`).
 * For QUIC: `messages.ts` (handshake messages without records) and `key-schedule.ts`.
 */

export * from './constants';
export { rngRandom, seededRandom, type TlsRandom } from './crypto';
export { dissectTlsRecords, TLS_NOTES } from './dissect';
export { type EncryptionLevel, type TlsEvent, type TlsSession } from './endpoint';
export * from './client';
export * from './server';
export * from './key-schedule';
export * from './messages';
export * from './record';
export * from './x509';
