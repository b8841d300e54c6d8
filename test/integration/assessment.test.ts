import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestBot, openIdOf, textOf, type TestBot } from '../support/harness.ts';
import { cardButtons, cardText } from '../support/recording-messenger.ts';
import { readSheets } from '../support/report-fixtures.ts';
import { renderReportFile } from '../../src/report/file.ts';

/** Scores for the default standard's nine items (max 20, 20, 10, 10, 10, 10, 10, 5, 5): 86 in all. */
const SCORES_86 = ['18', '17', '9', '8', '8', '9', '9', '4', '4'];
const form = (scores: string[], note?: string) => ({ ...Object.fromEntries(scores.map((s, i) => [`score${i}`, s])), ...(note ? { note } : {}) });

async function sheets(bot: TestBot, compound: string) {
  return bot.db
    .selectFrom('assessments').innerJoin('compounds', 'compounds.id', 'assessments.compound_id')
    .selectAll('assessments').where('compounds.name', '=', compound).orderBy('assessments.id').execute();
}

describe('考核: assessing in chat', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await createTestBot({ now: '2020-11-20T10:00:00+08:00' });
    await bot.bind('郭振华', '街道');
    await bot.bind('王局', '部门 区住建局');
    await bot.bind('卫健', '部门 区卫健局');
    await bot.bind('张三', '社区 梅园社区');
    await bot.bind('李组长', '领导');
    await bot.say('张三', '福源公寓已入驻，鑫安物业，外聘，9月20日进驻，负责人王强 13905321234');
    bot.messenger.clear();
  });
  afterEach(async () => {
    await bot.stop();
    await bot.close();
  });

  it('opens a form with every item of the standard, and records the submitted sheet with provenance and audit', async () => {
    const r = await bot.say('王局', '考核 福源公寓', { chat: '住建局群' });
    const card = r[0]!.card!;
    const text = cardText(card);
    expect(text).toContain('季度考核：福源公寓');
    expect(text).toContain('考核期：2020年第四季度');
    expect(text).toContain('物业企业：鑫安物业');
    expect(text).toContain('80 分及以上为合格');
    expect(text).toContain('默认标准');
    for (const item of ['合同履约（满分20）', '服务标准执行（满分20）', '收费标准（满分10）', '环境卫生（满分10）', '公示（满分5）', '投诉处理（满分5）']) expect(text).toContain(item);
    const submit = cardButtons(card).find((b) => b.label === '提交评分')!;
    expect(submit.name).toMatch(/^a:assessment\.submit:/);

    // Someone else in the group who is no assessor presses it: refused, nothing written.
    const stranger = await bot.press('张三', submit.value, { chat: '住建局群', formValue: form(SCORES_86) });
    expect(stranger.answer?.toast?.content).toContain('季度考核评分仅限管理员、街道、区住建局');
    expect(await sheets(bot, '福源公寓')).toHaveLength(0);
    const forged = await bot.press('王局', { a: 'assessment.submit', t: 'forged-token-0001' }, { formValue: form(SCORES_86) });
    expect(forged.answer?.toast?.content).toContain('卡片内容无效');
    const pressed = await bot.press('王局', submit.value, { chat: '住建局群', formValue: form(SCORES_86, '楼道卫生待改进') });
    expect(pressed.answer?.toast?.type).toBe('success');
    const result = cardText(pressed.answer!.card!);
    expect(result).toContain('总分：**86** / 100');
    expect(result).toContain('合格');
    expect(result).toContain('备注：楼道卫生待改进');
    expect(cardButtons(pressed.answer!.card!).map((b) => b.label)).toEqual(['撤销']);

    const [row] = await sheets(bot, '福源公寓');
    expect(row).toMatchObject({
      kind: 'quarterly', period: '2020Q4', company: '鑫安物业', total: 86, max_total: 100, pass_mark: 80, passed: 1,
      note: '楼道卫生待改进', assessed_by: openIdOf('王局'), source_kind: 'card', superseded_at: null,
    });
    expect(JSON.parse(row!.scores)).toEqual({ contract: 18, standard: 17, fees: 9, sanitation: 8, roads: 8, parking: 9, service: 9, disclosure: 4, complaints: 4 });
    const audit = await bot.db.selectFrom('audit_log').selectAll().where('entity', '=', 'assessment').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: openIdOf('王局'), action: 'assessment.record', source_kind: 'card' });
    expect(JSON.parse(audit[0]!.after!)).toMatchObject({ total: 86, passed: true });

    const again = await bot.press('王局', submit.value, { chat: '住建局群', formValue: form(SCORES_86) });
    expect(again.answer?.toast?.content).toContain('已处理过');
    expect(await sheets(bot, '福源公寓')).toHaveLength(1);
  });

  it('refuses a score above the maximum or a missing item, writes nothing, and keeps the form usable', async () => {
    const r = await bot.say('郭振华', '考核 福源公寓');
    const submit = cardButtons(r[0]!.card).find((b) => b.label === '提交评分')!;
    const over = await bot.press('郭振华', submit.value, { formValue: form(['25', ...SCORES_86.slice(1)]) });
    expect(over.answer?.toast?.type).toBe('error');
    expect(over.answer?.toast?.content).toContain('合同履约：25分超过满分20分');
    const missing = await bot.press('郭振华', submit.value, { formValue: form(SCORES_86.slice(0, 7)) });
    expect(missing.answer?.toast?.content).toContain('公示未打分');
    expect(missing.answer?.toast?.content).toContain('投诉处理未打分');
    const words = await bot.press('郭振华', submit.value, { formValue: form(['很好', ...SCORES_86.slice(1)]) });
    expect(words.answer?.toast?.content).toContain('“很好”不是分数');
    expect(await sheets(bot, '福源公寓')).toHaveLength(0);
    const ok = await bot.press('郭振华', submit.value, { formValue: form(SCORES_86) });
    expect(ok.answer?.toast?.type).toBe('success');
    expect(await sheets(bot, '福源公寓')).toHaveLength(1);
  });

  it('records scores typed in the message directly, fails a sheet under the pass mark, and 撤销 reverts it', async () => {
    const r = await bot.say('郭振华', '考核 梅花园 四季度 15 15 8 7 7 7 7 3 3');
    const text = cardText(r[0]!.card);
    expect(text).toContain('总分：**72** / 100');
    expect(text).toContain('不合格');
    expect((await sheets(bot, '梅花园'))[0]).toMatchObject({ total: 72, passed: 0, source_kind: 'message', period: '2020Q4' });

    const named = await bot.say('郭振华', '考核 欧亚城 合同履约18 服务标准执行18');
    expect(cardText(named[0]!.card)).toContain('逐项打分');
    expect(named[0]!.card!).toBeTruthy();
    expect(await sheets(bot, '欧亚城')).toHaveLength(0);

    const u = await bot.say('郭振华', '撤销');
    expect(textOf(u)).toContain('已撤销您最近的修改：梅花园的考核评分已恢复为修改前的状态');
    expect((await sheets(bot, '梅花园'))[0]!.superseded_at).not.toBeNull();
    const results = cardText((await bot.say('郭振华', '考核结果'))[0]!.card);
    expect(results).toContain("梅花园：<font color='grey'>未考核</font>");
  });

  it('keeps the earlier sheet when a re-assessment is undone from its card', async () => {
    await bot.say('郭振华', `考核 梅花园 ${SCORES_86.join(' ')}`);
    const second = await bot.say('王局', '考核 梅花园 20 20 10 10 10 10 10 5 5');
    expect(cardText(second[0]!.card)).toContain('已更正');
    expect(cardText(second[0]!.card)).toContain('总分：**100**');
    const rows = await sheets(bot, '梅花园');
    expect(rows.map((x) => [x.total, x.superseded_at === null])).toEqual([[86, false], [100, true]]);
    const undo = cardButtons(second[0]!.card).find((b) => b.label === '撤销')!;
    const pressed = await bot.press('王局', undo.value);
    expect(pressed.answer?.toast?.type).toBe('success');
    const after = await sheets(bot, '梅花园');
    expect(after.filter((x) => x.superseded_at === null).map((x) => x.total)).toEqual([86]);
    const audit = await bot.db.selectFrom('audit_log').select(['action', 'undo_of']).where('entity', '=', 'assessment').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['assessment.record', 'assessment.correct', 'undo']);
  });

  it('refuses a form submitted after someone else changed the sheet', async () => {
    const r = await bot.say('王局', '考核 梅花园');
    await bot.say('郭振华', `考核 梅花园 ${SCORES_86.join(' ')}`);
    const submit = cardButtons(r[0]!.card).find((b) => b.label === '提交评分')!;
    const late = await bot.press('王局', submit.value, { formValue: form(['20', ...SCORES_86.slice(1)]) });
    expect(late.answer?.toast?.content).toContain('已由郭振华更新');
    expect((await sheets(bot, '梅花园')).map((x) => x.total)).toEqual([86]);
  });

  it('lets only the assessors score, and says who may', async () => {
    expect(textOf(await bot.say('张三', '考核 福源公寓'))).toContain('“考核”不在您的权限范围内');
    expect(textOf(await bot.say('卫健', '考核 福源公寓'))).toContain('“考核”不在您的权限范围内');
    // A leader assesses the street (考核验收) but not a compound's quarter.
    expect(textOf(await bot.say('李组长', '考核 福源公寓'))).toContain('季度考核评分仅限管理员、街道、区住建局');
    const street = await bot.say('李组长', '考核 街道');
    expect(cardText(street[0]!.card)).toContain('考核验收：山城街道');
    expect(cardText(street[0]!.card)).toContain('全覆盖任务（满分25）');
    expect(textOf(await bot.say('郭振华', '考核 街道'))).toContain('考核验收评分仅限管理员、领导、区住建局');
    const helpFor = async (who: string) => textOf(await bot.say(who, '帮助'));
    expect(await helpFor('王局')).toContain('考核 小区|街道');
    expect(await helpFor('卫健')).not.toContain('考核 小区|街道');
    expect(await helpFor('张三')).not.toContain('考核 小区|街道');
    expect(await helpFor('张三')).toContain('考核结果');
    expect(await bot.db.selectFrom('assessments').selectAll().execute()).toHaveLength(0);
  });

  it('does not assess a compound that has no property management yet, nor a quarter that has not begun', async () => {
    expect(textOf(await bot.say('郭振华', '考核 建行宿舍'))).toContain('尚未实施物业管理');
    expect(textOf(await bot.say('郭振华', '考核 福源公寓 2021年第一季度'))).toContain('2021年第一季度还没有开始');
    expect(textOf(await bot.say('郭振华', '考核 福源公寓 2020年第二季度'))).toContain('早于本次活动');
    expect(textOf(await bot.say('郭振华', '考核 梅花圆'))).toContain('梅花园');
  });

  it('lists results by community, scoped for community staff', async () => {
    await bot.say('郭振华', `考核 福源公寓 ${SCORES_86.join(' ')}`);
    await bot.say('郭振华', '考核 锦绣花园 10 10 5 5 5 5 5 2 2');
    const all = cardText((await bot.say('郭振华', '考核结果'))[0]!.card);
    expect(all).toContain('2020年第四季度考核结果：山城街道');
    expect(all).toContain('已考核 **2/21**，合格 1，不合格 1，未考核 19');
    expect(all).toContain('福源公寓：86分 合格（鑫安物业）');
    expect(all).toContain('锦绣花园：49分');
    expect(all).toContain('考核验收（山城街道）：未考核');
    const mine = cardText((await bot.say('张三', '考核结果', { chat: '梅园社区' }))[0]!.card);
    expect(mine).toContain('已考核 **1/3**');
    expect(mine).not.toContain('锦绣花园');
    expect(textOf(await bot.say('张三', '考核结果 紫薇社区'))).toContain('您只能查看梅园社区的考核结果');
    // The 调度表's 季度考核 sheet: the sheets in force, then what is left, one line per community.
    const { deps } = bot.runtime;
    const { rows } = await readSheets((await renderReportFile(bot.db, deps.campaign, deps.calendar, null, bot.clock.now())).data);
    const sheet = rows('季度考核');
    expect(sheet.filter((r) => /^\d+$/.test(r[0]!)).map((r) => [r[3], r[4], r[14], r[15]])).toEqual([['福源公寓', '鑫安物业', '86', '合格'], ['锦绣花园', '', '49', '不合格']]);
    const lines = sheet.map((r) => r[0]!);
    expect(lines).toContain('2020年第四季度尚未考核 19 个：');
    expect(lines.find((l) => l.startsWith('梅园社区（2）：'))).toBe('梅园社区（2）：梅花园、龙珠百合');
    expect(rows('考核验收').map((r) => r[0])).toContain('本次活动尚未考核 1 个：');
    const q3 = cardText((await bot.say('郭振华', '考核结果 三季度'))[0]!.card);
    expect(q3).toContain('2020年第三季度');
    expect(q3).toContain('已考核 **0/');
  });
});
