import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import { type CompoundView, isCovered, isUpgradeDone } from './compounds.ts';
import { onCompoundState } from './compound-state-cache.ts';

/**
 * "Incomplete" has one meaning everywhere (prompt card, 报送, 待办, the 15:00 summary, 进度): a compound whose
 * 调度表 row still lacks something, by the rule in `compoundGaps`. `countIncomplete` is the same rule in SQL
 * for 进度 at city scale; a test holds the two together.
 */
const TAKEOVER_FIELDS = ['物业企业', '物业管理性质', '入驻时间', '服务内容', '负责人', '联系电话'];

/** What a takeover needs before it can be recorded at all: the nature, the start date, and for 外聘 the company. */
export function takeoverRequirements(t: { nature?: '自主' | '外聘' | null; startDate?: string | null; company?: string | null }): string[] {
  const out: string[] = [];
  if (!t.nature) out.push('管理性质（自主或外聘）');
  if (!t.startDate) out.push('入驻时间');
  if (t.nature === '外聘' && !t.company?.trim()) out.push('物业企业名称（外聘须填写）');
  return out;
}

/** The fields of the 调度表 row a compound still lacks, as short Chinese labels (company, nature, date, …, 类别). */
export function compoundGaps(c: CompoundView): string[] {
  const gaps: string[] = [];
  const t = c.takeover;
  if (!t) gaps.push(...TAKEOVER_FIELDS);
  else {
    if (!t.company && t.nature === '外聘') gaps.push('物业企业');
    if (!t.services.length) gaps.push('服务内容');
    if (!t.manager) gaps.push('负责人');
    if (!t.phone) gaps.push('联系电话');
  }
  if (c.category === null) gaps.push('类别');
  return gaps;
}

/**
 * The same gaps condensed for a summary: a compound with no takeover record counts once, as `未入驻` (coverage)
 * or `物业信息未录入` (upgrade), instead of once per missing field.
 */
export function summaryGaps(c: CompoundView): string[] {
  if (c.takeover) return compoundGaps(c);
  return [c.track === 'coverage' ? '未入驻' : '物业信息未录入', ...(c.category === null ? ['类别'] : [])];
}

export function isIncomplete(c: CompoundView): boolean {
  return compoundGaps(c).length > 0;
}

/** How many compounds (of the campaign, or of one community) are incomplete by `compoundGaps`' rule, counted in SQL. */
export function countIncomplete(db: Db, campaignId: number, communityId?: number): Promise<number> {
  // Compound state only: reused until a takeover or category changes (src/domain/compound-state-cache.ts).
  return onCompoundState(db, `incomplete|${campaignId}|${communityId ?? '*'}`, () => computeIncomplete(db, campaignId, communityId));
}

async function computeIncomplete(db: Db, campaignId: number, communityId?: number): Promise<number> {
  const blank = (col: string) => sql`(${sql.ref(col)} IS NULL OR ${sql.ref(col)} = '')`;
  let q = db
    .selectFrom('compounds')
    .leftJoin('takeovers', (j) => j.onRef('takeovers.compound_id', '=', 'compounds.id').on('takeovers.superseded_at', 'is', null))
    .select(sql<number>`SUM(CASE WHEN compounds.category IS NULL OR takeovers.id IS NULL
      OR (takeovers.nature = '外聘' AND ${blank('takeovers.company')})
      OR takeovers.services = '[]' OR ${blank('takeovers.manager')} OR ${blank('takeovers.phone')}
      THEN 1 ELSE 0 END)`.as('n'))
    .where('compounds.campaign_id', '=', campaignId);
  if (communityId !== undefined) q = q.where('compounds.community_id', '=', communityId);
  const r = await q.executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** The upgrade actions of a compound that are not 已完成. */
export function unfinishedActions(c: CompoundView): string[] {
  return Object.entries(c.actions ?? {}).filter(([, s]) => s !== '已完成').map(([a]) => a);
}

/** The compounds still outstanding for a deadline's scope (a phase deadline has no compound list). */
export function outstandingFor(scope: 'phase' | 'coverage' | 'upgrade', compounds: CompoundView[], today: string): CompoundView[] {
  if (scope === 'coverage') return compounds.filter((c) => c.track === 'coverage' && !isCovered(c, today));
  if (scope === 'upgrade') return compounds.filter((c) => c.track === 'upgrade' && !isUpgradeDone(c));
  return [];
}

/** One compound as it is named in an outstanding list: upgrade compounds with their unfinished actions. */
export function outstandingLabel(c: CompoundView): string {
  if (c.track !== 'upgrade') return c.name;
  const left = unfinishedActions(c);
  return left.length === 4 ? `${c.name}（4项均未完成）` : `${c.name}（${left.join('、')}未完成）`;
}

/** Groups compounds by community, keeping the notice's order. */
export function byCommunity(compounds: CompoundView[]): { communityId: number; community: string; compounds: CompoundView[] }[] {
  const out: { communityId: number; community: string; compounds: CompoundView[] }[] = [];
  const index = new Map<number, (typeof out)[number]>();
  for (const c of compounds) {
    let g = index.get(c.communityId);
    if (!g) {
      out.push((g = { communityId: c.communityId, community: c.community, compounds: [] }));
      index.set(c.communityId, g);
    }
    g.compounds.push(c);
  }
  return out;
}
