import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { type OpenedDatabase } from '../../src/db/connect.ts';
import { openTestDatabase } from '../support/test-database.ts';
import type { Progress } from '../../src/domain/progress.ts';
import { chatIdOf, createTestBot } from '../support/harness.ts';
import { FakeLarkApi, type Delivery } from '../support/fake-lark.ts';
import { startLarkBot } from '../support/lark-bot.ts';
import { larkSay, larkTickAt } from '../support/lark-chat.ts';
import { cardText } from '../support/recording-messenger.ts';
import { scheduledSends, tickAt } from '../support/reminders.ts';

/** The numbers a digest card states, read back from its text. */
function digestNumbers(text: string) {
  const num = (re: RegExp) => {
    const m = re.exec(text);
    if (!m) throw new Error(`not in the digest: ${re}\n${text}`);
    return m.slice(1).map(Number);
  };
  const [covered, total] = num(/已入驻 \*\*(\d+)\/(\d+)\*\*/);
  const [done, upgradeTotal] = num(/4项攻坚全部完成 \*\*(\d+)\/(\d+)\*\*/);
  const [actionsDone, actionsTotal] = num(/攻坚行动完成 (\d+)\/(\d+) 项/);
  const [open] = num(/未办结 (\d+) 件，其中超期/);
  const [overdue] = num(/其中超期 (?:<font color='red'>\*\*)?(\d+)/);
  const [resolved] = num(/已办结 (\d+) 件/);
  return { coverage: { total, covered }, upgrade: { total: upgradeTotal, done, actionsDone, actionsTotal }, grievances: { open, overdue, resolved } };
}

describe("the leaders' digest", () => {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const s of stops.splice(0).reverse()) await s();
  });

  it('goes to the 领导小组 on the report day and weekly, with the numbers of /api/v1/progress at the same instant (Must show 3)', async () => {
    const clock = new ManualClock('2020-11-02T10:00:00+08:00');
    const fake = await new FakeLarkApi(clock).start();
    stops.push(() => fake.stop());
    const database: OpenedDatabase = openTestDatabase();
    stops.push(() => database.close());
    const bot = await startLarkBot({ fake, clock, database });
    stops.push(() => bot.stop());
    for (const [unit, group] of [['领导小组', '领导小组群'], ['专班', '专班群'], ['紫薇社区', '紫薇群'], ['梅园社区', '梅园群']] as const) {
      await larkSay(bot, 'admin', `绑定群 ${unit}`, { chat: group });
    }
    await larkSay(bot, 'admin', '绑定 @紫薇员 社区 紫薇社区', { others: ['紫薇员'] });
    await larkSay(bot, 'admin', '绑定 @梅园员 社区 梅园社区', { others: ['梅园员'] });
    // Work of the campaign: takeovers, an action, grievances (two get overdue), a confirmation.
    await larkSay(bot, '紫薇员', '银山小区已入驻，鑫安物业，外聘，10月20日进驻，负责人王强 13905321234', { chat: '紫薇群' });
    await larkSay(bot, '梅园员', '福源公寓已入驻，社区兜底，10月25日', { chat: '梅园群' });
    await larkSay(bot, '梅园员', '攻坚 梅花园 环境卫生 已完成', { chat: '梅园群' });
    await larkSay(bot, '紫薇员', '投诉 锦绣花园 3号楼电梯坏了，居民反映多次', { chat: '紫薇群' });
    await larkSay(bot, '紫薇员', '投诉 锦绣花园 楼下有人违规停车堵路', { chat: '紫薇群' });
    clock.set('2020-11-12T10:00:00+08:00');
    await larkSay(bot, '梅园员', '投诉 梅花园 楼道堆放杂物有消防隐患', { chat: '梅园群' });
    await larkSay(bot, '梅园员', '报送', { chat: '梅园群' });

    const api = async (): Promise<Progress> => (await (await fetch(`${bot.base}/api/v1/progress`, { headers: { authorization: 'Bearer api-token' } })).json()) as Progress;
    // The digest is the card; the 领导小组 also gets the overdue alert (text) on 16 November.
    const digestsSince = (n: number): Delivery[] => fake.deliveries.slice(n).filter((d) => d.target === chatIdOf('领导小组群') && d.msgType === 'interactive');

    // 13 November 17:30, the day the 15 November report is due (15 November is a Sunday).
    let mark = fake.deliveries.length;
    await larkTickAt(bot, clock, '2020-11-13T17:30:00+08:00');
    const dueDay = digestsSince(mark);
    expect(dueDay).toHaveLength(1);
    expect(dueDay[0]!.msgType).toBe('interactive');
    let text = cardText(dueDay[0]!.content);
    let progress = await api();
    expect(digestNumbers(text)).toEqual({ coverage: progress.coverage, upgrade: progress.upgrade, grievances: progress.grievances });
    expect(progress.coverage.covered).toBe(2);
    expect(progress.upgrade.actionsDone).toBe(1);
    expect(progress.grievances.overdue).toBeGreaterThanOrEqual(2);
    expect(text).toContain('领导小组工作简报 · 11月13日（报送日）');
    expect(text).toContain(`**11月15日调度表（11月13日报送）**：1/4 个社区已确认；<font color='red'>未确认</font>：${progress.period!.missing.join('；')}`);
    expect(progress.period!.missing).toEqual(['紫薇社区', '丰泽社区', '东、西鲁社区']);
    expect(text).toContain('近7天新增 1 件');
    expect(text).toMatch(/区市场监管局：未办结 1 件，<font color='red'>超期 1 件<\/font>/);
    expect(JSON.stringify(dueDay[0]!.content)).toContain('"tag":"chart"');

    // Monday 16 November 09:30, the weekly one: the 15 November deadline has passed with work outstanding.
    mark = fake.deliveries.length;
    await larkTickAt(bot, clock, '2020-11-16T09:30:00+08:00');
    const weekly = digestsSince(mark);
    expect(weekly).toHaveLength(1);
    text = cardText(weekly[0]!.content);
    progress = await api();
    expect(digestNumbers(text)).toEqual({ coverage: progress.coverage, upgrade: progress.upgrade, grievances: progress.grievances });
    expect(text).toContain('领导小组工作简报 · 11月16日');
    expect(text).not.toContain('（报送日）');
    expect(text).toContain('11月15日（逾期1天）21个未实施物业管理的小区全部实现物业管理：仍有 **19** 个小区未完成');
    expect(text).toContain('**11月15日调度表（11月13日报送）**：1/4 个社区已确认');
    // Once per slot, whatever the ticks.
    await larkTickAt(bot, clock, '2020-11-16T09:31:00+08:00');
    await larkTickAt(bot, clock, '2020-11-16T18:00:00+08:00');
    expect(digestsSince(mark)).toHaveLength(1);
  }, 60_000);

  it('moves the weekly digest off a holiday Monday to the next working day, once per week', async () => {
    const bot = await createTestBot({ now: '2020-09-30T18:00:00+08:00' });
    stops.push(async () => {
      await bot.stop();
      await bot.close();
    });
    await bot.bindChat('领导小组群', '领导小组');
    const digests = async (iso: string) => scheduledSends(await tickAt(bot, iso)).filter((s) => s.startsWith('leaders-digest'));
    // 5 October is a Monday in the National Day holiday (1–8 October): the digest waits for Friday 9 October.
    expect(await digests('2020-10-05T09:30:00+08:00')).toEqual([]);
    expect(await digests('2020-10-08T09:30:00+08:00')).toEqual([]);
    const sent = await tickAt(bot, '2020-10-09T09:30:00+08:00');
    expect(sent.filter((s) => s.purpose === 'leaders-digest')).toHaveLength(1);
    expect(cardText(sent.find((s) => s.purpose === 'leaders-digest')!.card)).toContain('领导小组工作简报 · 10月9日');
    expect(await digests('2020-10-12T09:30:00+08:00')).toEqual(['leaders-digest → 领导小组群']);
  });
});
