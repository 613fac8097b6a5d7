/**
 * Registers the built-in programs that need no TLS, QUIC or HTTP. Import once for its effect.
 * `index.ts` adds the others; the simulation worker loads those on demand (`runner/on-demand.ts`).
 */
import './ping/ping';
import './traceroute/traceroute';
import './tracepath/tracepath';
import './udp-echo/udp-echo-server';
import './udp-echo/udp-echo';
import './rr/rr-client';
import './rr/rr-server';
import './rr/rr-lb';
import './nc/nc';
import './iperf3/iperf3';
import './dig/dig';
