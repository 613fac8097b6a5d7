/** Registers the built-in protocols above IP. Import once for its effect. */
import './icmp/icmp-service';
import './udp/udp-service';
import './tcp/tcp-service';
