/**
 * nc (netcat) over TCP. `nc -l -p PORT [-k]` listens and prints what arrives; `nc HOST PORT` connects
 * and sends `-n BYTES` (a repeating a–z pattern) or `-m "TEXT"` (one line), then closes its side
 * (like `nc -N`). Both print netcat's verbose messages (as with `-v`), text that arrives, and a
 * one-line byte count when the connection ends. `-p` on a client picks the local port.
 * `--pause SECONDS` on a listener stops reading for that long after accepting, so the receive
 * window fills up and the sender must probe a zero window.
 *
 * When the peer closes first (its FIN: TCP acknowledges it and enters CLOSE_WAIT), nc still sends
 * what is left of its own input (a half-closed connection carries data the other way) and closes
 * its side once it has sent it all, as nc exits when both its input and the network reached EOF.
 * Simplification, stated: its input counts as written once TCP has sent it (no socket buffer limit).
 */
import { formatIpv4, parseIpv4 } from '../../protocols/addr';
import { IP_PROTO_TCP } from '../../protocols/ipv4/ipv4';
import type { TcpSocket, TcpSocketHandler } from '../../protocols/tcp/tcp-connection';
import type { TcpListener, TcpService } from '../../protocols/tcp/tcp-service';
import type { IpDevice } from '../../net/ip/ip-device';
import { parseArgs, type OptionSpec } from '../command';
import { Program } from '../program';
import { registerApp } from '../registry';

interface NcOptions {
  listen: boolean;
  keep: boolean;
  host: number;
  port: number;
  localPort: number;
  bytes: number;
  message: string | null;
  pauseNs: number;
}

/** `n` bytes of the repeating pattern `abc…z`. */
export function patternBytes(n: number, start = 0): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = 97 + ((start + i) % 26);
  return b;
}

function isText(b: Uint8Array): boolean {
  for (const c of b) if (c < 9 || (c > 13 && c < 32) || c === 127) return false;
  return true;
}

class Nc extends Program {
  private listener: TcpListener | null = null;
  private readonly sockets = new Set<TcpSocket>();
  private received = new Map<TcpSocket, number>();
  private textBuffer = new Map<TcpSocket, string>();
  private startedAt = new Map<TcpSocket, number>();
  /** Sockets whose peer has closed: nc closes them once its own bytes are sent. */
  private readonly closeWhenSent = new Set<TcpSocket>();

  constructor(
    device: IpDevice,
    private readonly o: NcOptions,
  ) {
    super(device);
  }

  private get tcp(): TcpService | undefined {
    return this.device.stack.transport<TcpService>(IP_PROTO_TCP);
  }

  protected main(): void {
    const tcp = this.tcp;
    if (!tcp) {
      this.print('nc: TCP not available');
      this.exit();
      return;
    }
    if (this.o.listen) {
      const l = tcp.listen(this.o.port, { onAccept: (s) => this.accepted(s) });
      if (typeof l === 'string') {
        this.print(`nc: ${l}`);
        this.exit();
        return;
      }
      this.listener = l;
      this.print(`Listening on 0.0.0.0 ${this.o.port}`);
      return;
    }
    const s = tcp.connect(this.o.host, this.o.port, this.handler(), { localPort: this.o.localPort });
    if (typeof s === 'string') {
      this.print(`nc: ${s}`);
      this.exit();
      return;
    }
    this.sockets.add(s);
  }

  private accepted(s: TcpSocket): TcpSocketHandler {
    this.print(`Connection received on ${formatIpv4(s.remoteIp)} ${s.remotePort}`);
    this.sockets.add(s);
    this.startedAt.set(s, this.now);
    if (!this.o.keep) this.listener?.close();
    if (this.o.pauseNs > 0) {
      s.pause();
      this.after(this.o.pauseNs, () => s.resume());
    }
    this.sendPayload(s);
    return this.handler();
  }

  private handler(): TcpSocketHandler {
    return {
      onConnect: (s) => {
        if (this.o.listen) return;
        this.startedAt.set(s, this.now);
        this.print(`Connection to ${formatIpv4(s.remoteIp)} ${s.remotePort} port [tcp] succeeded!`);
        this.sendPayload(s);
      },
      onData: (s, data) => {
        this.received.set(s, (this.received.get(s) ?? 0) + data.length);
        if (!isText(data)) return;
        let text = (this.textBuffer.get(s) ?? '') + new TextDecoder().decode(data);
        const lines = text.split('\n');
        text = lines.pop() ?? '';
        // Long unbroken text (a pattern from -n) is not echoed line by line.
        for (const line of lines) if (line.length <= 200) this.print(line);
        this.textBuffer.set(s, text.length > 200 ? '' : text);
      },
      onEnd: (s) => {
        const rest = this.textBuffer.get(s);
        if (rest) this.print(rest);
        this.textBuffer.delete(s);
        this.closeWhenSent.add(s);
        this.closeIfSent(s);
      },
      onDrain: (s) => this.closeIfSent(s),
      onClose: (s, error) => this.closed(s, error),
    };
  }

  /** Closes `s` once the peer has closed and every byte nc wrote has been sent at least once. */
  private closeIfSent(s: TcpSocket): void {
    if (!this.closeWhenSent.has(s)) return;
    const unsent = s.bufferedAmount - (s.maxSent - s.una);
    if (unsent > 0) return;
    this.closeWhenSent.delete(s);
    s.close();
  }

  private sendPayload(s: TcpSocket): void {
    if (this.o.message !== null) s.send(new TextEncoder().encode(this.o.message + '\n'));
    else if (this.o.bytes > 0) s.send(patternBytes(this.o.bytes));
    else if (this.o.listen) return;
    if (!this.o.listen) s.close();
  }

  private closed(s: TcpSocket, error?: string): void {
    if (error) {
      this.print(!this.startedAt.has(s) ? `nc: connect to ${formatIpv4(s.remoteIp)} port ${s.remotePort} (tcp) failed: ${error}` : `nc: ${error}`);
    }
    const got = this.received.get(s) ?? 0;
    if (this.startedAt.has(s)) {
      const ms = ((this.now - this.startedAt.get(s)!) / 1e6).toFixed(3);
      this.print(`nc: ${formatIpv4(s.remoteIp)}:${s.remotePort} closed: received ${got} bytes in ${ms} ms`);
    }
    this.sockets.delete(s);
    this.closeWhenSent.delete(s);
    if (this.sockets.size === 0 && (!this.o.listen || !this.o.keep)) this.exit();
  }

  protected override onExit(): void {
    this.listener?.close();
    for (const s of this.sockets) if (s.state !== 'CLOSED' && s.state !== 'TIME_WAIT') s.abort();
  }
}

/** nc's options, as its parser reads them (also the terminal's completions). */
const NC_OPTIONS: OptionSpec = { l: 'flag', k: 'flag', p: 'int', n: 'int', m: 'string', pause: 'seconds' };

registerApp<NcOptions>({
  name: 'nc',
  options: NC_OPTIONS,
  summary: 'open a TCP connection or listen, and send bytes or a line',
  usage: 'nc -l -p PORT [-k] [--pause SECONDS] | nc HOST PORT [-p LOCALPORT] [-n BYTES | -m TEXT]',
  parse(argv) {
    const r = parseArgs(argv, NC_OPTIONS);
    if (!r.ok) return r;
    const { positional, options } = r.args;
    const listen = options.l === true;
    const message = (options.m as string | undefined) ?? null;
    const bytes = (options.n as number | undefined) ?? 0;
    if (message !== null && options.n !== undefined) return { ok: false, error: 'give -n or -m, not both' };
    const pauseNs = (options.pause as number | undefined) ?? 0;
    if (listen) {
      const port = (options.p as number | undefined) ?? Number(positional[0]);
      if (positional.length > 1) return { ok: false, error: `unexpected "${positional[1]}"` };
      if (!Number.isInteger(port) || port < 1 || port > 65535) return { ok: false, error: 'listen needs -p PORT (1 to 65535)' };
      return { ok: true, options: { listen, keep: options.k === true, host: 0, port, localPort: 0, bytes, message, pauseNs } };
    }
    if (positional.length !== 2) return { ok: false, error: positional.length < 2 ? 'give HOST and PORT' : `unexpected "${positional[2]}"` };
    const host = parseIpv4(positional[0]);
    if (host === undefined) return { ok: false, error: `${positional[0]}: give an IPv4 address` };
    const port = Number(positional[1]);
    if (!/^\d+$/.test(positional[1]) || port < 1 || port > 65535) return { ok: false, error: `port "${positional[1]}" must be 1 to 65535` };
    const localPort = (options.p as number | undefined) ?? 0;
    if (localPort > 65535) return { ok: false, error: '-p must be 1 to 65535' };
    return { ok: true, options: { listen, keep: false, host, port, localPort, bytes, message, pauseNs } };
  },
  create: (device, o) => new Nc(device, o),
});
