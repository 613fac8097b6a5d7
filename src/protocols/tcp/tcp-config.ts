/** Per-host TCP settings (like Linux sysctls), with the defaults this model uses. */
import { newReno, type CongestionControlFactory } from './congestion';
import { DEFAULT_RTO_CONFIG, type RtoConfig } from './rto';

export interface TcpConfig {
  /**
   * Largest MSS advertised or used (like setsockopt TCP_MAXSEG). The advertised MSS is otherwise the
   * outgoing interface MTU − 40 (1460 on Ethernet), the send MSS min(peer's, path MTU − 40).
   */
  mss: number;
  /** Receive buffer, bytes; the advertised window is what of it is free (at most 65535: no window scaling). */
  recvBuffer: number;
  /** How many unacknowledged bytes a program may queue before `onDrain` matters (advisory). */
  sendBuffer: number;
  /** Initial congestion window in segments (RFC 6928: 10). */
  initialWindow: number;
  /** Maximum segment lifetime, ns; TIME_WAIT lasts 2·MSL. RFC 9293 suggests 2 min; default 30 s (Linux waits 60 s). */
  msl: number;
  /** RFC 6298 timer bounds. */
  rto: RtoConfig;
  /** Congestion control for new connections. */
  congestion: CongestionControlFactory;
  /** SYN retransmissions before giving up (Linux tcp_syn_retries: 6). */
  synRetries: number;
  /** Data retransmissions before giving up (Linux tcp_retries2: 15). */
  dataRetries: number;
}

export const DEFAULT_TCP_CONFIG: TcpConfig = {
  mss: 65495,
  recvBuffer: 65535,
  sendBuffer: 256 * 1024,
  initialWindow: 10,
  msl: 30e9,
  rto: DEFAULT_RTO_CONFIG,
  congestion: newReno,
  synRetries: 6,
  dataRetries: 15,
};
