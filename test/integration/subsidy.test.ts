import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestBot, openIdOf, textOf, type TestBot } from '../support/harness.ts';
import { cardText } from '../support/recording-messenger.ts';

const PASS = '18 17 9 8 8 9 9 4 4'; // 86
const FAIL = '15 15 8 7 7 7 7 3 3'; // 72

async function subsidyRow(bot: TestBot, compound: string) {
  return bot.db.selectFrom('subsidies').innerJoin('compounds', 'compounds.id', 'subsidies.compound_id')
    .selectAll('subsidies').where('compounds.name', '=', compound).executeTakeFirst();
}

describe('奖补 through its states', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await createTestBot({ now: '2020-12-05T10:00:00+08:00' });
    await bot.bind('郭振华', '街道');
    await bot.bind('王局', '部门 区住建局');
    await bot.bind('财政', '部门 区财政局');
    await bot.bind('张三', '社区 梅园社区');
    await bot.bind('李四', '社区 紫薇社区');
    await bot.say('张三', '福源公寓已入驻，鑫安物业，外聘，9月20日进驻');
    await bot.say('张三', '建行宿舍已入驻，鑫安物业，外聘，9月21日进驻');
    await bot.say('李四', '银山小区已入驻，鑫达物业，外聘，9月22日进驻');
    await bot.say('郭振华', `考核 福源公寓 ${PASS}`);
    await bot.say('郭振华', `考核 建行宿舍 ${FAIL}`);
    await bot.say('郭振华', `考核 银山小区 ${PASS}`);
    await bot.say('郭振华', `考核 梅花园 ${PASS}`);
    bot.messenger.clear();
  });
  afterEach(async () => {
    await bot.stop();
    await bot.close();
  });

  it('lists as 待申报 only the old compounds that passed, and moves one through 已申报, 已审核 and 已兑现 by the named roles', async () => {
    const list = cardText((await bot.say('郭振华', '奖补'))[0]!.card);
    expect(list).toContain('待申报 2，已申报 0，已审核 0，已兑现 0');
    expect(list).toContain('福源公寓（梅园社区，2020年第四季度）：考核86分');
    expect(list).toContain('银山小区（紫薇社区，2020年第四季度）');
    // 梅花园 passed but is not an old compound (附件3); 建行宿舍 failed.
    expect(list).not.toContain('梅花园');
    expect(list).not.toContain('建行宿舍');
    expect(list).toContain('申报：管理员、街道；审核：管理员、区住建局；兑现：管理员、区财政局');

    expect(textOf(await bot.say('张三', '奖补 申报 福源公寓 2万元'))).toContain('奖补申报仅限管理员、街道办理');
    const applied = textOf(await bot.say('郭振华', '奖补 申报 福源公寓 2万元'));
    expect(applied).toContain('已将福源公寓（2020年第四季度）的奖补改为“已申报”，申报金额2万元，申报日期12月5日');
    expect(await subsidyRow(bot, '福源公寓')).toMatchObject({ state: '已申报', requested_fen: 2_000_000, applied_on: '2020-12-05', applied_by: openIdOf('郭振华') });

    expect(textOf(await bot.say('财政', '奖补 兑现 福源公寓 2万'))).toContain('目前为“已申报”，下一步是“审核”');
    expect(textOf(await bot.say('郭振华', '奖补 审核 福源公寓'))).toContain('奖补审核仅限管理员、区住建局办理');
    expect(textOf(await bot.say('王局', '奖补 审核 福源公寓'))).toContain('“已审核”，核定金额2万元');

    expect(textOf(await bot.say('财政', '奖补 兑现 福源公寓 18000元 12月18日'))).toContain('晚于今天');
    bot.clock.set('2020-12-18T15:00:00+08:00');
    expect(textOf(await bot.say('财政', '奖补 兑现 福源公寓 18000元 12月18日'))).toContain('“已兑现”，兑现金额18,000元，兑现日期12月18日');
    expect(await subsidyRow(bot, '福源公寓')).toMatchObject({ state: '已兑现', requested_fen: 2_000_000, approved_fen: 2_000_000, paid_fen: 1_800_000, paid_on: '2020-12-18' });

    const paid = cardText((await bot.say('郭振华', '奖补 已兑现'))[0]!.card);
    expect(paid).toContain('已兑现金额合计 18,000元');
    expect(paid).toContain('福源公寓（梅园社区，2020年第四季度）：考核86分，申报2万元（12月5日），核定2万元（12月5日），兑现18,000元（12月18日）');
    expect(paid).not.toContain('银山小区');

    expect(textOf(await bot.say('财政', '奖补 兑现 福源公寓'))).toContain('目前为“已兑现”，流程已结束');
    const audit = await bot.db.selectFrom('audit_log').select('action').where('entity', '=', 'subsidy').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['subsidy.apply', 'subsidy.review', 'subsidy.pay']);
  });

  it('refuses a compound that failed or is not old, and a step without a compound', async () => {
    expect(textOf(await bot.say('郭振华', '奖补 申报 建行宿舍'))).toContain('72分，未达到合格线80分');
    expect(textOf(await bot.say('郭振华', '奖补 申报 梅花园'))).toContain('不属于老旧小区');
    expect(textOf(await bot.say('郭振华', '奖补 申报 安居小区'))).toContain('还没有考核合格的季度');
    expect(textOf(await bot.say('郭振华', '奖补 申报'))).toContain('请写明要申报奖补的小区');
    expect(await bot.db.selectFrom('subsidies').selectAll().execute()).toHaveLength(0);
  });

  it('undoes a step back to the state before it, and to 待申报 for an application', async () => {
    await bot.say('郭振华', '奖补 申报 福源公寓 2万元');
    await bot.say('王局', '奖补 审核 福源公寓 1.5万元');
    expect(await subsidyRow(bot, '福源公寓')).toMatchObject({ state: '已审核', approved_fen: 1_500_000 });
    expect(textOf(await bot.say('王局', '撤销'))).toContain('已撤销您最近的修改：福源公寓的奖补已恢复为修改前的状态');
    expect(await subsidyRow(bot, '福源公寓')).toMatchObject({ state: '已申报', approved_fen: null, reviewed_on: null });
    expect(textOf(await bot.say('郭振华', '撤销'))).toContain('已撤销');
    expect(await subsidyRow(bot, '福源公寓')).toBeUndefined();
    expect(cardText((await bot.say('郭振华', '奖补 待申报'))[0]!.card)).toContain('福源公寓');
  });

  it('flags a 奖补 whose assessment was corrected to a fail, and stops it there', async () => {
    await bot.say('郭振华', '奖补 申报 福源公寓 2万元');
    await bot.say('王局', `考核 福源公寓 ${FAIL}`);
    expect(cardText((await bot.say('郭振华', '奖补'))[0]!.card)).toContain('考核已改为不合格');
    expect(textOf(await bot.say('王局', '奖补 审核 福源公寓'))).toContain('未达到合格线');
    expect(await subsidyRow(bot, '福源公寓')).toMatchObject({ state: '已申报' });
  });

  it('shows community staff their own community only, and one compound on request', async () => {
    const mine = cardText((await bot.say('张三', '奖补'))[0]!.card);
    expect(mine).toContain('福源公寓');
    expect(mine).not.toContain('银山小区');
    expect(textOf(await bot.say('张三', '奖补 银山小区'))).toContain('您只能查看梅园社区的奖补');
    expect(textOf(await bot.say('郭振华', '奖补 福源公寓'))).toContain('福源公寓的奖补：\n- 2020年第四季度：待申报，考核86分');
  });
});
