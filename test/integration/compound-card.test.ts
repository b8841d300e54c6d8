import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestBot, textOf, type TestBot } from '../support/harness.ts';
import { cardButtons, cardText } from '../support/recording-messenger.ts';

const REPORT = '福源公寓已入驻，鑫安物业，外聘，9月20日进驻，负责人王强 13905321234';

describe('compound card, categories and actions', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await createTestBot({ now: '2020-09-28T10:00:00+08:00' });
    await bot.bind('张三', '社区 梅园社区');
    await bot.bind('赵六', '社区 紫薇社区');
    await bot.bind('周八', '领导');
  });
  afterEach(async () => {
    await bot.stop();
    await bot.close();
  });

  const categoryOf = async (name: string) =>
    (await bot.db.selectFrom('compounds').select('category').where('name', '=', name).executeTakeFirstOrThrow()).category;

  it('shows track, category, takeover and history; the phone is masked in groups and whole in direct chats', async () => {
    await bot.say('张三', REPORT);
    await bot.say('张三', '类别 福源公寓 二类');
    const group = cardText((await bot.say('张三', '小区 福源公寓', { chat: '梅园社区工作群' }))[0]!.card);
    expect(group).toContain('全覆盖任务');
    expect(group).toContain('类别：二类');
    expect(group).toContain('鑫安物业');
    expect(group).toContain('139****1234');
    expect(group).not.toContain('13905321234');
    expect(group).toContain('最近修改');
    expect(group).toContain('类别设为二类');
    const direct = cardText((await bot.say('张三', 'compound 福源公寓'))[0]!.card);
    expect(direct).toContain('13905321234');
  });

  it('shows the four actions of an upgrade compound and sets them with 攻坚', async () => {
    const r = await bot.say('张三', '攻坚 梅花园 环境卫生 已完成');
    expect(textOf(r)).toContain('已将梅花园的环境卫生设为“已完成”');
    await bot.say('张三', '攻坚 梅花园 停车 进行中 正在划线');
    const rows = await bot.db
      .selectFrom('upgrade_actions').innerJoin('compounds', 'compounds.id', 'upgrade_actions.compound_id').selectAll('upgrade_actions')
      .where('compounds.name', '=', '梅花园').where('upgrade_actions.state', '!=', '未开始').orderBy('upgrade_actions.action').execute();
    expect(rows.map((x) => [x.action, x.state, x.note])).toEqual([['环境卫生', '已完成', null], ['车辆停放', '进行中', '正在划线']]);
    const text = cardText((await bot.say('张三', '小区 梅花园'))[0]!.card);
    expect(text).toContain('环境卫生：✅已完成');
    expect(text).toContain('车辆停放：🔄进行中');
    expect(text).toContain('道路设施：⬜未开始');
    expect(textOf(await bot.say('张三', '撤销'))).toContain('梅花园的车辆停放由“进行中”恢复为：未开始');
    const parking = await bot.db
      .selectFrom('upgrade_actions').innerJoin('compounds', 'compounds.id', 'upgrade_actions.compound_id').select(['state', 'note'])
      .where('compounds.name', '=', '梅花园').where('upgrade_actions.action', '=', '车辆停放').executeTakeFirstOrThrow();
    expect(parking).toEqual({ state: '未开始', note: null });
    const wrong = await bot.say('张三', '攻坚 福源公寓 环境卫生 已完成');
    expect(textOf(wrong)).toContain('没有攻坚行动');
  });

  it('refuses a category outside 1-3 with the usage line, and another community’s compound with the reason', async () => {
    expect(textOf(await bot.say('张三', '类别 福源公寓 4'))).toContain('用法：类别 小区 1|2|3');
    expect(textOf(await bot.say('张三', '类别 银山小区 2'))).toContain('不能修改紫薇社区的小区数据');
    expect(await categoryOf('银山小区')).toBeNull();
    expect(textOf(await bot.say('张三', '类别 欧情 2'))).toContain('欧情豪庭');
  });

  it('undoes the last two category changes in turn, each audited', async () => {
    await bot.say('张三', '类别 福源公寓 1');
    await bot.say('张三', '类别 福源公寓 3');
    expect(textOf(await bot.say('张三', 'undo'))).toContain('已撤销');
    expect(await categoryOf('福源公寓')).toBe(1);
    expect(textOf(await bot.say('张三', '撤销'))).toContain('已撤销');
    expect(await categoryOf('福源公寓')).toBeNull();
    expect(textOf(await bot.say('张三', '撤销'))).toContain('没有可以撤销');
    const audit = await bot.db.selectFrom('audit_log').selectAll().where('entity', '=', 'category').orderBy('id').execute();
    expect(audit.map((a) => [a.action, a.undone_at !== null])).toEqual([['category.set', true], ['category.set', true], ['undo', false], ['undo', false]]);
  });

  it('saves the edit form once, and refuses a stale card', async () => {
    await bot.say('张三', REPORT);
    const card = (await bot.say('张三', '小区 福源公寓'))[0]!.card;
    const save = cardButtons(card).find((b) => b.label === '保存')!;
    const stale = cardButtons((await bot.say('张三', '小区 福源公寓'))[0]!.card).find((b) => b.label === '保存')!;
    const r = await bot.press('张三', save.value, { formValue: { category: '2', manager: '李四', phone: '0632-8869917' } });
    expect(r.answer?.toast?.type).toBe('success');
    expect(cardText(r.answer!.card!)).toContain('李四');
    const t = await bot.db.selectFrom('takeovers').selectAll().where('superseded_at', 'is', null).executeTakeFirstOrThrow();
    expect([t.manager, t.phone, t.company, t.start_date]).toEqual(['李四', '0632-8869917', '鑫安物业', '2020-09-20']);
    expect(await categoryOf('福源公寓')).toBe(2);
    const again = await bot.press('张三', save.value, { formValue: { manager: '王五' } });
    expect(again.answer?.toast?.content).toContain('已处理过');
    const old = await bot.press('张三', stale.value, { formValue: { manager: '王五' } });
    expect(old.answer?.toast?.content).toContain('已有更新');
    const now = await bot.db.selectFrom('takeovers').select('manager').where('superseded_at', 'is', null).executeTakeFirstOrThrow();
    expect(now.manager).toBe('李四');
    // Both changes of the save are one change for 撤销.
    await bot.say('张三', '撤销');
    expect(await categoryOf('福源公寓')).toBeNull();
    expect((await bot.db.selectFrom('takeovers').select('manager').where('superseded_at', 'is', null).executeTakeFirstOrThrow()).manager).toBe('王强');
  });

  it('refuses a tampered card value and changes nothing', async () => {
    const r = await bot.press('张三', { a: 'takeover.confirm', t: 'not-a-real-token-xx' });
    expect(r.answer?.toast?.content).toContain('无效');
    const r2 = await bot.press('张三', { a: 'compound.edit', t: 'forged-token-12345' }, { formValue: { category: '1' } });
    expect(r2.answer?.toast?.content).toContain('无效');
    expect(await categoryOf('福源公寓')).toBeNull();
  });

  it('opens the compound card from another card, scope-checked, without a token', async () => {
    const id = (await bot.db.selectFrom('compounds').select('id').where('name', '=', '福源公寓').executeTakeFirstOrThrow()).id;
    const r = await bot.press('张三', { a: 'compound.open', c: id }, { chat: '梅园社区工作群' });
    expect(r.answer?.toast?.type).toBe('info');
    expect(cardText(r.sent[0]!.card)).toContain('福源公寓');
    const other = await bot.press('赵六', { a: 'compound.open', c: id });
    expect(other.answer?.toast?.type).toBe('error');
    expect(other.sent).toHaveLength(0);
  });

  it('lets a leader read a compound card without an edit form, and refuses the leader’s change', async () => {
    const card = (await bot.say('周八', '小区 福源公寓'))[0]!.card;
    expect(cardButtons(card).map((b) => b.label)).not.toContain('保存');
    expect(textOf(await bot.say('周八', '类别 福源公寓 2'))).toContain('权限');
  });

  it('leaves group messages that do not mention the bot alone', async () => {
    const r = await bot.say('张三', REPORT, { chat: '梅园社区工作群', mention: false });
    expect(r).toHaveLength(0);
    expect(await bot.db.selectFrom('takeovers').selectAll().execute()).toHaveLength(0);
  });
});
