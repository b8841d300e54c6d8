import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connect.ts';
import { DEFAULT_CAMPAIGN_FILE } from '../../src/campaign/load.ts';
import { createTestBot, textOf, type TestBot } from '../support/harness.ts';
import { cardButtons, cardText } from '../support/recording-messenger.ts';
import { auditOf, eventsOf, grievanceRow, toChat, toPerson } from '../support/grievance-setup.ts';
import { tempDir } from '../support/wait.ts';
import { RoutingModel } from '../../src/routing/model.ts';
import { silentLogger } from '../../src/logger.ts';

type Rule = { code: string; topic: string; department: string; keywords: string[]; phrasings: string[] };

/** The default campaign with its routing rules changed, as another district would write them. */
function campaignFile(dir: string, routing: (rules: Rule[]) => Rule[]): string {
  const def = JSON.parse(fs.readFileSync(DEFAULT_CAMPAIGN_FILE, 'utf8')) as { routing: Rule[] };
  const file = path.join(dir, 'campaign.json');
  fs.writeFileSync(file, JSON.stringify({ ...def, routing: routing(def.routing) }));
  return file;
}

async function people(bot: TestBot): Promise<void> {
  await bot.bind('梅园员', '社区 梅园社区');
  await bot.bind('街道员', '街道');
  await bot.bind('公安员', '部门 区公安分局');
  await bot.bindChat('街道群', '街道');
  await bot.bindChat('公安群', '区公安分局');
  bot.messenger.clear();
}

async function departmentOf(bot: TestBot, code: string): Promise<string> {
  const row = await bot.db
    .selectFrom('grievances')
    .innerJoin('departments', 'departments.id', 'grievances.department_id')
    .select('departments.name')
    .where('grievances.code', '=', code)
    .executeTakeFirstOrThrow();
  return row.name;
}

describe('routing learns from the people who route grievances', () => {
  let dir: string;
  let bots: TestBot[];
  beforeEach(() => {
    dir = tempDir('routing-learning-');
    bots = [];
  });
  afterEach(async () => {
    for (const bot of bots) {
      await bot.stop();
      await bot.close();
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function start(opts: { file?: string; campaign?: string } = {}): Promise<TestBot> {
    const bot = await createTestBot({
      now: '2020-10-12T10:00:00+08:00',
      database: opts.file ? openDatabase(opts.file) : undefined,
      env: opts.campaign ? { CAMPAIGN_FILE: opts.campaign } : {},
    });
    bots.push(bot);
    return bot;
  }

  it('a 转办 of 电动车被偷了 from the street to 公安 makes the next 电瓶车又丢了 go to 公安, at once and after a restart', async () => {
    // A district whose campaign says nothing of theft (nor of electric bikes' fire risk).
    const campaign = campaignFile(dir, (rules) => rules.filter((r) => !['security', 'fire-safety'].includes(r.code)));
    const file = path.join(dir, 'bot.db');
    const bot = await start({ file, campaign });
    await people(bot);

    const first = await bot.say('梅园员', '投诉 福源公寓 电动车被偷了', { chat: '梅园群' });
    expect(textOf(first)).toContain('未能确定职责部门，已交山城街道办事处人工分派');
    expect(await departmentOf(bot, 'T0001')).toBe('山城街道办事处');

    expect(textOf(await bot.say('街道员', '转办 T0001 区公安分局 属于治安问题'))).toContain('已将诉求 T0001 由山城街道办事处转至区公安分局');

    const next = await bot.say('梅园员', '投诉 书香花苑 电瓶车又丢了', { chat: '梅园群' });
    expect(textOf(next.filter((s) => s.op === 'reply'))).toContain('已分派至区公安分局（与 T0001 相似）');
    expect(await departmentOf(bot, 'T0002')).toBe('区公安分局');
    const card = toChat(next, '公安群')[0]!.card!;
    expect(cardText(card)).toContain('与 T0001 相似');
    expect(cardButtons(card).map((b) => b.label)).toEqual(['受理', '转办']);

    await bot.stop();
    await bot.close();
    bots = [];
    const again = await start({ file, campaign });
    const afterRestart = await again.say('梅园员', '投诉 安居小区 楼下电瓶车又丢了一辆');
    expect(textOf(afterRestart)).toContain('已分派至区公安分局');
    expect(await departmentOf(again, 'T0003')).toBe('区公安分局');
  });

  it('受理 confirms: the street accepting what it was left teaches that such texts are the street’s', async () => {
    const bot = await start();
    await people(bot);
    const first = await bot.say('梅园员', '投诉 福源公寓 门口那棵树快倒了');
    expect(textOf(first)).toContain('未能确定职责部门');
    expect(cardButtons(toChat(first, '街道群')[0]!.card!).filter((b) => b.label.startsWith('转至'))).toHaveLength(3);
    expect(textOf(await bot.say('街道员', '受理 T0001'))).toContain('已受理诉求 T0001');

    const next = await bot.say('梅园员', '投诉 书香花苑 门口那棵大树快要倒了');
    expect(textOf(next.filter((s) => s.op === 'reply'))).toContain('已分派至山城街道办事处（与 T0001 相似）');
    const route = await bot.db.selectFrom('grievance_routes').selectAll().where('grievance_id', '=', (await grievanceRow(bot, 'T0002')).id).executeTakeFirstOrThrow();
    expect(route).toMatchObject({ method: 'learned', similar_code: 'T0001', candidates: '[]' });
    expect(cardButtons(toChat(next, '街道群')[0]!.card!).filter((b) => b.label.startsWith('转至'))).toHaveLength(0);
  });

  it('when unsure, the street gets the three likeliest departments as buttons; pressing one routes it, audited, and teaches', async () => {
    const bot = await start();
    await people(bot);
    const sent = await bot.say('梅园员', '投诉 福源公寓 门口那棵树快倒了', { chat: '梅园群' });
    const reply = textOf(sent.filter((s) => s.op === 'reply'));
    expect(reply).toMatch(/未能确定职责部门，已交山城街道办事处人工分派（可能是：[^）]+、[^）]+、[^）]+）/);
    const card = toChat(sent, '街道群')[0]!.card!;
    expect(cardText(card)).toContain('请选择职责部门');
    const choices = cardButtons(card).filter((b) => b.label.startsWith('转至'));
    expect(choices).toHaveLength(3);
    const target = choices.find((b) => b.label === '转至区公安分局') ?? choices[0]!;
    const chosen = target.label.replace('转至', '');

    expect((await bot.press('梅园员', target.value, { chat: '街道群' })).answer?.toast?.type).toBe('success');
    expect(await departmentOf(bot, 'T0001')).toBe(chosen);
    const row = await grievanceRow(bot, 'T0001');
    expect(row.status).toBe('待受理');
    expect((await eventsOf(bot, 'T0001')).map((e) => e.action)).toEqual(['create', 'route']);
    expect((await auditOf(bot, 'T0001')).map((a) => a.action)).toEqual(['grievance.create', 'grievance.route']);

    // The buttons are used up: a second press, or another of them, changes nothing.
    expect((await bot.press('街道员', choices.find((b) => b !== target)!.value, { chat: '街道群' })).answer?.toast?.type).toBe('error');
    expect(await departmentOf(bot, 'T0001')).toBe(chosen);

    const next = textOf(await bot.say('梅园员', '投诉 书香花苑 门口那棵大树快要倒了'));
    expect(next).toContain(`已分派至${chosen}（与 T0001 相似）`);
  });

  it('with no working group bound, the recorder gets the card with the department buttons and may choose', async () => {
    const bot = await start();
    await bot.bind('梅园员', '社区 梅园社区');
    bot.messenger.clear();
    const sent = await bot.say('梅园员', '投诉 福源公寓 门口那棵树快倒了', { chat: '梅园群' });
    expect(textOf(sent.filter((s) => s.op === 'reply'))).toContain('已把诉求卡片私信给您');
    const direct = toPerson(sent, '梅园员');
    expect(direct).toHaveLength(1);
    const choice = cardButtons(direct[0]!.card!).find((b) => b.label.startsWith('转至'))!;
    expect((await bot.press('梅园员', choice.value)).answer?.toast?.type).toBe('success');
    expect(await departmentOf(bot, 'T0001')).toBe(choice.label.replace('转至', ''));
  });

  it('refuses the buttons to people outside the compound’s scope and changes nothing', async () => {
    const bot = await start();
    await people(bot);
    await bot.bind('丰泽员', '社区 丰泽社区');
    const sent = await bot.say('梅园员', '投诉 福源公寓 门口那棵树快倒了');
    const choice = cardButtons(toChat(sent, '街道群')[0]!.card!).find((b) => b.label.startsWith('转至'))!;
    expect((await bot.press('丰泽员', choice.value, { chat: '街道群' })).answer?.toast?.type).toBe('error');
    expect((await bot.press('公安员', choice.value, { chat: '街道群' })).answer?.toast?.type).toBe('error');
    expect(await departmentOf(bot, 'T0001')).toBe('山城街道办事处');
    expect((await eventsOf(bot, 'T0001')).map((e) => e.action)).toEqual(['create']);
  });

  it('a correction in nearly the same words wins over a keyword rule next time', async () => {
    const bot = await start();
    await people(bot);
    expect(textOf(await bot.say('梅园员', '投诉 福源公寓 物业费收据上写的金额不对'))).toContain('已分派至区发改局（匹配：物业费）');
    await bot.say('街道员', '转办 T0001 区市场监管局 属于收费违规');
    expect(textOf(await bot.say('梅园员', '投诉 安居小区 物业费收据上的金额写得不对'))).toContain('已分派至区市场监管局（与 T0001 相似）');
  });

  it('a grievance routed inside a transaction does not wait on a start-up build that reads through the connection', async () => {
    const bot = await start();
    const model = new RoutingModel(bot.runtime.deps.campaign, silentLogger);
    const warming = model.warm(bot.db);
    const routed = bot.db.transaction().execute((trx) => model.route(trx, '3号楼电梯坏了', []));
    const outcome = await Promise.race([routed.then((d) => d.departmentName), new Promise((r) => setTimeout(() => r('stuck'), 5000))]);
    expect(outcome).toBe('区市场监管局');
    await warming;
  });
});
