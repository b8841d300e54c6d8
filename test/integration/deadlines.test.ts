import { afterEach, describe, expect, it } from 'vitest';
import { chatIdOf, createTestBot, openIdOf, textOf, type TestBot } from '../support/harness.ts';
import type { Sent } from '../support/recording-messenger.ts';
import { scheduledSends, setUpReminderUnits, tickAt } from '../support/reminders.ts';

/** Records a takeover directly (the 入驻 command is another feature); `date` is its start date. */
async function takeOver(bot: TestBot, names: string[], date: string): Promise<void> {
  const rows = await bot.db.selectFrom('compounds').select(['id', 'name']).where('name', 'in', names).execute();
  expect(rows).toHaveLength(names.length);
  for (const r of rows) {
    await bot.db.insertInto('takeovers').values({
      compound_id: r.id, company: '鑫安物业', nature: '外聘', start_date: date, services: '["保洁"]', manager: '王强', phone: '13905321234',
      remarks: null, recorded_at: bot.clock.now().toISOString(), recorded_by: 'test', source_kind: 'test', source_ref: null, source_chat: null, superseded_at: null,
    }).execute();
  }
}

async function coverageCompounds(bot: TestBot, community?: string): Promise<string[]> {
  let q = bot.db.selectFrom('compounds').innerJoin('communities', 'communities.id', 'compounds.community_id').select('compounds.name').where('track', '=', 'coverage');
  if (community) q = q.where('communities.name', '=', community);
  return (await q.orderBy('compounds.id').execute()).map((r) => r.name);
}

const deadlineSends = (sent: Sent[]) => scheduledSends(sent).filter((s) => s.startsWith('deadline-reminder'));

describe('deadlines', () => {
  let bot: TestBot;
  afterEach(async () => {
    await bot.stop();
    await bot.close();
  });

  it('节点 lists the phases and the next deadlines with what is still outstanding', async () => {
    bot = await createTestBot({ now: '2020-11-10T10:00:00+08:00' });
    await setUpReminderUnits(bot);
    await takeOver(bot, ['福源公寓', '安居小区'], '2020-11-02');
    const text = textOf(await bot.say('郭振华', '节点'));
    expect(text).toContain('- 安排部署：至9月10日（已结束）');
    expect(text).toContain('- 组织实施：9月11日—11月15日（进行中）');
    expect(text).toContain('- 考核验收：11月16日—12月20日（未开始）');
    expect(text).toContain('1. 11月15日（还有5天）21个未实施物业管理的小区全部实现物业管理');
    expect(text).toContain('尚未完成 19 个小区');
    const meiyuanLine = text.split('\n').find((l) => l.includes('- 梅园社区（8）：'))!;
    expect(meiyuanLine).not.toContain('福源公寓');
    expect(meiyuanLine).toContain('四十中宿舍');
    expect(text).toContain('2. 11月30日（还有20天）20个小区完成4项攻坚行动');
    expect(text).toContain('梅花园（4项均未完成）');
    expect(text).toContain('3. 12月20日（还有40天）考核验收阶段完成');
    expect(text).not.toContain('安排部署阶段完成');
    // Community staff see their own community's outstanding work only.
    const mine = textOf(await bot.say('张三', 'deadlines', { chat: '梅园社区群' }));
    expect(mine).toContain('梅园社区（8）');
    expect(mine).not.toContain('丰泽社区');
  });

  it('reminds the 专班 and every community group with outstanding compounds, naming the owners', async () => {
    bot = await createTestBot({ now: '2020-11-06T08:00:00+08:00' });
    await setUpReminderUnits(bot);
    await takeOver(bot, await coverageCompounds(bot, '紫薇社区'), '2020-11-02');
    const sent = await tickAt(bot, '2020-11-06T09:00:00+08:00');
    // 紫薇 has no coverage compound left; 丰泽 has no group.
    expect(deadlineSends(sent)).toEqual(['deadline-reminder → 专班群', 'deadline-reminder → 梅园社区群']);
    const zhuanban = sent.find((s) => s.purpose === 'deadline-reminder' && s.target === chatIdOf('专班群'))!.text!;
    expect(zhuanban).toContain('【节点提醒】11月15日：21个未实施物业管理的小区全部实现物业管理（还有9天）');
    expect(zhuanban).toContain('尚未完成 17 个小区');
    expect(zhuanban).toContain('- 梅园社区（10）：');
    expect(zhuanban).toContain('- 丰泽社区（7）：');
    expect(zhuanban).not.toContain('紫薇社区');
    expect(zhuanban).toContain(`<at user_id="${openIdOf('郭振华')}">郭振华</at>`);
    const meiyuan = sent.find((s) => s.purpose === 'deadline-reminder' && s.target === chatIdOf('梅园社区群'))!.text!;
    expect(meiyuan).toContain(`<at user_id="${openIdOf('张三')}">张三</at>`);
    expect(meiyuan).toContain('本社区尚未完成 10 个小区：');
    expect(meiyuan).not.toContain('丰泽');
  });

  it('with nothing outstanding sends one line of good news to the 专班, once, and nags nobody', async () => {
    bot = await createTestBot({ now: '2020-11-11T18:00:00+08:00' });
    await setUpReminderUnits(bot);
    await takeOver(bot, await coverageCompounds(bot), '2020-11-10');
    const first = await tickAt(bot, '2020-11-12T09:00:00+08:00');
    expect(deadlineSends(first)).toEqual(['deadline-reminder → 专班群']);
    expect(first.find((s) => s.purpose === 'deadline-reminder')!.text).toBe('【节点提醒】11月15日节点“21个未实施物业管理的小区全部实现物业管理”的任务已全部完成，感谢各社区的辛勤工作！');
    const second = await tickAt(bot, '2020-11-13T09:00:00+08:00');
    expect(deadlineSends(second)).toEqual([]);
    const ledger = await bot.db.selectFrom('reminder_ledger').select(['reminder_key', 'status', 'detail']).where('reminder_key', 'like', 'deadline-reminder:coverage-done:2020-11-13:%').execute();
    expect(ledger.length).toBeGreaterThan(1);
    expect(ledger.every((r) => r.status === 'skipped' && r.detail === 'nothing outstanding')).toBe(true);
  });
});
