import { useStore } from 'zustand';
import { formatTime, playbackStore } from '../store/playback';
import { embedQuery, type EmbedOptions } from './options';

/** Transport controls; the only part that re-renders with the playhead. */
export function Controls({
  options,
  ready,
  title,
  reduced,
  step,
}: {
  options: EmbedOptions;
  ready: boolean;
  title: string;
  reduced: boolean;
  step(forward: boolean): void;
}) {
  const playing = useStore(playbackStore, (s) => s.playing);
  const time = useStore(playbackStore, (s) => s.time);
  const duration = useStore(playbackStore, (s) => s.duration);
  const appUrl = options.data ? null : `./index.html?${embedQuery({ scene: options.scene, seed: options.seed, t: Math.round(time) })}`;
  return (
    <div className="pk-controls">
      {options.controls === 'full' && (
        <button type="button" onClick={() => playbackStore.getState().seek(0)} disabled={!ready} aria-label="Back to start" title="Back to start (Home)">
          |◀
        </button>
      )}
      {options.controls === 'full' && (
        <button type="button" onClick={() => step(false)} disabled={!ready} aria-label="Previous event" title="Previous event (←)">
          ◀|
        </button>
      )}
      <button
        type="button"
        className="pk-play"
        onClick={() => playbackStore.getState().toggle()}
        disabled={!ready}
        aria-label={playing ? 'Pause' : reduced ? 'Play (step by step)' : 'Play'}
        title={playing ? 'Pause (Space)' : 'Play (Space)'}
      >
        {playing ? '❚❚' : '▶'}
      </button>
      {options.controls === 'full' && (
        <button type="button" onClick={() => step(true)} disabled={!ready} aria-label="Next event" title="Next event (→)">
          |▶
        </button>
      )}
      {options.controls === 'full' && (
        <input
          className="pk-scrub"
          type="range"
          min={0}
          max={duration}
          step={Math.max(1, Math.round(duration / 2000))}
          value={time}
          disabled={!ready}
          aria-label="Simulated time"
          aria-valuetext={formatTime(time)}
          onChange={(e) => playbackStore.getState().seek(Number(e.target.value))}
        />
      )}
      <span className="pk-time" data-testid="embed-time">
        {formatTime(time)}
      </span>
      {options.controls === 'full' && ready && (
        <span className="pk-title" title={title}>
          {title}
        </span>
      )}
      {options.controls === 'full' && appUrl && (
        <a className="pk-open" href={appUrl} target="_blank" rel="noopener noreferrer" title="Open this scene in Packetarium">
          Open ↗
        </a>
      )}
    </div>
  );
}
