/** Registers the TCP panel: shown for scenes whose trace has TCP connections. */
import { registerPanel } from '../panels';
import { TcpPanel } from './TcpPanel';
import { traceHasTcp } from './tcp-model';

registerPanel({
  id: 'tcp',
  title: 'TCP',
  description: 'A TCP connection: its state and congestion window at the playhead, and its time-sequence graph',
  order: 20,
  wide: true,
  applies: ({ trace }) => traceHasTcp(trace),
  component: TcpPanel,
});
