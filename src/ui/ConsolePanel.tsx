/**
 * The tabbed panel at the bottom right. Its tabs come from the panel registry (`panels.ts`): this
 * file registers the two built-in ones, Console (program output printed up to the playhead, like a
 * terminal per host) and Ladder; features register more (TCP, Load...) from their own folders.
 */
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { Scene } from '../scenario/scene';
import { Ladder } from './Ladder';
import { playbackStore, useStore, viewStore } from '../store';
import { logCountUntil, type TimelineIndex } from '../timeline';
import { formatTime } from './format';
import { panelsFor, panelsVersion, registerPanel, subscribePanels, type PanelProps } from './panels';

registerPanel({
  id: 'console',
  title: 'Console',
  description: 'Program output (ping, traceroute, nc...) printed up to the playhead',
  order: 0,
  applies: () => true,
  component: ({ index }) => <ConsoleBody index={index} />,
  head: ({ index }) => <LogCount index={index} />,
});

registerPanel({
  id: 'ladder',
  title: 'Ladder',
  description: 'Sequence diagram: one lane per device, time flowing down',
  order: 10,
  applies: () => true,
  component: ({ index, scene }) => <Ladder index={index} scene={scene} />,
  head: () => <LadderMode />,
});

/** The bottom-right panel: one tab per registered panel that applies to the scene. */
export function ConsolePanel({ index, scene }: { index: TimelineIndex; scene: Scene }) {
  const version = useSyncExternalStore(subscribePanels, panelsVersion);
  const tabs = useMemo(() => (version >= 0 ? panelsFor({ scene, trace: index.trace }) : []), [scene, index, version]);
  // A tab asked for (see `viewStore.showPanel`), once per request.
  const request = useStore(viewStore, (s) => s.panelRequest);
  const [picked, setPicked] = useState(request?.id ?? 'console');
  const [seenRequest, setSeenRequest] = useState(request);
  if (request !== seenRequest) {
    setSeenRequest(request);
    if (request) setPicked(request.id);
  }
  const active = tabs.find((p) => p.id === picked) ?? tabs[0];
  const props: PanelProps = { index, scene };
  const Body = active?.component;
  const Head = active?.head;
  return (
    <section className={active?.wide ? 'panel console wide' : 'panel console'} data-panel={active?.id}>
      <div className="panel-head">
        <div className="tabs" role="tablist">
          {tabs.map((p) => (
            <button
              key={p.id}
              role="tab"
              aria-selected={p === active}
              data-panel={p.id}
              title={p.description}
              className={p === active ? 'tab on' : 'tab'}
              onClick={() => setPicked(p.id)}
            >
              {p.title}
            </button>
          ))}
        </div>
        {Head && <Head {...props} />}
      </div>
      {Body && <Body {...props} />}
    </section>
  );
}

/** The ladder's scale toggle: true time, or one equal step per event. */
function LadderMode() {
  const compressed = useStore(viewStore, (s) => s.ladderCompressed);
  return (
    <label className="ladder-mode" title="Equal spacing per event instead of true time scale">
      <input
        type="checkbox"
        data-testid="ladder-compressed"
        checked={compressed}
        onChange={(e) => viewStore.getState().setLadderCompressed(e.target.checked)}
      />{' '}
      compressed
    </label>
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
