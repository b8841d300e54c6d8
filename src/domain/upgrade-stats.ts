import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import { UPGRADE_ACTIONS } from '../campaign/schema.ts';
import { onCompoundState } from './compound-state-cache.ts';

export interface ActionStat {
  action: string;
  done: number;
  doing: number;
  todo: number;
}

/**
 * How far each 攻坚行动 has got across the upgrade compounds (of one community, or all): one aggregate query,
 * so it stays cheap at city scale, and reused until compound state changes. A compound with no row for an action
 * counts as 未开始.
 */
export function upgradeActionStats(db: Db, campaignId: number, scope: { communityId?: number } = {}): Promise<ActionStat[]> {
  return onCompoundState(db, `upgrade-actions|${campaignId}|${scope.communityId ?? '*'}`, () => computeActionStats(db, campaignId, scope));
}

async function computeActionStats(db: Db, campaignId: number, scope: { communityId?: number }): Promise<ActionStat[]> {
  let totalQ = db
    .selectFrom('compounds')
    .select(sql<number>`COUNT(*)`.as('n'))
    .where('campaign_id', '=', campaignId)
    .where('track', '=', 'upgrade');
  if (scope.communityId !== undefined) totalQ = totalQ.where('community_id', '=', scope.communityId);
  const total = Number((await totalQ.executeTakeFirst())?.n ?? 0);

  let q = db
    .selectFrom('upgrade_actions')
    .innerJoin('compounds', 'compounds.id', 'upgrade_actions.compound_id')
    .select(['upgrade_actions.action', 'upgrade_actions.state', sql<number>`COUNT(*)`.as('n')])
    .where('compounds.campaign_id', '=', campaignId)
    .where('compounds.track', '=', 'upgrade')
    .groupBy(['upgrade_actions.action', 'upgrade_actions.state']);
  if (scope.communityId !== undefined) q = q.where('compounds.community_id', '=', scope.communityId);
  const rows = await q.execute();
  return UPGRADE_ACTIONS.map((action) => {
    const count = (state: string) => Number(rows.find((r) => r.action === action && r.state === state)?.n ?? 0);
    const done = count('已完成');
    const doing = count('进行中');
    return { action, done, doing, todo: Math.max(0, total - done - doing) };
  });
}
