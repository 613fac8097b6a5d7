/**
 * What the bundled scenes' descriptions say, checked against their traces. Each `describe` is one
 * scene; each `it` is one claim of its description, in its words. (The TCP, QUIC, HTTP, path-MTU and
 * overload scenes are checked in test/wire, test/protocols/quic, test/apps and test/overload.)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScene } from '../../src/scenario/load';
import { simulate } from '../../src/scenario/simulate';
import { TraceView, type SeenFrame } from '../helpers/net';

function run(name: string): TraceView {
  const r = loadScene(readFileSync(new URL(`../../scenes/${name}.yaml`, import.meta.url), 'utf8'), `${name}.yaml`);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return new TraceView(simulate(r.scene).trace);
}

const MS = 1e6;
const BROADCAST = 'ff:ff:ff:ff:ff:ff';
const isEcho = (type: number) => (f: SeenFrame) => f.icmp?.type === type;

describe('router-ping: what its description says', () => {
  const v = run('router-ping');

  it('h1 first asks with ARP who has its gateway', () => {
    const first = v.frames('h1-sw1', 'a>b')[0];
    expect(first.ethDst).toBe(BROADCAST);
    expect(first.arp).toMatchObject({ op: 1, senderIp: '10.0.0.1', targetIp: '10.0.0.254' });
    // Nothing else left h1 before the gateway answered.
    const reply = v.frames('h1-sw1', 'b>a')[0];
    expect(reply.arp).toMatchObject({ op: 2, senderIp: '10.0.0.254', targetIp: '10.0.0.1' });
    expect(v.frames('h1-sw1', 'a>b')[1].time).toBeGreaterThanOrEqual(reply.arrival);
  });

  it('then its ping crosses r1, which asks with ARP for h2 on the other side', () => {
    const onR1Sw2 = v.frames('r1-sw2', 'a>b');
    expect(onR1Sw2[0].arp).toMatchObject({ op: 1, senderIp: '10.0.1.254', targetIp: '10.0.1.5' });
    // r1 asks only once the first echo request has reached it.
    const firstEcho = v.frames('sw1-r1', 'a>b').find(isEcho(8))!;
    expect(onR1Sw2[0].time).toBeGreaterThanOrEqual(firstEcho.arrival);
    const echoesOut = onR1Sw2.filter(isEcho(8));
    const h2Reply = v.frames('r1-sw2', 'b>a')[0];
    expect(h2Reply.arp).toMatchObject({ op: 2, senderIp: '10.0.1.5', targetIp: '10.0.1.254' });
    expect(echoesOut[0].time).toBeGreaterThanOrEqual(h2Reply.arrival);
    expect(v.logs('h1')).toContain('3 packets transmitted, 3 received, 0% packet loss, time 20ms');
  });

  it('the TTL drops by one at the router', () => {
    const ttls = (link: string, dir: 'a>b' | 'b>a', type: number) => [
      ...new Set(
        v
          .frames(link, dir)
          .filter(isEcho(type))
          .map((f) => f.ip!.ttl),
      ),
    ];
    expect(ttls('h1-sw1', 'a>b', 8)).toEqual([64]);
    expect(ttls('sw1-r1', 'a>b', 8)).toEqual([64]);
    expect(ttls('r1-sw2', 'a>b', 8)).toEqual([63]);
    expect(ttls('sw2-h2', 'a>b', 8)).toEqual([63]);
    expect(ttls('sw2-h2', 'b>a', 0)).toEqual([64]);
    expect(ttls('h1-sw1', 'b>a', 0)).toEqual([63]);
  });

  it('the Ethernet addresses change at the router (the switches pass them unchanged) while the IP addresses stay the same', () => {
    const pairs = (link: string) => [
      ...new Set(
        v
          .frames(link, 'a>b')
          .filter(isEcho(8))
          .map((f) => `${f.ethSrc}>${f.ethDst} ${f.ip!.src}>${f.ip!.dst}`),
      ),
    ];
    const h1Side = pairs('h1-sw1');
    const h2Side = pairs('sw2-h2');
    expect(h1Side).toHaveLength(1);
    expect(pairs('sw1-r1')).toEqual(h1Side);
    expect(pairs('r1-sw2')).toEqual(h2Side);
    expect(h2Side).toHaveLength(1);
    const [macs1, ips1] = h1Side[0].split(' ');
    const [macs2, ips2] = h2Side[0].split(' ');
    expect(ips1).toBe('10.0.0.1>10.0.1.5');
    expect(ips2).toBe(ips1);
    const [src1, dst1] = macs1.split('>');
    const [src2, dst2] = macs2.split('>');
    expect(src2).not.toBe(src1);
    expect(dst2).not.toBe(dst1);
  });
});

describe('traceroute: what its description says', () => {
  const v = run('traceroute');
  const probes = v.frames('h1-r1', 'a>b').filter((f) => f.ip?.protocol === 17);
  const ROUTERS: [string, string][] = [
    ['r1', '10.0.0.254'],
    ['r2', '10.0.1.2'],
    ['r3', '10.0.2.2'],
  ];

  it('traceroute sends UDP probes with TTL 1, 2, 3, ...', () => {
    expect(probes.map((f) => f.ip!.ttl)).toEqual([1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]);
    expect(probes.every((f) => f.ip!.dst === '10.0.3.10')).toBe(true);
  });

  it("each router that decrements a probe's TTL to zero drops it and answers with ICMP Time Exceeded, revealing itself", () => {
    const back = v.frames('h1-r1', 'b>a').filter((f) => f.icmp?.type === 11);
    expect(back.map((f) => f.icmp!.code)).toEqual(Array(9).fill(0));
    ROUTERS.forEach(([router, addr], i) => {
      const drops = v.drops(router).filter((d) => d.reason.startsWith('TTL expired'));
      expect(drops).toHaveLength(3);
      expect(back.slice(3 * i, 3 * i + 3).map((f) => f.ip!.src)).toEqual([addr, addr, addr]);
      // The router is revealed in traceroute's output.
      expect(v.logs('h1')[i + 1]).toMatch(new RegExp(`^ ${i + 1} {2}${addr.replace(/\./g, '\\.')} `));
    });
    // No probe with TTL n gets past router n.
    expect(
      v
        .frames('r3-h2', 'a>b')
        .filter((f) => f.ip?.protocol === 17)
        .map((f) => f.ip!.ttl),
    ).toEqual([1, 1, 1]);
  });

  it('the destination answers with ICMP Port Unreachable, which ends the trace', () => {
    const unreachable = v.frames('h1-r1', 'b>a').filter((f) => f.icmp?.type === 3);
    expect(unreachable).toHaveLength(3);
    unreachable.forEach((f) => expect([f.icmp!.code, f.ip!.src]).toEqual([3, '10.0.3.10']));
    // Ends the trace: the last line is the destination, and no probe follows the last answer.
    expect(v.logs('h1').at(-1)).toMatch(/^ 4 {2}10\.0\.3\.10 /);
    expect(probes.at(-1)!.time).toBeLessThan(unreachable.at(-1)!.time);
    expect(v.logs('h1')).toHaveLength(5);
  });
});

describe('hub-vs-switch: what its description says', () => {
  const v = run('hub-vs-switch');
  const HUB = ['h1', 'h2', 'h3', 'h4'];
  const SW = ['h5', 'h6', 'h7', 'h8'];
  const collisions = (host: string) => v.drops(`${host}-hub1`).filter((d) => d.reason.startsWith('collision'));

  it('at the same moment h1 pings h3 and h2 pings h4', () => {
    expect(v.logRows('h1')[0]).toEqual({ time: 1 * MS, text: 'PING 10.0.1.3 (10.0.1.3) 56(84) bytes of data.' });
    expect(v.logRows('h2')[0]).toEqual({ time: 1 * MS, text: 'PING 10.0.1.4 (10.0.1.4) 56(84) bytes of data.' });
  });

  it('on the hub every frame reaches every port', () => {
    let repeated = 0;
    for (const host of HUB) {
      for (const f of v.frames(`${host}-hub1`, 'a>b')) {
        if (v.drops(`${host}-hub1`).some((d) => d.packetId === f.packetId && d.started === f.time)) continue;
        for (const other of HUB.filter((h) => h !== host)) {
          const copy = v.frames(`${other}-hub1`, 'b>a').find((g) => g.time >= f.time && g.time <= f.end && g.ethSrc === f.ethSrc && g.ethDst === f.ethDst);
          expect(copy, `${host}'s frame at ${f.time} on ${other}'s port`).toBeDefined();
        }
        repeated++;
      }
    }
    expect(repeated).toBeGreaterThan(12);
  });

  it('the two senders share one collision domain: their frames collide and both back off', () => {
    const c1 = collisions('h1');
    const c2 = collisions('h2');
    expect(c1.length).toBeGreaterThan(0);
    expect(c1.map((d) => d.time)).toEqual(c2.map((d) => d.time));
    // Both back off and try again later, and in the end every ping is answered.
    for (const [host, cs] of [
      ['h1', c1],
      ['h2', c2],
    ] as const) {
      for (const d of cs) expect(v.frames(`${host}-hub1`, 'a>b').some((f) => f.time > d.time)).toBe(true);
      expect(v.logs(host)).toContain('3 packets transmitted, 3 received, 0% packet loss, time 10ms');
    }
    expect(collisions('h3').length + collisions('h4').length).toBe(0);
  });

  it('the switch learns where each address lives and forwards each unicast frame only to its port (broadcasts go to every port)', () => {
    const macOf = new Map<string, string>();
    for (const h of SW) macOf.set(v.frames(`${h}-sw1`, 'a>b')[0].ethSrc, h);
    let unicast = 0;
    for (const host of SW) {
      for (const f of v.frames(`${host}-sw1`, 'a>b')) {
        const out = SW.filter((h) => h !== host).filter((h) =>
          v
            .frames(`${h}-sw1`, 'b>a')
            .some(
              (g) =>
                g.time >= f.time &&
                g.time <= f.arrival + MS &&
                g.ethSrc === f.ethSrc &&
                g.ethDst === f.ethDst &&
                g.bytes.length === f.bytes.length &&
                g.bytes.every((b, i) => b === f.bytes[i]),
            ),
        );
        if (f.ethDst === BROADCAST) expect(out).toHaveLength(3);
        else {
          expect(out).toEqual([macOf.get(f.ethDst)]);
          unicast++;
        }
      }
    }
    expect(unicast).toBeGreaterThan(12);
  });

  it('so both conversations run at once', () => {
    expect(SW.flatMap((h) => v.drops(`${h}-sw1`))).toEqual([]);
    const f5 = v.frames('h5-sw1', 'a>b').filter(isEcho(8));
    const f6 = v.frames('h6-sw1', 'a>b').filter(isEcho(8));
    // h5's and h6's echo requests are on their wires at the same time.
    expect(f5.some((a) => f6.some((b) => a.time < b.end && b.time < a.end))).toBe(true);
    for (const h of ['h5', 'h6']) expect(v.logs(h)).toContain('3 packets transmitted, 3 received, 0% packet loss, time 10ms');
  });
});
