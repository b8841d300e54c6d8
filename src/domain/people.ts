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

/** The display names the bot has learnt for open_ids and chat ids (from bindings), for showing ids as names. */
export async function knownNames(db: Db): Promise<{ people: { openId: string; name: string }[]; chats: { chatId: string; name: string }[] }> {
  const people = await db.selectFrom('role_bindings').select(['open_id', 'display_name']).where('display_name', 'is not', null).orderBy('id').execute();
  const chats = await db.selectFrom('bound_chats').select(['chat_id', 'chat_name']).where('chat_name', 'is not', null).orderBy('id').execute();
  return {
    people: people.map((p) => ({ openId: p.open_id, name: p.display_name! })),
    chats: chats.map((c) => ({ chatId: c.chat_id, name: c.chat_name! })),
  };
}

/**
 * Whom an unbound person should ask: the bound admins by name, and the admins of ADMIN_OPEN_IDS whose name the bot
 * has never learnt as a mention (Lark shows the person's name for it). At most three, in binding order.
 */
export async function adminContacts(db: Db, configAdminIds: readonly string[]): Promise<string> {
  const rows = await db
    .selectFrom('role_bindings')
    .select(['open_id', 'display_name'])
    .where('role', '=', 'admin')
    .where('revoked_at', 'is', null)
    .orderBy('id')
    .execute();
  const named = rows.filter((r) => r.display_name).map((r) => ({ openId: r.open_id, name: r.display_name! }));
  const known = new Map((await db.selectFrom('role_bindings').select(['open_id', 'display_name']).where('open_id', 'in', configAdminIds.length ? [...configAdminIds] : ['']).where('display_name', 'is not', null).execute()).map((r) => [r.open_id, r.display_name!]));
  const out: string[] = named.map((p) => p.name);
  for (const id of configAdminIds) {
    if (named.some((p) => p.openId === id)) continue;
    out.push(known.has(id) ? known.get(id)! : textMention(id, '管理员'));
  }
  return [...new Set(out)].slice(0, 3).join('、');
}
