import type { CampaignDefinition } from '../campaign/schema.ts';
import type { CompoundView } from './compounds.ts';
import { outstandingFor } from './gaps.ts';

type Deadline = CampaignDefinition['deadlines'][number];

export interface OverdueDeadline {
  deadline: Deadline;
  /** The compounds still not done, in the notice's order. */
  left: CompoundView[];
}

/** Deadlines that have passed (before `today`) with compounds still outstanding; phase deadlines have no list. */
export function overdueDeadlines(deadlines: readonly Deadline[], compounds: CompoundView[], today: string): OverdueDeadline[] {
  return deadlines
    .filter((d) => d.scope !== 'phase' && d.date < today)
    .sort((a, b) => a.date.localeCompare(b.date))
    .map((deadline) => ({ deadline, left: outstandingFor(deadline.scope, compounds, today) }))
    .filter((o) => o.left.length > 0);
}
