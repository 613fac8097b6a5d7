/** `{ at, link, set: { loss?, latency?, jitter?, bandwidth?, up?, queue? } }`: change a link from `at` on. */
import { z } from 'zod';
import { durationSchema } from '../../sim/units';
import { bandwidthSchema, lossSchema, queueSchema } from '../link-schemas';
import { didYouMean } from '../messages';
import { faultVariant } from './fault-variant';

const linkSetSchema = z
  .strictObject({
    loss: lossSchema.optional(),
    latency: durationSchema.optional(),
    jitter: durationSchema.optional(),
    bandwidth: bandwidthSchema.optional(),
    up: z.boolean().optional(),
    queue: queueSchema.optional(),
  })
  .refine((set) => Object.values(set).some((v) => v !== undefined), {
    error: 'set at least one of loss, latency, jitter, bandwidth, up, queue',
  });

export const linkSetFault = faultVariant({
  kind: 'link-set',
  keys: ['link', 'set'],
  schema: z.strictObject({ at: durationSchema, link: z.string(), set: linkSetSchema }),
  check(fault, ctx, report) {
    if (!ctx.hasLink(fault.link)) {
      report(['link'], `no link "${fault.link}"${didYouMean(fault.link, ctx.linkIds)}; links are named by id (default "a-b")`);
    }
  },
  apply(fault, target) {
    const change = Object.fromEntries(Object.entries(fault.set).filter(([, v]) => v !== undefined));
    target.setLink(fault.link, change);
  },
});
