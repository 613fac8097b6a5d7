/**
 * `{ at, link, drop: { match, count? } }`: from `at` on, the link loses the next `count` (default 1)
 * frames that the match expression accepts, in either direction, e.g.
 * `{ at: 3ms, link: r1-h2, drop: { match: "tcp and tcp.seq == 2921", count: 1 } }`.
 * `tcp.seq`/`tcp.ack` are relative, learned from the SYNs already in the trace.
 */
import { z } from 'zod';
import { RecordKind } from '../../sim/trace';
import { durationSchema } from '../../sim/units';
import { compileMatch } from '../../protocols/match';
import { didYouMean } from '../messages';
import { faultVariant } from './fault-variant';

export const linkDropFault = faultVariant({
  kind: 'link-drop',
  keys: ['link', 'drop'],
  schema: z.strictObject({
    at: durationSchema,
    link: z.string(),
    drop: z.strictObject({
      match: z.string(),
      count: z.int().min(1, 'count must be 1 or more').default(1),
    }),
  }),
  check(fault, ctx, report) {
    if (!ctx.hasLink(fault.link)) {
      report(['link'], `no link "${fault.link}"${didYouMean(fault.link, ctx.linkIds)}; links are named by id (default "a-b")`);
    }
    const m = compileMatch(fault.drop.match);
    if (!m.ok) report(['drop', 'match'], `"${fault.drop.match}": ${m.error}`);
  },
  apply(fault, target) {
    const m = compileMatch(fault.drop.match);
    if (!m.ok) return;
    const matcher = m.matcher;
    // Learn the ISNs of connections opened before the fault, from the capture so far.
    const t = target.trace;
    for (let r = 0; r < t.length; r++) if (t.kind[r] === RecordKind.FrameTx) matcher.observe(t.frameBytes(t.frame[r]));
    target.dropOnLink(fault.link, (bytes) => matcher.test(bytes), fault.drop.count, `dropped by fault: ${fault.drop.match}`);
  },
});
