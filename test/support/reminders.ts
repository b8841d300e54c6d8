import { chatIdOf, openIdOf, type TestBot } from './harness.ts';
import type { Sent } from './recording-messenger.ts';

export const GROUPS = ['梅园社区群', '紫薇社区群', '丰泽社区群', '东西鲁社区群', '专班群', '领导小组群'] as const;

/**
 * Two community groups (梅园, 紫薇) and the 专班 group bound; 丰泽 and 东、西鲁 have no group. Staff: 张三 (梅园),
 * 李四 (紫薇), and 郭振华, the street's responsible person, bound to the street.
 */
export async function setUpReminderUnits(bot: TestBot): Promise<void> {
  await bot.bindChat('梅园社区群', '梅园社区');
  await bot.bindChat('紫薇社区群', '紫薇社区');
  await bot.bindChat('专班群', '专班');
  await bot.bind('张三', '社区 梅园社区');
  await bot.bind('李四', '社区 紫薇社区');
  await bot.bind('郭振华', '街道');
  bot.messenger.clear();
}

/** The people setUpReminderUnits binds: direct messages to them show their name. */
export const PEOPLE = ['张三', '李四', '郭振华'] as const;

const names = new Map<string, string>([...GROUPS.map((g) => [chatIdOf(g), g] as const), ...PEOPLE.map((p) => [openIdOf(p), p] as const)]);

/** `purpose → group` (or `→ person` for a direct message) for the scheduled sends in a list (replies are left out). */
export function scheduledSends(sent: Sent[]): string[] {
  return sent.filter((s) => s.op === 'send').map((s) => `${s.purpose} → ${names.get(s.target) ?? s.target}`);
}

/** Moves the clock to `iso`, runs what is due and sends it. */
export async function tickAt(bot: TestBot, iso: string): Promise<Sent[]> {
  const before = bot.messenger.sent.length;
  bot.clock.set(iso);
  await bot.runtime.tick();
  await bot.runtime.settle();
  return bot.messenger.sent.slice(before);
}

/** Beijing wall-clock label of an instant, e.g. '09-29 09:00'. */
export function beijing(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(5, 16).replace('T', ' ');
}
