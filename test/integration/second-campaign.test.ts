import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { chatIdOf, createTestBot, textOf, type TestBot } from '../support/harness.ts';
import { cardButtons, cardText } from '../support/recording-messenger.ts';
import { tickAt } from '../support/reminders.ts';
import { openTestDatabase } from '../support/test-database.ts';
import { importCampaign } from '../../src/domain/campaign-import.ts';
import { loadCampaignFile } from '../../src/campaign/load.ts';
import { parseCampaign } from '../../src/campaign/schema.ts';

const HEXI = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/campaigns/hexi-2021.json');

describe('another district’s campaign drives the same commands with its own standard', () => {
  let bot: TestBot;
  afterEach(async () => {
    await bot.stop();
    await bot.close();
  });

  it('assesses against its items and pass mark, with its own assessors, 奖补 roles, old compounds and 公示 items', async () => {
    bot = await createTestBot({ now: '2021-05-10T10:00:00+08:00', env: { CAMPAIGN_FILE: HEXI, API_TOKEN: 't' } });
    await bot.bind('房管', '部门 区房管局');
    await bot.bind('财政', '部门 区财政中心');
    await bot.bind('柳员', '社区 柳岸社区');
    await bot.bind('街员', '街道');
    await bot.bindChat('房管局群', '区房管局');

    const form = (await bot.say('房管', '考核 纺织宿舍'))[0]!.card!;
    const text = cardText(form);
    expect(text).toContain('物业服务考核：纺织厂宿舍');
    expect(text).toContain('考核期：2021年第二季度');
    expect(text).toContain('4 项，满分 100 分，**75 分及以上为合格**');
    expect(text).toContain('安全管理（满分25）');
    expect(text).toContain('业主满意度（满分30）');
    expect(text).not.toContain('默认标准');
    expect(text).not.toContain('合同履约');
    const submit = cardButtons(form).find((b) => b.label === '提交评分')!;
    const pressed = await bot.press('房管', submit.value, { formValue: { score0: '20', score1: '20', score2: '15', score3: '22' } });
    expect(cardText(pressed.answer!.card!)).toContain('总分：**77** / 100，合格线 75 分');
    expect(cardText(pressed.answer!.card!)).toContain('合格');
    expect(cardText((await bot.say('房管', '考核 柳岸新村 20 20 15 19'))[0]!.card)).toContain('不合格');
    // The street does not assess in this district; 山亭's 区住建局 does not exist here.
    expect(textOf(await bot.say('街员', '考核 湖光花园'))).toContain('“考核”不在您的权限范围内');

    const results = cardText((await bot.say('街员', '考核结果'))[0]!.card);
    expect(results).toContain('2021年第二季度物业服务考核结果：湖滨街道');
    expect(results).toContain('已考核 **2/5**，合格 1，不合格 1');
    expect(results).toContain('满分 100 分，75 分及以上为合格');

    // 奖补: the named old compounds; community staff apply, 区房管局 reviews, 区财政中心 pays.
    expect(cardText((await bot.say('街员', '奖补'))[0]!.card)).toContain('待申报 1');
    expect(textOf(await bot.say('街员', '奖补 申报 纺织厂宿舍 3万元'))).toContain('奖补申报仅限管理员、社区工作人员办理');
    expect(textOf(await bot.say('柳员', '奖补 申报 纺织厂宿舍 3万元'))).toContain('已申报');
    expect(textOf(await bot.say('房管', '奖补 审核 纺织厂宿舍'))).toContain('已审核');
    expect(textOf(await bot.say('财政', '奖补 兑现 纺织厂宿舍'))).toContain('“已兑现”，兑现金额3万元');

    // Its own 公示 items.
    expect(textOf(await bot.say('柳员', '公示 纺织厂宿舍 维修资金 已公示'))).toContain('维修资金使用已公示。目前 1/3 项已公示');
    expect(textOf(await bot.say('柳员', '公示 纺织厂宿舍'))).toContain('- 服务标准：未登记');
    expect(textOf(await bot.say('柳员', '公示 纺织厂宿舍 公共收益 已公示'))).toContain('请写明公示项目：收费标准、服务标准、维修资金使用');

    const port = await bot.runtime.listen(0, '127.0.0.1');
    const api = await (await fetch(`http://127.0.0.1:${port}/api/v1/assessments`, { headers: { Authorization: 'Bearer t' } })).json() as { standard: { kinds: { code: string; passMark: number; items: { name: string }[] }[] } };
    expect(api.standard.kinds.map((k) => [k.code, k.passMark, k.items.map((i) => i.name)])).toEqual([['service', 75, ['安全管理', '环境秩序', '设施维护', '业主满意度']]]);

    // Its quarterly reminder: 1 June 2021 at its own time, to 区房管局's group, with the three still unassessed.
    const sent = (await tickAt(bot, '2021-06-01T10:00:00+08:00')).filter((s) => s.purpose === 'assessment-reminder');
    expect(sent.map((s) => s.target)).toEqual([chatIdOf('房管局群')]);
    expect(sent[0]!.text).toContain('2021年第二季度物业服务考核将于6月30日截止，尚有 3 个小区未考核');
    expect(sent[0]!.text).toContain('湖光花园、滨江苑');
  });

  it('takes a replaced standard from `campaign import`, keeping old sheets as they were scored', async () => {
    const database = openTestDatabase();
    bot = await createTestBot({ now: '2020-11-20T10:00:00+08:00', database });
    await bot.bind('郭振华', '街道');
    await bot.say('郭振华', '考核 梅花园 18 17 9 8 8 9 9 4 4');
    await bot.stop();

    const def = loadCampaignFile();
    const kinds = def.assessment!.kinds.map((k) => (k.code === 'quarterly'
      ? { ...k, passMark: 90, items: [{ code: 'contract', name: '合同履约', max: 50, basis: '' }, { code: 'quality', name: '服务质量', max: 50, basis: '' }] }
      : k));
    const replaced = parseCampaign({ ...def, assessment: { ...def.assessment!, provisional: false, note: '区住建局正式标准', kinds } });
    expect((await importCampaign(bot.db, replaced, new Date('2020-11-21T01:00:00Z'))).changed).toBe(true);

    bot = await createTestBot({ now: '2020-11-21T10:00:00+08:00', database });
    expect(textOf(await bot.say('郭振华', '考核 福源公寓 考核验收'))).toContain('考核验收是对街道的考核，请发送“考核 街道”');
    const card = cardText((await bot.say('郭振华', '考核 梅花园'))[0]!.card);
    expect(card).toContain('2 项，满分 100 分，**90 分及以上为合格**');
    expect(card).not.toContain('默认标准');
    expect(card).toContain('当前结果：86 分，合格');
    const row = await bot.db.selectFrom('assessments').select(['items', 'pass_mark', 'total']).executeTakeFirstOrThrow();
    expect(JSON.parse(row.items)).toHaveLength(9);
    expect(row).toMatchObject({ pass_mark: 80, total: 86 });
    expect(cardText((await bot.say('郭振华', '考核 梅花园 45 44'))[0]!.card)).toContain('总分：**89** / 100，合格线 90 分');
  });
});
