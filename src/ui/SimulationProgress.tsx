/**
 * What the view shows while a scene computes: its name, a progress bar of simulated time reached,
 * the events run so far, and a Cancel button. The simulation runs in a worker, so this stays live.
 */
import { formatTime, sceneStore, useStore } from '../store';

export function SimulationProgress({ onCancel }: { onCancel(): void }) {
  const name = useStore(sceneStore, (s) => s.name);
  const progress = useStore(sceneStore, (s) => s.progress);
  const done = progress && progress.durationNs > 0 ? Math.min(1, progress.simNs / progress.durationNs) : 0;
  return (
    <div className="loading sim-progress" data-testid="loading" role="status" aria-live="polite">
      <div className="sim-progress-head">
        <div className="spinner" />
        <span>
          Simulating <b>{name}</b>…
        </span>
      </div>
      {progress && (
        <>
          <progress
            data-testid="sim-progress"
            max={progress.durationNs}
            value={progress.simNs}
            aria-label={`Simulated ${formatTime(progress.simNs)} of ${formatTime(progress.durationNs)}`}
            data-sim-ns={progress.simNs}
            data-events={progress.events}
          />
          {progress.simNs >= progress.durationNs && progress.events > 0 && <div data-testid="sim-indexing">Building the timeline index…</div>}
          <div className="sim-progress-figures mono">
            <span data-testid="sim-time">
              {formatTime(progress.simNs)} of {formatTime(progress.durationNs)} ({Math.floor(done * 100)}%)
            </span>
            <span data-testid="sim-events">{progress.events.toLocaleString('en-US')} events</span>
          </div>
          {progress.inWorker && (
            <button type="button" data-testid="sim-cancel" onClick={onCancel}>
              Cancel
            </button>
          )}
        </>
      )}
    </div>
  );
}

/** What the view shows after the user cancelled a run. */
export function SimulationCancelled({ name, onRetry }: { name: string; onRetry(): void }) {
  return (
    <div className="loading sim-progress" data-testid="sim-cancelled">
      <div>
        Simulation of <b>{name}</b> cancelled. Pick a scene above, or
      </div>
      <button type="button" onClick={onRetry}>
        Run it again
      </button>
    </div>
  );
}

/**
 * What the view shows when a run failed rather than being refused (the worker crashed, ran out of
 * memory or stopped answering): why, that nothing the user made is lost, and a way to run it again.
 */
export function SimulationFailed({ name, errors, onRetry }: { name: string; errors: string[]; onRetry(): void }) {
  return (
    <div className="loading sim-progress" role="alert" data-testid="sim-failed">
      <div>
        The simulation of <b>{name}</b> stopped before it finished.
      </div>
      <ul>
        {errors.map((e, i) => (
          <li key={i}>
            <code>{e}</code>
          </li>
        ))}
      </ul>
      <div>Nothing you made is lost: the editor and My scenes keep your scenes.</div>
      <button type="button" data-testid="sim-retry" onClick={onRetry}>
        Run it again
      </button>
    </div>
  );
}
