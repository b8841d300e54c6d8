import { afterEach, describe, expect, it } from 'vitest';
import { createTestBot, openIdOf, type TestBot } from '../support/harness.ts';
import { cardText } from '../support/recording-messenger.ts';
import { setUpReminderUnits, tickAt } from '../support/reminders.ts';

describe('the prompt card', () => {
  let bot: TestBot;
  afterEach(async () => {
    await bot.stop();
    await bot.close();
  });

  it('shows each compound with its current status and missing fields, phones masked, mentioning every bound staff member', async () => {
    bot = await createTestBot({ now: '2020-10-13T18:00:00+08:00' });
    await setUpReminderUnits(bot);
    await bot.bind('王五', '社区 梅园社区');
    const fuyuan = await bot.db.selectFrom('compounds').select('id').where('name', '=', '福源公寓').executeTakeFirstOrThrow();
    await bot.db.insertInto('takeovers').values({
      compound_id: fuyuan.id, company: '鑫安物业', nature: '外聘', start_date: '2020-09-20', services: '["保洁","保安"]', manager: '王强',
      phone: '13905321234', remarks: null, recorded_at: bot.clock.now().toISOString(), recorded_by: 'test', source_kind: 'test',
      source_ref: null, source_chat: null, superseded_at: null,
    }).execute();
    await bot.db.updateTable('compounds').set({ category: 2 }).where('name', '=', '梅花园').execute();
    await bot.db.updateTable('compounds').set({ category: 1 }).where('name', '=', '福源公寓').execute();

    const sent = await tickAt(bot, '2020-10-14T09:00:00+08:00');
    const card = sent.find((s) => s.purpose === 'report-prompt' && s.card && cardText(s.card).includes('梅园社区'))!.card!;
    const text = cardText(card);
    expect(text).toContain(`<at id=${openIdOf('张三')}></at> <at id=${openIdOf('王五')}></at>`);
    expect(text).toContain('本期调度表将于**10月15日**报送');
    expect(text).toContain('鑫安物业 · 外聘 · 2020-09-20入驻 · 负责人王强 139****1234');
    expect(text).not.toContain('13905321234');
    const lines = text.split('\n');
    expect(lines[lines.findIndex((l) => l.startsWith('**福源公寓**')) + 2]).toContain('信息完整');
    expect(lines[lines.findIndex((l) => l.startsWith('**梅花园**')) + 1]).toContain('类别2 · 攻坚已完成0/4');
    expect(lines[lines.findIndex((l) => l.startsWith('**梅花园**')) + 2]).toContain('待补：物业企业、物业管理性质、入驻时间、服务内容、负责人、联系电话');
    expect(text).toContain('其中 11 个待补充');
  });
});
