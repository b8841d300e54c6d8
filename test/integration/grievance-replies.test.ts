import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openIdOf, textOf, type TestBot } from '../support/harness.ts';
import { eventsOf, grievanceBot, grievanceRow } from '../support/grievance-setup.ts';
import { readGrievanceReply } from '../../src/understanding/grievance-reply.ts';

// Replies about a grievance as people write them in a chat, code first: they do what 受理 / 转办 / 办结 do, with the
// same checks (scope, the department's own grievances) and the same answers.

describe('grievance replies written with the code first', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await grievanceBot();
  });
  afterEach(async () => {
    await bot.stop();
    await bot.close();
  });

  it('T0001 转给住建局 理由 / T0001 收到 / T0001 已经…修好了 transfer, accept and resolve the grievance', async () => {
    await bot.say('紫薇员', '投诉 锦绣花园 3号楼电梯坏了', { chat: '紫薇群' });
    expect((await grievanceRow(bot, 'T0001')).status).toBe('待受理');

    const moved = textOf(await bot.say('街道员', 'T0001 转给住建局 电梯维修要用维修资金'));
    expect(moved).toContain('已将诉求 T0001 由区市场监管局转至区住建局（理由：电梯维修要用维修资金）');

    // The old department may no longer accept it: the check of 受理 holds.
    expect(textOf(await bot.say('监管员', 'T0001 收到'))).toContain('不属于区市场监管局办理');
    expect((await grievanceRow(bot, 'T0001')).status).toBe('已转办');

    expect(textOf(await bot.say('住建员', 'T0001 收到，马上安排'))).toContain('已受理诉求 T0001');
    expect((await grievanceRow(bot, 'T0001')).status).toBe('处理中');

    expect(textOf(await bot.say('住建员', 'T0001 已经联系维保单位，电梯修好了'))).toContain('诉求 T0001（锦绣花园）已办结');
    const row = await grievanceRow(bot, 'T0001');
    expect(row).toMatchObject({ status: '已办结', result: '已经联系维保单位，电梯修好了' });
    expect((await eventsOf(bot, 'T0001')).map((e) => [e.action, e.actor])).toEqual([
      ['create', openIdOf('紫薇员')],
      ['transfer', openIdOf('街道员')],
      ['accept', openIdOf('住建员')],
      ['resolve', openIdOf('住建员')],
    ]);
  });

  it('t0002转到住建局属于维修资金 finds the department without a space; a leader is refused; a question is not a reply', async () => {
    await bot.say('紫薇员', '投诉 锦绣花园 楼顶漏水', { chat: '紫薇群' });
    const before = (await grievanceRow(bot, 'T0001')).department_id;
    expect(textOf(await bot.say('领导甲', 'T0001 转给区住建局'))).toContain('不在您的权限范围内');
    expect((await grievanceRow(bot, 'T0001')).department_id).toBe(before);
    expect(readGrievanceReply('T0001 修好了吗？')).toBeNull();
    expect(readGrievanceReply('T0001')).toBeNull();
    expect(readGrievanceReply('【T0001】已处理完毕')).toEqual({ op: 'resolve', code: 'T0001', result: '已处理完毕' });
    expect(readGrievanceReply('T0001 办结 已更换')).toEqual({ op: 'resolve', code: 'T0001', result: '已更换' });
    expect(readGrievanceReply('诉求T0001已收到')).toEqual({ op: 'accept', code: 'T0001' });
  });
});
