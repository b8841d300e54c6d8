import type { TestBot } from './harness.ts';
import { UPGRADE_ACTIONS } from '../../src/campaign/schema.ts';

/** Rows per INSERT: within SQLite's 32,766 bound variables and PostgreSQL's 65,535 for these tables. */
const CHUNK = 1000;

function chunks<T>(xs: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += CHUNK) out.push(xs.slice(i, i + CHUNK));
  return out;
}

/**
 * Adds `count` compounds to one community of the bot's campaign in one transaction, many rows per statement
 * (seconds for tens of thousands, on either database, where the campaign import would take much longer). Every
 * other one is an upgrade compound with its four actions; every third coverage compound has a takeover.
 */
export async function addManyCompounds(bot: TestBot, communityName: string, count: number): Promise<void> {
  const campaignId = bot.runtime.deps.campaign.id;
  await bot.db.transaction().execute(async (trx) => {
    const community = await trx.selectFrom('communities').select('id').where('campaign_id', '=', campaignId).where('name', '=', communityName).executeTakeFirstOrThrow();
    const { m } = await trx.selectFrom('compounds').select((eb) => eb.fn.coalesce(eb.fn.max('ord'), eb.lit(0)).as('m')).where('campaign_id', '=', campaignId).executeTakeFirstOrThrow();
    const ord0 = Number(m);
    const rows = Array.from({ length: count }, (_, i) => ({
      campaign_id: campaignId, community_id: community.id, name: `批量${i + 1}号小区`, track: (i % 2 ? 'upgrade' : 'coverage') as 'upgrade' | 'coverage', ord: ord0 + i + 1, category: null, updated_at: null,
    }));
    const ids: Array<{ id: number; track: string; i: number }> = [];
    for (const part of chunks(rows)) {
      const got = await trx.insertInto('compounds').values(part).returning(['id', 'ord']).execute();
      for (const g of got) {
        const i = Number(g.ord) - ord0 - 1;
        ids.push({ id: g.id, track: rows[i]!.track, i });
      }
    }
    const actions = ids.filter((x) => x.track === 'upgrade').flatMap((x) => UPGRADE_ACTIONS.map((a) => ({
      compound_id: x.id, action: a, state: '未开始', note: null, updated_at: null, updated_by: null, source_kind: null, source_ref: null,
    })));
    for (const part of chunks(actions)) await trx.insertInto('upgrade_actions').values(part).execute();
    const takeovers = ids.filter((x) => x.track === 'coverage' && x.i % 3 === 0).map((x) => ({
      compound_id: x.id, company: '鑫安物业', nature: '外聘' as const, start_date: '2020-09-10', services: '["保洁"]', manager: '王强', phone: '13905321234',
      remarks: null, recorded_at: '2020-09-10T02:00:00.000Z', recorded_by: 'ou_bulk', source_kind: 'message' as const, source_ref: null, source_chat: null, superseded_at: null,
    }));
    for (const part of chunks(takeovers)) await trx.insertInto('takeovers').values(part).execute();
  });
}
