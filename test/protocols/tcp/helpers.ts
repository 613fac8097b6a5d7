/** Shared helpers for the TCP tests: reach a host's TCP, and read TCP segments off a link. */
import { IpDevice } from '../../../src/net/ip/ip-device';
import { IP_PROTO_TCP } from '../../../src/protocols/ipv4/ipv4';
import { readTcpHeader, type TcpHeader } from '../../../src/protocols/tcp/tcp-header';
import type { TcpService } from '../../../src/protocols/tcp/tcp-service';
import type { SeenFrame, TestNet } from '../../helpers/net';

export function tcpOf(net: TestNet, node: string): TcpService {
  const d = net.network.devices.get(node);
  if (!(d instanceof IpDevice)) throw new Error(`${node} is not an IP device`);
  return d.stack.transport<TcpService>(IP_PROTO_TCP)!;
}

/** A TCP segment seen on a link. */
export interface Seg {
  frame: SeenFrame;
  time: number;
  src: string;
  dst: string;
  h: TcpHeader;
  len: number;
}

export function segments(net: TestNet, link: string): Seg[] {
  const out: Seg[] = [];
  for (const f of net.frames(link)) {
    if (!f.ip || f.ip.protocol !== 6) continue;
    const off = 14 + (f.bytes[14] & 0x0f) * 4;
    const h = readTcpHeader(f.bytes, off);
    const hl = (f.bytes[off + 12] >> 4) * 4;
    const len = f.ip.totalLength - (off - 14) - hl;
    out.push({ frame: f, time: f.time, src: f.ip.src, dst: f.ip.dst, h, len });
  }
  return out;
}

/** Two hosts on one link (1 ms, 100 Mbit/s; `linkExtra` like `, latency: 5ms, loss: 0.1` overrides), nothing running. */
export function pair(linkExtra = '', runs = ''): string {
  const latency = /latency:/.test(linkExtra) ? '' : ' latency: 1ms,';
  return `
nodes:
  - { id: h1, kind: host, ip: 10.0.0.1/24 }
  - { id: h2, kind: host, ip: 10.0.0.2/24 }
links:
  - { a: h1, b: h2,${latency} bandwidth: 100Mbps ${linkExtra} }
${runs}`;
}
