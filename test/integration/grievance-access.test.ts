import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { textOf, type TestBot } from '../support/harness.ts';
import { auditOf, buttonOf, eventsOf, grievanceBot, grievanceRow, toChat } from '../support/grievance-setup.ts';

describe('who may act on a grievance', () => {
  let bot: TestBot;
  let deptCard: Record<string, unknown>;
  beforeEach(async () => {
    bot = await grievanceBot();
    // T0001: 锦绣花园 belongs to 紫薇社区; routed to 区市场监管局.
    const r = await bot.say('紫薇员', '投诉 锦绣花园 3号楼电梯坏了', { chat: '紫薇群' });
    deptCard = toChat(r, '市场监管局群')[0]!.card!;
  });
  afterEach(async () => {
    await bot.stop();
    await bot.close();
  });

  const outsiders: [string, string][] = [
    ['梅园员', '紫薇社区'],
    ['住建员', '不属于区住建局办理'],
    ['领导甲', '只能查看'],
    ['路人', '还没有使用此功能的权限'],
  ];

  it.each(outsiders)('refuses %s every step, by command and by card, and changes nothing', async (person, why) => {
    const auditBefore = await auditOf(bot, 'T0001');
    for (const cmd of ['受理 T0001', '转办 T0001 区住建局 试试', '办结 T0001 已处理']) {
      const reply = textOf(await bot.say(person, cmd));
      expect(reply).toMatch(/抱歉/);
      if (person !== '领导甲' && person !== '路人') expect(reply).toContain(why);
    }
    for (const label of ['受理', '转办']) {
      const press = await bot.press(person, buttonOf(deptCard, label), { chat: '市场监管局群' });
      expect(press.answer?.toast?.type).toBe('error');
      expect(press.answer?.card).toBeUndefined();
    }
    const row = await grievanceRow(bot, 'T0001');
    expect(row.status).toBe('待受理');
    expect(row.result).toBeNull();
    expect(await eventsOf(bot, 'T0001')).toHaveLength(1);
    expect(await auditOf(bot, 'T0001')).toEqual(auditBefore);
  });

  it.each(['紫薇员', '街道员', 'admin', '监管员'])('lets %s accept and resolve', async (person) => {
    expect(textOf(await bot.say(person, '受理 T0001'))).toContain('已受理诉求 T0001');
    expect(textOf(await bot.say(person, '办结 T0001 已修复'))).toContain('已办结');
    expect((await grievanceRow(bot, 'T0001')).status).toBe('已办结');
  });

  it('lets the routed department accept through the card, after an outsider\'s refused press', async () => {
    expect((await bot.press('住建员', buttonOf(deptCard, '受理'), { chat: '市场监管局群' })).answer?.toast?.type).toBe('error');
    const ok = await bot.press('监管员', buttonOf(deptCard, '受理'), { chat: '市场监管局群' });
    expect(ok.answer?.toast?.type).toBe('success');
    expect((await grievanceRow(bot, 'T0001')).status).toBe('处理中');
  });

  it('lets only the compound\'s community staff, the street and admins record a grievance', async () => {
    for (const person of ['梅园员', '监管员', '领导甲', '路人']) {
      expect(textOf(await bot.say(person, '投诉 锦绣花园 楼道灯坏了'))).toMatch(/抱歉/);
    }
    expect(textOf(await bot.say('梅园员', '投诉 锦绣花园 楼道灯坏了'))).toContain('锦绣花园属于紫薇社区');
    expect(await bot.db.selectFrom('grievances').select('code').execute()).toHaveLength(1);
    expect(textOf(await bot.say('街道员', '投诉 锦绣花园 楼道灯坏了'))).toContain('已登记诉求 T0002');
    expect(textOf(await bot.say('admin', '投诉 梅花园 楼道灯坏了'))).toContain('已登记诉求 T0003');
    expect(textOf(await bot.say('梅园员', '投诉 梅花园 楼道灯坏了'))).toContain('已登记诉求 T0004');
  });

  it('answers an unknown or malformed id clearly', async () => {
    expect(textOf(await bot.say('监管员', '受理 T0099'))).toContain('没有找到诉求 T0099');
    expect(textOf(await bot.say('监管员', '受理 锦绣花园'))).toContain('不是诉求编号');
    expect(textOf(await bot.say('监管员', '办结 T0001'))).toContain('请写明办理结果');
    expect(textOf(await bot.say('监管员', '转办 T0001 不存在局'))).toContain('没有找到部门');
    expect((await grievanceRow(bot, 'T0001')).status).toBe('待受理');
  });
});
