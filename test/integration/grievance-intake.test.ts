import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { textOf, type TestBot } from '../support/harness.ts';
import { cardButtons, cardText } from '../support/recording-messenger.ts';
import { grievanceBot, grievanceRow, toChat } from '../support/grievance-setup.ts';
import { looksLikeGrievance } from '../../commands/grievance.ts';

const grievanceCount = async (bot: TestBot) => (await bot.db.selectFrom('grievances').select('id').execute()).length;

describe('grievance intake without a command word, choices, and 待办', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await grievanceBot();
  });
  afterEach(async () => {
    await bot.stop();
    await bot.close();
  });

  it('claims residents\' problems but never takeover reports', () => {
    for (const t of ['锦绣花园3号楼电梯坏了，居民反映多次', '欧亚城地下室老鼠很多', '桂花园楼上装修噪音扰民', '福地公寓停水两天了', '银山小区下水道堵了']) {
      expect(looksLikeGrievance(t)).toBe(true);
    }
    for (const t of [
      '福源公寓已入驻，鑫安物业，外聘，9月20日进驻，负责人王强 13905321234',
      '药材宿舍 社区兜底 10.8',
      '银山小区 鑫安物业服务有限公司 负责人李明 13905321234',
      '进度',
    ]) {
      expect(looksLikeGrievance(t)).toBe(false);
    }
  });

  it('records a grievance written without a command word in the community group', async () => {
    const r = await bot.say('紫薇员', '锦绣花园3号楼电梯坏了，居民反映多次', { chat: '紫薇群' });
    expect(textOf(r.filter((s) => s.op === 'reply'))).toContain('已登记诉求 T0001：锦绣花园（紫薇社区）');
    expect(toChat(r, '市场监管局群')).toHaveLength(1);
    const row = await grievanceRow(bot, 'T0001');
    expect(row.text).toBe('3号楼电梯坏了，居民反映多次');
    expect(row.rule_code).toBe('elevator');
  });

  it('masks a resident\'s phone number in group chats but keeps it whole in the record', async () => {
    const r = await bot.say('紫薇员', '投诉 锦绣花园 电梯困人，业主电话 13905321234', { chat: '紫薇群' });
    const all = JSON.stringify(r);
    expect(all).not.toContain('13905321234');
    expect(cardText(toChat(r, '市场监管局群')[0]!.card)).toContain('139****1234');
    expect((await grievanceRow(bot, 'T0001')).text).toBe('电梯困人，业主电话 13905321234');
  });

  it('asks which compound when several fit, writes nothing until one is chosen', async () => {
    const r = await bot.say('紫薇员', '锦绣花园和御景公馆之间的路灯坏了', { chat: '紫薇群' });
    expect(await grievanceCount(bot)).toBe(0);
    const card = r[0]!.card!;
    expect(cardText(card)).toContain('请选择诉求所在小区');
    const choice = cardButtons(card).find((b) => b.label.startsWith('御景公馆'))!;
    expect(choice).toBeDefined();

    expect((await bot.press('梅园员', choice.value, { chat: '紫薇群' })).answer?.toast?.type).toBe('error');
    expect(await grievanceCount(bot)).toBe(0);

    const picked = await bot.press('紫薇员', choice.value, { chat: '紫薇群' });
    expect(picked.answer?.toast?.content).toContain('已登记诉求 T0001');
    expect((await bot.db.selectFrom('grievances').innerJoin('compounds', 'compounds.id', 'grievances.compound_id').select('compounds.name').execute())).toEqual([{ name: '御景公馆' }]);
    expect((await bot.press('紫薇员', choice.value, { chat: '紫薇群' })).answer?.toast?.type).toBe('error');
    expect(await grievanceCount(bot)).toBe(1);
  });

  it('asks for the compound when none is named, and writes nothing', async () => {
    expect(textOf(await bot.say('紫薇员', '电梯坏了好几天了', { chat: '紫薇群' }))).toContain('没有从您的消息中找到小区名称');
    expect(textOf(await bot.say('紫薇员', '投诉 某某小区 电梯坏了'))).toContain('没有从您的消息中找到小区名称');
    expect(await grievanceCount(bot)).toBe(0);
  });

  it('lists open grievances in the asker\'s scope with 待办, and missing data for community staff', async () => {
    await bot.say('紫薇员', '投诉 锦绣花园 3号楼电梯坏了');
    await bot.say('梅园员', '投诉 梅花园 楼下烧烤油烟太大');
    await bot.say('监管员', '受理 T0001');

    const mine = textOf(await bot.say('紫薇员', '待办'));
    expect(mine).toContain('紫薇社区未办结诉求（1件）');
    expect(mine).toContain('T0001 锦绣花园');
    expect(mine).not.toContain('T0002');
    expect(mine).toContain('待补充的小区数据');
    expect(mine).toContain('银山小区：待补 未入驻');

    const dept = textOf(await bot.say('监管员', 'todo'));
    expect(dept).toContain('区市场监管局未办结诉求（1件）');
    expect(dept).toContain('处理中');
    expect(dept).not.toContain('待补充');

    const street = textOf(await bot.say('街道员', '待办 待受理'));
    expect(street).toContain('待受理诉求（1件）');
    expect(street).toContain('T0002 梅花园');
    expect(street).not.toContain('T0001');

    expect(textOf(await bot.say('领导甲', '待办 超期'))).toContain('没有超期诉求');
    expect(textOf(await bot.say('领导甲', '待办 乱写'))).toContain('没有看懂');
  });
});
