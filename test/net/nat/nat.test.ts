/**
 * NAPT on a router (RFC 3022) with the RFC 4787 behaviour it states: the translation table's port
 * allocation (port preservation, the next free port on a clash, endpoint-independent mapping) and
 * ageing (an entry goes after its idle timeout, traffic keeps it), then a router translating real
 * traffic: the outside sees only the public address, inbound traffic with no entry is dropped with a
 * reason, filtering is address- and port-dependent, and a port forward lets a connection in.
 */
import { describe, expect, it } from 'vitest';
import { Kernel } from '../../../src/sim/kernel';
import { NatTable, NAT_DEFAULT_TIMEOUTS } from '../../../src/net/nat/nat';
import { IP_PROTO_ICMP, IP_PROTO_TCP, IP_PROTO_UDP } from '../../../src/protocols/ipv4/ipv4';
import { parseIpv4 } from '../../../src/protocols/addr';
import { TestNet } from '../../helpers/net';

const S = 1e9;
const ip = (s: string) => parseIpv4(s)!;
const OUTSIDE = ip('203.0.113.2');

function table(timeouts = { tcp: 10 * S, udp: 5 * S, icmp: 2 * S }) {
  const kernel = new Kernel();
  const rows = new Map<string, string>();
  const t = new NatTable({ kernel, state: (k, v) => (v === '' ? rows.delete(k) : rows.set(k, v)) }, OUTSIDE, timeouts);
  return { kernel, rows, t };
}

describe('NAT table: port allocation', () => {
  it('keeps the inside port when it is free (port preservation)', () => {
    const { t, rows } = table();
    const e = t.outbound(IP_PROTO_TCP, ip('192.168.1.100'), 44539, '198.51.100.80:80')!;
    expect(e.outPort).toBe(44539);
    expect(rows.get('nat tcp 192.168.1.100:44539')).toBe('203.0.113.2:44539');
  });

  it('gives a second inside host with the same port the next free port', () => {
    const { t } = table();
    t.outbound(IP_PROTO_UDP, ip('192.168.1.100'), 5000, '198.51.100.53:53');
    t.outbound(IP_PROTO_UDP, ip('192.168.1.101'), 5001, '198.51.100.53:53');
    const third = t.outbound(IP_PROTO_UDP, ip('192.168.1.102'), 5000, '198.51.100.53:53')!;
    expect(third.outPort).toBe(5002);
    // Ports are per protocol: TCP 5000 is still free.
    expect(t.outbound(IP_PROTO_TCP, ip('192.168.1.102'), 5000, '198.51.100.80:80')!.outPort).toBe(5000);
  });

  it('wraps from 65535 to 1024, and allocates ICMP echo identifiers from 0', () => {
    const { t } = table();
    t.outbound(IP_PROTO_TCP, ip('192.168.1.100'), 65535, '198.51.100.80:80');
    expect(t.outbound(IP_PROTO_TCP, ip('192.168.1.101'), 65535, '198.51.100.80:80')!.outPort).toBe(1024);
    t.outbound(IP_PROTO_ICMP, ip('192.168.1.100'), 65535, '198.51.100.80');
    expect(t.outbound(IP_PROTO_ICMP, ip('192.168.1.101'), 65535, '198.51.100.80')!.outPort).toBe(0);
  });

  it('maps one inside endpoint to one outside port whatever it sends to (endpoint-independent mapping)', () => {
    const { t } = table();
    const a = t.outbound(IP_PROTO_UDP, ip('192.168.1.100'), 40000, '198.51.100.1:3478')!;
    const b = t.outbound(IP_PROTO_UDP, ip('192.168.1.100'), 40000, '198.51.100.2:3478')!;
    expect(b).toBe(a);
    expect(t.entries()).toHaveLength(1);
  });

  it('lets in only what comes from an endpoint the inside host sent to (address- and port-dependent filtering)', () => {
    const { t } = table();
    t.outbound(IP_PROTO_UDP, ip('192.168.1.100'), 40000, '198.51.100.1:3478');
    expect(t.inbound(IP_PROTO_UDP, 40000, '198.51.100.1:3478')).toMatchObject({ inPort: 40000 });
    expect(t.inbound(IP_PROTO_UDP, 40000, '198.51.100.1:9999')).toContain('filtered');
    expect(t.inbound(IP_PROTO_UDP, 40000, '198.51.100.2:3478')).toContain('filtered');
    expect(t.inbound(IP_PROTO_UDP, 40001, '198.51.100.1:3478')).toBe('no entry');
  });
});

describe('NAT table: ageing', () => {
  it('removes an entry after its idle timeout, and its state row with it', () => {
    const { t, rows, kernel } = table();
    t.outbound(IP_PROTO_UDP, ip('192.168.1.100'), 5000, '198.51.100.53:53');
    kernel.runUntil(5 * S - 1);
    expect(rows.has('nat udp 192.168.1.100:5000')).toBe(true);
    kernel.runUntil(5 * S);
    expect(rows.has('nat udp 192.168.1.100:5000')).toBe(false);
    expect(t.entries()).toHaveLength(0);
    expect(t.inbound(IP_PROTO_UDP, 5000, '198.51.100.53:53')).toBe('no entry');
  });

  it('restarts the timeout with every packet either way', () => {
    const { t, kernel } = table();
    t.outbound(IP_PROTO_TCP, ip('192.168.1.100'), 5000, '198.51.100.80:80');
    kernel.runUntil(8 * S);
    t.inbound(IP_PROTO_TCP, 5000, '198.51.100.80:80');
    kernel.runUntil(17 * S);
    expect(t.entries()).toHaveLength(1);
    kernel.runUntil(18 * S);
    expect(t.entries()).toHaveLength(0);
  });

  it('times each protocol out on its own timer; port forwards never', () => {
    const { t, kernel } = table();
    t.addForward(IP_PROTO_TCP, 8080, ip('192.168.1.5'), 80);
    t.outbound(IP_PROTO_ICMP, ip('192.168.1.100'), 7, '198.51.100.80');
    t.outbound(IP_PROTO_UDP, ip('192.168.1.100'), 7, '198.51.100.80:7');
    kernel.runUntil(2 * S);
    expect(t.entries().map((e) => e.proto)).toEqual([IP_PROTO_TCP, IP_PROTO_UDP]);
    kernel.runUntil(100 * S);
    expect(t.entries().map((e) => e.outPort)).toEqual([8080]);
  });

  it('defaults to the RFC minimums: TCP 2 h 4 min, UDP 5 min, ICMP 60 s', () => {
    expect(NAT_DEFAULT_TIMEOUTS).toEqual({ tcp: 7440 * S, udp: 300 * S, icmp: 60 * S });
  });
});

describe('a NAT router', () => {
  const scene = (extra = '') => `
nodes:
  - { id: pc, kind: host, ip: 192.168.1.100/24, gateway: 192.168.1.1 }
  - { id: nas, kind: server, ip: 192.168.1.5/24, gateway: 192.168.1.1 }
  - { id: sw, kind: switch }
  - id: home
    kind: router
    interfaces: [192.168.1.1/24, 203.0.113.2/24]
    nat: { inside: [eth0], outside: eth1${extra} }
  - { id: web, kind: server, ip: 203.0.113.80/24, gateway: 203.0.113.2 }
links:
  - { a: pc, b: sw, latency: 1ms }
  - { a: nas, b: sw, latency: 1ms }
  - { a: sw, b: "home:eth0", latency: 1ms }
  - { a: "home:eth1", b: web, latency: 1ms }
`;

  it('sends inside traffic out from its own address and translates the replies back', () => {
    const net = TestNet.fromYaml(
      `${scene()}
run:
  - { on: pc, at: 1ms, cmd: "ping 203.0.113.80 -c 2 -i 10ms" }
`,
    ).runUntil('1s');
    const out = net.frames('home-web', 'a>b').filter((f) => f.icmp?.type === 8);
    const inside = net.frames('pc-sw', 'a>b').filter((f) => f.icmp?.type === 8);
    expect(out.map((f) => f.ip!.src)).toEqual(['203.0.113.2', '203.0.113.2']);
    // The echo identifier is the ICMP "port": kept, since it was free.
    expect(out.map((f) => f.field('icmp.ident'))).toEqual(inside.map((f) => f.field('icmp.ident')));
    const back = net.frames('pc-sw', 'b>a').filter((f) => f.icmp?.type === 0);
    expect(back.map((f) => f.ip!.dst)).toEqual(['192.168.1.100', '192.168.1.100']);
    expect(net.logs('pc')).toContain('2 packets transmitted, 2 received, 0% packet loss, time 10ms');
    const ident = Number(inside[0].field('icmp.ident')!.split(' ')[0]);
    expect(net.states('home', 'nat icmp ').map((s) => s.value)).toEqual([`203.0.113.2:${ident}`]);
  });

  it('drops inbound traffic with no entry, saying why', () => {
    const net = TestNet.fromYaml(
      `${scene()}
run:
  - { on: web, at: 1ms, cmd: "curl --connect-timeout 1 http://203.0.113.2:8080/" }
`,
    ).runUntil('2s');
    const reasons = net.drops('home').map((d) => d.reason);
    expect(reasons[0]).toMatch(/^NAT: inbound tcp from 203\.0\.113\.80:\d+ to 203\.0\.113\.2:8080: no entry$/);
    expect(net.frames('sw-home')).toHaveLength(0);
  });

  it('lets a connection in through a port forward, and sends the answer out from the forwarded port', () => {
    const net = TestNet.fromYaml(
      `${scene(', forward: { port: 8080, to: "192.168.1.5:80" }')}
run:
  - { on: nas, at: 0ms, cmd: "http-server -p 80 --site hello" }
  - { on: web, at: 1ms, cmd: "curl http://203.0.113.2:8080/" }
`,
    ).runUntil('1s');
    const syn = net.frames('nas-sw', 'b>a').find((f) => f.field('tcp.dstport') !== undefined)!;
    expect(syn.ip).toMatchObject({ src: '203.0.113.80', dst: '192.168.1.5' });
    expect(syn.field('tcp.dstport')).toBe('80');
    const synAck = net.frames('home-web', 'a>b').find((f) => f.ip?.src === '203.0.113.2')!;
    expect(synAck.ip?.src).toBe('203.0.113.2');
    expect(synAck.field('tcp.srcport')).toBe('8080');
    expect(net.logs('web')).toContain('  <h1>Welcome to hello</h1>');
    expect(net.stateOf('home', 'nat tcp 192.168.1.5:80')).toBe('203.0.113.2:8080 (forward)');
  });
});

describe('a NAT router pinging out itself', () => {
  it('gets its own echo replies (no entry needed: they are addressed to it)', () => {
    const net = TestNet.fromYaml(
      `
nodes:
  - { id: home, kind: router, interfaces: [192.168.1.1/24, 203.0.113.2/24], nat: { inside: [eth0], outside: eth1 } }
  - { id: web, kind: server, ip: 203.0.113.80/24, gateway: 203.0.113.2 }
links:
  - { a: "home:eth1", b: web, latency: 1ms }
run:
  - { on: home, at: 1ms, cmd: "ping 203.0.113.80 -c 1" }
`,
    ).runUntil('1s');
    expect(net.logs('home')).toContain('1 packets transmitted, 1 received, 0% packet loss, time 0ms');
    expect(net.drops('home')).toEqual([]);
  });
});
