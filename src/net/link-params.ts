/** The settable properties of a link, as a scene or a fault gives them. */
export interface LinkParams {
  /** One-way propagation delay, ns. */
  latency: number;
  /** Bits per second. */
  bandwidth: number;
  /** Probability in [0, 1] that a frame is lost in flight. */
  loss: number;
  /** Extra delay drawn uniformly from [-jitter, +jitter] per frame (never below zero total), ns. */
  jitter: number;
  /** Frames that may wait in a transmit queue; more are tail-dropped. */
  queue: number;
  /** Largest IP packet in bytes. */
  mtu: number;
  /** Whether the link carries frames. */
  up: boolean;
}

export const DEFAULT_LINK_PARAMS: LinkParams = {
  latency: 100_000,
  bandwidth: 100e6,
  loss: 0,
  jitter: 0,
  queue: 100,
  mtu: 1500,
  up: true,
};

/** A fresh, mutable copy of just the link properties of `source` (a scene link, say). */
export function linkParamsOf(source: Readonly<LinkParams>): LinkParams {
  const { latency, bandwidth, loss, jitter, queue, mtu, up } = source;
  return { latency, bandwidth, loss, jitter, queue, mtu, up };
}
