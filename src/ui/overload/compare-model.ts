/**
 * Pure data of the Load panel's comparison: the labels that say what differs between the two runs,
 * and the y range each chart shares across them (the same scale on both sides, or the comparison
 * would mislead).
 */
import { describeCommandDiff } from '../../scenario/run-variant';
import { metricValue, type ChartSpec, type RrGroup } from './overload-model';

/** Column labels: `--retry immediate` / `--retry expo-full --budget 0.1` (or a note that nothing differs). */
export function compareLabels(baseCmd: string, cmd: string): { main: string; variant: string } {
  const d = describeCommandDiff(baseCmd, cmd);
  if (d.a === '' && d.b === '') return { main: 'same command', variant: 'same command' };
  return { main: d.a || 'without those options', variant: d.b || `without ${d.a}` };
}

/** The top of a chart's y axis, shared by every run given: the largest value plus 8% (1 when all are 0 or missing). */
export function sharedYMax(spec: ChartSpec, runs: readonly (readonly RrGroup[])[]): number {
  if (spec.id === 'breaker') return 2.2;
  let max = 0;
  for (const groups of runs)
    for (const g of groups)
      for (const line of spec.lines)
        for (const w of g.windows) {
          const v = metricValue(w, line.metric);
          if (v !== null && v > max) max = v;
        }
  return max > 0 ? max * 1.08 : 1;
}
