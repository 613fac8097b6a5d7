/**
 * An IPv4 routing table with longest-prefix match. Connected routes come from interface addresses;
 * static routes from the scene. Ties on prefix length go to the lower metric, then to the route
 * added first.
 */
import { formatCidr, formatIpv4, prefixToMask } from '../../protocols/addr';

export interface Route {
  /** Network address (host bits zero). */
  readonly network: number;
  readonly prefix: number;
  /** Next-hop address, or 0 for a directly connected network. */
  readonly via: number;
  /** Index of the outgoing interface in the stack. */
  readonly iface: number;
  readonly metric: number;
  /** `connected`, `static`, or `dhcp` (a gateway a lease gave). */
  readonly origin: string;
}

export class RoutingTable {
  private routes: Route[] = [];

  /** Adds a route (kept sorted: longest prefix first, then metric, then insertion order). */
  add(route: Route): void {
    this.routes.push(route);
    this.routes = this.routes
      .map((r, i) => ({ r, i }))
      .sort((x, y) => y.r.prefix - x.r.prefix || x.r.metric - y.r.metric || x.i - y.i)
      .map((x) => x.r);
  }

  /** Removes the routes `which` picks. */
  removeWhere(which: (r: Route) => boolean): void {
    this.routes = this.routes.filter((r) => !which(r));
  }

  /** The best route to `dst`, or undefined. */
  lookup(dst: number): Route | undefined {
    const routes = this.routes;
    for (let i = 0; i < routes.length; i++) {
      const r = routes[i];
      if ((dst & prefixToMask(r.prefix)) >>> 0 === r.network) return r;
    }
    return undefined;
  }

  /** All routes, best first. */
  all(): readonly Route[] {
    return this.routes;
  }

  /** `ip route`-style lines, for tools and the inspector. */
  describe(ifaceName: (i: number) => string): string[] {
    return this.routes.map((r) => {
      const to = r.prefix === 0 ? 'default' : formatCidr(r.network, r.prefix);
      const via = r.via ? ` via ${formatIpv4(r.via)}` : '';
      return `${to}${via} dev ${ifaceName(r.iface)} proto ${r.origin === 'connected' ? 'kernel scope link' : r.origin}`;
    });
  }
}
