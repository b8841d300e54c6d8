import type { TestBot } from './harness.ts';
import { UPGRADE_ACTIONS } from '../../src/campaign/schema.ts';

/**
 * Adds `count` compounds to one community of the bot's campaign, straight into SQLite in one transaction with
 * prepared statements (seconds for tens of thousands, where the campaign import would take much longer). Every
 * other one is an upgrade compound with its four actions; every third coverage compound has a takeover.
 */
export function addManyCompounds(bot: TestBot, communityName: string, count: number): void {
  const s = bot.database.sqlite;
  const campaignId = bot.runtime.deps.campaign.id;
  const community = s.prepare('SELECT id FROM communities WHERE campaign_id = ? AND name = ?').get(campaignId, communityName) as { id: number };
  const ord0 = (s.prepare('SELECT COALESCE(MAX(ord), 0) AS m FROM compounds WHERE campaign_id = ?').get(campaignId) as { m: number }).m;
  const compound = s.prepare("INSERT INTO compounds (campaign_id, community_id, name, track, ord, category, updated_at) VALUES (?, ?, ?, ?, ?, NULL, NULL)");
  const action = s.prepare("INSERT INTO upgrade_actions (compound_id, action, state, note, updated_at, updated_by, source_kind, source_ref) VALUES (?, ?, '未开始', NULL, NULL, NULL, NULL, NULL)");
  const takeover = s.prepare(
    `INSERT INTO takeovers (compound_id, company, nature, start_date, services, manager, phone, remarks, recorded_at, recorded_by, source_kind, source_ref, source_chat, superseded_at)
     VALUES (?, '鑫安物业', '外聘', '2020-09-10', '["保洁"]', '王强', '13905321234', NULL, '2020-09-10T02:00:00.000Z', 'ou_bulk', 'message', NULL, NULL, NULL)`,
  );
  s.transaction(() => {
    for (let i = 0; i < count; i++) {
      const track = i % 2 ? 'upgrade' : 'coverage';
      const id = Number(compound.run(campaignId, community.id, `批量${i + 1}号小区`, track, ord0 + i + 1).lastInsertRowid);
      if (track === 'upgrade') for (const a of UPGRADE_ACTIONS) action.run(id, a);
      else if (i % 3 === 0) takeover.run(id);
    }
  })();
}
