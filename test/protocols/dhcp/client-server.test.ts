/**
 * The DHCP client, server and relay against RFC 2131: DISCOVER, OFFER, REQUEST, ACK at boot with a
 * random xid, the broadcast flag and source 0.0.0.0 (§4.1, §4.4.1); renewal at T1 by unicast and
 * rebinding at T2 by broadcast (§4.4.5); a NAK sending the client back to INIT (§4.4.4); the lease
 * expiring (§4.4.5); a relay's giaddr (§4.1, RFC 1542).
 */
import { describe, expect, it } from 'vitest';
import { decodeDhcp, DHCP_FLAG_BROADCAST, DhcpType, type DhcpMessage } from '../../../src/protocols/dhcp/dhcp';
import { formatIpv4 } from '../../../src/protocols/addr';
import { TestNet, type SeenFrame } from '../../helpers/net';

const S = 1e9;

/** One LAN: h1 (ip: dhcp), a server srv with a 10 s pool, and `extra` nodes/faults/runs. */
function lan(extra: { faults?: string; run?: string; seed?: number } = {}): TestNet {
  return TestNet.fromYaml(
    `
nodes:
  - { id: h1, kind: host, ip: dhcp }
  - id: srv
    kind: server
    ip: 10.0.0.2/24
    dhcp-server: [{ subnet: 10.0.0.0/24, range: 10.0.0.100-10.0.0.110, lease: 10s, router: 10.0.0.254, dns: 10.0.0.53 }]
  - { id: sw, kind: switch }
links:
  - { a: h1, b: sw, latency: 1ms }
  - { a: srv, b: sw, latency: 1ms }
run: [${extra.run ?? ''}]
faults: [${extra.faults ?? ''}]
`,
    { duration: '30s', seed: extra.seed },
  );
}

interface SeenDhcp {
  readonly f: SeenFrame;
  readonly m: DhcpMessage;
}

/** DHCP messages on `link` in direction `dir`. */
function dhcp(net: TestNet, link: string, dir?: 'a>b' | 'b>a'): SeenDhcp[] {
  return net
    .frames(link, dir)
    .filter((f) => f.dissected.protocol === 'DHCP')
    .map((f) => {
      const d = decodeDhcp(f.bytes, 42);
      if (!d.ok) throw new Error(d.error);
      return { f, m: d.value };
    });
}

const types = (list: readonly SeenDhcp[]) => list.map((x) => x.m.options.type);

describe('DHCP client and server (RFC 2131)', () => {
  it('boots with DISCOVER, OFFER, REQUEST, ACK: broadcast from 0.0.0.0 with the broadcast flag, one xid', () => {
    const net = lan().runUntil('1s');
    const out = dhcp(net, 'h1-sw', 'a>b');
    const back = dhcp(net, 'h1-sw', 'b>a');
    expect(types(out)).toEqual([DhcpType.Discover, DhcpType.Request]);
    expect(types(back)).toEqual([DhcpType.Offer, DhcpType.Ack]);
    for (const { f, m } of out) {
      expect(f.ethDst).toBe('ff:ff:ff:ff:ff:ff');
      expect(f.ip).toMatchObject({ src: '0.0.0.0', dst: '255.255.255.255' });
      expect(f.field('udp.srcport')).toBe('68');
      expect(f.field('udp.dstport')).toBe('67');
      expect(m.flags & DHCP_FLAG_BROADCAST).toBe(DHCP_FLAG_BROADCAST);
      expect(m.ciaddr).toBe(0);
    }
    // The flag asks the server to broadcast its answers: the client has no address to receive them on.
    for (const { f } of back) expect(f.ip?.dst).toBe('255.255.255.255');
    const xid = out[0].m.xid;
    expect([...out, ...back].every((x) => x.m.xid === xid)).toBe(true);
    // SELECTING: the REQUEST names the chosen server (54) and the offered address (50).
    const offer = back[0].m;
    expect(formatIpv4(offer.yiaddr)).toBe('10.0.0.100');
    expect(out[1].m.options).toMatchObject({ serverId: offer.options.serverId, requestedIp: offer.yiaddr });
    expect(back[1].m.options).toMatchObject({ leaseTime: 10, renewalTime: 5, rebindingTime: 8, subnetMask: 0xffffff00 });
    expect(net.stateOf('h1', 'dhcp')).toBe('BOUND 10.0.0.100/24');
    expect(net.stateOf('h1', 'addr eth0')).toBe('10.0.0.100/24');
    expect(net.stateOf('h1', 'default route')).toBe('via 10.0.0.254');
    expect(net.logs('h1')).toEqual([
      'DHCPDISCOVER on eth0 to 255.255.255.255 port 67 interval 4',
      'DHCPOFFER of 10.0.0.100 from 10.0.0.2',
      'DHCPREQUEST for 10.0.0.100 on eth0 to 255.255.255.255 port 67',
      'DHCPACK of 10.0.0.100 from 10.0.0.2',
      'bound to 10.0.0.100 -- renewal in 5 seconds.',
    ]);
  });

  it("takes the xid from the host's own random stream: another seed, another xid", () => {
    const xid = (seed: number) => dhcp(lan({ seed }).runUntil('10ms'), 'h1-sw', 'a>b')[0].m.xid;
    expect(xid(1)).toBe(xid(1));
    expect(xid(1)).not.toBe(xid(2));
  });

  it('starts a program given before the lease once the lease is bound, with the lease as its address', () => {
    const net = lan({ run: '{ on: h1, at: 1ms, cmd: "ping 10.0.0.2 -c 1" }' }).runUntil('1s');
    const bound = net.logRows('h1').find((r) => r.text.startsWith('bound to'))!;
    const ping = net.logRows('h1').find((r) => r.text.startsWith('PING'))!;
    expect(ping.time).toBeGreaterThanOrEqual(bound.time);
    const echo = net.frames('h1-sw', 'a>b').find((f) => f.icmp?.type === 8)!;
    expect(echo.ip?.src).toBe('10.0.0.100');
    expect(net.logs('h1')).toContain('1 packets transmitted, 1 received, 0% packet loss, time 0ms');
  });

  it('renews at T1 with a unicast REQUEST from its address, ciaddr set, no server id or requested address', () => {
    const net = lan().runUntil('6s');
    const renew = dhcp(net, 'h1-sw', 'a>b')[2];
    expect(renew.f.time).toBeGreaterThanOrEqual(5 * S);
    expect(renew.f.time).toBeLessThan(5.1 * S);
    expect(renew.m.options.type).toBe(DhcpType.Request);
    expect(renew.f.ip).toMatchObject({ src: '10.0.0.100', dst: '10.0.0.2' });
    expect(formatIpv4(renew.m.ciaddr)).toBe('10.0.0.100');
    expect(renew.m.flags & DHCP_FLAG_BROADCAST).toBe(0);
    expect(renew.m.options.serverId).toBeUndefined();
    expect(renew.m.options.requestedIp).toBeUndefined();
    const ack = dhcp(net, 'h1-sw', 'b>a')[2];
    expect(ack.m.options.type).toBe(DhcpType.Ack);
    expect(ack.f.ip).toMatchObject({ src: '10.0.0.2', dst: '10.0.0.100' }); // unicast to ciaddr
    expect(net.stateOf('h1', 'dhcp')).toBe('BOUND 10.0.0.100/24');
  });

  it('rebinds at T2 by broadcast when the server does not answer the renewal', () => {
    const net = lan({ faults: '{ at: 4s, node: srv, set: { up: false } }' }).runUntil('9s');
    // The unicast renewal at T1 never leaves: nobody answers h1's ARP for the server.
    expect(net.drops('h1').map((d) => d.reason)).toContain('ARP: no reply from 10.0.0.2 after 3 requests');
    const out = dhcp(net, 'h1-sw', 'a>b');
    expect(types(out)).toEqual([DhcpType.Discover, DhcpType.Request, DhcpType.Request]);
    const rebind = out[2];
    expect(rebind.f.time).toBeGreaterThanOrEqual(8 * S);
    expect(rebind.f.ip).toMatchObject({ src: '10.0.0.100', dst: '255.255.255.255' });
    expect(formatIpv4(rebind.m.ciaddr)).toBe('10.0.0.100');
    expect(net.stateOf('h1', 'dhcp')).toBe('REBINDING');
  });

  it('gives the address up when the lease expires, and starts over with a DISCOVER', () => {
    const net = lan({ faults: '{ at: 4s, node: srv, set: { up: false } }' }).runUntil('10.5s');
    expect(net.logs('h1')).toContain('DHCP lease of 10.0.0.100 on eth0 expired');
    expect(net.stateOf('h1', 'addr eth0')).toBe('');
    expect(net.stateOf('h1', 'dhcp')).toBe('SELECTING');
    const last = dhcp(net, 'h1-sw', 'a>b').at(-1)!;
    expect(last.m.options.type).toBe(DhcpType.Discover);
    expect(last.f.time).toBeGreaterThanOrEqual(10 * S);
    expect(last.f.ip?.src).toBe('0.0.0.0');
  });

  it('goes back to INIT on a NAK: a server that lost its leases refuses the renewal', () => {
    // The server restarts at 3 s and has forgotten the lease (kept in memory); at T1 it NAKs.
    const net = lan({ faults: '{ at: 3s, node: srv, set: { up: false } }, { at: 3500ms, node: srv, set: { up: true } }' }).runUntil('6s');
    const back = dhcp(net, 'h1-sw', 'b>a');
    expect(types(back)).toEqual([DhcpType.Offer, DhcpType.Ack, DhcpType.Nak, DhcpType.Offer, DhcpType.Ack]);
    const nak = back[2];
    expect(nak.m.yiaddr).toBe(0);
    expect(nak.f.ip?.dst).toBe('255.255.255.255');
    const logs = net.logs('h1');
    const i = logs.indexOf('DHCPNAK from 10.0.0.2 (lease unknown)');
    expect(i).toBeGreaterThan(0);
    expect(logs[i + 1]).toBe('DHCPDISCOVER on eth0 to 255.255.255.255 port 67 interval 4');
    expect(net.stateOf('h1', 'dhcp')).toBe('BOUND 10.0.0.100/24');
  });

  it('retransmits an unanswered DISCOVER after 4 s, then 8 s (RFC 2131 §4.1)', () => {
    const net = lan({ faults: '{ at: 0ms, node: srv, set: { up: false } }' }).runUntil('13s');
    const times = dhcp(net, 'h1-sw', 'a>b').map((x) => x.f.time / S);
    expect(times).toEqual([0, 4, 12]);
  });
});

describe('DHCP relay (RFC 1542)', () => {
  const net = TestNet.fromYaml(
    `
nodes:
  - { id: h1, kind: host, ip: dhcp }
  - id: srv
    kind: server
    ip: 10.0.0.2/24
    gateway: 10.0.0.254
    dhcp-server:
      - { subnet: 10.0.0.0/24, range: 10.0.0.100-10.0.0.110 }
      - { subnet: 10.0.1.0/24, range: 10.0.1.100-10.0.1.110, router: 10.0.1.254 }
  - { id: r1, kind: router, interfaces: [10.0.0.254/24, 10.0.1.254/24], dhcp-relay: { on: [eth1], server: 10.0.0.2 } }
links:
  - { a: srv, b: "r1:eth0", latency: 1ms }
  - { a: "r1:eth1", b: h1, latency: 1ms }
`,
    { duration: '1s' },
  ).runUntil('1s');

  it('sends the broadcast on to the server as unicast with giaddr set to the receiving interface, hops + 1', () => {
    const toServer = dhcp(net, 'srv-r1', 'b>a');
    expect(types(toServer)).toEqual([DhcpType.Discover, DhcpType.Request]);
    for (const { f, m } of toServer) {
      expect(f.ip).toMatchObject({ src: '10.0.0.254', dst: '10.0.0.2' });
      expect(f.field('udp.srcport')).toBe('67');
      expect(formatIpv4(m.giaddr)).toBe('10.0.1.254');
      expect(m.hops).toBe(1);
    }
  });

  it("answers to giaddr's port 67 from the pool of giaddr's subnet; the relay broadcasts the reply on that side", () => {
    const fromServer = dhcp(net, 'srv-r1', 'a>b');
    expect(types(fromServer)).toEqual([DhcpType.Offer, DhcpType.Ack]);
    expect(fromServer[0].f.ip).toMatchObject({ src: '10.0.0.2', dst: '10.0.1.254' });
    expect(fromServer[0].f.field('udp.dstport')).toBe('67');
    expect(formatIpv4(fromServer[0].m.yiaddr)).toBe('10.0.1.100');
    const toClient = dhcp(net, 'r1-h1', 'a>b');
    expect(types(toClient)).toEqual([DhcpType.Offer, DhcpType.Ack]);
    expect(toClient[0].f.ip).toMatchObject({ src: '10.0.1.254', dst: '255.255.255.255' });
    expect(toClient[0].f.field('udp.dstport')).toBe('68');
    expect(net.stateOf('h1', 'addr eth0')).toBe('10.0.1.100/24');
    expect(net.stateOf('h1', 'default route')).toBe('via 10.0.1.254');
  });
});
