/** Nearest-rank percentile of sorted values (`p` in [0, 1]); NaN for none. */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const rank = Math.ceil(p * n);
  return sorted[Math.min(n - 1, Math.max(0, rank - 1))];
}

/** Nearest-rank percentile of unsorted values. */
export function percentile(values: readonly number[] | Float64Array, p: number): number {
  const sorted = Float64Array.from(values).sort();
  return percentileSorted(sorted, p);
}
