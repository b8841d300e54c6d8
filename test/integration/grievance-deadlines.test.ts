import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { textOf, type TestBot } from '../support/harness.ts';
import { cardText } from '../support/recording-messenger.ts';
import { grievanceBot, grievanceRow, toChat } from '../support/grievance-setup.ts';
import { computeProgress } from '../../src/domain/progress.ts';

describe('grievance deadlines over the 2020 National Day holiday, and the morning digest', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await grievanceBot('2020-09-29T09:00:00+08:00');
  });
  afterEach(async () => {
    await bot.stop();
    await bot.close();
  });

  const overdueAt = async (iso: string) => (await computeProgress(bot.runtime.deps, new Date(iso))).grievances.overdue;

  it('is not overdue for acceptance until the end of 2020-10-09, the next working day after 2020-09-30', async () => {
    const calendar = bot.runtime.deps.calendar;
    expect(calendar.nextAfter('2020-09-30')).toBe('2020-10-09');
    expect(calendar.isWorkingDay('2020-10-10')).toBe(true);

    bot.clock.set('2020-09-30T16:00:00+08:00');
    await bot.say('紫薇员', '投诉 锦绣花园 3号楼电梯坏了', { chat: '紫薇群' });
    const row = await grievanceRow(bot, 'T0001');
    expect(row.accept_due_at).toBe(new Date('2020-10-10T00:00:00+08:00').toISOString());

    expect(await overdueAt('2020-10-01T10:00:00+08:00')).toBe(0);
    expect(await overdueAt('2020-10-09T23:00:00+08:00')).toBe(0);
    expect(await overdueAt('2020-10-10T00:30:00+08:00')).toBe(1);

    bot.clock.set('2020-10-10T00:30:00+08:00');
    const progress = await bot.say('街道员', '进度');
    expect(cardText(progress[0]!.card)).toMatch(/未办结 1 件，其中超期 (<font color='red'>\*\*)?1(\*\*<\/font>)? 件/);

    // Accepted late: no longer overdue for acceptance, and not yet for resolution (due end of 10-14).
    await bot.say('监管员', '受理 T0001');
    expect(await overdueAt('2020-10-14T23:59:00+08:00')).toBe(0);
    expect(await overdueAt('2020-10-15T00:01:00+08:00')).toBe(1);
    await bot.say('监管员', '办结 T0001 已修复');
    expect(await overdueAt('2020-10-20T09:00:00+08:00')).toBe(0);
    const p = await computeProgress(bot.runtime.deps, new Date('2020-10-20T09:00:00+08:00'));
    expect(p.grievances).toEqual({ open: 0, overdue: 0, resolved: 1 });
  });

  it('counts a rerouted grievance overdue when the new department does not accept in time', async () => {
    bot.clock.set('2020-10-12T10:00:00+08:00');
    await bot.say('紫薇员', '投诉 锦绣花园 维修资金使用不公开');
    bot.clock.set('2020-10-13T10:00:00+08:00');
    expect(textOf(await bot.say('住建员', '转办 T0001 区发改局 属于收费'))).toContain('转至区发改局');
    // Fresh acceptance deadline: end of 2020-10-14.
    expect(await overdueAt('2020-10-14T23:00:00+08:00')).toBe(0);
    expect(await overdueAt('2020-10-15T00:30:00+08:00')).toBe(1);
  });

  it('sends the 09:00 digest on working days to the 专班 group, grouped by department, once, and nothing when nothing is overdue', async () => {
    bot.clock.set('2020-09-30T16:00:00+08:00');
    await bot.say('紫薇员', '投诉 锦绣花园 3号楼电梯坏了', { chat: '紫薇群' });
    await bot.say('紫薇员', '投诉 御景公馆 地下室老鼠成群', { chat: '紫薇群' });
    await bot.say('紫薇员', '投诉 樱花园 暖气不热', { chat: '紫薇群' });
    await bot.say('监管员', '受理 T0001');
    bot.messenger.clear();

    bot.clock.set('2020-10-09T09:00:00+08:00');
    await bot.runtime.tick();
    await bot.runtime.settle();
    expect(toChat(bot.messenger.sent, '专班群')).toEqual([]);

    bot.clock.set('2020-10-10T09:00:00+08:00');
    await bot.runtime.tick();
    await bot.runtime.settle();
    const digest = toChat(bot.messenger.sent, '专班群');
    expect(digest).toHaveLength(1);
    const text = digest[0]!.text!;
    expect(text).toContain('共有 2 件诉求超期');
    expect(text).toContain('区卫健局（1件）');
    expect(text).toContain('T0002 御景公馆');
    expect(text).toContain('山亭翼云热力有限公司（1件）');
    expect(text).toContain('T0003 樱花园');
    expect(text).not.toContain('T0001');
    const ledger = await bot.db.selectFrom('reminder_ledger').select(['reminder_key', 'status']).where('reminder_key', '=', 'grievance-digest:2020-10-10').execute();
    expect(ledger).toEqual([{ reminder_key: 'grievance-digest:2020-10-10', status: 'sent' }]);

    bot.clock.set('2020-10-10T11:00:00+08:00');
    await bot.runtime.tick();
    await bot.runtime.settle();
    expect(toChat(bot.messenger.sent, '专班群')).toHaveLength(1);

    // Sunday 11 October is not a working day: no digest.
    bot.clock.set('2020-10-11T09:30:00+08:00');
    await bot.runtime.tick();
    await bot.runtime.settle();
    expect(toChat(bot.messenger.sent, '专班群')).toHaveLength(1);
    expect(await bot.db.selectFrom('reminder_ledger').select('reminder_key').where('reminder_key', '=', 'grievance-digest:2020-10-11').execute()).toEqual([]);

    // Everything handled by Monday: the 09:00 slot happens but sends nothing.
    await bot.say('街道员', '办结 T0002 已消杀');
    await bot.say('街道员', '办结 T0003 已排气');
    bot.messenger.clear();
    bot.clock.set('2020-10-12T09:00:00+08:00');
    await bot.runtime.tick();
    await bot.runtime.settle();
    expect(toChat(bot.messenger.sent, '专班群')).toEqual([]);
    expect(await bot.db.selectFrom('reminder_ledger').select('reminder_key').where('reminder_key', '=', 'grievance-digest:2020-10-12').execute()).toHaveLength(1);
  });
});
