/**
 * Scene configuration of a host: one interface `eth0` with an address, an optional default gateway
 * and static routes. Also the address schemas the other config specs share (CIDR, IPv4, MAC, MTU).
 */
import { z } from 'zod';
import { formatIpv4, inSubnet, isMulticastMac, parseCidr, parseIpv4, parseMac, formatMac } from '../../../protocols/addr';
import type { Cidr } from '../../../protocols/addr';
import type { DeviceConfigSpec, ReportIssue } from '../../device-config';

// ---------------------------------------------------------------------------------------------
// Schemas shared by the config specs
// ---------------------------------------------------------------------------------------------

/** Quotes a scene value for a message. */
function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** Why `value` is not an address with a prefix length, or undefined when it is one. */
function cidrProblem(value: string): string | undefined {
  if (parseCidr(value) !== undefined) return undefined;
  return parseIpv4(value) !== undefined
    ? `${show(value)} needs a prefix length, e.g. ${value}/24`
    : `${show(value)} is not an address with a prefix length, e.g. 10.0.0.1/24`;
}

/** An address with prefix length, e.g. `10.0.0.1/24` (kept as written). */
export const cidrSchema = z.string().superRefine((value, ctx) => {
  const message = cidrProblem(value);
  if (message) ctx.addIssue({ code: 'custom', message, input: value });
});

/** A plain IPv4 address, e.g. `10.0.0.254`. */
export const ipv4Schema = z.string().superRefine((value, ctx) => {
  if (parseIpv4(value) !== undefined) return;
  const message = parseCidr(value)
    ? `${show(value)}: write the address without a prefix length, e.g. ${value.slice(0, value.indexOf('/'))}`
    : `${show(value)} is not an IPv4 address, e.g. 10.0.0.254`;
  ctx.addIssue({ code: 'custom', message, input: value });
});

/**
 * A destination network, e.g. `10.0.1.0/24`: host bits must be zero. `default` means `0.0.0.0/0`.
 * The output is the network in CIDR form.
 */
export const networkSchema = z.string().transform((value, ctx): string => {
  if (value === 'default') return '0.0.0.0/0';
  const c = parseCidr(value);
  if (!c) {
    ctx.addIssue({
      code: 'custom',
      message: `${show(value)} is not a network, e.g. 10.0.1.0/24 (or default)`,
      input: value,
    });
    return z.NEVER;
  }
  if (c.addr !== c.network) {
    ctx.addIssue({
      code: 'custom',
      message: `${value} is not a network address (host bits are set); did you mean ${formatIpv4(c.network)}/${c.prefix}?`,
      input: value,
    });
    return z.NEVER;
  }
  return value;
});

/** A unicast MAC address written `02:00:00:00:00:01`; the output is lower case. */
export const macSchema = z.string().transform((value, ctx): string => {
  const mac = parseMac(value);
  if (mac === undefined) {
    ctx.addIssue({ code: 'custom', message: `${show(value)} is not a MAC address, e.g. 02:00:00:00:00:01`, input: value });
    return z.NEVER;
  }
  if (isMulticastMac(mac)) {
    ctx.addIssue({
      code: 'custom',
      message: `${value} is a group (multicast) address; an interface needs a unicast MAC (even first octet)`,
      input: value,
    });
    return z.NEVER;
  }
  return formatMac(mac);
});

/** Largest IP packet in bytes, 68 (the IPv4 minimum) to 9000 (jumbo frames). */
export const mtuSchema = z
  .number()
  .int('mtu must be a whole number of bytes')
  .min(68, 'mtu must be at least 68 (the IPv4 minimum)')
  .max(9000, 'mtu must be at most 9000');

/** A static route through a next hop on a connected subnet. */
export interface ViaRoute {
  /** Destination network, e.g. `10.0.1.0/24` (`default` becomes `0.0.0.0/0`). */
  readonly to: string;
  /** Next-hop IPv4 address. */
  readonly via: string;
}

/** `{to, via}` where `via` must be on a connected subnet (checked by the spec's `validate`). */
export const viaRouteSchema = z.strictObject({ to: networkSchema, via: ipv4Schema });

/**
 * Reports an interface address that is the network or broadcast address of its own subnet
 * (only for prefixes up to /30; /31 and /32 have no such addresses).
 */
export function checkHostAddress(cidr: Cidr, text: string, path: readonly (string | number)[], report: ReportIssue): void {
  if (cidr.prefix > 30) return;
  const range = `${formatIpv4(cidr.network + 1)} to ${formatIpv4(cidr.broadcast - 1)}`;
  if (cidr.addr === cidr.network) {
    report(path, `${text} is the network address of its subnet; use an address from ${range}`);
  } else if (cidr.addr === cidr.broadcast) {
    report(path, `${text} is the broadcast address of its subnet; use an address from ${range}`);
  }
}

/**
 * Reports a next hop (gateway or route `via`) that is not a usable address on one of `subnets`:
 * outside all of them, the device's own address, or a subnet's network/broadcast address.
 */
export function checkNextHop(
  hop: string,
  subnets: readonly { readonly cidr: Cidr; readonly text: string }[],
  what: string,
  path: readonly (string | number)[],
  report: ReportIssue,
): void {
  const addr = parseIpv4(hop);
  if (addr === undefined) return;
  const on = subnets.find((s) => inSubnet(addr, s.cidr.network, s.cidr.prefix));
  if (!on) {
    const list = subnets.map((s) => `${formatIpv4(s.cidr.network)}/${s.cidr.prefix}`).join(', ');
    report(path, `${what} ${hop} is outside the connected subnet${subnets.length === 1 ? '' : 's'} (${list})`);
    return;
  }
  if (addr === on.cidr.addr) report(path, `${what} ${hop} is this device's own address`);
  else if (on.cidr.prefix <= 30 && (addr === on.cidr.network || addr === on.cidr.broadcast)) {
    report(path, `${what} ${hop} is the ${addr === on.cidr.network ? 'network' : 'broadcast'} address of ${on.text}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Host
// ---------------------------------------------------------------------------------------------

/** A host's scene fields (beside id, kind, label, position). */
export interface HostConfig {
  /** Address of `eth0` with prefix length, e.g. `10.0.0.1/24`, or `dhcp` (address, gateway and DNS from a lease). */
  readonly ip: string;
  /** Default gateway, inside the subnet of `ip`. */
  readonly gateway?: string;
  /** MAC of `eth0` (lower case); assigned deterministically when absent. */
  readonly mac?: string;
  /** Static routes; each `via` is inside the subnet of `ip`. */
  readonly routes?: readonly ViaRoute[];
  /** MTU of `eth0` in bytes (68..9000); the link's MTU when absent. */
  readonly mtu?: number;
  /** The DNS resolver programs on this host ask (like resolv.conf's `nameserver`), e.g. `10.0.0.53`. */
  readonly dns?: string;
}

/** `ip: dhcp`: the host takes its address from a DHCP server. */
export const DHCP_IP = 'dhcp';

/** A host's fields (exported for kinds configured like a host that add their own). */
export const hostSchema = z.strictObject({
  ip: z.string().superRefine((value, ctx) => {
    const message = value === DHCP_IP ? undefined : cidrProblem(value);
    if (message) ctx.addIssue({ code: 'custom', message, input: value });
  }),
  gateway: ipv4Schema.optional(),
  mac: macSchema.optional(),
  routes: z.array(viaRouteSchema).optional(),
  mtu: mtuSchema.optional(),
  dns: ipv4Schema.optional(),
});

function validateHost(config: HostConfig, report: ReportIssue): void {
  if (config.ip === DHCP_IP) {
    if (config.gateway !== undefined) report(['gateway'], 'with ip: dhcp the gateway comes from the lease (option 3); leave gateway out');
    if (config.routes?.length) report(['routes'], 'with ip: dhcp there is no address to check static routes against; leave routes out');
    return;
  }
  const cidr = parseCidr(config.ip);
  if (!cidr) return;
  checkHostAddress(cidr, config.ip, ['ip'], report);
  const subnets = [{ cidr, text: `${formatIpv4(cidr.network)}/${cidr.prefix}` }];
  if (config.gateway !== undefined) checkNextHop(config.gateway, subnets, 'gateway', ['gateway'], report);
  config.routes?.forEach((route, i) => checkNextHop(route.via, subnets, 'via', ['routes', i, 'via'], report));
}

/** A host's gateway and its routes' next hops. */
export function hostNextHops(config: { readonly gateway?: string; readonly routes?: readonly ViaRoute[] }): string[] {
  return [...(config.gateway !== undefined ? [config.gateway] : []), ...(config.routes ?? []).map((r) => r.via)];
}

/** An end host: one interface `eth0`, at most one link. */
export const hostConfigSpec: DeviceConfigSpec<HostConfig> = {
  kind: 'host',
  description: 'an end host with one interface (eth0)',
  config: hostSchema,
  maxLinks: 1,
  interfaces: (config) => [{ name: 'eth0', cidr: config.ip === DHCP_IP ? undefined : config.ip, mac: config.mac }],
  nextHops: hostNextHops,
  validate: validateHost,
};
