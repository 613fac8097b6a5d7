/**
 * The packet inspector (like Wireshark's detail and bytes panes): the layer tree of the selected
 * frame with field names and values, a hex dump where hovering a field lights its bytes and hovering
 * a byte lights its field, simplification notes, and every hop of the same packet.
 * With a device selected instead, it shows the device's state (MAC table, ARP cache) at the playhead.
 */
import { useMemo, useState } from 'react';
import type { Field, Layer } from '../protocols/codec';
import { ContentType } from '../protocols/tls/constants';
import type { Scene } from '../scenario/scene';
import { isLinkDirection, RecordKind } from '../sim/trace';
import { playbackStore, selectionStore, useStore } from '../store';
import { lessonStore, pendingPrediction } from '../store/lesson';
import { hopsOfPacket, stateAt, type TimelineIndex } from '../timeline';
import { decryptedRecordsFor, plaintextHex, plaintextPreview } from '../timeline/tls-decrypt';
import { describeRow, dissectStored, linkWhere } from './describe';
import { formatTime } from './format';
import { showTerminal } from './terminal/show';

type Range = readonly [number, number];

function fieldRange(f: { offset: number; length: number }): Range {
  return [f.offset, f.offset + Math.max(1, f.length)];
}

/** The deepest field (or layer) covering byte `b`, for hex -> tree highlighting. */
function fieldAt(layers: readonly Layer[], b: number): { key: string; range: Range } | null {
  let best: { key: string; range: Range; size: number } | null = null;
  const visit = (fs: readonly Field[], prefix: string) => {
    fs.forEach((f, i) => {
      const [s, e] = fieldRange(f);
      const key = `${prefix}/${i}`;
      if (b >= s && b < e && (!best || e - s <= best.size)) best = { key, range: [s, e], size: e - s };
      if (f.children) visit(f.children, key);
    });
  };
  layers.forEach((l, i) => {
    if (!best && b >= l.offset && b < l.offset + l.length) best = { key: `L${i}`, range: [l.offset, l.offset + l.length], size: l.length };
    visit(l.fields, `L${i}`);
  });
  return best;
}

function FieldRow({
  f,
  path,
  hoverKey,
  onHover,
  depth,
}: {
  f: Field;
  path: string;
  hoverKey: string | null;
  onHover(k: string | null, r: Range | null): void;
  depth: number;
}) {
  const [open, setOpen] = useState(true);
  const has = !!f.children?.length;
  return (
    <>
      <div
        className={`tree-field ${hoverKey === path ? 'hover' : ''}`}
        style={{ paddingLeft: 18 + depth * 14 }}
        onMouseEnter={() => onHover(path, fieldRange(f))}
        onMouseLeave={() => onHover(null, null)}
        onClick={() => has && setOpen(!open)}
        title={`${f.key} · bytes ${f.offset}–${f.offset + Math.max(1, f.length) - 1}`}
      >
        {has ? <span className="twisty">{open ? '▾' : '▸'}</span> : <span className="twisty" />}
        <span className="f-label">{f.label}:</span> <span className="f-value">{f.value}</span>
      </div>
      {has && open && f.children!.map((c, i) => <FieldRow key={i} f={c} path={`${path}/${i}`} hoverKey={hoverKey} onHover={onHover} depth={depth + 1} />)}
    </>
  );
}

function LayerTree({ layers, hoverKey, onHover }: { layers: readonly Layer[]; hoverKey: string | null; onHover(k: string | null, r: Range | null): void }) {
  const [closed, setClosed] = useState<Set<number>>(new Set());
  return (
    <div className="tree" data-testid="layer-tree">
      {layers.map((l, i) => (
        <div key={i} className={`layer layer-${l.protocol}`}>
          <div
            className={`layer-title ${hoverKey === `L${i}` ? 'hover' : ''}`}
            onClick={() => {
              const n = new Set(closed);
              if (n.has(i)) n.delete(i);
              else n.add(i);
              setClosed(n);
            }}
            onMouseEnter={() => onHover(`L${i}`, [l.offset, l.offset + l.length])}
            onMouseLeave={() => onHover(null, null)}
          >
            <span className="twisty">{closed.has(i) ? '▸' : '▾'}</span>
            {l.title}
          </div>
          {!closed.has(i) && (
            <>
              {l.fields.map((f, j) => (
                <FieldRow key={j} f={f} path={`L${i}/${j}`} hoverKey={hoverKey} onHover={onHover} depth={0} />
              ))}
              {l.notes?.map((n, j) => (
                <div key={`n${j}`} className="note">
                  ⚠ Simplification: {n}
                </div>
              ))}
            </>
          )}
        </div>
      ))}
    </div>
  );
}

function HexDump({ bytes, hover, onHoverByte }: { bytes: Uint8Array; hover: Range | null; onHoverByte(b: number | null): void }) {
  const lines = [];
  for (let off = 0; off < bytes.length; off += 16) {
    const hexCells = [];
    const ascii = [];
    for (let i = off; i < Math.min(off + 16, bytes.length); i++) {
      const on = hover && i >= hover[0] && i < hover[1];
      const b = bytes[i];
      hexCells.push(
        <span key={i} className={`hb ${on ? 'on' : ''} ${i - off === 8 ? 'gap' : ''}`} onMouseEnter={() => onHoverByte(i)}>
          {b.toString(16).padStart(2, '0')}
        </span>,
      );
      ascii.push(
        <span key={i} className={`ab ${on ? 'on' : ''}`} onMouseEnter={() => onHoverByte(i)}>
          {b >= 32 && b < 127 ? String.fromCharCode(b) : '·'}
        </span>,
      );
    }
    lines.push(
      <div key={off} className="hex-line">
        <span className="hex-off">{off.toString(16).padStart(4, '0')}</span>
        <span className="hex-bytes">{hexCells}</span>
        <span className="hex-ascii">{ascii}</span>
      </div>,
    );
  }
  return (
    <div className="hex" data-testid="hex-dump" onMouseLeave={() => onHoverByte(null)}>
      {lines}
    </div>
  );
}

/** Plaintext of the TLS 1.3 records starting in this frame, from the key log the simulator published. */
function DecryptedRecords({ index, row }: { index: TimelineIndex; row: number }) {
  const records = useMemo(() => decryptedRecordsFor(index.trace, row), [index, row]);
  if (!records) return null;
  return (
    <div className="decrypted" data-testid="decrypted-records">
      <h3>🔓 Decrypted with the session keys the simulator knows (the wire carries only ciphertext)</h3>
      {records.map((r, i) => (
        <div key={i} className="decrypted-record">
          <div className="f-label">
            Record {i + 1}: {r.typeName} ({r.plaintext.length} bytes, {r.epoch} keys)
          </div>
          {r.contentType === ContentType.applicationData && (
            <>
              <pre className="decrypted-text">{plaintextPreview(r.plaintext)}</pre>
              <pre className="decrypted-hex">{plaintextHex(r.plaintext)}</pre>
            </>
          )}
        </div>
      ))}
    </div>
  );
}

// eslint-disable-next-line max-lines-per-function -- the layer tree and the hex view share the hovered and selected byte span
function FrameView({ index, row }: { index: TimelineIndex; row: number }) {
  const tr = index.trace;
  const frameId = tr.frame[row];
  const bytes = useMemo(() => (frameId >= 0 ? tr.frameBytes(frameId) : null), [tr, frameId]);
  const d = frameId >= 0 ? dissectStored(index, frameId) : null;
  const [hoverKey, setHoverKey] = useState<string | null>(null);
  const [hover, setHover] = useState<Range | null>(null);
  const info = describeRow(index, row);
  const hops = hopsOfPacket(index, tr.packet[row]);
  const kind = tr.kind[row];
  const onHover = (k: string | null, r: Range | null) => {
    setHoverKey(k);
    setHover(r);
  };
  return (
    <div className="frame-view">
      <div className="frame-head">
        <div className={`badge p-${info.cls}`}>{info.proto}</div>
        <div className="frame-sum">{info.summary}</div>
      </div>
      <dl className="facts">
        <dt>Where</dt>
        <dd>{info.where}</dd>
        {kind === RecordKind.FrameTx && (
          <>
            <dt>Sent</dt>
            <dd>
              {formatTime(tr.time[row])} → last bit out {formatTime(tr.end[row])}
            </dd>
            <dt>Arrives</dt>
            <dd>
              {formatTime(tr.arrival[row])} ({formatTime(tr.end[row] - tr.time[row])} serialization + {formatTime(tr.arrival[row] - tr.end[row])} propagation)
            </dd>
          </>
        )}
        {kind === RecordKind.Drop && (
          <>
            <dt>Dropped</dt>
            <dd className="drop-reason">
              {formatTime(tr.time[row])}: {tr.string(tr.code[row])}
            </dd>
          </>
        )}
        {bytes && (
          <>
            <dt>Length</dt>
            <dd>{bytes.length} bytes on the wire</dd>
          </>
        )}
      </dl>
      {d?.error && <div className="dissect-error">Malformed: {d.error}</div>}
      {d && <LayerTree layers={d.layers} hoverKey={hoverKey} onHover={onHover} />}
      {bytes && d && (
        <HexDump
          bytes={bytes}
          hover={hover}
          onHoverByte={(b) => {
            if (b === null) return onHover(null, null);
            const f = fieldAt(d.layers, b);
            onHover(f?.key ?? null, f?.range ?? [b, b + 1]);
          }}
        />
      )}
      {kind === RecordKind.FrameTx && <DecryptedRecords index={index} row={row} />}
      {hops.length > 1 && (
        <div className="hops">
          <h3>Hops of this packet ({hops.length})</h3>
          {hops.map((h) => {
            const hb = tr.frame[h] >= 0 ? tr.frameBytes(tr.frame[h]) : null;
            const ttl = hb && hb.length > 22 && hb[12] === 8 && hb[13] === 0 ? hb[22] : null;
            return (
              <div
                key={h}
                className={`hop ${h === row ? 'on' : ''} ${tr.kind[h] === RecordKind.Drop ? 'dropped' : ''}`}
                onClick={() => {
                  playbackStore.getState().pause();
                  playbackStore.getState().seek(tr.time[h]);
                  selectionStore.getState().selectRow(h, tr.packet[h]);
                }}
              >
                <span className="hop-time">{formatTime(tr.time[h])}</span>
                <span className="hop-where">{isLinkDirection(tr.dir[h]) ? linkWhere(index, tr.place[h], tr.dir[h]) : tr.nodes[tr.place[h]]?.name}</span>
                <span className="hop-ttl">{tr.kind[h] === RecordKind.Drop ? 'dropped' : ttl !== null ? `TTL ${ttl}` : ''}</span>
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}

function NodeView({ index, node }: { index: TimelineIndex; node: number }) {
  const time = useStore(playbackStore, (s) => s.time);
  const n = index.trace.nodes[node];
  const state = [...stateAt(index, node, time)].sort(([a], [b]) => a.localeCompare(b));
  const mac = state.filter(([k]) => k.startsWith('mac '));
  const arp = state.filter(([k]) => k.startsWith('arp '));
  // The NAT translation table (`nat tcp 192.168.1.100:44539` = `203.0.113.2:44539`) and DHCP leases.
  const nat = state.filter(([k]) => k.startsWith('nat '));
  const leases = state.filter(([k]) => k.startsWith('lease '));
  const other = state.filter(([k]) => !k.startsWith('mac ') && !k.startsWith('arp ') && !k.startsWith('nat ') && !k.startsWith('lease '));
  const table = (title: string, rows: [string, string][], strip: number, cols: [string, string]) => (
    <div className="state-table">
      <h3>{title}</h3>
      {rows.length === 0 ? (
        <div className="empty">empty at {formatTime(time)}</div>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{cols[0]}</th>
              <th>{cols[1]}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([k, v]) => (
              <tr key={k}>
                <td>{k.slice(strip)}</td>
                <td>{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
  return (
    <div className="node-view">
      <div className="frame-head">
        <div className="badge">{n?.kind}</div>
        <div className="frame-sum">{n?.name}</div>
        {n && n.kind !== 'switch' && n.kind !== 'hub' && (
          <button className="chip" data-testid="open-terminal" title="Open this host's terminal (T)" onClick={() => showTerminal(n.name)}>
            Terminal
          </button>
        )}
      </div>
      <p className="hint">State at the playhead ({formatTime(time)}):</p>
      {n?.kind === 'switch' && table('MAC address table', mac, 4, ['MAC', 'Port'])}
      {n?.kind !== 'switch' && n?.kind !== 'hub' && table('ARP cache', arp, 4, ['IP', 'MAC'])}
      {nat.length > 0 && table('NAT translations', nat, 4, ['Inside', 'Outside'])}
      {leases.length > 0 && table('DHCP leases', leases, 6, ['Address', 'Client MAC'])}
      {other.length > 0 && table('Other state', other, 0, ['Key', 'Value'])}
    </div>
  );
}

export function Inspector({ index, scene }: { index: TimelineIndex; scene?: Scene }) {
  const row = useStore(selectionStore, (s) => s.row);
  const node = useStore(selectionStore, (s) => s.node);
  const predicting = useStore(lessonStore, (s) => pendingPrediction(s) !== null);
  const showFrame = row >= 0 && row < index.trace.length && index.trace.frame[row] >= 0 && index.trace.kind[row] !== RecordKind.State;
  return (
    <aside className="panel inspector" data-testid="inspector">
      <div className="panel-head">
        <h2>Inspector</h2>
        {(row >= 0 || node >= 0) && (
          <button className="chip" onClick={() => selectionStore.getState().clear()}>
            clear
          </button>
        )}
      </div>
      <div className="inspector-body">
        {showFrame ? (
          <FrameView key={row} index={index} row={row} />
        ) : row >= 0 ? (
          <div className="frame-view">
            <div className="frame-head">
              <div className={`badge p-${describeRow(index, row).cls}`}>{describeRow(index, row).proto}</div>
              <div className="frame-sum">{describeRow(index, row).summary}</div>
            </div>
            <p className="hint">
              {describeRow(index, row).where} at {formatTime(index.trace.time[row])}
            </p>
          </div>
        ) : node >= 0 ? (
          <NodeView index={index} node={node} />
        ) : (
          <div className="empty big">
            {scene && (
              <div className="about">
                <h3>{scene.title}</h3>
                {scene.description &&
                  (predicting ? (
                    <p className="spoiler-note" data-testid="description-hidden">
                      The scene&apos;s description is hidden until you answer the prediction.
                    </p>
                  ) : (
                    <p>{scene.description}</p>
                  ))}
              </div>
            )}
            <p>Click a packet in the 3D view or a row in the event list to see its layers and bytes.</p>
            <p>Click a device to see its MAC table or ARP cache at the playhead.</p>
          </div>
        )}
      </div>
    </aside>
  );
}
