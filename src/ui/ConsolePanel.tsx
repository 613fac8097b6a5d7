/** Program output (ping, traceroute...) printed up to the playhead, like a terminal per host. */
import { useEffect, useRef, useState } from 'react';
import type { Scene } from '../scenario/scene';
import { Ladder } from './Ladder';
import { playbackStore, useStore } from '../store';
import { logCountUntil, type TimelineIndex } from '../timeline';
import { formatTime } from './format';

/** The bottom-right panel: program output or the ladder diagram. */
export function ConsolePanel({ index, scene }: { index: TimelineIndex; scene: Scene }) {
  const [tab, setTab] = useState<'console' | 'ladder'>('console');
  return (
    <section className="panel console">
      <div className="panel-head">
        <div className="tabs" role="tablist">
          <button role="tab" className={tab === 'console' ? 'tab on' : 'tab'} onClick={() => setTab('console')}>
            Console
          </button>
          <button role="tab" className={tab === 'ladder' ? 'tab on' : 'tab'} onClick={() => setTab('ladder')}>
            Ladder
          </button>
        </div>
        {tab === 'console' && <LogCount index={index} />}
      </div>
      {tab === 'console' ? <ConsoleBody index={index} /> : <Ladder index={index} scene={scene} />}
    </section>
  );
}

function LogCount({ index }: { index: TimelineIndex }) {
  const count = useStore(playbackStore, (s) => logCountUntil(index, s.time));
  return (
    <span className="count">
      {count} / {index.logs.length} lines
    </span>
  );
}

function ConsoleBody({ index }: { index: TimelineIndex }) {
  const count = useStore(playbackStore, (s) => logCountUntil(index, s.time));
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [count]);
  const tr = index.trace;
  const lines = [];
  for (let i = Math.max(0, count - 500); i < count; i++) {
    const r = index.logs[i];
    lines.push(
      <div key={r} className="log-line">
        <span className="log-time">{formatTime(tr.time[r])}</span>
        <span className="log-node">{tr.nodes[tr.place[r]]?.name}$</span>
        <span className="log-text">{tr.string(tr.code[r])}</span>
      </div>,
    );
  }
  return (
    <div className="console-body" ref={box} data-testid="console">
      {count === 0 ? <div className="empty">No program output yet — press Space to play.</div> : lines}
    </div>
  );
}
