/** The help overlay, the error panel, the notice banner and the 3D legend (collapsed until opened, so it never hides devices unasked). */
import { DEVICE_COLORS, DROP_COLOR, protoColorClasses, SELECTED_COLOR } from '../view3d/colors';

const SHORTCUTS: [string, string][] = [
  ['Space', 'Play / pause'],
  ['← / →', 'Previous / next event'],
  ['+ / −', 'Faster / slower'],
  ['Home / End', 'Go to the start / the end'],
  ['1 / 2 / 3', 'Camera: top / 3D / side'],
  ['F', 'Camera follows the selected packet'],
  ['T', 'Terminal of the selected host (Esc leaves it)'],
  ['Esc', 'Clear selection, close this help'],
  ['?', 'Show / hide this help'],
];

const LESSON_SHORTCUTS: [string, string][] = [
  ['L', 'Open / close the lessons'],
  ['N / P', 'Next / previous step (PageDown / PageUp too); N in the catalogue opens the next lesson'],
  ['A – F', 'Choose an answer or an option'],
  ['Enter', 'Run an exercise with your change'],
  ['R', "Back to the step's moment after exploring"],
];

const FOCUS_KEYS: [string, string][] = [
  ['Tab', 'Move between controls, the timeline, the event list and the device list'],
  ['↑ / ↓', 'In a list: the previous / next item'],
  ['← / → on the timeline', 'Previous / next event; PageUp / PageDown a tenth of the run'],
];

function KeyTable({ rows }: { rows: [string, string][] }) {
  return (
    <table className="keys">
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k}>
            <td>
              <kbd>{k}</kbd>
            </td>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function HelpOverlay({ onClose }: { onClose(): void }) {
  return (
    <div className="overlay" onClick={onClose} role="dialog" aria-label="Keyboard shortcuts">
      <div className="overlay-card" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        <KeyTable rows={SHORTCUTS} />
        <h3>Lessons</h3>
        <KeyTable rows={LESSON_SHORTCUTS} />
        <h3>In a focused control</h3>
        <p className="hint">A focused button, list or slider keeps its keys: Space presses the button, the arrows move in the list.</p>
        <KeyTable rows={FOCUS_KEYS} />
        <h3>Mouse</h3>
        <p>Drag to orbit, right-drag to pan, wheel to zoom. Click a packet or a device to inspect it.</p>
        <p className="hint">
          Each bar on a link is one frame: it grows out of the sender while its bits are serialized and travels at the link&apos;s propagation delay. Red bars
          are drops (hover one to see why); a red flash at a hub is a collision.
        </p>
        <button onClick={onClose}>Close</button>
      </div>
    </div>
  );
}

export function ErrorPanel({ title, errors, sceneNames }: { title: string; errors: string[]; sceneNames: string[] }) {
  return (
    <div className="error-panel" role="alert" data-testid="scene-errors">
      <h2>{title}</h2>
      <ul>
        {errors.map((e, i) => (
          <li key={i}>
            <code>{e}</code>
          </li>
        ))}
      </ul>
      <p>
        Available scenes:{' '}
        {sceneNames.map((n, i) => (
          <span key={n}>
            {i > 0 && ', '}
            <a href={`?scene=${encodeURIComponent(n)}`}>{n}</a>
          </span>
        ))}
      </p>
    </div>
  );
}

export function Notices({ notices }: { notices: string[] }) {
  if (notices.length === 0) return null;
  return (
    <div className="notices" role="status" data-testid="notices">
      {notices.map((n, i) => (
        <div key={i}>⚠ {n}</div>
      ))}
    </div>
  );
}

export function Legend() {
  return (
    <details className="legend" data-testid="legend">
      <summary>Legend</summary>
      <div className="legend-grid">
        <div className="legend-title">Packets (one bar per frame)</div>
        {protoColorClasses().map((c) => (
          <div key={c.name} className="legend-item">
            <span className="swatch" style={{ background: c.color }} />
            {c.name}
          </div>
        ))}
        <div className="legend-item">
          <span className="swatch" style={{ background: DROP_COLOR }} />
          Dropped
        </div>
        <div className="legend-item">
          <span className="swatch" style={{ background: SELECTED_COLOR }} />
          Selected
        </div>
        <div className="legend-item wide">
          <span className="swatch burst" style={{ background: DROP_COLOR }} />
          Hub collision (red flash)
        </div>
        <div className="legend-title">Devices</div>
        {Object.entries(DEVICE_COLORS).map(([k, c]) => (
          <div key={k} className="legend-item">
            <span className="swatch dev" style={{ background: c }} />
            {k}
          </div>
        ))}
        <div className="legend-item">
          <span className="swatch ring" />
          highlighted
        </div>
      </div>
    </details>
  );
}
