import type { Db } from '../db/connect.ts';

export type UnitKind = 'community' | 'zhuanban' | 'leaders' | 'department' | 'street';

export const UNIT_LABELS: Record<UnitKind, string> = {
  community: '社区',
  zhuanban: '专班',
  leaders: '领导小组',
  department: '部门',
  street: '街道',
};

export interface ChatBinding {
  chatId: string;
  unitKind: UnitKind;
  communityId: number | null;
  departmentId: number | null;
  /** The unit's display name: the community or department name, or 专班 / 领导小组. */
  unitName: string;
}

const selectBinding = (db: Db) =>
  db
    .selectFrom('bound_chats')
    .leftJoin('communities', 'communities.id', 'bound_chats.community_id')
    .leftJoin('departments', 'departments.id', 'bound_chats.department_id')
    .select([
      'bound_chats.chat_id', 'bound_chats.unit_kind', 'bound_chats.community_id', 'bound_chats.department_id',
      'communities.name as community_name', 'departments.name as department_name',
    ])
    .where('bound_chats.revoked_at', 'is', null);

type BindingRow = { chat_id: string; unit_kind: string; community_id: number | null; department_id: number | null; community_name: string | null; department_name: string | null };

function toBinding(r: BindingRow): ChatBinding {
  const kind = r.unit_kind as UnitKind;
  return {
    chatId: r.chat_id,
    unitKind: kind,
    communityId: r.community_id,
    departmentId: r.department_id,
    unitName: r.community_name ?? r.department_name ?? UNIT_LABELS[kind],
  };
}

export async function findChatBinding(db: Db, chatId: string): Promise<ChatBinding | null> {
  const r = await selectBinding(db).where('bound_chats.chat_id', '=', chatId).orderBy('bound_chats.id', 'desc').executeTakeFirst();
  return r ? toBinding(r) : null;
}

/** The working groups of a unit (usually one). */
export async function chatsOfUnit(db: Db, unit: { kind: UnitKind; communityId?: number; departmentId?: number }): Promise<ChatBinding[]> {
  let q = selectBinding(db).where('bound_chats.unit_kind', '=', unit.kind);
  if (unit.communityId !== undefined) q = q.where('bound_chats.community_id', '=', unit.communityId);
  if (unit.departmentId !== undefined) q = q.where('bound_chats.department_id', '=', unit.departmentId);
  return (await q.orderBy('bound_chats.id').execute()).map(toBinding);
}

/** Makes this chat the working group of a unit, replacing the chat's earlier binding. */
export async function bindChat(
  db: Db,
  args: { chatId: string; chatName: string | null; unitKind: UnitKind; communityId: number | null; departmentId: number | null; by: string; at: string },
): Promise<void> {
  await db.updateTable('bound_chats').set({ revoked_at: args.at }).where('chat_id', '=', args.chatId).where('revoked_at', 'is', null).execute();
  await db
    .insertInto('bound_chats')
    .values({
      chat_id: args.chatId, chat_name: args.chatName, unit_kind: args.unitKind, community_id: args.communityId,
      department_id: args.departmentId, bound_by: args.by, bound_at: args.at, revoked_at: null,
    })
    .execute();
}
