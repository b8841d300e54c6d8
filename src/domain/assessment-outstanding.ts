/** What is still unassessed, in words: for the quarterly reminder and for the deadline reminders. */
import type { Db } from '../db/connect.ts';
import type { AfterCoverageSettings } from '../campaign/after-coverage.ts';
import { afterCoverageSettings } from '../campaign/after-coverage.ts';
import type { AssessmentKind } from '../campaign/after-coverage-schema.ts';
import { quarterOf } from '../calendar/quarters.ts';
import type { CampaignInfo } from './campaign.ts';
import { ONCE, periodLabel, unassessed } from './assessments.ts';

/** Groups items by community, keeping their order. */
export function groupByCommunity<T extends { communityId: number; community: string }>(items: T[]): { community: string; items: T[] }[] {
  const groups: { community: string; items: T[] }[] = [];
  const by = new Map<number, { community: string; items: T[] }>();
  for (const x of items) {
    let g = by.get(x.communityId);
    if (!g) {
      g = { community: x.community, items: [] };
      by.set(x.communityId, g);
      groups.push(g);
    }
    g.items.push(x);
  }
  return groups;
}

/** '- 梅园社区（3）：福源公寓、建行宿舍、安居小区' lines. */
export function unassessedLines(compounds: { communityId: number; community: string; name: string }[]): string[] {
  return groupByCommunity(compounds).map((g) => `- ${g.community}（${g.items.length}）：${g.items.map((c) => c.name).join('、')}`);
}

export interface KindOutstanding {
  kind: AssessmentKind;
  period: string;
  street: boolean;
  compounds: { id: number; name: string; communityId: number; community: string }[];
}

export async function kindOutstanding(db: Db, campaign: CampaignInfo, settings: AfterCoverageSettings, kind: AssessmentKind, period: string, today: string): Promise<KindOutstanding> {
  const u = await unassessed(db, campaign.id, settings, kind, period, today);
  return { kind, period, street: u.street, compounds: u.compounds.map((c) => ({ id: c.id, name: c.name, communityId: c.communityId, community: c.community })) };
}

/**
 * Lines for a deadline's reminder: each assessment kind due by that deadline, with what is still unassessed
 * for the period the deadline falls in. Empty when no kind names the deadline.
 */
export async function deadlineAssessmentLines(db: Db, campaign: CampaignInfo, deadline: { code: string; date: string }, today: string): Promise<string[]> {
  const settings = afterCoverageSettings(campaign.definition);
  const out: string[] = [];
  for (const kind of settings.assessment.kinds.filter((k) => k.deadline === deadline.code)) {
    const period = kind.period === 'quarter' ? quarterOf(deadline.date) : ONCE;
    const o = await kindOutstanding(db, campaign, settings, kind, period, today);
    const label = periodLabel(kind, period);
    if (kind.subject === 'street') out.push(o.street ? `${label}：${campaign.street}尚未考核。` : `${label}：已完成。`);
    else if (o.compounds.length) out.push(`${label}尚未考核 ${o.compounds.length} 个小区：`, ...unassessedLines(o.compounds));
    else out.push(`${label}：应考核的小区已全部考核。`);
  }
  return out;
}
