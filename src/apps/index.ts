/** Registers every built-in program. Import once for its effect. */
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
import './curl/curl';
import './http-server/http-server';
import './page-load/page-load';
import './h3-server/h3-server';
import './reverse-proxy/reverse-proxy';
