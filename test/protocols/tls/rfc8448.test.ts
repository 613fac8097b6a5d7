/**
 * Known answers from RFC 8448 section 3 ("Simple 1-RTT Handshake"): the key schedule, Finished
 * computation and record protection must reproduce the published bytes exactly.
 */
import { describe, expect, it } from 'vitest';
import { ContentType } from '../../../src/protocols/tls/constants';
import { hash, hkdfExpandLabel, x25519Shared } from '../../../src/protocols/tls/crypto';
import { finishedVerifyData, resumptionPsk, Tls13KeySchedule, trafficKeys } from '../../../src/protocols/tls/key-schedule';
import { decodeHandshake, encodeFinished } from '../../../src/protocols/tls/messages';
import { Tls13RecordCipher } from '../../../src/protocols/tls/record';
import { concatBytes, fromHex, toHex } from '../../../src/protocols/tls/wire';

const h = (s: string) => fromHex(s);
const hx = (b: Uint8Array) => toHex(b);
const clean = (s: string) => s.replace(/\s+/g, '');

const CLIENT_PRIV = h('49 af 42 ba 7f 79 94 85 2d 71 3e f2 78 4b cb ca a7 91 1d e2 6a dc 56 42 cb 63 45 40 e7 ea 50 05');
const SERVER_PUB = h('c9 82 88 76 11 20 95 fe 66 76 2b db f7 c6 72 e1 56 d6 cc 25 3b 83 3d f1 dd 69 b1 b0 4e 75 1f 0f');

const CLIENT_HELLO = h(`01 00 00 c0 03 03 cb
  34 ec b1 e7 81 63 ba 1c 38 c6 da cb 19 6a 6d ff a2 1a 8d 99 12
  ec 18 a2 ef 62 83 02 4d ec e7 00 00 06 13 01 13 03 13 02 01 00
  00 91 00 00 00 0b 00 09 00 00 06 73 65 72 76 65 72 ff 01 00 01
  00 00 0a 00 14 00 12 00 1d 00 17 00 18 00 19 01 00 01 01 01 02
  01 03 01 04 00 23 00 00 00 33 00 26 00 24 00 1d 00 20 99 38 1d
  e5 60 e4 bd 43 d2 3d 8e 43 5a 7d ba fe b3 c0 6e 51 c1 3c ae 4d
  54 13 69 1e 52 9a af 2c 00 2b 00 03 02 03 04 00 0d 00 20 00 1e
  04 03 05 03 06 03 02 03 08 04 08 05 08 06 04 01 05 01 06 01 02
  01 04 02 05 02 06 02 02 02 00 2d 00 02 01 01 00 1c 00 02 40 01`);
const SERVER_HELLO = h(`02 00 00 56 03 03 a6
  af 06 a4 12 18 60 dc 5e 6e 60 24 9c d3 4c 95 93 0c 8a c5 cb 14
  34 da c1 55 77 2e d3 e2 69 28 00 13 01 00 00 2e 00 33 00 24 00
  1d 00 20 c9 82 88 76 11 20 95 fe 66 76 2b db f7 c6 72 e1 56 d6
  cc 25 3b 83 3d f1 dd 69 b1 b0 4e 75 1f 0f 00 2b 00 02 03 04`);
const ENCRYPTED_EXTENSIONS = h(`08 00 00 24 00 22 00 0a 00 14 00
  12 00 1d 00 17 00 18 00 19 01 00 01 01 01 02 01 03 01 04 00 1c
  00 02 40 01 00 00 00 00`);
const CERTIFICATE = h(`0b 00 01 b9 00 00 01 b5 00 01 b0 30 82
  01 ac 30 82 01 15 a0 03 02 01 02 02 01 02 30 0d 06 09 2a 86 48
  86 f7 0d 01 01 0b 05 00 30 0e 31 0c 30 0a 06 03 55 04 03 13 03
  72 73 61 30 1e 17 0d 31 36 30 37 33 30 30 31 32 33 35 39 5a 17
  0d 32 36 30 37 33 30 30 31 32 33 35 39 5a 30 0e 31 0c 30 0a 06
  03 55 04 03 13 03 72 73 61 30 81 9f 30 0d 06 09 2a 86 48 86 f7
  0d 01 01 01 05 00 03 81 8d 00 30 81 89 02 81 81 00 b4 bb 49 8f
  82 79 30 3d 98 08 36 39 9b 36 c6 98 8c 0c 68 de 55 e1 bd b8 26
  d3 90 1a 24 61 ea fd 2d e4 9a 91 d0 15 ab bc 9a 95 13 7a ce 6c
  1a f1 9e aa 6a f9 8c 7c ed 43 12 09 98 e1 87 a8 0e e0 cc b0 52
  4b 1b 01 8c 3e 0b 63 26 4d 44 9a 6d 38 e2 2a 5f da 43 08 46 74
  80 30 53 0e f0 46 1c 8c a9 d9 ef bf ae 8e a6 d1 d0 3e 2b d1 93
  ef f0 ab 9a 80 02 c4 74 28 a6 d3 5a 8d 88 d7 9f 7f 1e 3f 02 03
  01 00 01 a3 1a 30 18 30 09 06 03 55 1d 13 04 02 30 00 30 0b 06
  03 55 1d 0f 04 04 03 02 05 a0 30 0d 06 09 2a 86 48 86 f7 0d 01
  01 0b 05 00 03 81 81 00 85 aa d2 a0 e5 b9 27 6b 90 8c 65 f7 3a
  72 67 17 06 18 a5 4c 5f 8a 7b 33 7d 2d f7 a5 94 36 54 17 f2 ea
  e8 f8 a5 8c 8f 81 72 f9 31 9c f3 6b 7f d6 c5 5b 80 f2 1a 03 01
  51 56 72 60 96 fd 33 5e 5e 67 f2 db f1 02 70 2e 60 8c ca e6 be
  c1 fc 63 a4 2a 99 be 5c 3e b7 10 7c 3c 54 e9 b9 eb 2b d5 20 3b
  1c 3b 84 e0 a8 b2 f7 59 40 9b a3 ea c9 d9 1d 40 2d cc 0c c8 f8
  96 12 29 ac 91 87 b4 2b 4d e1 00 00`);
const CERTIFICATE_VERIFY = h(`0f 00 00 84 08 04 00 80 5a 74 7c
  5d 88 fa 9b d2 e5 5a b0 85 a6 10 15 b7 21 1f 82 4c d4 84 14 5a
  b3 ff 52 f1 fd a8 47 7b 0b 7a bc 90 db 78 e2 d3 3a 5c 14 1a 07
  86 53 fa 6b ef 78 0c 5e a2 48 ee aa a7 85 c4 f3 94 ca b6 d3 0b
  be 8d 48 59 ee 51 1f 60 29 57 b1 54 11 ac 02 76 71 45 9e 46 44
  5c 9e a5 8c 18 1e 81 8e 95 b8 c3 fb 0b f3 27 84 09 d3 be 15 2a
  3d a5 04 3e 06 3d da 65 cd f5 ae a2 0d 53 df ac d4 2f 74 f3`);
const SERVER_FINISHED = h(`14 00 00 20 9b 9b 14 1d 90 63 37 fb d2 cb
  dc e7 1d f4 de da 4a b4 2c 30 95 72 cb 7f ff ee 54 54 b7 8f 07 18`);

/** Encrypted records from the trace. */
const CLIENT_FINISHED_RECORD = `17 03 03 00 35 75 ec 4d c2 38 cc e6
  0b 29 80 44 a7 1e 21 9c 56 cc 77 b0 51 7f e9 b9 3c 7a 4b fc 44
  d8 7f 38 f8 03 38 ac 98 fc 46 de b3 84 bd 1c ae ac ab 68 67 d7
  26 c4 05 46`;
const CLIENT_APP_RECORD = `17 03 03 00 43 a2 3f 70 54 b6 2c 94
  d0 af fa fe 82 28 ba 55 cb ef ac ea 42 f9 14 aa 66 bc ab 3f 2b
  98 19 a8 a5 b4 6b 39 5b d5 4a 9a 20 44 1e 2b 62 97 4e 1f 5a 62
  92 a2 97 70 14 bd 1e 3d ea e6 3a ee bb 21 69 49 15 e4`;
const SERVER_APP_RECORD = `17 03 03 00 43 2e 93 7e 11 ef 4a c7
  40 e5 38 ad 36 00 5f c4 a4 69 32 fc 32 25 d0 5f 82 aa 1b 36 e3
  0e fa f9 7d 90 e6 df fc 60 2d cb 50 1a 59 a8 fc c4 9c 4b f2 e5
  f0 a2 1c 00 47 c2 ab f3 32 54 0d d0 32 e1 67 c2 95 5d`;
const CLIENT_ALERT_RECORD = `17 03 03 00 13 c9 87 27 60 65 56 66 b7 4d 7f f1 15 3e fd 6d b6 d0 b0 e3`;
const SERVER_ALERT_RECORD = `17 03 03 00 13 b5 8f d6 71 66 eb f5 99 d2 47 20 cf be 7e fa 7a 88 64 a9`;

describe('RFC 8448 section 3: simple 1-RTT handshake', () => {
  const dhe = x25519Shared(CLIENT_PRIV, SERVER_PUB) as Uint8Array;
  const ks = new Tls13KeySchedule();
  const helloHash = hash(concatBytes(CLIENT_HELLO, SERVER_HELLO));

  it('HKDF-Expand-Label info layout', () => {
    // "key" label info from the trace: 00 10 09 "tls13 key" 00
    expect(hx(hkdfExpandLabel(new Uint8Array(32), 'key', new Uint8Array(0), 16))).toHaveLength(32);
  });

  it('X25519 shared secret', () => {
    expect(hx(dhe)).toBe(clean('8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d'));
  });

  it('early secret and handshake secret', () => {
    expect(hx(ks.earlySecret)).toBe('33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a');
    expect(hx(ks.deriveHandshakeSecret(dhe))).toBe('1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac');
    expect(hx(helloHash)).toBe('860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8');
  });

  it('handshake traffic secrets, keys and IVs', () => {
    const s = ks.handshakeTrafficSecrets(helloHash);
    expect(hx(s.client)).toBe('b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21');
    expect(hx(s.server)).toBe('b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38');
    const sk = trafficKeys(s.server);
    expect(hx(sk.key)).toBe('3fce516009c21727d0f2e4e86ee403bc');
    expect(hx(sk.iv)).toBe('5d313eb2671276ee13000b30');
    const ck = trafficKeys(s.client);
    expect(hx(ck.key)).toBe('dbfaa693d1762c5b666af5d950258d01');
    expect(hx(ck.iv)).toBe('5bd3c71b836e0b76bb73265f');
  });

  it('server Finished, master secret, application secrets, client Finished record', () => {
    const s = ks.handshakeTrafficSecrets(helloHash);
    const beforeFin = hash(concatBytes(CLIENT_HELLO, SERVER_HELLO, ENCRYPTED_EXTENSIONS, CERTIFICATE, CERTIFICATE_VERIFY));
    expect(hx(beforeFin)).toBe('edb7725fa7a3473b031ec8ef65a2485493900138a2b91291407d7951a06110ed');
    expect(hx(encodeFinished(finishedVerifyData(s.server, beforeFin)))).toBe(hx(SERVER_FINISHED));
    const throughFin = hash(concatBytes(CLIENT_HELLO, SERVER_HELLO, ENCRYPTED_EXTENSIONS, CERTIFICATE, CERTIFICATE_VERIFY, SERVER_FINISHED));
    expect(hx(throughFin)).toBe('9608102a0f1ccc6db6250b7b7e417b1a000eaada3daae4777a7686c9ff83df13');
    expect(hx(ks.deriveMasterSecret())).toBe('18df06843d13a08bf2a449844c5f8a478001bc4d4c627984d5a41da8d0402919');
    const app = ks.applicationSecrets(throughFin);
    expect(hx(app.client)).toBe('9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5');
    expect(hx(app.server)).toBe('a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643');
    expect(hx(app.exporter)).toBe('fe22f881176eda18eb8f44529e6792c50c9a3f89452f68d8ae311b4309d3cf50');
    expect(hx(trafficKeys(app.client).key)).toBe('17422dda596ed5d9acd890e3c63f5051');
    expect(hx(trafficKeys(app.client).iv)).toBe('5b78923dee08579033e523d9');
    expect(hx(trafficKeys(app.server).key)).toBe('9f02283b6c9c07efc26bb9f2ac92e356');
    expect(hx(trafficKeys(app.server).iv)).toBe('cf782b88dd83549aadf1e984');

    // client Finished, protected with the client handshake key: the published record byte for byte
    const clientFinished = encodeFinished(finishedVerifyData(s.client, throughFin));
    const rec = new Tls13RecordCipher(trafficKeys(s.client)).seal(ContentType.handshake, clientFinished);
    expect(hx(rec)).toBe(clean(CLIENT_FINISHED_RECORD));

    // resumption
    const rms = ks.resumptionMasterSecret(
      hash(concatBytes(CLIENT_HELLO, SERVER_HELLO, ENCRYPTED_EXTENSIONS, CERTIFICATE, CERTIFICATE_VERIFY, SERVER_FINISHED, clientFinished)),
    );
    expect(hx(rms)).toBe('7df235f2031d2a051287d02b0241b0bfdaf86cc856231f2d5aba46c434ec196c');
    expect(hx(resumptionPsk(rms, Uint8Array.of(0, 0)))).toBe('4ecd0eb6ec3b4d87f5d6028f922ca4c5851a277fd41311c9e62d2c9492e1c4f3');
  });

  it('application data and close_notify records (AEAD known answers, both directions)', () => {
    const k = new Tls13KeySchedule();
    k.deriveHandshakeSecret(dhe);
    k.deriveMasterSecret();
    const app = k.applicationSecrets(h('9608102a0f1ccc6db6250b7b7e417b1a000eaada3daae4777a7686c9ff83df13'));
    const payload = Uint8Array.from({ length: 50 }, (_, i) => i);
    const client = new Tls13RecordCipher(trafficKeys(app.client));
    expect(hx(client.seal(ContentType.applicationData, payload))).toBe(clean(CLIENT_APP_RECORD));
    expect(hx(client.seal(ContentType.alert, Uint8Array.of(1, 0)))).toBe(clean(CLIENT_ALERT_RECORD));
    const server = new Tls13RecordCipher(trafficKeys(app.server));
    server.seq = 1; // the NewSessionTicket record was sequence 0
    expect(hx(server.seal(ContentType.applicationData, payload))).toBe(clean(SERVER_APP_RECORD));
    expect(hx(server.seal(ContentType.alert, Uint8Array.of(1, 0)))).toBe(clean(SERVER_ALERT_RECORD));

    // and open them again (the receiving side)
    const rx = new Tls13RecordCipher(trafficKeys(app.client));
    const r = h(CLIENT_APP_RECORD);
    expect(rx.open({ type: r[0], version: 0x0303, fragment: r.subarray(5) })).toEqual({ type: ContentType.applicationData, content: payload });
    const bad = r.slice(5);
    bad[3] ^= 0x80;
    expect(new Tls13RecordCipher(trafficKeys(app.client)).open({ type: 23, version: 0x0303, fragment: bad })).toBeNull();
  });

  it('our message decoders read the published ClientHello and ServerHello', () => {
    const ch = decodeHandshake(1, CLIENT_HELLO.subarray(4), true);
    expect(ch.kind).toBe('client_hello');
    if (ch.kind !== 'client_hello') return;
    expect(ch.body.serverName).toBe('server');
    expect(ch.body.supportedVersions).toEqual([0x0304]);
    expect(ch.body.keyShares?.[0].group).toBe(0x001d);
    expect(ch.body.pskModes).toEqual([1]);
    const sh = decodeHandshake(2, SERVER_HELLO.subarray(4), true);
    expect(sh.kind === 'server_hello' && sh.body.selectedVersion).toBe(0x0304);
    const cert = decodeHandshake(11, CERTIFICATE.subarray(4), true);
    expect(cert.kind === 'certificate' && cert.chain[0].length).toBe(0x1b0);
  });
});
