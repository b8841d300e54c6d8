import path from 'node:path';
import { openDatabase } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { migrations } from '../migrations/index.ts';
import { loadCampaignFile } from '../src/campaign/load.ts';
import { type CampaignDefinition, UPGRADE_ACTIONS, parseCampaign } from '../src/campaign/schema.ts';
import { importCampaign } from '../src/domain/campaign-import.ts';

export interface CitySize {
  communities: number;
  compounds: number;
  grievances: number;
}

export const CITY: CitySize = { communities: 100, compounds: 10_000, grievances: 200_000 };

/** A deterministic generator, so every bench run builds the same city. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A city-sized campaign definition: the notice's departments, rules, people and schedule, many more places. */
export function cityCampaign(size: CitySize = CITY): CampaignDefinition {
  const base = loadCampaignFile();
  const communities = Array.from({ length: size.communities }, (_, i) => ({ name: `第${i + 1}社区`, aliases: [] as string[] }));
  const compounds = Array.from({ length: size.compounds }, (_, i) => ({
    name: `第${(i % size.communities) + 1}社区${Math.floor(i / size.communities) + 1}号小区`,
    community: communities[i % size.communities]!.name,
    track: (i % 2 === 0 ? 'coverage' : 'upgrade') as 'coverage' | 'upgrade',
    aliases: [] as string[],
  }));
  return parseCampaign({ ...base, code: 'city-bench', name: `${base.name}（城市规模压测）`, communities, compounds });
}

/**
 * Builds a SQLite file for the city: real migrations and campaign import, then takeovers for about 60 % of the
 * coverage compounds, action states for the upgrade ones, and the grievances (inserted in bulk).
 */
export async function buildCityDatabase(dir: string, size: CitySize = CITY): Promise<{ file: string; seconds: number }> {
  const t0 = performance.now();
  const file = path.join(dir, 'city.db');
  const opened = openDatabase(file);
  await migrateToLatest(opened.db, migrations);
  const def = cityCampaign(size);
  const { campaignId } = await importCampaign(opened.db, def, new Date('2020-09-01T01:00:00Z'));
  const rand = seeded(20201001);
  const s = opened.sqlite;
  const compounds = s.prepare('SELECT id, track FROM compounds WHERE campaign_id = ? ORDER BY id').all(campaignId) as { id: number; track: string }[];
  const departments = (s.prepare('SELECT id FROM departments WHERE campaign_id = ?').all(campaignId) as { id: number }[]).map((d) => d.id);
  const insertTakeover = s.prepare(
    `INSERT INTO takeovers (compound_id, company, nature, start_date, services, manager, phone, remarks, recorded_at, recorded_by, source_kind, source_ref, source_chat, superseded_at)
     VALUES (?, ?, ?, ?, '["保洁","保安"]', '王强', '13905321234', NULL, '2020-09-20T02:00:00.000Z', 'ou_bench', 'message', NULL, NULL, NULL)`,
  );
  const setAction = s.prepare('UPDATE upgrade_actions SET state = ? WHERE compound_id = ? AND action = ?');
  const insertGrievance = s.prepare(
    `INSERT INTO grievances (code, compound_id, text, kind, department_id, rule_code, status, result, created_at, created_by, source_chat, source_ref, accepted_at, resolved_at, accept_due_at, resolve_due_at, updated_at)
     VALUES (?, ?, ?, '投诉', ?, NULL, ?, ?, ?, 'ou_bench', NULL, NULL, NULL, ?, ?, ?, NULL)`,
  );
  const statuses = ['待受理', '处理中', '已办结', '已办结', '已办结', '已转办'];
  s.transaction(() => {
    for (const c of compounds) {
      if (c.track === 'coverage' && rand() < 0.6) {
        const day = 1 + Math.floor(rand() * 28);
        insertTakeover.run(c.id, `鑫安${c.id}物业`, rand() < 0.8 ? '外聘' : '自主', `2020-09-${String(day).padStart(2, '0')}`);
      }
      if (c.track === 'upgrade') {
        for (const a of UPGRADE_ACTIONS) setAction.run(['未开始', '进行中', '已完成'][Math.floor(rand() * 3)]!, c.id, a);
      }
    }
    for (let i = 0; i < size.grievances; i++) {
      const c = compounds[Math.floor(rand() * compounds.length)]!;
      const status = statuses[Math.floor(rand() * statuses.length)]!;
      const day = 1 + Math.floor(rand() * 27);
      const created = `2020-09-${String(day).padStart(2, '0')}T02:00:00.000Z`;
      insertGrievance.run(
        `T${String(i + 1).padStart(6, '0')}`, c.id, '楼道灯坏了，请尽快维修', departments[i % departments.length]!, status,
        status === '已办结' ? '已修复' : null, created, status === '已办结' ? created : null,
        `2020-09-${String(day + 1).padStart(2, '0')}T10:00:00.000Z`, `2020-09-${String(Math.min(day + 5, 30)).padStart(2, '0')}T10:00:00.000Z`,
      );
    }
  })();
  await opened.close();
  return { file, seconds: (performance.now() - t0) / 1000 };
}
