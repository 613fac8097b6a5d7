/** Registers the waterfall panel: shown for scenes whose trace has page loads (page-load). */
import { registerPanel } from '../panels';
import { WaterfallPanel } from './WaterfallPanel';
import { traceHasPageLoads } from './waterfall-model';

registerPanel({
  id: 'waterfall',
  title: 'Waterfall',
  description: "Page loads as a browser's network panel shows them: per resource, DNS, connect, TLS, blocked, wait and receive",
  order: 25,
  wide: true,
  applies: ({ trace }) => traceHasPageLoads(trace),
  component: WaterfallPanel,
});
