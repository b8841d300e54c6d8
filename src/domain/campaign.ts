import type { Db } from '../db/connect.ts';
import { type CampaignDefinition, parseCampaign } from '../campaign/schema.ts';

export interface CampaignInfo {
  id: number;
  code: string;
  name: string;
  district: string;
  street: string;
  timezone: string;
  startsOn: string;
  endsOn: string;
  definition: CampaignDefinition;
}

/** The campaign the bot runs (the first imported one). */
export async function getActiveCampaign(db: Db): Promise<CampaignInfo> {
  const row = await db.selectFrom('campaigns').selectAll().orderBy('id').executeTakeFirst();
  if (!row) throw new Error('no campaign imported');
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    district: row.district,
    street: row.street,
    timezone: row.timezone,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    // Parsed again, so settings added since the campaign was imported get their defaults.
    definition: parseCampaign(JSON.parse(row.definition)),
  };
}

/** Whether any campaign has been imported into this database yet. */
export async function hasCampaign(db: Db): Promise<boolean> {
  return (await db.selectFrom('campaigns').select('id').executeTakeFirst()) !== undefined;
}

/** When a campaign was imported (ISO instant), or null if it does not exist. */
export async function campaignImportedAt(db: Db, campaignId: number): Promise<string | null> {
  const row = await db.selectFrom('campaigns').select('imported_at').where('id', '=', campaignId).executeTakeFirst();
  return row?.imported_at ?? null;
}

export interface CommunityInfo { id: number; name: string; aliases: string[] }

export async function listCommunities(db: Db, campaignId: number): Promise<CommunityInfo[]> {
  const rows = await db.selectFrom('communities').select(['id', 'name', 'aliases']).where('campaign_id', '=', campaignId).orderBy('ord').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, aliases: JSON.parse(r.aliases) as string[] }));
}

export interface DepartmentInfo { id: number; name: string; kind: string; aliases: string[] }

export async function listDepartments(db: Db, campaignId: number): Promise<DepartmentInfo[]> {
  const rows = await db.selectFrom('departments').select(['id', 'name', 'kind', 'aliases']).where('campaign_id', '=', campaignId).orderBy('ord').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, aliases: JSON.parse(r.aliases) as string[] }));
}

function canon(s: string): string {
  return s.normalize('NFKC').replace(/[\s、，,·.。]/g, '').toLowerCase();
}

/** Finds a community by name or alias, tolerant of a missing 社区 suffix and punctuation. */
export function findCommunityByName<T extends { name: string; aliases: string[] }>(list: T[], input: string): T | undefined {
  const q = canon(input);
  if (!q) return undefined;
  return (
    list.find((c) => canon(c.name) === q || c.aliases.some((a) => canon(a) === q)) ??
    list.find((c) => canon(c.name) === `${q}社区` || canon(c.name).replace(/社区$/, '') === q)
  );
}

/** Finds a department by name or alias (区 prefix optional). */
export function findDepartmentByName<T extends { name: string; aliases: string[] }>(list: T[], input: string): T | undefined {
  const q = canon(input);
  if (!q) return undefined;
  return list.find((d) => canon(d.name) === q || canon(d.name) === `区${q}` || d.aliases.some((a) => canon(a) === q));
}
