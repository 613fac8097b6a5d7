/** Turns an IP device's validated scene config (addresses, gateway, routes) into stack state. */
import { parseCidr, parseIpv4, parseMac } from '../../protocols/addr';
import { defaultMac } from '../device-registry';
import type { IpDevice } from './ip-device';

/** An interface to create: name, address, optional MAC, optional MTU. */
export interface IpInterfaceConfig {
  readonly name: string;
  readonly ip: string;
  readonly mac?: string;
  readonly mtu?: number;
}

/** A static route from a scene: through a next hop, or out of a named interface. */
export type IpRouteConfig = { readonly to: string; readonly via: string } | { readonly to: string; readonly dev: string };

/** Creates interfaces, a default route through `gateway`, and static routes (config already validated). */
export function configureIp(
  device: IpDevice,
  ordinal: number,
  interfaces: readonly IpInterfaceConfig[],
  routes: readonly IpRouteConfig[] = [],
  gateway?: string,
): void {
  interfaces.forEach((i, index) => {
    const mac = (i.mac !== undefined ? parseMac(i.mac) : undefined) ?? defaultMac(ordinal, index);
    const nic = device.addNic(i.name, mac);
    device.stack.addInterface(nic, parseCidr(i.ip)!, i.mtu);
  });
  if (gateway !== undefined) device.stack.addRoute(0, 0, parseIpv4(gateway)!);
  for (const r of routes) {
    const to = parseCidr(r.to)!;
    if ('via' in r) device.stack.addRoute(to.network, to.prefix, parseIpv4(r.via)!);
    else device.stack.addRoute(to.network, to.prefix, 0, r.dev);
  }
}
