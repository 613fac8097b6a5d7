/** Registers the Faults, Branches and Compare panels (every scene can be branched). */
import './faults.css';
import { registerPanel } from '../panels';
import { BranchPanel } from './BranchPanel';
import { ComparePanel } from './ComparePanel';
import { FaultPanel } from './FaultPanel';

registerPanel({
  id: 'faults',
  title: 'Faults',
  description: "The current branch's faults and commands: switch them off, edit, remove; presets",
  order: 40,
  applies: () => true,
  component: FaultPanel,
});

registerPanel({
  id: 'branches',
  title: 'Branches',
  description: 'The branches of this run: switch, rename, delete, save as a scene, compare',
  order: 41,
  applies: () => true,
  component: BranchPanel,
});

registerPanel({
  id: 'compare',
  title: 'Compare',
  description: 'Two branches side by side on one playhead: where they part, their totals and ladders',
  order: 42,
  wide: true,
  applies: () => true,
  component: ComparePanel,
});
