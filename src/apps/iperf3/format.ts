/** iperf3's number formatting (its `unit_snprintf`): 3 significant figures, binary bytes, decimal bits. */

function scaled(value: number, base: number, units: readonly string[]): string {
  let i = 0;
  while (value >= base && i < units.length - 1) {
    value /= base;
    i++;
  }
  const digits = value < 9.995 ? 2 : value < 99.95 ? 1 : 0;
  return `${value.toFixed(digits)} ${units[i]}`;
}

/** `11.2 MBytes` (powers of 1024, like iperf3's `-f a` for transfer). */
export function formatTransfer(bytes: number): string {
  return scaled(bytes, 1024, ['Bytes', 'KBytes', 'MBytes', 'GBytes']);
}

/** `94.1 Mbits/sec` (powers of 1000). */
export function formatBitrate(bitsPerSecond: number): string {
  return `${scaled(bitsPerSecond, 1000, ['bits', 'Kbits', 'Mbits', 'Gbits'])}/sec`;
}

/** `  0.00-1.00   sec`: an interval in seconds, as iperf3 pads it. */
function formatInterval(fromNs: number, toNs: number): string {
  return `${(fromNs / 1e9).toFixed(2).padStart(6)}-${(toNs / 1e9).toFixed(2).padEnd(6)} sec`;
}

/** One report line: `[  5]   0.00-1.00   sec  1.12 MBytes  9.41 Mbits/sec`. */
export function reportLine(id: number, fromNs: number, toNs: number, bytes: number, extra = ''): string {
  const secs = (toNs - fromNs) / 1e9;
  const rate = secs > 0 ? (bytes * 8) / secs : 0;
  return `[${String(id).padStart(3)}] ${formatInterval(fromNs, toNs)}  ${formatTransfer(bytes).padStart(11)}  ${formatBitrate(rate).padStart(15)}${extra}`;
}

export const SEPARATOR = '- - - - - - - - - - - - - - - - - - - - - - - - -';
