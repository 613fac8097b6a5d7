/**
 * The QUIC sender against RFC 9000 / 9002, read from the capture and the trace rows:
 * - frames of several streams share a packet (RFC 9000 section 12.4 allows any mix);
 * - datagrams start at 1200 bytes, grow to 1472 only once a PMTU probe is acknowledged
 *   (RFC 9000 section 14.3, RFC 8899), never exceed it, and go with DF set;
 * - a probe timeout sends one or two probe datagrams, declares nothing lost and backs off
 *   exponentially (RFC 9002 section 6.2.4); losses are declared only from ACKs;
 * - migration (RFC 9000 section 9, scenes/quic-migration.yaml): what the description says.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import '../../../src/apps';
import { TestNet, type SeenFrame } from '../../helpers/net';
import { appKeys, oneRttFrames, shortHeaderDcid, udpPayload } from '../../helpers/quic-packets';

const scene = (name: string) => readFileSync(new URL(`../../../scenes/${name}.yaml`, import.meta.url), 'utf8');
const isQuic = (f: SeenFrame) =>
  f.ip?.protocol === 17 && f.field('udp.srcport') !== undefined && (f.field('udp.srcport') === '443' || f.field('udp.dstport') === '443');

describe('QUIC datagrams (scenes/h2-vs-h3-loss.yaml, phone3 and web)', () => {
  const net = TestNet.fromYaml(scene('h2-vs-h3-loss')).runToEnd();
  const keys = appKeys(net, 'phone3', 'SERVER');
  const fromServer = net.frames('r1-web').filter((f) => isQuic(f) && f.ip!.src === '10.0.1.2' && f.ip!.dst === '10.0.0.3');
  const quicBoth = net.allFrames().filter((f) => isQuic(f) && (f.ip!.src === '10.0.0.3' || f.ip!.dst === '10.0.0.3'));

  it('every QUIC datagram has DF set and is at most 1472 bytes; datagrams with an Initial packet are at least 1200', () => {
    expect(quicBoth.length).toBeGreaterThan(50);
    for (const f of quicBoth) {
      expect(f.ip!.dontFragment).toBe(true);
      const d = udpPayload(f.bytes);
      expect(d.length).toBeLessThanOrEqual(1472);
      if ((d[0] & 0xf0) === 0xc0 && f.ip!.src === '10.0.0.3') expect(d.length).toBeGreaterThanOrEqual(1200);
    }
  });

  it('datagrams are 1200 bytes until the PMTU probe is acknowledged, full-size (1472) after', () => {
    const acked = net.states('web', 'quic pmtu').find((r) => /acknowledged/.test(r.value));
    expect(acked?.value).toMatch(/^1472-byte probe acknowledged/);
    const probe = fromServer.find((f) => udpPayload(f.bytes).length === 1472)!;
    expect(oneRttFrames(probe.bytes, keys)!.map((x) => x.type)).toEqual(['ping', 'padding']);
    const before = fromServer.filter((f) => f.time < acked!.time && f !== probe);
    const after = fromServer.filter((f) => f.time > acked!.time);
    expect(Math.max(...before.map((f) => udpPayload(f.bytes).length))).toBeLessThanOrEqual(1200);
    const full = after.filter((f) => udpPayload(f.bytes).length >= 1460);
    expect(full.length).toBeGreaterThan(after.length / 2);
    // Full-size datagrams carry stream data (not only probes).
    expect(full.some((f) => oneRttFrames(f.bytes, keys)!.some((x) => x.type === 'stream'))).toBe(true);
  });

  it('a packet carries frames of several streams when one stream has too little left to fill it', () => {
    const mixed = fromServer
      .map((f) => oneRttFrames(f.bytes, keys) ?? [])
      .filter((fr) => new Set(fr.flatMap((x) => (x.type === 'stream' ? [x.id] : []))).size >= 2);
    expect(mixed.length).toBeGreaterThan(0);
    // Most packets are full: stream data is not sent one small frame per datagram.
    const withData = fromServer.filter((f) => oneRttFrames(f.bytes, keys)?.some((x) => x.type === 'stream'));
    const small = withData.filter((f) => udpPayload(f.bytes).length < 1000);
    expect(small.length).toBeLessThan(withData.length / 4);
  });
});

describe('scenes/quic-migration.yaml: what its description says', () => {
  const net = TestNet.fromYaml(scene('quic-migration')).runToEnd();
  const moved = net.states('web', 'quic path').find((r) => r.value.startsWith('peer moved to 10.0.2.10'))!;
  // Everything the server sent towards the phone's old address after the Wi-Fi link went down.
  const toDead = net.frames('isp-web').filter((f) => isQuic(f) && f.ip!.src === '10.0.3.2' && f.ip!.dst === '10.0.1.10' && f.time > 150e6);
  const ptos = net.states('web', 'quic pto');

  it('the phone carries on from 10.0.2.10 with a fresh connection ID and no new handshake', () => {
    expect(net.logs('phone')).toContain('page-load: network changed: migrating connection #0 to 10.0.2.10');
    const before = net.frames('wifi', 'a>b').filter((f) => isQuic(f) && (udpPayload(f.bytes)[0] & 0x80) === 0);
    const after = net.frames('cellular', 'a>b').filter(isQuic);
    expect(after.length).toBeGreaterThan(5);
    expect(after.every((f) => f.time >= 150e6 && f.ip!.src === '10.0.2.10' && (udpPayload(f.bytes)[0] & 0x80) === 0)).toBe(true);
    const oldCids = new Set(before.map((f) => shortHeaderDcid(f.bytes)));
    const newCids = new Set(after.map((f) => shortHeaderDcid(f.bytes)));
    expect(newCids.size).toBe(1);
    expect(oldCids.has([...newCids][0])).toBe(false);
    expect(net.logs('phone').at(-1)).toMatch(/^page-load: 8 requests \(8 ok\), 120489 B, 1 connection, /);
  });

  it('while the phone is unreachable, a probe timeout sends at most two datagrams to the old address and declares nothing lost', () => {
    expect(toDead.filter((f) => f.time < moved.time).length).toBeGreaterThan(0);
    const early = ptos.filter((p) => p.time < moved.time);
    expect(early.length).toBeGreaterThan(0);
    for (const [i, p] of early.entries()) {
      const next = early[i + 1]?.time ?? moved.time;
      const sent = toDead.filter((f) => f.time >= p.time && f.time < next);
      expect(sent.length, p.value).toBeGreaterThan(0);
      expect(sent.length, p.value).toBeLessThanOrEqual(2);
      expect(p.value).toMatch(/nothing declared lost/);
    }
    // Nothing is sent to the dead address between the last data and the first probe, and no loss
    // is declared before an ACK arrives over the new path.
    expect(toDead.filter((f) => f.time > 160e6 && f.time < (early[0]?.time ?? 0)).length).toBe(0);
    expect(net.states('web', 'quic lost').filter((r) => r.time < moved.time)).toEqual([]);
  });

  it('the probe timeout doubles from one to the next (RFC 9002 6.2.1)', () => {
    const net2 = TestNet.fromYaml(scene('quic-migration').replace(/ {2}- \{ at: 150ms, node: phone, gateway: 10\.0\.2\.254 \}\n/, '')).runToEnd();
    const rows = net2.states('web', 'quic pto');
    expect(rows.length).toBeGreaterThanOrEqual(3);
    const gaps = rows.slice(1).map((r, i) => r.time - rows[i].time);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i] / gaps[i - 1]).toBeCloseTo(2, 1);
    // Each sends one or two probe datagrams, never the whole flight again.
    const sent = net2.frames('isp-web').filter((f) => isQuic(f) && f.ip!.src === '10.0.3.2' && f.time > rows[0].time);
    expect(sent.length).toBeLessThanOrEqual(2 * rows.length);
    expect(net2.states('web', 'quic lost')).toEqual([]);
  });

  it('the server validates the new path with PATH_CHALLENGE / PATH_RESPONSE and starts it with a fresh window', () => {
    expect(net.states('web', 'quic path').map((r) => r.value)).toEqual([
      expect.stringMatching(/^peer moved to 10\.0\.2\.10:\d+: validating$/),
      'validated new path',
    ]);
    const serverKeys = appKeys(net, 'phone', 'SERVER');
    const clientKeys = appKeys(net, 'phone', 'CLIENT');
    const down = net.frames('cellular', 'b>a').filter(isQuic);
    const up = net.frames('cellular', 'a>b').filter(isQuic);
    const challenge = down.flatMap((f) => oneRttFrames(f.bytes, serverKeys) ?? []).find((x) => x.type === 'path_challenge');
    expect(challenge).toBeDefined();
    const response = up.flatMap((f) => oneRttFrames(f.bytes, clientKeys) ?? []).find((x) => x.type === 'path_response');
    expect(response && 'data' in response && challenge && 'data' in challenge && Buffer.from(response.data).equals(Buffer.from(challenge.data))).toBe(true);
    // The phone's own PATH_CHALLENGE is answered on the path it came in on: over cellular.
    const phoneChallenge = up.flatMap((f) => oneRttFrames(f.bytes, clientKeys) ?? []).find((x) => x.type === 'path_challenge');
    const phoneResponse = down.flatMap((f) => oneRttFrames(f.bytes, serverKeys) ?? []).find((x) => x.type === 'path_response');
    expect(
      phoneChallenge &&
        phoneResponse &&
        'data' in phoneChallenge &&
        'data' in phoneResponse &&
        Buffer.from(phoneResponse.data).equals(Buffer.from(phoneChallenge.data)),
    ).toBe(true);
    // Fresh congestion window on the new path: the first cwnd row after the move is the initial 12000.
    const cwnd = net.states('web', 'quic cwnd').find((r) => r.time > moved.time);
    expect(Number(cwnd!.value.split(' ')[0])).toBeLessThanOrEqual(12000 + 1500);
  });

  it('data lost with the Wi-Fi link is declared lost once the new path is acknowledged, and sent again', () => {
    const lost = net.states('web', 'quic lost').filter((r) => r.time > moved.time);
    expect(lost.length).toBeGreaterThan(0);
    expect(lost.some((r) => /STREAM id=/.test(r.value))).toBe(true);
    const validated = net.states('web', 'quic path').find((r) => r.value === 'validated new path')!;
    expect(lost[0].time).toBeGreaterThanOrEqual(validated.time);
  });
});
