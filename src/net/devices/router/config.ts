/**
 * Scene configuration of a router: its interfaces (each with an address on its own subnet) and
 * static routes, either through a next hop on a connected subnet or out of a named interface; and,
 * optionally, a DHCP server (`dhcp-server`) or relay (`dhcp-relay`), and NAT (`nat`).
 */
import { z } from 'zod';
import { formatIpv4, inSubnet, parseCidr } from '../../../protocols/addr';
import type { Cidr } from '../../../protocols/addr';
import type { DeviceConfigSpec, ReportIssue } from '../../device-config';
import { natSchema, validateNat, type NatConfig } from '../../nat/config';
import { dhcpRelaySchema, dhcpServerSchema, validateDhcpPools, validateDhcpRelay, type DhcpPoolConfig, type DhcpRelayConfig } from '../dhcp/config';
import { checkHostAddress, checkNextHop, cidrSchema, ipv4Schema, macSchema, networkSchema } from '../host/config';

/** One router interface, after defaults: its name, address and optional MAC. */
interface RouterInterface {
  /** Interface name; `eth0`, `eth1`... by position when the scene gives none. */
  readonly name: string;
  /** Address with prefix length, e.g. `10.0.0.254/24`. */
  readonly ip: string;
  /** MAC (lower case); assigned deterministically when absent. */
  readonly mac?: string;
}

/** A static route: through a next hop (`via`) or directly out of an interface (`dev`). */
type RouterRoute = { readonly to: string; readonly via: string } | { readonly to: string; readonly dev: string };

/** A router's scene fields (beside id, kind, label, position). */
export interface RouterConfig {
  readonly interfaces: readonly RouterInterface[];
  readonly routes: readonly RouterRoute[];
  /** DHCP pools it serves. */
  readonly 'dhcp-server'?: readonly DhcpPoolConfig[];
  /** DHCP relay: interfaces and servers. */
  readonly 'dhcp-relay'?: DhcpRelayConfig;
  /** Address and port translation between inside and outside interfaces. */
  readonly nat?: NatConfig;
}

/** Interface names: a letter first, then letters, digits, `.`, `_` or `-` (no `:`). */
const IFNAME = /^[A-Za-z][A-Za-z0-9._-]*$/;

const ifNameSchema = z.string().regex(IFNAME, { error: 'interface names start with a letter and use letters, digits, ".", "_" or "-"' });

/** `10.0.0.254/24` or `{ name?, ip, mac? }`; the short form is the long form's `ip`. */
const interfaceSchema = z.preprocess(
  (value) => (typeof value === 'string' ? { ip: value } : value),
  z.strictObject({ name: ifNameSchema.optional(), ip: cidrSchema, mac: macSchema.optional() }),
);

const routeSchema = z
  .strictObject({ to: networkSchema, via: ipv4Schema.optional(), dev: ifNameSchema.optional() })
  .superRefine((route, ctx) => {
    if ((route.via === undefined) === (route.dev === undefined)) {
      ctx.addIssue({
        code: 'custom',
        message: 'a route needs exactly one of via (next-hop address) or dev (interface name)',
        input: route,
      });
    }
  })
  .transform((route): RouterRoute => (route.via !== undefined ? { to: route.to, via: route.via } : { to: route.to, dev: route.dev as string }));

const routerSchema = z.strictObject({
  interfaces: z
    .array(interfaceSchema)
    .min(1, 'a router needs at least one interface, e.g. [10.0.0.254/24, 10.0.1.254/24]')
    .transform((list): RouterInterface[] =>
      list.map((iface, i) => ({ name: iface.name ?? `eth${i}`, ip: iface.ip, ...(iface.mac ? { mac: iface.mac } : {}) })),
    ),
  routes: z.array(routeSchema).default([]),
  'dhcp-server': dhcpServerSchema.optional(),
  'dhcp-relay': dhcpRelaySchema.optional(),
  nat: natSchema.optional(),
});

function validateRouter(config: RouterConfig, report: ReportIssue): void {
  const seen = new Map<string, number>();
  const subnets: { cidr: Cidr; text: string; name: string; index: number }[] = [];
  config.interfaces.forEach((iface, i) => {
    const first = seen.get(iface.name);
    if (first !== undefined) {
      report(['interfaces', i], `duplicate interface name ${iface.name} (also interfaces[${first}])`);
    } else {
      seen.set(iface.name, i);
    }
    const cidr = parseCidr(iface.ip);
    if (!cidr) return;
    checkHostAddress(cidr, iface.ip, ['interfaces', i], report);
    const text = `${formatIpv4(cidr.network)}/${cidr.prefix}`;
    const other = subnets.find((s) => inSubnet(cidr.network, s.cidr.network, Math.min(s.cidr.prefix, cidr.prefix)));
    if (other) {
      report(['interfaces', i], `subnet ${text} of ${iface.name} overlaps ${other.text} of ${other.name}; each interface needs its own subnet`);
    }
    subnets.push({ cidr, text, name: iface.name, index: i });
  });
  config.routes.forEach((route, i) => {
    if ('via' in route) {
      checkNextHop(route.via, subnets, 'via', ['routes', i, 'via'], report);
    } else if (!seen.has(route.dev)) {
      report(['routes', i, 'dev'], `no interface ${route.dev} (this router has ${[...seen.keys()].join(', ')})`);
    }
  });
  const names = [...seen.keys()];
  if (config['dhcp-server']) validateDhcpPools(config['dhcp-server'], report);
  if (config['dhcp-relay']) {
    validateDhcpRelay(config['dhcp-relay'], names, report);
    if (config['dhcp-server']) report(['dhcp-relay'], 'a router runs a DHCP server or a relay, not both (both listen on port 67)');
  }
  if (config.nat) validateNat(config.nat, names, report);
}

/** A router: declared interfaces (one link each), static routes, connected subnets must not overlap. */
export const routerConfigSpec: DeviceConfigSpec<RouterConfig> = {
  kind: 'router',
  description: 'a router: forwards IP packets between its interfaces by longest-prefix match',
  config: routerSchema,
  interfaces: (config) => config.interfaces.map((i) => ({ name: i.name, cidr: i.ip, mac: i.mac })),
  nextHops: (config) => config.routes.flatMap((r) => ('via' in r ? [r.via] : [])),
  validate: validateRouter,
};
