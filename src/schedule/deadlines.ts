import type { CampaignDefinition } from '../campaign/schema.ts';

type Deadline = CampaignDefinition['deadlines'][number];
type Phase = CampaignDefinition['phases'][number];

/** Calendar days from `day` to `date` (both YYYY-MM-DD). */
export function daysBetween(day: string, date: string): number {
  const t = (s: string) => Date.UTC(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10)));
  return Math.round((t(date) - t(day)) / 86_400_000);
}

/** '还有3天', '今天到期', '已过2天'. */
export function daysLeftLabel(day: string, date: string): string {
  const n = daysBetween(day, date);
  return n > 0 ? `还有${n}天` : n === 0 ? '今天到期' : `已过${-n}天`;
}

/** The deadlines on or after `day`, in date order. */
export function upcomingDeadlines(deadlines: readonly Deadline[], day: string): Deadline[] {
  return deadlines.filter((d) => d.date >= day).sort((a, b) => a.date.localeCompare(b.date));
}

export type PhaseState = 'done' | 'current' | 'future';

/** Whether a phase is over, running or still ahead on `day`. */
export function phaseState(p: Phase, day: string): PhaseState {
  if (p.endsOn < day) return 'done';
  if (!p.startsOn || p.startsOn <= day) return 'current';
  return 'future';
}
