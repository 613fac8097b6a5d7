/** Metrics over a trace: pure functions, no simulation state. */
export * from './percentile';
export * from './rr-events';
export * from './rr-series';
export * from './rr-csv';
export * from './server-latency';
export * from './server-series';
