/** udp-echo-server: answers every UDP datagram on `-p` (default 7, the echo port) with the same bytes. */
import { UdpService } from '../../protocols/udp/udp-service';
import { IP_PROTO_UDP } from '../../protocols/ipv4/ipv4';
import type { IpDevice } from '../../net/ip/ip-device';
import type { UdpSocket } from '../../protocols/udp/udp-service';
import { parseArgs, type OptionSpec } from '../command';
import { Program } from '../program';
import { registerApp } from '../registry';

interface EchoServerOptions {
  port: number;
}

class UdpEchoServer extends Program {
  private socket: UdpSocket | null = null;
  private served = 0;

  constructor(
    device: IpDevice,
    private readonly o: EchoServerOptions,
  ) {
    super(device);
  }

  protected main(): void {
    const udp = this.device.stack.transport<UdpService>(IP_PROTO_UDP);
    const s = udp?.bind(this.o.port, {
      onMessage: (m, sock) => {
        this.served++;
        sock.send(m.from, m.fromPort, m.data);
      },
    });
    if (!s || typeof s === 'string') {
      this.print(`udp-echo-server: ${s ?? 'UDP not available'}`);
      this.exit();
      return;
    }
    this.socket = s;
    this.print(`udp-echo-server: listening on UDP port ${this.o.port}`);
  }

  /** Datagrams echoed so far. */
  get echoed(): number {
    return this.served;
  }

  protected override onExit(): void {
    this.socket?.close();
  }
}

/** udp-echo-server's options, as its parser reads them (also the terminal's completions). */
const UDP_ECHO_SERVER_OPTIONS: OptionSpec = { p: 'int' };

registerApp<EchoServerOptions>({
  name: 'udp-echo-server',
  options: UDP_ECHO_SERVER_OPTIONS,
  summary: 'echo every UDP datagram back to its sender',
  usage: 'udp-echo-server [-p port]',
  parse(argv) {
    const r = parseArgs(argv, UDP_ECHO_SERVER_OPTIONS);
    if (!r.ok) return r;
    if (r.args.positional.length) return { ok: false, error: `unexpected "${r.args.positional[0]}"` };
    const port = (r.args.options.p as number | undefined) ?? 7;
    if (port < 1 || port > 65535) return { ok: false, error: '-p must be 1 to 65535' };
    return { ok: true, options: { port } };
  },
  create: (device, o) => new UdpEchoServer(device, o),
});
