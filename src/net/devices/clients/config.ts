/**
 * Scene configuration of a client population: `count` clients behind one interface `eth0`, using
 * the consecutive addresses from `ip` on (`ip: 10.0.16.1/20, count: 4000` uses 10.0.16.1 to
 * 10.0.31.160). Otherwise configured like a host (gateway, routes, MAC, MTU).
 */
import { z } from 'zod';
import { formatIpv4, parseCidr } from '../../../protocols/addr';
import type { DeviceConfigSpec, ReportIssue } from '../../device-config';
import { checkHostAddress, checkNextHop, hostNextHops, cidrSchema, ipv4Schema, macSchema, mtuSchema, viaRouteSchema, type ViaRoute } from '../host/config';

/** Most clients one population may hold. */
const MAX_CLIENTS = 65_536;

/** A client population's scene fields (beside id, kind, label, position). */
export interface ClientsConfig {
  /** How many clients (addresses) the population holds, 1 to 65536. */
  readonly count: number;
  /** The first client's address with the subnet's prefix length, e.g. `10.0.16.1/20`. */
  readonly ip: string;
  readonly gateway?: string;
  readonly mac?: string;
  readonly routes?: readonly ViaRoute[];
  readonly mtu?: number;
}

const clientsSchema = z.strictObject({
  count: z.int('count must be a whole number').min(1, 'count must be at least 1').max(MAX_CLIENTS, `count must be at most ${MAX_CLIENTS}`),
  ip: cidrSchema,
  gateway: ipv4Schema.optional(),
  mac: macSchema.optional(),
  routes: z.array(viaRouteSchema).optional(),
  mtu: mtuSchema.optional(),
});

function validateClients(config: ClientsConfig, report: ReportIssue): void {
  const cidr = parseCidr(config.ip);
  if (!cidr) return;
  checkHostAddress(cidr, config.ip, ['ip'], report);
  const last = cidr.addr + config.count - 1;
  const lastUsable = cidr.prefix <= 30 ? cidr.broadcast - 1 : cidr.broadcast;
  if (last > lastUsable) {
    const room = Math.max(0, lastUsable - cidr.addr + 1);
    report(
      ['count'],
      `${config.count} clients from ${formatIpv4(cidr.addr)} run past the end of ${formatIpv4(cidr.network)}/${cidr.prefix} (room for ${room}); use a shorter prefix or a lower first address`,
    );
  }
  const subnets = [{ cidr, text: `${formatIpv4(cidr.network)}/${cidr.prefix}` }];
  if (config.gateway !== undefined) {
    checkNextHop(config.gateway, subnets, 'gateway', ['gateway'], report);
    const gw = parseCidr(`${config.gateway}/32`);
    if (gw && gw.addr >= cidr.addr && gw.addr <= last) report(['gateway'], `gateway ${config.gateway} is one of the clients' own addresses`);
  }
  config.routes?.forEach((route, i) => checkNextHop(route.via, subnets, 'via', ['routes', i, 'via'], report));
}

/** A population of clients sharing one interface `eth0` and one link. */
export const clientsConfigSpec: DeviceConfigSpec<ClientsConfig> = {
  kind: 'clients',
  description: 'a population of clients: `count` consecutive addresses from `ip` behind one interface (eth0)',
  config: clientsSchema,
  maxLinks: 1,
  interfaces: (config) => [{ name: 'eth0', cidr: config.ip, mac: config.mac }],
  nextHops: hostNextHops,
  validate: validateClients,
};
