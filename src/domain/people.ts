import type { Db } from '../db/connect.ts';
import { textMention } from '../text/text-markup.ts';

/** A bound person the bot can @-mention. */
export interface BoundPerson {
  openId: string;
  name: string | null;
}

/** The staff bound to a community (role 社区 with that community). */
export async function communityStaff(db: Db, communityId: number): Promise<BoundPerson[]> {
  const rows = await db
    .selectFrom('role_bindings')
    .select(['open_id', 'display_name'])
    .where('role', '=', 'community')
    .where('community_id', '=', communityId)
    .where('revoked_at', 'is', null)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ openId: r.open_id, name: r.display_name }));
}

/**
 * The people behind a responsible name of the campaign (e.g. the street's 责任人): bound users with that display
 * name, else the street-role users. Empty when nobody is bound; callers then write the name as plain text.
 */
export async function responsiblePeople(db: Db, name: string): Promise<BoundPerson[]> {
  const base = db.selectFrom('role_bindings').select(['open_id', 'display_name']).where('revoked_at', 'is', null).orderBy('id');
  const byName = await base.where('display_name', '=', name).execute();
  const rows = byName.length ? byName : await base.where('role', '=', 'street').execute();
  return rows.map((r) => ({ openId: r.open_id, name: r.display_name }));
}

/**
 * Mentions for a text message; they become `<at user_id="ou_x">姓名</at>` when the text is sent (and only the
 * bot's own mentions do: see src/text/text-markup.ts).
 */
export function textMentions(people: BoundPerson[], fallbackName = ''): string {
  if (!people.length) return fallbackName;
  return people.map((p) => textMention(p.openId, p.name ?? '')).join(' ');
}

/** Mentions for card markdown: `<at id=ou_x></at>`. */
export function cardMentions(people: BoundPerson[], fallbackName = ''): string {
  if (!people.length) return fallbackName;
  return people.map((p) => `<at id=${p.openId}></at>`).join(' ');
}
