/**
 * The runner's wall clock, in milliseconds. A run posts a trace chunk every `chunkMs` of wall time
 * and an embed's run stops at its `wallMs` budget; neither changes what is simulated (the trace is
 * the same however it is chunked). `runSimRequest` takes the clock as a parameter, so tests pass a
 * fake one and nothing in the simulation can read it. This is the only file below the line, besides
 * the headless runner's summary, that reads wall time (eslint.config.js allows it here alone).
 */
export function wallClockMs(): number {
  return performance.now();
}
