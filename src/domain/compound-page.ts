import { type SqlBool, sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import { type CompoundView, listCompounds } from './compounds.ts';

/** The filters of 小区列表, each a condition on a compound and its current takeover. */
export type CompoundListFilter = 'uncovered' | 'covered' | 'incomplete' | 'upgrade' | 'coverage';

const blank = (col: string) => sql`(${sql.ref(col)} IS NULL OR ${sql.ref(col)} = '')`;

function condition(f: CompoundListFilter, today: string) {
  switch (f) {
    case 'uncovered':
      return sql<SqlBool>`(compounds.track = 'coverage' AND (takeovers.id IS NULL OR takeovers.start_date > ${today}))`;
    case 'covered':
      return sql<SqlBool>`(compounds.track = 'coverage' AND takeovers.id IS NOT NULL AND takeovers.start_date <= ${today})`;
    // compoundGaps' rule (src/domain/gaps.ts), as countIncomplete counts it.
    case 'incomplete':
      return sql<SqlBool>`(compounds.category IS NULL OR takeovers.id IS NULL
        OR (takeovers.nature = '外聘' AND ${blank('takeovers.company')})
        OR takeovers.services = '[]' OR ${blank('takeovers.manager')} OR ${blank('takeovers.phone')})`;
    case 'upgrade':
      return sql<SqlBool>`(compounds.track = 'upgrade')`;
    case 'coverage':
      return sql<SqlBool>`(compounds.track = 'coverage')`;
  }
}

/**
 * The first `limit` compounds in scope that pass every filter, in the notice's order (community, the 附件3
 * compounds before the 附件4 ones, then their order), with how many pass in all and per community: a list of a
 * city's 100,000 compounds reads one page of rows, never the whole table.
 */
export async function compoundListPage(
  db: Db, campaignId: number, o: { communityId?: number; filters: CompoundListFilter[]; today: string; limit: number },
): Promise<{ total: number; perCommunity: Map<number, number>; compounds: CompoundView[] }> {
  const base = () => {
    let q = db
      .selectFrom('compounds')
      .innerJoin('communities', 'communities.id', 'compounds.community_id')
      .leftJoin('takeovers', (j) => j.onRef('takeovers.compound_id', '=', 'compounds.id').on('takeovers.superseded_at', 'is', null))
      .where('compounds.campaign_id', '=', campaignId);
    if (o.communityId !== undefined) q = q.where('compounds.community_id', '=', o.communityId);
    for (const f of o.filters) q = q.where(condition(f, o.today));
    return q;
  };
  const counts = await base().select(['compounds.community_id', sql<number>`COUNT(*)`.as('n')]).groupBy('compounds.community_id').execute();
  const perCommunity = new Map(counts.map((r) => [r.community_id, Number(r.n)]));
  const total = [...perCommunity.values()].reduce((a, b) => a + b, 0);
  const page = await base()
    .select('compounds.id')
    .orderBy('communities.ord')
    .orderBy(sql`CASE WHEN compounds.track = 'upgrade' THEN 0 ELSE 1 END`)
    .orderBy('compounds.ord')
    .limit(o.limit)
    .execute();
  const compounds = page.length ? await listCompounds(db, campaignId, { communityId: o.communityId, ids: page.map((r) => r.id) }) : [];
  return { total, perCommunity, compounds };
}
