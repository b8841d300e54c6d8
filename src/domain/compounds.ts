import type { ExpressionBuilder } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Database } from '../db/schema.ts';
import { UPGRADE_ACTIONS } from '../campaign/schema.ts';

export type ActionState = '未开始' | '进行中' | '已完成';

/** What a takeover says: the fields of the 调度表 and of /api/v1/compounds. */
export interface TakeoverFields {
  company: string | null;
  nature: '自主' | '外聘';
  startDate: string;
  services: string[];
  manager: string | null;
  phone: string | null;
  remarks: string | null;
}

export interface TakeoverView extends TakeoverFields {
  id: number;
  recordedAt: string;
  recordedBy: string;
}

export interface CompoundView {
  id: number;
  name: string;
  aliases: string[];
  communityId: number;
  community: string;
  track: 'coverage' | 'upgrade';
  ord: number;
  category: 1 | 2 | 3 | null;
  takeover: TakeoverView | null;
  actions: Record<string, ActionState> | null;
}

export interface CompoundFilter {
  communityId?: number;
  /** Only these compounds (a page of a list: a bounded number). */
  ids?: readonly number[];
}

/**
 * Every compound of the campaign in the notice's order (community order, then the 附件3 compounds before the
 * 附件4 ones), with its current takeover and action states.
 */
export async function listCompounds(db: Db, campaignId: number, filter: CompoundFilter = {}): Promise<CompoundView[]> {
  let q = db
    .selectFrom('compounds')
    .innerJoin('communities', 'communities.id', 'compounds.community_id')
    .select([
      'compounds.id', 'compounds.name', 'compounds.track', 'compounds.ord', 'compounds.category',
      'compounds.community_id', 'communities.name as community', 'communities.ord as community_ord',
    ])
    .where('compounds.campaign_id', '=', campaignId);
  if (filter.communityId !== undefined) q = q.where('compounds.community_id', '=', filter.communityId);
  if (filter.ids) q = q.where('compounds.id', 'in', filter.ids.length ? [...filter.ids] : [-1]);
  const rows = await q.execute();
  // The related rows are selected by a subquery over the same compounds, never by a bound list of their ids
  // (SQLite's limit of 32,766 bound values, reached by a city of 100,000 compounds).
  const inScope = (eb: ExpressionBuilder<Database, 'takeovers' | 'upgrade_actions' | 'compound_aliases'>) => {
    let s = eb.selectFrom('compounds').select('compounds.id').where('compounds.campaign_id', '=', campaignId);
    if (filter.communityId !== undefined) s = s.where('compounds.community_id', '=', filter.communityId);
    if (filter.ids) s = s.where('compounds.id', 'in', filter.ids.length ? [...filter.ids] : [-1]);
    return s;
  };
  const takeovers = rows.length
    ? await db.selectFrom('takeovers').selectAll().where('superseded_at', 'is', null).where('compound_id', 'in', inScope).execute()
    : [];
  const actions = rows.some((r) => r.track === 'upgrade')
    ? await db.selectFrom('upgrade_actions').select(['compound_id', 'action', 'state']).where('compound_id', 'in', inScope).execute()
    : [];
  const aliases = rows.length
    ? await db.selectFrom('compound_aliases').select(['compound_id', 'alias']).where('compound_id', 'in', inScope).orderBy('id').execute()
    : [];
  const takeoverBy = new Map(takeovers.map((t) => [t.compound_id, t]));
  const actionsBy = new Map<number, Record<string, ActionState>>();
  for (const a of actions) {
    const m = actionsBy.get(a.compound_id) ?? {};
    m[a.action] = a.state as ActionState;
    actionsBy.set(a.compound_id, m);
  }
  const aliasesBy = new Map<number, string[]>();
  for (const a of aliases) aliasesBy.set(a.compound_id, [...(aliasesBy.get(a.compound_id) ?? []), a.alias]);

  const trackOrder = (t: string) => (t === 'upgrade' ? 0 : 1);
  rows.sort((a, b) => a.community_ord - b.community_ord || trackOrder(a.track) - trackOrder(b.track) || a.ord - b.ord);
  return rows.map((r) => {
    const t = takeoverBy.get(r.id);
    const acts = actionsBy.get(r.id);
    return {
      id: r.id,
      name: r.name,
      aliases: aliasesBy.get(r.id) ?? [],
      communityId: r.community_id,
      community: r.community,
      track: r.track,
      ord: r.ord,
      category: (r.category ?? null) as 1 | 2 | 3 | null,
      takeover: t
        ? {
            id: t.id,
            company: t.company,
            nature: t.nature,
            startDate: t.start_date,
            services: JSON.parse(t.services) as string[],
            manager: t.manager,
            phone: t.phone,
            remarks: t.remarks,
            recordedAt: t.recorded_at,
            recordedBy: t.recorded_by,
          }
        : null,
      actions:
        r.track === 'upgrade'
          ? Object.fromEntries(UPGRADE_ACTIONS.map((a) => [a, acts?.[a] ?? '未开始'])) as Record<string, ActionState>
          : null,
    };
  });
}

/** A coverage compound counts as covered when its takeover started on or before the as-of date. */
export function isCovered(c: CompoundView, asOfDate: string): boolean {
  return c.takeover !== null && c.takeover.startDate <= asOfDate;
}

/** An upgrade compound is done when all four actions are 已完成. */
export function isUpgradeDone(c: CompoundView): boolean {
  return c.actions !== null && Object.values(c.actions).every((s) => s === '已完成');
}
