import type { Db } from '../db/connect.ts';
import type { MatchableCompound } from '../understanding/compound-matcher.ts';

export interface CompoundRef {
  id: number;
  name: string;
  communityId: number;
  community: string;
  track: 'coverage' | 'upgrade';
  category: 1 | 2 | 3 | null;
}

/** Every compound of the campaign with its aliases, in the notice's order, for the matcher. */
export async function loadMatchableCompounds(db: Db, campaignId: number): Promise<MatchableCompound[]> {
  const rows = await db
    .selectFrom('compounds')
    .innerJoin('communities', 'communities.id', 'compounds.community_id')
    .select(['compounds.id', 'compounds.name', 'compounds.community_id', 'communities.name as community'])
    .where('compounds.campaign_id', '=', campaignId)
    .orderBy('communities.ord')
    .orderBy('compounds.track', 'desc')
    .orderBy('compounds.ord')
    .execute();
  const aliases = await db
    .selectFrom('compound_aliases')
    .innerJoin('compounds', 'compounds.id', 'compound_aliases.compound_id')
    .select(['compound_aliases.compound_id', 'compound_aliases.alias'])
    .where('compounds.campaign_id', '=', campaignId)
    .orderBy('compound_aliases.id')
    .execute();
  const by = new Map<number, string[]>();
  for (const a of aliases) by.set(a.compound_id, [...(by.get(a.compound_id) ?? []), a.alias]);
  return rows.map((r) => ({ id: r.id, name: r.name, aliases: by.get(r.id) ?? [], community: r.community, communityId: r.community_id }));
}

export async function getCompound(db: Db, campaignId: number, id: number): Promise<CompoundRef | null> {
  const r = await db
    .selectFrom('compounds')
    .innerJoin('communities', 'communities.id', 'compounds.community_id')
    .select(['compounds.id', 'compounds.name', 'compounds.community_id', 'compounds.track', 'compounds.category', 'communities.name as community'])
    .where('compounds.id', '=', id)
    .where('compounds.campaign_id', '=', campaignId)
    .executeTakeFirst();
  if (!r) return null;
  return { id: r.id, name: r.name, communityId: r.community_id, community: r.community, track: r.track, category: (r.category ?? null) as 1 | 2 | 3 | null };
}

/** A compound's task track; throws if there is no such compound. */
export async function compoundTrack(db: Db, compoundId: number): Promise<string> {
  const row = await db.selectFrom('compounds').select('track').where('id', '=', compoundId).executeTakeFirstOrThrow();
  return row.track;
}
