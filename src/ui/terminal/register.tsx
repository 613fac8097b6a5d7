/**
 * Registers the Terminal panel: a shell on each host of the scene. The panel's code (xterm and the
 * host-state commands) loads when the tab first opens, so neither the app's first script nor the
 * embed grows with it.
 */
import { lazy, Suspense } from 'react';
import { registerPanel, type PanelProps } from '../panels';

const TerminalPanel = lazy(() => import('./TerminalPanel'));

registerPanel({
  id: 'terminal',
  title: 'Terminal',
  description: 'A shell on each host: ip, ss, tcpdump at the playhead; ping, dig, curl... run in a branch (T opens it)',
  order: 5,
  wide: true,
  applies: ({ scene }) => scene.nodes.some((n) => n.kind !== 'switch' && n.kind !== 'hub'),
  component: (props: PanelProps) => (
    <Suspense fallback={<div className="empty">Loading the terminal…</div>}>
      <TerminalPanel {...props} />
    </Suspense>
  ),
});
