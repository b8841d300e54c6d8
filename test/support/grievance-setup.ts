import { chatIdOf, createTestBot, openIdOf, type TestBot } from './harness.ts';
import { type Sent, cardButtons } from './recording-messenger.ts';

/** A bot with the people and groups the grievance tests use. */
export async function grievanceBot(now = '2020-09-28T10:00:00+08:00'): Promise<TestBot> {
  const bot = await createTestBot({ now });
  await bot.bind('紫薇员', '社区 紫薇社区');
  await bot.bind('梅园员', '社区 梅园社区');
  await bot.bind('街道员', '街道');
  await bot.bind('领导甲', '领导');
  await bot.bind('监管员', '部门 区市场监管局');
  await bot.bind('住建员', '部门 区住建局');
  await bot.bindChat('市场监管局群', '区市场监管局');
  await bot.bindChat('专班群', '专班');
  await bot.bindChat('紫薇群', '紫薇社区');
  bot.messenger.clear();
  return bot;
}

/** Messages the bot sent into a group. */
export function toChat(sent: Sent[], chat: string): Sent[] {
  return sent.filter((s) => s.target === chatIdOf(chat));
}

/** Direct messages the bot sent to a person (not replies). */
export function toPerson(sent: Sent[], person: string): Sent[] {
  return sent.filter((s) => s.targetType === 'open_id' && s.target === openIdOf(person));
}

export function buttonOf(card: Record<string, unknown> | null, label: string): Record<string, unknown> {
  const b = cardButtons(card).find((x) => x.label === label);
  if (!b) throw new Error(`no button ${label} in ${JSON.stringify(cardButtons(card).map((x) => x.label))}`);
  return b.value;
}

export async function grievanceRow(bot: TestBot, code: string) {
  return bot.db.selectFrom('grievances').selectAll().where('code', '=', code).executeTakeFirstOrThrow();
}

export async function eventsOf(bot: TestBot, code: string) {
  const g = await grievanceRow(bot, code);
  return bot.db.selectFrom('grievance_events').selectAll().where('grievance_id', '=', g.id).orderBy('id').execute();
}

export async function auditOf(bot: TestBot, code: string) {
  return bot.db.selectFrom('audit_log').selectAll().where('entity', '=', 'grievance').where('entity_id', '=', code).orderBy('id').execute();
}
