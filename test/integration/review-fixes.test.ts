import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestBot, textOf, type TestBot } from '../support/harness.ts';

describe('review fixes', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await createTestBot({ now: '2020-09-28T10:00:00+08:00' });
    await bot.bind('张三', '社区 梅园社区');
  });
  afterEach(async () => {
    await bot.stop();
    await bot.close();
  });

  const actionsOf = async (name: string) =>
    (await bot.db
      .selectFrom('upgrade_actions').innerJoin('compounds', 'compounds.id', 'upgrade_actions.compound_id')
      .select(['upgrade_actions.action', 'upgrade_actions.state', 'upgrade_actions.note'])
      .where('compounds.name', '=', name).where('upgrade_actions.state', '!=', '未开始').execute())
      .map((r) => [r.action, r.state, r.note]);

  it('攻坚 sets the action named first; another action mentioned in the note is not the one changed', async () => {
    const r = await bot.say('张三', '攻坚 梅花园 道路设施 进行中 环境卫生已完成的基础上继续整改');
    expect(textOf(r)).toContain('已将梅花园的道路设施设为“进行中”');
    expect(await actionsOf('梅花园')).toEqual([['道路设施', '进行中', '环境卫生已完成的基础上继续整改']]);
  });
});
