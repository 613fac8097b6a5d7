/** Scene picker, transport controls, speed, time readout, camera presets, follow, copy link, capture download and help. */
import { useEffect, useState } from 'react';
import { playbackStore, SPEEDS, formatSpeed, formatTime, useStore, viewStore } from '../store';
import type { CameraPreset } from '../scenario/scene';
import type { TimelineIndex } from '../timeline';
import { nextEventTime, prevEventTime } from '../timeline';
import { LessonsButton } from './lesson/LessonPanel';
import { ExportCapture } from './ExportCapture';
import type { Trace } from '../sim/trace';

export interface TopBarProps {
  sceneNames: string[];
  current: string;
  title: string;
  index: TimelineIndex | null;
  onPickScene(name: string): void;
  onHelp(): void;
  /** Copies a link to the current moment; resolves to the link. */
  onCopyLink?(): Promise<string>;
  /** The run's trace, once there, for the Capture download. */
  trace?: Trace | null;
}

function CopyLinkButton({ onCopy }: { onCopy(): Promise<string> }) {
  const [copied, setCopied] = useState<string | null>(null);
  useEffect(() => {
    if (copied === null) return;
    const t = setTimeout(() => setCopied(null), 1800);
    return () => clearTimeout(t);
  }, [copied]);
  return (
    <button
      className={copied ? 'copy-link on' : 'copy-link'}
      data-testid="copy-link"
      data-link={copied ?? ''}
      title="Copy a link to this moment: scene, time and selection"
      onClick={() => void onCopy().then(setCopied)}
    >
      {copied ? 'Copied ✓' : 'Copy link'}
    </button>
  );
}

export function stepEvent(index: TimelineIndex | null, forward: boolean): void {
  if (!index) return;
  const p = playbackStore.getState();
  p.pause();
  const t = forward ? nextEventTime(index, p.time) : prevEventTime(index, p.time);
  if (t !== null) p.seek(t);
}

// eslint-disable-next-line max-lines-per-function -- a flat row of nine controls reading the same playback state; each is one short element with its keyboard hint
export function TopBar({ sceneNames, current, title, index, onPickScene, onHelp, onCopyLink, trace }: TopBarProps) {
  const playing = useStore(playbackStore, (s) => s.playing);
  const speed = useStore(playbackStore, (s) => s.speed);
  const time = useStore(playbackStore, (s) => s.time);
  const duration = useStore(playbackStore, (s) => s.duration);
  const camera = useStore(viewStore, (s) => s.camera);
  const follow = useStore(viewStore, (s) => s.follow);
  const pb = playbackStore.getState();
  // On a phone the secondary controls wait behind "More" (shell.css).
  const [more, setMore] = useState(false);
  return (
    <header className={more ? 'topbar more-open' : 'topbar'}>
      <div className="brand">
        <span className="logo">◆</span>
        <span className="name"> Packetarium</span>
      </div>
      <label className="field">
        <span>Scene</span>
        <select value={current} onChange={(e) => onPickScene(e.target.value)} aria-label="Scene">
          {!sceneNames.includes(current) && <option value={current}>{current || '—'}</option>}
          {sceneNames.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <div className="scene-title" title={title}>
        {title}
      </div>
      <div className="transport">
        <button onClick={() => pb.seek(0)} title="Back to start (Home)" disabled={!index}>
          |◀
        </button>
        <button onClick={() => stepEvent(index, false)} title="Previous event (←)" disabled={!index}>
          ◀|
        </button>
        <button className="play" onClick={() => pb.toggle()} title="Play / pause (Space)" disabled={!index} aria-label={playing ? 'Pause' : 'Play'}>
          {playing ? '❚❚' : '▶'}
        </button>
        <button onClick={() => stepEvent(index, true)} title="Next event (→)" disabled={!index} data-testid="step-next">
          ▶|
        </button>
      </div>
      <div className="speed">
        <button onClick={() => pb.slower()} title="Slower (-)">
          −
        </button>
        <select value={speed} onChange={(e) => pb.setSpeed(Number(e.target.value))} aria-label="Speed" title="Simulated time per real second">
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {formatSpeed(s)}
            </option>
          ))}
        </select>
        <button onClick={() => pb.faster()} title="Faster (+)">
          +
        </button>
      </div>
      <div className="clock" data-testid="time">
        <span className="now">{formatTime(time)}</span>
        <span className="of"> / {formatTime(duration)}</span>
      </div>
      <div className="cams" role="group" aria-label="Camera">
        {(['top', 'perspective', 'side'] as CameraPreset[]).map((c) => (
          <button key={c} className={camera === c ? 'on' : ''} onClick={() => viewStore.getState().setCamera(c)} title={`Camera: ${c}`}>
            {c === 'perspective' ? '3D' : c[0].toUpperCase() + c.slice(1)}
          </button>
        ))}
        <button
          className={follow ? 'on' : ''}
          aria-pressed={follow}
          data-testid="follow"
          onClick={() => viewStore.getState().setFollow(!follow)}
          title="Camera follows the selected packet (F)"
        >
          Follow
        </button>
      </div>
      {onCopyLink && index && <CopyLinkButton onCopy={onCopyLink} />}
      {trace && index && <ExportCapture trace={trace} scene={current} />}
      <LessonsButton />
      <button className="help-btn" onClick={onHelp} title="Keyboard shortcuts (?)" aria-label="Help and keyboard shortcuts">
        ?
      </button>
      <button
        className="topbar-more"
        aria-expanded={more}
        data-testid="topbar-more"
        onClick={() => setMore((m) => !m)}
        title="More controls: speed, camera, links, capture, embed, build"
      >
        {more ? 'Less' : 'More'}
      </button>
    </header>
  );
}
