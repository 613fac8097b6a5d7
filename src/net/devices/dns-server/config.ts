/**
 * Scene configuration of a DNS server: a host's fields plus the zones it serves with authority
 * (records in zone-file syntax, see protocols/dns/zone.ts) and, for a recursive resolver, the root
 * servers its iterative walk starts from.
 *
 *   - id: ns-com
 *     kind: dns-server
 *     ip: 10.0.2.53/24
 *     gateway: 10.0.2.254
 *     zones:
 *       - origin: com
 *         records:
 *           - "@ 86400 SOA ns-com hostmaster 1 1800 900 604800 86400"
 *           - "@ NS ns-com"
 *           - "ns-com A 10.0.2.53"
 *           - "example 172800 NS ns1.example.com."
 *           - "ns1.example 172800 A 10.0.3.53"
 *   - { id: resolver, kind: dns-server, ip: 10.0.0.53/24, gateway: 10.0.0.254, roots: [10.0.1.53] }
 */
import { z } from 'zod';
import { absoluteName, DEFAULT_ZONE_TTL, parseRecordLine, type Zone } from '../../../protocols/dns/zone';
import { DNS_TYPE, type DnsRecord } from '../../../protocols/dns/dns';
import { parseIpv4 } from '../../../protocols/addr';
import type { DeviceConfigSpec, ReportIssue } from '../../device-config';
import { hostConfigSpec, hostNextHops, ipv4Schema, cidrSchema, macSchema, mtuSchema, viaRouteSchema, type HostConfig } from '../host/config';

/** One zone as a scene writes it. */
interface ZoneConfig {
  /** The zone's name, e.g. `example.com` or `.` for the root. */
  readonly origin: string;
  /** TTL of records that give none (seconds); 3600 when absent. */
  readonly ttl?: number;
  /** Records, one per line: `NAME [TTL] [IN] TYPE DATA`; `@` is the origin, relative names end in it. */
  readonly records: readonly string[];
}

/** A DNS server's scene fields. */
export interface DnsServerConfig extends HostConfig {
  /** Zones served with authority. */
  readonly zones?: readonly ZoneConfig[];
  /** Root server addresses: when given, the server also resolves recursively (a resolver). */
  readonly roots?: readonly string[];
}

const zoneSchema = z.strictObject({
  origin: z.string(),
  ttl: z.number().int('ttl must be a whole number of seconds').min(0).max(0x7fffffff).optional(),
  records: z.array(z.string()),
});

const dnsServerSchema = z.strictObject({
  ip: cidrSchema,
  gateway: ipv4Schema.optional(),
  mac: macSchema.optional(),
  routes: z.array(viaRouteSchema).optional(),
  mtu: mtuSchema.optional(),
  dns: ipv4Schema.optional(),
  zones: z.array(zoneSchema).optional(),
  roots: z.array(ipv4Schema).min(1, 'roots needs at least one root server address').optional(),
});

/** Parses the zones of a validated config (records that do not parse are left out). */
export function zonesOf(config: DnsServerConfig): Zone[] {
  return (config.zones ?? []).map((z) => {
    const origin = absoluteName(z.origin === '.' ? '.' : z.origin.endsWith('.') ? z.origin : `${z.origin}.`, '');
    const records: DnsRecord[] = [];
    for (const line of z.records) {
      const r = parseRecordLine(line, origin, z.ttl ?? DEFAULT_ZONE_TTL);
      if (r.ok) records.push(r.record);
    }
    return { origin, records };
  });
}

function validateDnsServer(config: DnsServerConfig, report: ReportIssue): void {
  hostConfigSpec.validate?.(config, report);
  if (!config.zones?.length && !config.roots?.length) {
    report([], 'a dns-server needs zones (to be authoritative) or roots (to be a recursive resolver), or both');
  }
  const seen = new Set<string>();
  config.zones?.forEach((z, i) => {
    let origin: string;
    try {
      origin = absoluteName(z.origin === '.' ? '.' : z.origin.endsWith('.') ? z.origin : `${z.origin}.`, '');
    } catch (e) {
      report(['zones', i, 'origin'], `"${z.origin}" is not a domain name: ${e instanceof Error ? e.message.replace(/^DNS: /, '') : e}`);
      return;
    }
    if (seen.has(origin)) report(['zones', i, 'origin'], `zone "${z.origin}" is given twice`);
    seen.add(origin);
    let soa = false;
    z.records.forEach((line, j) => {
      const r = parseRecordLine(line, origin, z.ttl ?? DEFAULT_ZONE_TTL);
      if (!r.ok) return report(['zones', i, 'records', j], r.error);
      const name = r.record.name;
      if (!(origin === '' || name === origin || name.endsWith(`.${origin}`))) {
        report(['zones', i, 'records', j], `${name || '.'} is outside the zone ${origin || '.'}`);
      }
      if (r.record.type === DNS_TYPE.SOA && name === origin) soa = true;
    });
    if (!soa) report(['zones', i, 'records'], `zone ${origin || '.'} needs an SOA record at its origin (@), for negative answers`);
  });
  config.roots?.forEach((r, i) => {
    if (parseIpv4(r) === undefined) report(['roots', i], `"${r}" is not an IPv4 address`);
  });
}

/** A DNS server: authoritative for its zones, recursive when it has root hints. */
export const dnsServerConfigSpec: DeviceConfigSpec<DnsServerConfig> = {
  kind: 'dns-server',
  description: 'a DNS server (one interface, eth0): authoritative for its zones, a recursive resolver when given roots',
  config: dnsServerSchema,
  maxLinks: 1,
  interfaces: (config) => [{ name: 'eth0', cidr: config.ip, mac: config.mac }],
  nextHops: hostNextHops,
  validate: validateDnsServer,
};
