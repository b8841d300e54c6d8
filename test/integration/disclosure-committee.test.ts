import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestBot, openIdOf, textOf, type TestBot } from '../support/harness.ts';
import { cardText } from '../support/recording-messenger.ts';
import { computeProgress } from '../../src/domain/progress.ts';

async function disclosures(bot: TestBot, compound: string) {
  const rows = await bot.db.selectFrom('compound_disclosures').innerJoin('compounds', 'compounds.id', 'compound_disclosures.compound_id')
    .selectAll('compound_disclosures').where('compounds.name', '=', compound).orderBy('compound_disclosures.id').execute();
  return Object.fromEntries(rows.map((r) => [r.item, r.state]));
}
const committee = (bot: TestBot, compound: string) =>
  bot.db.selectFrom('compound_committees').innerJoin('compounds', 'compounds.id', 'compound_committees.compound_id')
    .selectAll('compound_committees').where('compounds.name', '=', compound).executeTakeFirst();
const auditCount = async (bot: TestBot) => (await bot.db.selectFrom('audit_log').select('id').where('entity', 'in', ['disclosure', 'committee']).execute()).length;

describe('公示 and 业委会 per compound', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await createTestBot({ now: '2020-10-28T10:00:00+08:00' });
    await bot.bind('张三', '社区 梅园社区');
    await bot.bind('郭振华', '街道');
    await bot.bind('李组长', '领导');
  });
  afterEach(async () => {
    await bot.stop();
    await bot.close();
  });

  it('records 公示 items by command, shows them, and undoes them', async () => {
    expect(textOf(await bot.say('张三', '公示 福源公寓 收费 已公示', { chat: '梅园社区' }))).toContain('已记录福源公寓：收费已公示。目前 1/4 项已公示');
    const row = await bot.db.selectFrom('compound_disclosures').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ item: '收费', state: '已公示', updated_by: openIdOf('张三'), source_kind: 'message' });
    expect(textOf(await bot.say('张三', '公示 福源公寓 服务内容、投诉电话 已公示 10月20日'))).toContain('服务内容、投诉渠道已公示（10月20日）');
    expect(textOf(await bot.say('张三', '公示 福源公寓 收费 已公示'))).toContain('已经是“已公示”，无需修改');
    const shown = textOf(await bot.say('张三', '公示 福源公寓'));
    expect(shown).toContain('福源公寓公示情况（3/4 项已公示）');
    expect(shown).toContain('- 服务内容：已公示（10月20日）');
    expect(shown).toContain('- 公共收益：未登记');
    expect(textOf(await bot.say('张三', '撤销'))).toContain('已撤销您最近的修改：福源公寓的公示已恢复为修改前的状态');
    expect(await disclosures(bot, '福源公寓')).toEqual({ 收费: '已公示' });
    expect(textOf(await bot.say('张三', '公示 福源公寓 全部 已公示'))).toContain('目前 4/4 项已公示');
    expect(textOf(await bot.say('张三', '公示 福源公寓 公共收益 未公示'))).toContain('公共收益未公示');
    expect(textOf(await bot.say('张三', '公示 福源公寓 已公示'))).toContain('请写明公示项目');
    expect(textOf(await bot.say('张三', '公示 福源公寓 收费'))).toContain('请写明“已公示”或“未公示”');
  });

  it('records the 业委会 state with its date, refuses a future date, and undoes back to the state before', async () => {
    expect(textOf(await bot.say('张三', '业委会 福源公寓 已成立 10月20日'))).toContain('已记录福源公寓业委会：已成立（10月20日）');
    expect(await committee(bot, '福源公寓')).toMatchObject({ state: '已成立', on_date: '2020-10-20', updated_by: openIdOf('张三') });
    expect(textOf(await bot.say('张三', '业委会 福源公寓 已备案 11月2日'))).toContain('晚于今天');
    expect(textOf(await bot.say('张三', '业委会 福源公寓 备案'))).toContain('已备案（原为“已成立”）');
    expect(textOf(await bot.say('张三', '业委会 福源公寓'))).toContain('福源公寓业委会：已备案');
    await bot.say('张三', '撤销');
    expect(await committee(bot, '福源公寓')).toMatchObject({ state: '已成立', on_date: '2020-10-20' });
    expect(textOf(await bot.say('张三', '业委会 福源公寓 筹备中 已成立'))).toContain('请只写一个状态');
    const summary = textOf(await bot.say('张三', '业委会'));
    expect(summary).toContain('业委会情况（共 12 个小区');
    expect(summary).toContain('- 已成立（1）：福源公寓');
    expect(summary).toContain('- 未成立（11）');
  });

  it('understands plain statements without a command word, and nothing else', async () => {
    expect(textOf(await bot.say('张三', '福源公寓业委会已成立', { chat: '梅园社区' }))).toContain('已记录福源公寓业委会：已成立');
    expect(textOf(await bot.say('张三', '建行宿舍业委会10月25日正式成立', { chat: '梅园社区' }))).toContain('已成立（10月25日）');
    expect(textOf(await bot.say('张三', '安居小区业委会正在筹备', { chat: '梅园社区' }))).toContain('安居小区业委会：筹备中');
    expect(textOf(await bot.say('张三', '福源公寓收费标准已公示', { chat: '梅园社区' }))).toContain('收费已公示');
    // 投诉 here is the 公示 item 投诉渠道, not a grievance.
    expect(textOf(await bot.say('张三', '福源公寓投诉电话已经公示', { chat: '梅园社区' }))).toContain('投诉渠道已公示');
    expect(await bot.db.selectFrom('grievances').selectAll().execute()).toHaveLength(0);
    const before = await auditCount(bot);
    // A question, two compounds, or a takeover report: not written as 公示 / 业委会.
    await bot.say('张三', '福源公寓业委会成立了吗？', { chat: '梅园社区' });
    expect(textOf(await bot.say('张三', '福源公寓、福临公寓业委会都已成立', { chat: '梅园社区' }))).toContain('未作记录');
    const takeover = await bot.say('张三', '医院宿舍 业委会自管 10.8', { chat: '梅园社区' });
    expect(cardText(takeover[0]!.card)).toContain('已记录入驻信息');
    expect(await auditCount(bot)).toBe(before);
    expect(await committee(bot, '医院宿舍')).toBeUndefined();
  });

  it('keeps each person to the compounds they may write', async () => {
    expect(textOf(await bot.say('张三', '业委会 银山小区 已成立'))).toContain('您绑定的是梅园社区，不能修改紫薇社区的小区数据');
    expect(textOf(await bot.say('张三', '银山小区业委会已成立'))).toContain('不能修改紫薇社区');
    expect(textOf(await bot.say('李组长', '公示 福源公寓 收费 已公示'))).toContain('领导角色只能查看数据');
    expect(textOf(await bot.say('李组长', '公示 福源公寓'))).toContain('福源公寓公示情况');
    expect(textOf(await bot.say('郭振华', '业委会 银山小区 已成立'))).toContain('已记录银山小区业委会');
    expect(await auditCount(bot)).toBe(1);
  });

  it('shows both on the compound card, with their history', async () => {
    await bot.say('张三', '公示 福源公寓 收费、服务内容 已公示');
    await bot.say('张三', '业委会 福源公寓 已成立 10月20日');
    const text = cardText((await bot.say('张三', '小区 福源公寓'))[0]!.card);
    expect(text).toContain('**公示**（2/4）：✅服务内容 ✅收费 ⬜公共收益 ⬜投诉渠道');
    expect(text).toContain('**业委会**：已成立（10月20日）');
    expect(text).toContain('业委会：已成立');
    expect(text).toContain('收费公示：已公示');
  });

  it('counts both in 进度, for the street and for one community', async () => {
    await bot.say('张三', '公示 福源公寓 全部 已公示');
    await bot.say('张三', '公示 建行宿舍 收费 已公示');
    await bot.say('张三', '业委会 福源公寓 已成立');
    await bot.say('张三', '业委会 建行宿舍 已备案');
    await bot.say('郭振华', '业委会 银山小区 筹备中');
    const p = await computeProgress(bot.runtime.deps, bot.clock.now());
    expect(p.disclosure).toEqual({ items: ['服务内容', '收费', '公共收益', '投诉渠道'], total: 41, complete: 1, byItem: { 服务内容: 1, 收费: 2, 公共收益: 1, 投诉渠道: 1 } });
    expect(p.committees).toEqual({ total: 41, 未成立: 38, 筹备中: 1, 已成立: 1, 已备案: 1 });
    const meiyuan = await computeProgress(bot.runtime.deps, bot.clock.now(), { communityId: (await bot.db.selectFrom('communities').select('id').where('name', '=', '梅园社区').executeTakeFirstOrThrow()).id });
    expect(meiyuan.committees).toEqual({ total: 12, 未成立: 10, 筹备中: 0, 已成立: 1, 已备案: 1 });
    // A change is counted at once (the counts are reused only while nothing changed).
    await bot.say('张三', '撤销');
    expect((await computeProgress(bot.runtime.deps, bot.clock.now())).committees.已备案).toBe(0);
    const card = cardText((await bot.say('郭振华', '进度'))[0]!.card);
    expect(card).toContain('**公示**：1/41 个小区各项已公示');
    expect(card).toContain('**业委会**：已成立 1 个（其中已备案 0），筹备中 1');
    expect(card).toContain('**2020年第四季度考核**：已考核 0/20，合格 0');
    expect(card).toContain('**奖补**：待申报 0，已申报 0，已审核 0，已兑现 0（0元）');
  });
});
