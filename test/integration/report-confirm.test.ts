import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chatIdOf, createTestBot, textOf, type TestBot } from '../support/harness.ts';
import { cardButtons, cardText, type Sent } from '../support/recording-messenger.ts';
import { computeProgress } from '../../src/domain/progress.ts';
import { scheduledSends, setUpReminderUnits, tickAt } from '../support/reminders.ts';

describe('报送: a community confirms its data for the period', () => {
  let bot: TestBot;
  let prompts: Sent[];
  beforeEach(async () => {
    bot = await createTestBot({ now: '2020-09-29T08:00:00+08:00' });
    await setUpReminderUnits(bot);
    prompts = await tickAt(bot, '2020-09-29T09:00:00+08:00');
    bot.clock.set('2020-09-29T10:15:00+08:00');
  });
  afterEach(async () => {
    await bot.stop();
    await bot.close();
  });
  const confirmButtonOf = (chatPurposeIndex: number) => cardButtons(prompts[chatPurposeIndex]!.card).find((b) => b.label === '确认报送')!.value;

  it('confirms once, says so when said twice, and is audited once', async () => {
    const first = textOf(await bot.say('张三', '报送', { chat: '梅园社区群' }));
    expect(first).toContain('已确认报送：梅园社区 10月1日调度表（9月30日报送）');
    expect(first).toContain('待补充');
    const again = textOf(await bot.say('张三', 'confirm', { chat: '梅园社区群' }));
    expect(again).toBe('梅园社区已于9月29日 10:15确认过10月1日调度表（9月30日报送），无需重复报送。');
    const rows = await bot.db.selectFrom('report_confirmations').selectAll().execute();
    expect(rows).toHaveLength(1);
    const audit = await bot.db.selectFrom('audit_log').select(['action', 'entity']).where('action', '=', 'report.confirm').execute();
    expect(audit).toEqual([{ action: 'report.confirm', entity: 'report_confirmation' }]);
  });

  it('updates the prompt card in the group: who confirmed and when, and no 确认报送 any more', async () => {
    const prompt = prompts.find((p) => p.purpose === 'report-prompt' && p.target === chatIdOf('梅园社区群'))!;
    const sent = await bot.say('张三', '报送', { chat: '梅园社区群' });
    const patches = sent.filter((s) => s.op === 'patch');
    expect(patches.map((p) => p.target)).toEqual([prompt.messageId]);
    const text = cardText(patches[0]!.card);
    expect(text).toContain('已由张三于9月29日 10:15确认');
    expect(text).toContain('梅花园');
    expect(cardButtons(patches[0]!.card).map((b) => b.label)).not.toContain('确认报送');
    expect(cardButtons(patches[0]!.card).filter((b) => b.label === '更新').length).toBe(cardButtons(prompt.card).filter((b) => b.label === '更新').length);
    expect((patches[0]!.card!.header as { template: string }).template).toBe('green');
    // Saying it again changes nothing, on the card either.
    expect((await bot.say('张三', '报送', { chat: '梅园社区群' })).filter((s) => s.op === 'patch')).toEqual([]);
    // Pressing the card's own button (紫薇) updates that card the same way.
    bot.clock.set('2020-09-29T11:05:00+08:00');
    const zw = prompts.find((p) => p.purpose === 'report-prompt' && p.target === chatIdOf('紫薇社区群'))!;
    const r = await bot.press('李四', confirmButtonOf(1), { chat: '紫薇社区群', messageId: zw.messageId });
    const patch = r.sent.find((s) => s.op === 'patch')!;
    expect(patch.target).toBe(zw.messageId);
    expect(cardText(patch.card)).toContain('已由李四于9月29日 11:05确认');
  });

  it('then gets no reminder for that period and leaves 未报 and period.missing', async () => {
    await bot.say('张三', '报送', { chat: '梅园社区群' });
    // 李四 confirms 紫薇 with the prompt card's button instead.
    const r = await bot.press('李四', confirmButtonOf(1), { chat: '紫薇社区群' });
    expect(r.answer?.toast).toMatchObject({ type: 'success' });
    expect(r.answer?.toast?.content).toContain('已确认报送：紫薇社区');

    const missing = textOf(await bot.say('郭振华', '未报'));
    expect(missing).toContain('未确认（2）：丰泽社区；东、西鲁社区');
    expect(missing).toContain('已确认（2）：梅园社区、紫薇社区');
    expect(textOf(await bot.say('郭振华', '谁没报'))).toBe(missing);

    const p = await computeProgress(bot.runtime.deps, bot.clock.now());
    expect(p.period).toEqual({ due: '2020-10-01', effectiveDue: '2020-09-30', confirmed: ['梅园社区', '紫薇社区'], missing: ['丰泽社区', '东、西鲁社区'] });

    expect(scheduledSends(await tickAt(bot, '2020-09-30T09:00:00+08:00'))).toEqual([]);
    const skipped = await bot.db.selectFrom('reminder_ledger').select(['status', 'detail']).where('reminder_key', 'like', 'report-reminder:2020-10-01:%').where('detail', '=', 'already confirmed').execute();
    expect(skipped).toHaveLength(2);
    // Jumping to 17:00 also runs the 15:00 summary, still due on the same working day.
    const late = await tickAt(bot, '2020-09-30T17:00:00+08:00');
    expect(scheduledSends(late)).toEqual(['report-summary → 专班群', 'report-draft → 专班群', 'report-escalation → 专班群']);
    const escalation = late.find((s) => s.purpose === 'report-escalation')!.text!;
    expect(escalation).toContain('仍有 2 个社区未确认');
    expect(escalation).not.toMatch(/梅园社区|紫薇社区/);
  });

  it('refuses people who are not that community’s staff, and writes nothing', async () => {
    const wrong = await bot.press('李四', confirmButtonOf(0), { chat: '梅园社区群' });
    expect(wrong.answer?.toast).toMatchObject({ type: 'error' });
    expect(wrong.answer?.toast?.content).toContain('只能确认本社区');
    expect(textOf(await bot.say('郭振华', '报送'))).toContain('“报送”不在您的权限范围内');
    expect(textOf(await bot.say('郭振华', '帮助'))).not.toContain('· 报送');
    expect(textOf(await bot.say('张三', '帮助'))).toContain('· 报送');
    expect(textOf(await bot.say('路人', '报送'))).toContain('还没有使用此功能的权限');
    expect(await bot.db.selectFrom('report_confirmations').selectAll().execute()).toEqual([]);
    const p = await computeProgress(bot.runtime.deps, bot.clock.now());
    expect(p.period?.missing).toEqual(['梅园社区', '紫薇社区', '丰泽社区', '东、西鲁社区']);
  });

  it('refuses an old card’s button once its period is over, and 报送 then confirms the new period', async () => {
    bot.clock.set('2020-10-09T10:00:00+08:00');
    const late = await bot.press('张三', confirmButtonOf(0), { chat: '梅园社区群' });
    expect(late.answer?.toast?.content).toContain('10月1日调度表已截止');
    expect(textOf(await bot.say('张三', '报送', { chat: '梅园社区群' }))).toContain('已确认报送：梅园社区 10月15日调度表');
    const missing = textOf(await bot.say('张三', '未报', { chat: '梅园社区群' }));
    expect(missing).toContain('本期：10月15日调度表');
    expect(missing).toContain('已确认（1）：梅园社区');
  });
});
