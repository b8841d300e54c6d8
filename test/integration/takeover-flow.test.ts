import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestBot, openIdOf, textOf, type TestBot } from '../support/harness.ts';
import { cardButtons, cardText } from '../support/recording-messenger.ts';

const REPORT = '福源公寓已入驻，鑫安物业，外聘，9月20日进驻，负责人王强 13905321234';

async function takeoverOf(bot: TestBot, name: string) {
  return bot.db
    .selectFrom('takeovers').innerJoin('compounds', 'compounds.id', 'takeovers.compound_id')
    .selectAll('takeovers').where('compounds.name', '=', name).where('takeovers.superseded_at', 'is', null)
    .executeTakeFirst();
}
const count = async (bot: TestBot, table: 'takeovers' | 'audit_log') =>
  Number((await bot.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe('takeover reporting from chat', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await createTestBot({ now: '2020-09-28T10:00:00+08:00', env: { API_TOKEN: 't' } });
    await bot.bind('张三', '社区 梅园社区');
  });
  afterEach(async () => {
    await bot.stop();
    await bot.close();
  });

  it('records a report written without a command word and shows it in the API and the progress', async () => {
    const port = await bot.runtime.listen(0, '127.0.0.1');
    const get = (path: string) => fetch(`http://127.0.0.1:${port}${path}`, { headers: { Authorization: 'Bearer t' } }).then((r) => r.json());
    const before = (await get('/api/v1/progress')) as { coverage: { covered: number } };

    const r = await bot.say('张三', REPORT, { chat: '梅园社区工作群' });
    expect(r).toHaveLength(1);
    const text = cardText(r[0]!.card);
    expect(text).toContain('已记录');
    expect(text).toContain('鑫安物业');
    expect(text).toContain('139****1234');
    expect(text).not.toContain('13905321234');
    expect(cardButtons(r[0]!.card).map((b) => b.label)).toContain('撤销');

    const compounds = (await get('/api/v1/compounds')) as Array<{ name: string; takeover: unknown }>;
    expect(compounds.find((c) => c.name === '福源公寓')!.takeover).toEqual({
      company: '鑫安物业', nature: '外聘', startDate: '2020-09-20', services: [], manager: '王强', phone: '13905321234', remarks: null,
    });
    const after = (await get('/api/v1/progress')) as { coverage: { covered: number } };
    expect(after.coverage.covered).toBe(before.coverage.covered + 1);

    const row = (await takeoverOf(bot, '福源公寓'))!;
    expect(row.recorded_by).toBe(openIdOf('张三'));
    expect(row.source_kind).toBe('message');
    expect(row.source_ref).toMatch(/^om_test_in_/);
    const audit = await bot.db.selectFrom('audit_log').selectAll().where('entity', '=', 'takeover').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toBe(openIdOf('张三'));
    expect(audit[0]!.before).toBe('null');
    expect(JSON.parse(audit[0]!.after!)).toMatchObject({ company: '鑫安物业', phone: '13905321234' });
  });

  it('shows the whole phone number in a direct chat', async () => {
    const r = await bot.say('张三', REPORT);
    expect(cardText(r[0]!.card)).toContain('13905321234');
  });

  it('refuses a report about another community’s compound, says why and changes nothing', async () => {
    const r = await bot.say('张三', '银山小区已入驻，鑫安物业，外聘，9月20日进驻，负责人王强 13905321234', { chat: '梅园社区工作群' });
    expect(textOf(r)).toContain('您绑定的是梅园社区，不能修改紫薇社区的小区数据');
    expect(await count(bot, 'takeovers')).toBe(0);
    expect(await bot.db.selectFrom('audit_log').selectAll().where('entity', '=', 'takeover').execute()).toHaveLength(0);
  });

  it('asks which compound when none is named, offering the person’s community, and writes only after the choice', async () => {
    const r = await bot.say('张三', '已入驻，鑫安物业，外聘，9月20日进驻');
    const card = r[0]!.card;
    expect(cardText(card)).toContain('请选择');
    const labels = cardButtons(card).map((b) => b.label);
    expect(labels).toContain('福源公寓');
    expect(labels).toContain('梅花园');
    expect(labels).not.toContain('银山小区');
    expect(await count(bot, 'takeovers')).toBe(0);

    const pick = cardButtons(card).find((b) => b.label === '建行宿舍')!;
    const pressed = await bot.press('张三', pick.value);
    expect(pressed.answer?.toast?.type).toBe('success');
    expect(cardText(pressed.answer!.card!)).toContain('已记录');
    const row = (await takeoverOf(bot, '建行宿舍'))!;
    expect(row).toMatchObject({ company: '鑫安物业', nature: '外聘', start_date: '2020-09-20', source_kind: 'card' });
  });

  it('gives each of two compounds its own reading on one card, records one per button, and refuses a tampered press', async () => {
    const r = await bot.say('张三', '福源公寓 鑫安物业 9月20日；建行宿舍 金盾物业 9月21日', { chat: '梅园社区工作群' });
    const card = r[0]!.card;
    expect(cardText(card)).toContain('2个小区');
    const buttons = cardButtons(card);
    expect(buttons.map((b) => b.label)).toEqual(['确认记录福源公寓', '确认记录建行宿舍']);
    expect(await count(bot, 'takeovers')).toBe(0);

    const tampered = await bot.press('张三', { ...buttons[1]!.value, t: 'not-a-real-token-0000' }, { chat: '梅园社区工作群' });
    expect(tampered.answer?.toast?.content).toContain('无效');
    expect(await count(bot, 'takeovers')).toBe(0);

    const second = await bot.press('张三', buttons[1]!.value, { chat: '梅园社区工作群' });
    expect(second.answer?.toast?.type).toBe('success');
    // Only 建行宿舍 is written, with its own words: 金盾物业 and 9月21日, never 福源公寓's.
    expect(await takeoverOf(bot, '建行宿舍')).toMatchObject({ company: '金盾物业', start_date: '2020-09-21' });
    expect(await takeoverOf(bot, '福源公寓')).toBeUndefined();
    // The recorded card (with 撤销) goes to the group; the card left shows the other compound still to confirm.
    expect(cardButtons(second.sent[0]!.card).map((b) => b.label)).toContain('撤销');
    const rest = cardButtons(second.answer!.card!);
    expect(rest.map((b) => b.label)).toEqual(['确认记录福源公寓']);
    expect(cardText(second.answer!.card!)).toContain('已记录');

    await bot.press('张三', rest[0]!.value, { chat: '梅园社区工作群' });
    expect(await takeoverOf(bot, '福源公寓')).toMatchObject({ company: '鑫安物业', start_date: '2020-09-20' });
    expect(await count(bot, 'takeovers')).toBe(2);
    // The first card's buttons were single-use.
    expect((await bot.press('张三', buttons[0]!.value, { chat: '梅园社区工作群' })).answer?.toast?.type).toBe('error');
    expect(await count(bot, 'takeovers')).toBe(2);
  });

  it('writes once when a confirmation button is pressed twice', async () => {
    const r = await bot.say('张三', '福源公寓已入驻 鑫安物业');
    expect(cardText(r[0]!.card)).toContain('入驻时间');
    const submit = cardButtons(r[0]!.card).find((b) => b.label === '确认记录')!;
    const first = await bot.press('张三', submit.value, { formValue: { startDate: '9月20日' } });
    expect(first.answer?.toast?.type).toBe('success');
    const second = await bot.press('张三', submit.value, { formValue: { startDate: '9月21日' } });
    expect(second.answer?.toast?.type).toBe('error');
    expect(second.answer?.toast?.content).toContain('已处理过');
    expect(await count(bot, 'takeovers')).toBe(1);
    expect((await takeoverOf(bot, '福源公寓'))!.start_date).toBe('2020-09-20');
  });

  it('undoes an edit back to the earlier value, with both steps in the audit log', async () => {
    await bot.say('张三', REPORT);
    await bot.say('张三', '福源公寓 负责人改为李四 13800000001');
    expect((await takeoverOf(bot, '福源公寓'))!).toMatchObject({ manager: '李四', phone: '13800000001', company: '鑫安物业', start_date: '2020-09-20' });
    expect(await count(bot, 'takeovers')).toBe(2);

    const u = await bot.say('张三', '撤销');
    expect(textOf(u)).toContain('已撤销');
    expect((await takeoverOf(bot, '福源公寓'))!).toMatchObject({ manager: '王强', phone: '13905321234' });

    const audit = await bot.db.selectFrom('audit_log').selectAll().where('entity', '=', 'takeover').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['takeover.record', 'takeover.correct', 'undo']);
    expect(audit[1]!.undone_at).not.toBeNull();
    expect(audit[2]!.undo_of).toBe(audit[1]!.id);
    expect(JSON.parse(audit[2]!.after!)).toMatchObject({ manager: '王强' });
  });

  it('will not undo a change someone else has changed since, and says why', async () => {
    await bot.bind('李四', '街道');
    await bot.say('张三', '类别 福源公寓 2');
    await bot.say('李四', '类别 福源公寓 3');
    const u = await bot.say('张三', '撤销');
    expect(textOf(u)).toContain('不能撤销');
    expect(textOf(u)).toContain('李四');
    const c = await bot.db.selectFrom('compounds').select('category').where('name', '=', '福源公寓').executeTakeFirstOrThrow();
    expect(c.category).toBe(3);
  });

  it('undoes from the result card’s button once', async () => {
    const r = await bot.say('张三', REPORT);
    const undo = cardButtons(r[0]!.card).find((b) => b.label === '撤销')!;
    const first = await bot.press('张三', undo.value);
    expect(first.answer?.toast?.type).toBe('success');
    expect(await takeoverOf(bot, '福源公寓')).toBeUndefined();
    const second = await bot.press('张三', undo.value);
    expect(second.answer?.toast?.type).toBe('error');
  });
});
