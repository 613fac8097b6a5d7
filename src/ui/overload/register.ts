/** Registers the overload panel: shown for scenes with request/response load (rr-client, rr-server). */
import { registerPanel } from '../panels';
import { OverloadPanel } from './OverloadPanel';
import { traceHasRr } from './overload-model';

registerPanel({
  id: 'overload',
  title: 'Load',
  description: 'Load-test charts: offered load, goodput, response time, concurrency, queues, retries',
  order: 30,
  wide: true,
  applies: ({ trace }) => traceHasRr(trace),
  component: OverloadPanel,
});
