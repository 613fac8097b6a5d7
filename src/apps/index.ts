/** Registers every built-in program. Import once for its effect. */
import './ping/ping';
import './traceroute/traceroute';
import './udp-echo/udp-echo-server';
import './udp-echo/udp-echo';
