/**
 * The DHCP fields of a device's scene config: `dhcp-server` (pools, on a router or a server) and
 * `dhcp-relay` (on a router).
 *
 *   dhcp-server:
 *     - { subnet: 10.0.0.0/24, range: 10.0.0.100-10.0.0.199, lease: 3600s, router: 10.0.0.254, dns: 10.0.0.53 }
 *   dhcp-relay: { on: [eth1], server: 10.0.0.2 }
 */
import { z } from 'zod';
import { formatIpv4, inSubnet, parseCidr, parseIpv4 } from '../../../protocols/addr';
import type { DhcpPool } from '../../../protocols/dhcp/server';
import { durationSchema } from '../../../sim/units';
import type { ReportIssue } from '../../device-config';
import { ipv4Schema, networkSchema } from '../host/config';

/** One pool as a scene writes it (lease in ns after parsing). */
export interface DhcpPoolConfig {
  /** The subnet the pool's addresses are on, e.g. `10.0.0.0/24` (gives the subnet mask option). */
  readonly subnet: string;
  /** First and last address handed out, `10.0.0.100-10.0.0.199`. */
  readonly range: string;
  /** Lease time, ns (whole seconds; default 1 hour). */
  readonly lease: number;
  /** Default gateway given to clients (option 3). */
  readonly router?: string;
  /** DNS servers given to clients (option 6). */
  readonly dns?: readonly string[];
}

/** A relay's scene fields. */
export interface DhcpRelayConfig {
  /** Interfaces whose clients it relays for. */
  readonly on: readonly string[];
  /** The DHCP servers it forwards to. */
  readonly server: readonly string[];
}

const S = 1e9;

const rangeSchema = z.string().superRefine((value, ctx) => {
  const [a, b] = value.split('-');
  if (b === undefined || parseIpv4(a.trim()) === undefined || parseIpv4(b.trim()) === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not an address range, e.g. 10.0.0.100-10.0.0.199`, input: value });
  }
});

const poolSchema = z.strictObject({
  subnet: networkSchema,
  range: rangeSchema,
  lease: durationSchema
    .refine((ns) => ns >= S && ns % S === 0, { error: 'lease must be a whole number of seconds, at least 1s (e.g. 3600s)' })
    .default(3600 * S),
  router: ipv4Schema.optional(),
  dns: z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(ipv4Schema)).optional(),
});

/** `dhcp-server`: a list of pools. */
export const dhcpServerSchema = z.array(poolSchema).min(1, 'a DHCP server needs at least one pool');

/** `dhcp-relay`. */
export const dhcpRelaySchema = z.strictObject({
  on: z.array(z.string()).min(1, 'name the interfaces to relay for, e.g. [eth1]'),
  server: z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(ipv4Schema).min(1, 'name at least one DHCP server')),
});

function rangeOf(range: string): [number, number] {
  const [a, b] = range.split('-');
  return [parseIpv4(a.trim())!, parseIpv4(b.trim())!];
}

/** Checks each pool: its range inside its subnet, first before last, the router on the subnet. */
export function validateDhcpPools(pools: readonly DhcpPoolConfig[], report: ReportIssue): void {
  pools.forEach((p, i) => {
    const subnet = parseCidr(p.subnet);
    if (!subnet) return;
    const [first, last] = rangeOf(p.range);
    const at = ['dhcp-server', i];
    if (first > last) report([...at, 'range'], `range ${p.range} ends before it starts`);
    for (const a of [first, last]) {
      if (!inSubnet(a, subnet.network, subnet.prefix) || a === subnet.network || a === subnet.broadcast) {
        report([...at, 'range'], `${formatIpv4(a)} is not a host address of ${p.subnet}`);
      }
    }
    const router = p.router !== undefined ? parseIpv4(p.router) : undefined;
    if (router !== undefined && !inSubnet(router, subnet.network, subnet.prefix)) report([...at, 'router'], `router ${p.router} is outside ${p.subnet}`);
    const other = pools.findIndex((q, j) => j < i && q.subnet === p.subnet);
    if (other >= 0) report([...at, 'subnet'], `subnet ${p.subnet} already has a pool (dhcp-server[${other}])`);
  });
}

/** Checks that the relay's interfaces exist. */
export function validateDhcpRelay(relay: DhcpRelayConfig, ifNames: readonly string[], report: ReportIssue): void {
  relay.on.forEach((name, i) => {
    if (!ifNames.includes(name)) report(['dhcp-relay', 'on', i], `no interface ${name} (this router has ${ifNames.join(', ')})`);
  });
}

/** The pools a validated config describes. */
export function dhcpPoolsOf(pools: readonly DhcpPoolConfig[]): DhcpPool[] {
  return pools.map((p) => {
    const [first, last] = rangeOf(p.range);
    return {
      subnet: parseCidr(p.subnet)!,
      first,
      last,
      leaseSeconds: p.lease / S,
      routers: p.router !== undefined ? [parseIpv4(p.router)!] : [],
      dns: (p.dns ?? []).map((d) => parseIpv4(d)!),
    };
  });
}
