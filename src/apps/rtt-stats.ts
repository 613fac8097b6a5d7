/** Round-trip time statistics and their formatting, as ping prints them. */

/** Formats a time in ms like iputils ping: 3 decimals under 1 ms, 2 under 10, 1 under 100, else none. */
export function formatRttMs(ns: number): string {
  const ms = ns / 1e6;
  if (ms < 1) return ms.toFixed(3);
  if (ms < 10) return ms.toFixed(2);
  if (ms < 100) return ms.toFixed(1);
  return ms.toFixed(0);
}

/** Collects RTT samples and prints `rtt min/avg/max/mdev = ... ms`. */
export class RttStats {
  private n = 0;
  private sum = 0;
  private sumSq = 0;
  private min = Infinity;
  private max = 0;

  add(ns: number): void {
    this.n++;
    this.sum += ns;
    this.sumSq += ns * ns;
    if (ns < this.min) this.min = ns;
    if (ns > this.max) this.max = ns;
  }

  get count(): number {
    return this.n;
  }

  /** The `rtt min/avg/max/mdev` line, or undefined with no samples. */
  summary(): string | undefined {
    if (this.n === 0) return undefined;
    const avg = this.sum / this.n;
    const mdev = Math.sqrt(Math.max(0, this.sumSq / this.n - avg * avg));
    const f = (ns: number) => (ns / 1e6).toFixed(3);
    return `rtt min/avg/max/mdev = ${f(this.min)}/${f(avg)}/${f(this.max)}/${f(mdev)} ms`;
  }
}

/** The `N packets transmitted, M received, ...` line of ping and friends. */
export function lossLine(sent: number, received: number, errors: number, elapsedNs: number): string {
  const loss = sent === 0 ? 0 : Math.round(((sent - received) / sent) * 100);
  const err = errors > 0 ? `, +${errors} errors` : '';
  return `${sent} packets transmitted, ${received} received${err}, ${loss}% packet loss, time ${Math.round(elapsedNs / 1e6)}ms`;
}
