import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openIdOf, textOf, type TestBot } from '../support/harness.ts';
import { cardButtons, cardText } from '../support/recording-messenger.ts';
import { auditOf, buttonOf, eventsOf, grievanceBot, grievanceRow, toChat, toPerson } from '../support/grievance-setup.ts';
import { listGrievances } from '../../src/domain/grievance-list.ts';

describe('grievance lifecycle', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await grievanceBot();
  });
  afterEach(async () => {
    await bot.stop();
    await bot.close();
  });

  it('goes 待受理 → 处理中 → 已办结 through commands, audited, and tells the recorder once', async () => {
    const recorded = await bot.say('紫薇员', '投诉 锦绣花园 3号楼电梯坏了', { chat: '紫薇群' });
    const reply = textOf(recorded.filter((s) => s.op === 'reply'));
    expect(reply).toContain('已登记诉求 T0001：锦绣花园（紫薇社区）');
    expect(reply).toContain('已分派至区市场监管局（匹配：电梯）');
    // 5 working days from Monday 28 September: 29, 30 September, 9, 10 (调休 Saturday), 12 October.
    expect(reply).toContain('受理时限：9月29日（含）；办结时限：10月12日（含）');
    const deptCard = toChat(recorded, '市场监管局群');
    expect(deptCard).toHaveLength(1);
    expect(cardText(deptCard[0]!.card)).toContain('3号楼电梯坏了');
    expect(cardButtons(deptCard[0]!.card).map((b) => b.label)).toEqual(['受理', '转办']);
    expect((await grievanceRow(bot, 'T0001')).status).toBe('待受理');

    const accepted = textOf(await bot.say('监管员', '受理 t1'));
    expect(accepted).toContain('已受理诉求 T0001');
    expect((await grievanceRow(bot, 'T0001')).status).toBe('处理中');

    const resolved = await bot.say('监管员', '办结 ＴＯＯＯ1 已更换电梯控制板，恢复运行');
    expect(textOf(resolved.filter((s) => s.op === 'reply'))).toContain('诉求 T0001（锦绣花园）已办结');
    const row = await grievanceRow(bot, 'T0001');
    expect(row.status).toBe('已办结');
    expect(row.result).toBe('已更换电梯控制板，恢复运行');
    expect(row.resolved_at).toBe(bot.clock.now().toISOString());
    const told = toPerson(resolved, '紫薇员');
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toContain('T0001');
    expect(told[0]!.text).toContain('已更换电梯控制板');

    const again = await bot.say('监管员', '办结 T0001 又修了一次');
    expect(textOf(again)).toContain('已于此前办结');
    expect(toPerson(again, '紫薇员')).toHaveLength(0);
    expect((await grievanceRow(bot, 'T0001')).result).toBe('已更换电梯控制板，恢复运行');

    expect((await eventsOf(bot, 'T0001')).map((e) => [e.action, e.from_status, e.to_status, e.actor])).toEqual([
      ['create', null, '待受理', openIdOf('紫薇员')],
      ['accept', '待受理', '处理中', openIdOf('监管员')],
      ['resolve', '处理中', '已办结', openIdOf('监管员')],
    ]);
    expect((await auditOf(bot, 'T0001')).map((a) => [a.action, a.actor])).toEqual([
      ['grievance.create', openIdOf('紫薇员')],
      ['grievance.accept', openIdOf('监管员')],
      ['grievance.resolve', openIdOf('监管员')],
    ]);

    const api = await listGrievances(bot.db, bot.runtime.deps.campaign.id);
    expect(api).toEqual([
      {
        id: 'T0001', compound: '锦绣花园', community: '紫薇社区', text: '3号楼电梯坏了', department: '区市场监管局', status: '已办结',
        createdAt: '2020-09-28T02:00:00.000Z', resolvedAt: '2020-09-28T02:00:00.000Z', result: '已更换电梯控制板，恢复运行',
      },
    ]);
  });

  it('goes 待受理 → 处理中 → 已办结 through the department card buttons, audited, recorder told once', async () => {
    const recorded = await bot.say('紫薇员', '投诉 锦绣花园 2单元电梯困人', { chat: '紫薇群' });
    const deptCard = toChat(recorded, '市场监管局群')[0]!.card;

    const acceptPress = await bot.press('监管员', buttonOf(deptCard, '受理'), { chat: '市场监管局群' });
    expect(acceptPress.answer?.toast?.content).toContain('已受理诉求 T0001');
    expect((await grievanceRow(bot, 'T0001')).status).toBe('处理中');
    const acceptedCard = acceptPress.answer!.card!;
    expect(cardText(acceptedCard)).toContain('处理中');
    expect(cardButtons(acceptedCard).map((b) => b.label)).toEqual(['办结', '转办']);

    const second = await bot.press('监管员', buttonOf(deptCard, '受理'), { chat: '市场监管局群' });
    expect(second.answer?.toast?.type).toBe('error');
    expect(await eventsOf(bot, 'T0001')).toHaveLength(2);

    const resolvePress = await bot.press('监管员', buttonOf(acceptedCard, '办结'), { chat: '市场监管局群', formValue: { result: '已解救被困人员并检修' } });
    expect(resolvePress.answer?.toast?.content).toContain('已办结');
    expect(cardText(resolvePress.answer!.card!)).toContain('已解救被困人员并检修');
    expect(cardButtons(resolvePress.answer!.card!)).toEqual([]);
    const row = await grievanceRow(bot, 'T0001');
    expect(row.status).toBe('已办结');
    expect(row.result).toBe('已解救被困人员并检修');
    expect(toPerson(resolvePress.sent, '紫薇员')).toHaveLength(1);

    const replay = await bot.press('监管员', buttonOf(acceptedCard, '办结'), { chat: '市场监管局群', formValue: { result: '再次办结' } });
    expect(replay.answer?.toast?.type).toBe('error');
    expect(toPerson(replay.sent, '紫薇员')).toHaveLength(0);
    expect((await grievanceRow(bot, 'T0001')).result).toBe('已解救被困人员并检修');

    expect((await eventsOf(bot, 'T0001')).map((e) => e.action)).toEqual(['create', 'accept', 'resolve']);
    const audit = await auditOf(bot, 'T0001');
    expect(audit.map((a) => [a.action, a.source_kind])).toEqual([
      ['grievance.create', 'message'], ['grievance.accept', 'card'], ['grievance.resolve', 'card'],
    ]);
  });

  it('reroutes through the 转办 form; the new department gets the card and the old one can no longer act', async () => {
    const recorded = await bot.say('紫薇员', '投诉 锦绣花园 电梯加装费用分摊', { chat: '紫薇群' });
    const deptCard = toChat(recorded, '市场监管局群')[0]!.card;
    const open = await bot.press('监管员', buttonOf(deptCard, '转办'), { chat: '市场监管局群' });
    const formCard = open.answer!.card!;
    expect(cardText(formCard)).toContain('转办诉求 T0001');
    const zhujian = await bot.db.selectFrom('departments').select('id').where('name', '=', '区住建局').executeTakeFirstOrThrow();
    const submit = await bot.press('监管员', buttonOf(formCard, '确认转办'), {
      chat: '市场监管局群', formValue: { department: String(zhujian.id), reason: '属于维修资金使用问题' },
    });
    expect(submit.answer?.toast?.content).toContain('已转办至区住建局');
    const row = await grievanceRow(bot, 'T0001');
    expect(row.status).toBe('已转办');
    expect(row.department_id).toBe(zhujian.id);
    // 区住建局 has no group of its own: the street has none either, so the 专班 group gets the card.
    const forwarded = toChat(submit.sent, '专班群');
    expect(forwarded).toHaveLength(1);
    expect(cardButtons(forwarded[0]!.card).map((b) => b.label)).toEqual(['受理', '转办']);
    expect((await eventsOf(bot, 'T0001')).at(-1)).toMatchObject({ action: 'transfer', from_status: '待受理', to_status: '已转办', note: '属于维修资金使用问题' });

    expect(textOf(await bot.say('监管员', '受理 T0001'))).toContain('不属于区市场监管局办理');
    expect((await grievanceRow(bot, 'T0001')).status).toBe('已转办');
    expect(textOf(await bot.say('住建员', '受理 T0001'))).toContain('已受理诉求 T0001');
    expect(textOf(await bot.say('住建员', '转办 T0001 区住建局'))).toContain('无需转办');
    expect(textOf(await bot.say('住建员', '转办 T0001 执法局 属于违规装修'))).toContain('已将诉求 T0001 由区住建局转至区综合行政执法局');
  });
});
