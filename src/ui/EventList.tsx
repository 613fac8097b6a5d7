/**
 * The simulation event list (like Packet Tracer's): every trace row in time order, filterable by
 * protocol, virtualised so 360k rows scroll smoothly. Rows after the playhead are dimmed; a click
 * seeks to the row and selects it.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { playbackStore, selectionStore, useStore } from '../store';
import { lessonStore, pendingPrediction } from '../store/lesson';
import { upperBound, type TimelineIndex } from '../timeline';
import { describeRow, rowClass, type RowClass } from './describe';
import { onPacketContextMenu } from './faults/packet-menu';
import { formatTimeMs } from './format';
import { protoColorClasses } from '../view3d/colors';

/** Row height: 22 px, or a 44 px touch target on a phone (the layout's one-column width). */
const ROW_H = 22;
const PHONE = '(max-width: 700px)';
const rowHeight = () => (typeof matchMedia === 'function' && matchMedia(PHONE).matches ? 44 : ROW_H);
/**
 * Tallest scroll area used. Browsers cap an element's height (Chromium near 33.5 million px, i.e.
 * 1.5 million rows); longer lists scroll through a shorter area, each pixel of it standing for
 * several rows' worth, so every row of a multi-million-row trace stays reachable.
 */
const MAX_SCROLL_PX = 8_000_000;

/** Maps between the list's true pixel offsets (row * row height) and the scroll area's. */
export function scrollScale(rows: number, viewport: number, rowH = ROW_H): { height: number; toScroll(px: number): number; fromScroll(top: number): number } {
  const total = rows * rowH;
  if (total <= MAX_SCROLL_PX) return { height: total, toScroll: (px) => px, fromScroll: (top) => top };
  const span = Math.max(1, MAX_SCROLL_PX - viewport);
  const trueSpan = Math.max(1, total - viewport);
  return { height: MAX_SCROLL_PX, toScroll: (px) => (px / trueSpan) * span, fromScroll: (top) => (top / span) * trueSpan };
}
const FILTERS: { key: string; label: string; classes: RowClass[] | null }[] = [
  { key: 'all', label: 'All', classes: null },
  { key: 'frames', label: 'Frames', classes: protoColorClasses().map((c) => c.name) },
  { key: 'ARP', label: 'ARP', classes: ['ARP'] },
  { key: 'ICMP', label: 'ICMP', classes: ['ICMP'] },
  { key: 'UDP', label: 'UDP', classes: ['UDP'] },
  { key: 'Drop', label: 'Drops', classes: ['Drop'] },
  { key: 'State', label: 'State', classes: ['State'] },
  { key: 'Log', label: 'Output', classes: ['Log'] },
];

// eslint-disable-next-line max-lines-per-function -- a virtualised list: filter, follow-the-playhead scrolling and row rendering share its scroll state
export function EventList({ index }: { index: TimelineIndex }) {
  const [filter, setFilter] = useState('all');
  const [rowH, setRowH] = useState(rowHeight);
  useEffect(() => {
    if (typeof matchMedia !== 'function') return;
    const m = matchMedia(PHONE);
    const on = () => setRowH(rowHeight());
    m.addEventListener('change', on);
    return () => m.removeEventListener('change', on);
  }, []);
  const [follow, setFollow] = useState(true);
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(300);
  const time = useStore(playbackStore, (s) => s.time);
  const playing = useStore(playbackStore, (s) => s.playing);
  const selRow = useStore(selectionStore, (s) => s.row);
  const selPacket = useStore(selectionStore, (s) => s.packet);
  const hideAfter = useStore(lessonStore, pendingPrediction);

  const rows = useMemo(() => {
    const f = FILTERS.find((x) => x.key === filter);
    if (!f?.classes) return { rows: index.order, times: index.orderTime };
    const want = new Set(f.classes);
    const out: number[] = [];
    for (let i = 0; i < index.order.length; i++) if (want.has(rowClass(index, index.order[i]))) out.push(index.order[i]);
    const rowsArr = Int32Array.from(out);
    const times = new Float64Array(rowsArr.length);
    for (let i = 0; i < rowsArr.length; i++) times[i] = index.trace.time[rowsArr[i]];
    return { rows: rowsArr, times };
  }, [index, filter]);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    setHeight(el.clientHeight);
    return () => ro.disconnect();
  }, []);

  // Rows at or before the playhead.
  const past = upperBound(rows.times, time);
  const scale = useMemo(() => scrollScale(rows.rows.length, height, rowH), [rows, height, rowH]);
  useEffect(() => {
    const el = scroller.current;
    if (!el || !follow) return;
    const rowTop = (past - 1) * rowH;
    const top = scale.fromScroll(el.scrollTop);
    const visible = rowTop >= top && rowTop + rowH <= top + el.clientHeight;
    if (!playing && visible) return;
    const target = scale.toScroll(Math.max(0, rowTop - el.clientHeight + rowH * 3));
    if (Math.abs(el.scrollTop - target) > 1) el.scrollTop = target;
  }, [past, follow, playing, scale, rowH]);

  // The true offset of the viewport's top; rows are placed relative to it inside the scroll area.
  const viewTop = scale.fromScroll(scrollTop);
  const first = Math.max(0, Math.floor(viewTop / rowH) - 5);
  const last = Math.min(rows.rows.length, Math.ceil((viewTop + height) / rowH) + 5);

  // The keyboard cursor: the selected row when it is in the list, else the row at the playhead.
  const selAt = selRow >= 0 ? rows.rows.indexOf(selRow) : -1;
  const cursor = selAt >= 0 ? selAt : past - 1;
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const n = rows.rows.length;
    const page = Math.max(1, Math.floor(height / rowH) - 1);
    const to =
      e.key === 'ArrowDown'
        ? cursor + 1
        : e.key === 'ArrowUp'
          ? cursor - 1
          : e.key === 'PageDown'
            ? cursor + page
            : e.key === 'PageUp'
              ? cursor - page
              : e.key === 'Home'
                ? 0
                : e.key === 'End'
                  ? n - 1
                  : null;
    if (to === null || n === 0) return;
    e.preventDefault();
    const i = Math.max(0, Math.min(n - 1, to));
    const r = rows.rows[i];
    playbackStore.getState().pause();
    playbackStore.getState().seek(index.trace.time[r]);
    selectionStore.getState().selectRow(r, index.trace.packet[r]);
    const el = e.currentTarget;
    const top = scale.fromScroll(el.scrollTop);
    if (i * rowH < top) el.scrollTop = scale.toScroll(i * rowH);
    else if ((i + 1) * rowH > top + el.clientHeight) el.scrollTop = scale.toScroll((i + 1) * rowH - el.clientHeight);
  };

  const visible: number[] = [];
  for (let i = first; i < last; i++) visible.push(i);

  return (
    <section className="panel events">
      <div className="panel-head">
        <h2>Events</h2>
        <div className="chips" role="group" aria-label="Filter events">
          {FILTERS.map((f) => (
            <button key={f.key} className={filter === f.key ? 'chip on' : 'chip'} onClick={() => setFilter(f.key)}>
              {f.label}
            </button>
          ))}
        </div>
        <label className="follow" title="Scroll with the playhead while playing">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> follow
        </label>
        <span className="count">
          {past.toLocaleString()} / {rows.rows.length.toLocaleString()}
        </span>
      </div>
      <div className="ev-header">
        <span className="c-time">Time</span>
        <span className="c-where">Where</span>
        <span className="c-proto">Protocol</span>
        <span className="c-info">Info</span>
      </div>
      <div
        className="ev-scroll"
        ref={scroller}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        data-testid="event-list"
        role="listbox"
        aria-label="Events (↑ ↓ to select)"
        tabIndex={0}
        aria-activedescendant={cursor >= first && cursor < last ? `ev-${rows.rows[cursor]}` : undefined}
        onKeyDown={onKeyDown}
      >
        <div style={{ height: scale.height, position: 'relative' }}>
          {visible.map((i) => {
            const r = rows.rows[i];
            // While a prediction is open, what happens after the step's moment stays hidden.
            const spoiler = hideAfter !== null && (i >= past || index.trace.time[r] > hideAfter);
            if (spoiler)
              return (
                <div
                  key={r}
                  id={`ev-${r}`}
                  role="option"
                  aria-selected={false}
                  className="ev-row future spoiler"
                  style={{ top: i * rowH - viewTop + scrollTop, height: rowH }}
                >
                  <span className="c-time">{formatTimeMs(index.trace.time[r])}</span>
                  <span className="c-info">hidden until you answer the prediction</span>
                </div>
              );
            const info = describeRow(index, r);
            const cls = [
              'ev-row',
              `k-${info.cls}`,
              i >= past ? 'future' : '',
              i === past - 1 ? 'current' : '',
              r === selRow ? 'selected' : selPacket >= 0 && index.trace.packet[r] === selPacket ? 'same-packet' : '',
            ].join(' ');
            return (
              <div
                key={r}
                id={`ev-${r}`}
                role="option"
                aria-selected={r === selRow}
                className={cls}
                style={{ top: i * rowH - viewTop + scrollTop, height: rowH }}
                data-row={r}
                onContextMenu={(e) => onPacketContextMenu(index, r, e)}
                onClick={() => {
                  playbackStore.getState().pause();
                  playbackStore.getState().seek(index.trace.time[r]);
                  selectionStore.getState().selectRow(r, index.trace.packet[r]);
                }}
              >
                <span className="c-time">{formatTimeMs(index.trace.time[r])}</span>
                <span className="c-where">{info.where}</span>
                <span className={`c-proto p-${info.cls}`}>{info.proto}</span>
                <span className="c-info" title={info.summary}>
                  {info.summary}
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
