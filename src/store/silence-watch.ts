/**
 * The page's watch over a simulation worker: a worker silent for {@link SILENCE_MS} while it runs
 * has stopped (the browser ended it, out of memory most often, and told the page nothing). A live
 * run posts a trace chunk every 40 ms of wall time; validating and indexing stay far below this
 * within the scene limits.
 */
import type { SilenceWatch } from '../runner/start-simulation';

const SILENCE_MS = 30_000;

/** A {@link SilenceWatch} on a wall-clock timer. */
export const silenceWatch: SilenceWatch = (onSilent) => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const poke = () => {
    clearTimeout(timer);
    timer = setTimeout(onSilent, SILENCE_MS);
  };
  poke();
  return { poke, stop: () => clearTimeout(timer) };
};
