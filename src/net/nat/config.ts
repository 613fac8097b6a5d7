/**
 * The `nat` field of a router's scene config:
 *
 *   nat:
 *     inside: [eth0]
 *     outside: eth1
 *     forward: { port: 8080, to: 10.0.0.5:80 }        # or a list; proto tcp (default) or udp
 *     timeouts: { tcp: 7440s, udp: 300s, icmp: 60s }     # idle time before an entry goes
 */
import { z } from 'zod';
import { parseIpv4 } from '../../protocols/addr';
import { durationSchema } from '../../sim/units';
import type { ReportIssue } from '../device-config';

/** A port forward: connections to the outside address's `port` go to `to`. */
export interface NatForwardConfig {
  readonly proto: 'tcp' | 'udp';
  readonly port: number;
  /** `10.0.0.5:80`. */
  readonly to: string;
}

/** Idle timeouts, ns. */
export interface NatTimeouts {
  readonly tcp: number;
  readonly udp: number;
  readonly icmp: number;
}

/** A router's NAT. */
export interface NatConfig {
  readonly inside: readonly string[];
  readonly outside: string;
  readonly forward: readonly NatForwardConfig[];
  readonly timeouts: NatTimeouts;
}

const S = 1e9;
/**
 * Default idle timeouts from the RFCs' minimums: TCP established 2 h 4 min (RFC 5382 REQ-5), UDP
 * 5 min (RFC 4787 REQ-5 recommends it), ICMP query 60 s (RFC 5508 REQ-1).
 */
export const NAT_DEFAULT_TIMEOUTS: NatTimeouts = { tcp: (2 * 3600 + 4 * 60) * S, udp: 300 * S, icmp: 60 * S };

const portSchema = z.number().int('a port is a whole number').min(1, 'ports go from 1 to 65535').max(65535, 'ports go from 1 to 65535');

const endpointSchema = z.string().superRefine((value, ctx) => {
  const m = /^(.+):(\d+)$/.exec(value);
  const port = m ? Number(m[2]) : 0;
  if (!m || parseIpv4(m[1]) === undefined || port < 1 || port > 65535) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not an address and port, e.g. 10.0.0.5:80`, input: value });
  }
});

/** One port forward. */
export const natForwardSchema = z.strictObject({ proto: z.enum(['tcp', 'udp']).default('tcp'), port: portSchema, to: endpointSchema });

const positive = (what: string) => durationSchema.refine((ns) => ns > 0, { error: `${what} must be longer than 0` });

/** `nat`. */
export const natSchema = z.strictObject({
  inside: z.array(z.string()).min(1, 'name the inside interfaces, e.g. [eth0]'),
  outside: z.string(),
  forward: z.preprocess((v) => (v !== undefined && !Array.isArray(v) ? [v] : v), z.array(natForwardSchema)).default([]),
  timeouts: z
    .strictObject({
      tcp: positive('tcp').default(NAT_DEFAULT_TIMEOUTS.tcp),
      udp: positive('udp').default(NAT_DEFAULT_TIMEOUTS.udp),
      icmp: positive('icmp').default(NAT_DEFAULT_TIMEOUTS.icmp),
    })
    .default(NAT_DEFAULT_TIMEOUTS),
});

/** Checks the interfaces exist, the outside one is not also inside, and forwards do not share a port. */
export function validateNat(nat: NatConfig, ifNames: readonly string[], report: ReportIssue): void {
  const has = (n: string) => ifNames.includes(n);
  nat.inside.forEach((n, i) => {
    if (!has(n)) report(['nat', 'inside', i], `no interface ${n} (this router has ${ifNames.join(', ')})`);
    if (n === nat.outside) report(['nat', 'inside', i], `${n} cannot be both inside and outside`);
  });
  if (!has(nat.outside)) report(['nat', 'outside'], `no interface ${nat.outside} (this router has ${ifNames.join(', ')})`);
  nat.forward.forEach((f, i) => {
    const j = nat.forward.findIndex((g, k) => k < i && g.proto === f.proto && g.port === f.port);
    if (j >= 0) report(['nat', 'forward', i, 'port'], `${f.proto} port ${f.port} is already forwarded (nat.forward[${j}])`);
  });
}
