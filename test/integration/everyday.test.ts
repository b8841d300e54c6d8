/** Issue 13, "everyday use": each item seen by a new user, through the real bot (real database, dispatcher, outbox). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { ADMIN, createTestBot, openIdOf, textOf, type TestBot } from '../support/harness.ts';
import { cardButtons, cardText } from '../support/recording-messenger.ts';
import { tickAt } from '../support/reminders.ts';
import { computeProgress } from '../../src/domain/progress.ts';
import { countIncomplete, isIncomplete, summaryGaps } from '../../src/domain/gaps.ts';
import { gapCountsByCommunity } from '../../src/domain/period-status.ts';
import { isCovered, listCompounds } from '../../src/domain/compounds.ts';
import { type CompoundListFilter, compoundListPage } from '../../src/domain/compound-page.ts';
import { reportPromptCard } from '../../cards/report-prompt.ts';

const REPORT = '福源公寓已入驻，鑫安物业，外聘，9月20日进驻，负责人王强 13905321234';

let bot: TestBot;
beforeEach(async () => {
  bot = await createTestBot({ now: '2020-09-28T10:00:00+08:00' });
  await bot.bind('张三', '社区 梅园社区');
  await bot.bind('李四', '社区 紫薇社区');
  await bot.bind('周领导', '领导');
  await bot.bind('郭振华', '街道');
  await bot.bind('监管员', '部门 区市场监管局');
});
afterEach(async () => {
  await bot.stop();
  await bot.close();
});

const text = async (person: string, message: string, chat?: string) => textOf(await bot.say(person, message, chat ? { chat } : {}));

async function sheetRows(data: Buffer, sheet = '调度表'): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as unknown as ArrayBuffer);
  const out: string[][] = [];
  wb.getWorksheet(sheet)!.eachRow((row) => out.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)))));
  return out;
}

describe('cards and answers', () => {
  it('shows a compound\'s open grievance on its card, with its state, time limit and 已超期', async () => {
    expect(await text('张三', '投诉 安居小区 3号楼楼道灯坏了')).toContain('已登记诉求 T0001');
    bot.clock.set('2020-10-20T10:00:00+08:00');
    const card = cardText((await bot.say('张三', '小区 安居'))[0]!.card);
    expect(card).toContain('群众诉求');
    expect(card).toContain('T0001 3号楼楼道灯坏了');
    expect(card).toContain('待受理');
    expect(card).toContain('受理时限');
    expect(card).toContain('已超期');
    await bot.say('张三', '办结 T0001 已更换灯具');
    const after = cardText((await bot.say('张三', '小区 安居小区'))[0]!.card);
    expect(after).toContain('已办结');
    expect(after).toContain('办理结果：已更换灯具');
  });

  it('gives buttons when a name fits several compounds, and a button opens the compound card', async () => {
    const [reply] = await bot.say('张三', '小区 梅园');
    const buttons = cardButtons(reply!.card);
    expect(buttons.length).toBeGreaterThan(1);
    expect(buttons.map((b) => b.label)).toContain('梅园（西24.25号楼）（梅园社区）');
    const pick = buttons.find((b) => b.label.startsWith('梅园（西24.25号楼）'))!;
    const { sent } = await bot.press('张三', pick.value);
    expect(cardText(sent[0]!.card)).toContain('全覆盖任务');
    expect((sent[0]!.card as { header: { title: { content: string } } }).header.title.content).toBe('梅园（西24.25号楼）');
  });

  it('keeps 未入驻 for coverage compounds and says 物业信息未录入 for 附件3 compounds in the 调度表; community staff get their own rows', async () => {
    const [file] = await bot.say('郭振华', '调度表');
    const rows = await sheetRows(file!.fileData!);
    expect(rows.find((r) => r[2] === '梅花园')![10]).toBe('物业信息未录入');
    expect(rows.find((r) => r[2] === '福源公寓')![10]).toBe('未入驻');

    const mine = await bot.say('李四', '调度表');
    expect(mine[0]!.fileName).toContain('紫薇社区');
    const own = (await sheetRows(mine[0]!.fileData!)).slice(3).filter((r) => /^\d+$/.test(r[0] ?? ''));
    expect(own.length).toBe(14);
    expect(new Set(own.map((r) => r[1]))).toEqual(new Set(['紫薇社区']));
    expect(own.map((r) => r[0])).toEqual(own.map((_, i) => String(i + 1)));
    expect(textOf(mine)).toContain('紫薇社区，共 14 个小区');
  });

  it('撤销 acts on the very last change, says what it restores, and withdraws a grievance just recorded', async () => {
    const group = '梅园社区工作群';
    await bot.say('张三', REPORT, { chat: group });
    await bot.say('张三', '入驻 福源公寓 鑫安物业 外聘 9月20日 负责人李明 13800001111', { chat: group });
    await bot.say('张三', '投诉 福源公寓 2号楼水管漏水', { chat: group });
    const first = await text('张三', '撤销', group);
    expect(first).toContain('登记诉求 T0001');
    expect(first).toContain('已将其撤回');
    const g = await bot.db.selectFrom('grievances').select('status').where('code', '=', 'T0001').executeTakeFirstOrThrow();
    expect(g.status).toBe('已撤回');
    // The takeover correction is still in place: 撤销 did not reach past the grievance.
    const t = await bot.db.selectFrom('takeovers').select('manager').where('superseded_at', 'is', null).executeTakeFirstOrThrow();
    expect(t.manager).toBe('李明');

    const second = await text('张三', '撤销', group);
    expect(second).toContain('福源公寓的入驻信息恢复为：鑫安物业 王强 139****1234');
    expect(second).not.toContain('13905321234');

    await bot.say('张三', '攻坚 梅花园 道路设施 已完成');
    expect(await text('张三', '撤销')).toContain('梅花园的道路设施由“已完成”恢复为：未开始');
    await bot.say('张三', '类别 福源公寓 2');
    expect(await text('张三', '撤销')).toContain('福源公寓的类别恢复为：未设置');
  });

  it('refuses 撤销 past an act it cannot revert, without touching older changes', async () => {
    await bot.say('张三', REPORT);
    await bot.say('张三', '投诉 福源公寓 电梯坏了');
    await bot.say('张三', '受理 T0001');
    const r = await text('张三', '撤销');
    expect(r).toContain('您最近一次操作是受理诉求 T0001');
    expect(r).toContain('未作改动');
    expect(await bot.db.selectFrom('takeovers').select('id').where('superseded_at', 'is', null).execute()).toHaveLength(1);
  });

  it('撤回 withdraws one\'s own grievance within the campaign window, audited; others and late ones are refused', async () => {
    await bot.bindChat('监管局群', '区市场监管局');
    await bot.say('张三', '投诉 福源公寓 电梯坏了，困人');
    await bot.say('张三', '投诉 福源公寓 3号楼电梯异响');
    expect(await text('郭振华', '撤回 T0001')).toContain('只有登记人可以撤回');
    const before = (await computeProgress(bot.runtime.deps, bot.clock.now())).grievances.open;
    const sent = await bot.say('张三', '撤回 T0001 重复登记');
    expect(textOf(sent)).toContain('已撤回诉求 T0001');
    expect(textOf(sent.filter((s) => s.op === 'send'))).toContain('诉求 T0001（福源公寓）系误登，已由登记人撤回');
    expect((await computeProgress(bot.runtime.deps, bot.clock.now())).grievances.open).toBe(before - 1);
    const audit = await bot.db.selectFrom('audit_log').selectAll().where('action', '=', 'grievance.withdraw').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toBe(openIdOf('张三'));
    expect(await text('监管员', '受理 T0001')).toContain('已由登记人撤回');
    bot.clock.set('2020-09-29T10:30:00+08:00');
    expect(await text('张三', '撤回 T0002')).toContain('登记已超过 24 小时，不能撤回');
    expect((await bot.db.selectFrom('grievances').select('status').where('code', '=', 'T0002').executeTakeFirstOrThrow()).status).toBe('待受理');
  });

  it('gives a transferred grievance both limits from the transfer: acceptance before resolution, not overdue at once', async () => {
    await bot.say('张三', '投诉 福源公寓 电梯坏了');
    bot.clock.set('2020-10-20T10:00:00+08:00');
    expect(await text('张三', 'T0001')).toContain('已超期');
    const r = await text('监管员', '转办 T0001 区住建局 属于维修资金');
    expect(r).toContain('自转办起重新计时');
    const g = await bot.db.selectFrom('grievances').selectAll().where('code', '=', 'T0001').executeTakeFirstOrThrow();
    expect(g.accept_due_at! <= g.resolve_due_at!).toBe(true);
    // 20 October 2020 is a Tuesday: accept by the end of 21 October, resolve by the end of 27 October.
    expect(g.accept_due_at).toBe(new Date('2020-10-22T00:00:00+08:00').toISOString());
    expect(g.resolve_due_at).toBe(new Date('2020-10-28T00:00:00+08:00').toISOString());
    expect(await text('张三', 'T0001')).not.toContain('已超期');
    expect((await computeProgress(bot.runtime.deps, bot.clock.now())).grievances.overdue).toBe(0);
  });

  it('counts incomplete compounds the same way in the prompt card, 报送, 待办, the 15:00 summary and 进度', async () => {
    await bot.say('张三', REPORT);
    await bot.say('张三', '类别 福源公寓 2');
    await bot.say('张三', '入驻 建行宿舍 社区兜底 9月21日 保洁 负责人刘敏 13905320000');
    await bot.say('张三', '类别 建行宿舍 1');
    await bot.say('张三', '入驻 梅花园 鑫安物业 外聘 2019年5月1日');
    const compounds = await listCompounds(bot.db, bot.runtime.deps.campaign.id, { communityId: 1 });
    const expected = compounds.filter(isIncomplete).length;
    expect(expected).toBeGreaterThan(0);
    expect(await countIncomplete(bot.db, bot.runtime.deps.campaign.id, 1)).toBe(expected);
    // periodStatus counts in SQL (issue 18): the same gaps, item by item, as summaryGaps in JavaScript.
    const tally = new Map<string, number>();
    for (const c of compounds) for (const g of summaryGaps(c)) tally.set(g, (tally.get(g) ?? 0) + 1);
    const row = (await gapCountsByCommunity(bot.db, bot.runtime.deps.campaign.id)).find((r) => r.community_id === 1)!;
    expect(Number(row.incomplete)).toBe(expected);
    const labels = { no_coverage_takeover: '未入驻', no_upgrade_takeover: '物业信息未录入', company: '物业企业', services: '服务内容', manager: '负责人', phone: '联系电话', category: '类别' } as const;
    const fromSql = new Map(Object.entries(labels).map(([k, label]) => [label, Number((row as unknown as Record<string, unknown>)[k])] as const).filter(([, n]) => n > 0));
    expect(fromSql).toEqual(tally);

    expect(await text('张三', '待办')).toContain(`待补充的小区数据（${expected}个小区）`);
    expect(await text('张三', '进度')).toContain(`${expected} 个小区的调度表信息不全`);
    await bot.bindChat('梅园社区群', '梅园社区');
    await bot.bindChat('专班群', '专班');
    const prompt = await tickAt(bot, '2020-09-29T09:00:00+08:00');
    expect(cardText(prompt.find((s) => s.purpose === 'report-prompt')!.card)).toContain(`其中 ${expected} 个待补充`);
    expect(await text('张三', '报送')).toContain(`仍有 ${expected} 个小区信息待补充`);
    const summary = await tickAt(bot, '2020-09-30T15:00:00+08:00');
    expect(textOf(summary.filter((s) => s.purpose === 'report-summary'))).toContain(`梅园社区：${expected}个小区待补`);
  });

  it('counts only coverage takeovers as new in the 15:00 summary, in one unit', async () => {
    await bot.bindChat('专班群', '专班');
    await bot.say('张三', REPORT);
    for (const name of ['梅花园', '龙珠百合']) await bot.say('张三', `入驻 ${name} 鑫安物业 外聘 2019年5月1日`);
    const summary = textOf((await tickAt(bot, '2020-09-30T15:00:00+08:00')).filter((s) => s.purpose === 'report-summary'));
    expect(summary).toContain('新增入驻 1 个小区：福源公寓');
    expect(summary).not.toContain('梅花园');
    expect(summary).not.toContain('项');
  });

  it('asks for the company before recording a 外聘 takeover without one', async () => {
    const [reply] = await bot.say('张三', '入驻 福源公寓 外聘 9月20日 负责人王强 13905321234');
    expect(reply!.card).not.toBeNull();
    expect(cardText(reply!.card)).toContain('物业企业名称（外聘须填写）');
    expect(await bot.db.selectFrom('takeovers').select('id').execute()).toHaveLength(0);
    const submit = cardButtons(reply!.card).find((b) => b.label === '确认记录')!;
    const still = await bot.press('张三', submit.value, { formValue: {} });
    expect(cardText(still.answer?.card ?? null)).toContain('物业企业名称');
    expect(await bot.db.selectFrom('takeovers').select('id').execute()).toHaveLength(0);
    const again = cardButtons(still.answer!.card!).find((b) => b.label === '确认记录')!;
    await bot.press('张三', again.value, { formValue: { company: '鑫安物业' } });
    expect((await bot.db.selectFrom('takeovers').select('company').executeTakeFirstOrThrow()).company).toBe('鑫安物业');
  });
});

describe('wording', () => {
  it('says 遇休息日 for a Sunday and 遇节假日 for National Day', async () => {
    expect(await text('周领导', '进度')).toContain('10月1日（遇节假日提前至9月30日）');
    bot.clock.set('2020-11-10T10:00:00+08:00');
    // 15 November 2020 is a Sunday.
    expect(cardText((await bot.say('周领导', '进度'))[0]!.card)).toContain('11月15日（遇休息日提前至11月13日）');
    expect(await text('周领导', '调度表 11月15日')).toContain('遇休息日提前至11月13日报送');
  });

  it('names 自主 once and never shows a 负责人 without a name on the prompt card', async () => {
    await bot.say('张三', '入驻 建行宿舍 社区兜底 9月21日 13905320000');
    const [c] = (await listCompounds(bot.db, bot.runtime.deps.campaign.id)).filter((x) => x.name === '建行宿舍');
    const card = cardText(reportPromptCard({ communityId: 1, community: '梅园社区', due: '2020-10-01', dueLabel: '10月1日', effectiveDueLabel: '9月30日', moveWord: '节假日', mentions: '', compounds: [{ compound: c!, gaps: [] }] }));
    expect(card).toContain('自主管理');
    expect(card).not.toContain('自主管理 · 自主');
    expect(card).not.toMatch(/负责人\s/);
    expect(card).toMatch(/联系电话139(\\?\*){4}0000/);
  });

  it('keeps the compound\'s name out of a free-text grievance\'s text', async () => {
    await bot.say('李四', '锦绣花园3号楼电梯坏了，居民反映多次');
    expect((await bot.db.selectFrom('grievances').select('text').executeTakeFirstOrThrow()).text).toBe('3号楼电梯坏了，居民反映多次');
  });

  it('shows the name of a mentioned person, never a mention placeholder, when it cannot read a message', async () => {
    const r = await text('张三', '@王五 ggg');
    expect(r).toContain('@王五');
    expect(r).not.toContain('@_user');
    // Chatter that mentions someone is answered politely, still without a placeholder.
    expect(await text('张三', '@王五 你好')).not.toContain('@_user');
  });
});

describe('refusals and help', () => {
  it('tells an unbound 我是谁 whom to ask by name, without a refusal or an admin command', async () => {
    await bot.say('admin', '绑定 @王主任 管理员');
    const r = await text('路人', '我是谁');
    expect(r).toContain('王主任');
    expect(r).toContain('未绑定');
    expect(r).not.toContain('没有使用此功能的权限');
    expect(r).not.toMatch(/绑定 @/);
    // The admin of ADMIN_OPEN_IDS is mentioned, so Lark shows the name.
    const fresh = await createTestBot();
    try {
      expect(textOf(await fresh.say('路人', '我是谁'))).toContain(`<at user_id="${ADMIN}">`);
    } finally {
      await fresh.stop();
      await fresh.close();
    }
  });

  it('says which community it could not find in 绑定', async () => {
    const r = await text('admin', '绑定 @赵六 社区 火星社区');
    expect(r).toContain('没有找到“火星社区”');
    expect(r).toContain('梅园社区；紫薇社区；丰泽社区；东、西鲁社区');
    expect(await bot.db.selectFrom('role_bindings').select('id').where('display_name', '=', '赵六').execute()).toHaveLength(0);
  });

  it('writes help examples with the asker\'s own compounds, and promises leaders no editing', async () => {
    const mine = await text('李四', '帮助 小区');
    expect(mine).toMatch(/小区 (锦绣花园|御景公馆|紫锦庄园|宝徕花苑|樱花园|鑫盛公寓（药材宿舍）|银山小区)/);
    expect(mine).not.toContain('福源公寓');
    expect(mine).not.toContain('梅花园');
    const general = await text('李四', '帮助');
    expect(general).not.toContain('福源公寓');
    expect(general).toMatch(/投诉 \S+ 3号楼电梯坏了/);
    const leader = await text('周领导', '帮助');
    expect(leader).toContain('不能修改');
    expect(leader).not.toContain('直接修改');
    for (const word of ['· 入驻', '· 类别', '· 攻坚', '· 备注']) expect(leader).not.toContain(word);
    // Leaders assess the street (考核验收), so 撤销 is theirs too, worded for what they change.
    expect(leader).toContain('· 撤销　撤销您本人最近的一次考核评分或奖补等操作');
    expect(await text('周领导', '帮助 小区')).not.toContain('直接修改');
  });
});

describe('what people expect', () => {
  it('filters 小区列表 in SQL exactly as the JavaScript rules do (未入驻, 已入驻, 信息不全, 提升, 全覆盖), in the notice’s order', async () => {
    await bot.say('张三', REPORT);
    await bot.say('张三', '类别 福源公寓 2');
    await bot.say('张三', '入驻 建行宿舍 社区兜底 9月21日 保洁 负责人刘敏 13905320000');
    await bot.say('张三', '入驻 梅花园 鑫安物业 外聘 2019年5月1日');
    // A takeover that starts after today does not count as covered yet.
    await bot.say('张三', '入驻 教育宿舍 社区兜底 9月27日');
    bot.clock.set('2020-09-27T08:00:00+08:00');
    const campaignId = bot.runtime.deps.campaign.id;
    const today = '2020-09-26';
    const all = await listCompounds(bot.db, campaignId);
    const rules: Record<CompoundListFilter, (c: (typeof all)[number]) => boolean> = {
      uncovered: (c) => c.track === 'coverage' && !isCovered(c, today),
      covered: (c) => c.track === 'coverage' && isCovered(c, today),
      incomplete: (c) => isIncomplete(c),
      upgrade: (c) => c.track === 'upgrade',
      coverage: (c) => c.track === 'coverage',
    };
    for (const [f, keep] of Object.entries(rules) as [CompoundListFilter, (c: (typeof all)[number]) => boolean][]) {
      for (const communityId of [undefined, 1]) {
        const page = await compoundListPage(bot.db, campaignId, { communityId, filters: [f], today, limit: 1000 });
        const expected = all.filter((c) => (communityId === undefined || c.communityId === communityId) && keep(c));
        expect(page.compounds.map((c) => c.name), `${f} ${communityId ?? ''}`).toEqual(expected.map((c) => c.name));
        expect(page.total).toBe(expected.length);
      }
    }
    const both = await compoundListPage(bot.db, campaignId, { filters: ['coverage', 'incomplete'], today, limit: 3 });
    expect(both.compounds.map((c) => c.name)).toEqual(all.filter((c) => c.track === 'coverage' && isIncomplete(c)).slice(0, 3).map((c) => c.name));
  });

  it('lists the compounds in scope with 小区列表 and 小区 with no name, filtered by 未入驻, 信息不全 and 社区', async () => {
    await bot.say('张三', REPORT);
    const all = await text('郭振华', '小区列表');
    expect(all).toContain('山城街道小区（41个）');
    expect(all).toContain('【东、西鲁社区】1个');
    const own = await text('张三', '小区');
    expect(own).toContain('梅园社区小区（12个）');
    expect(own).not.toContain('锦绣花园');
    const uncovered = await text('张三', '小区 未入驻');
    expect(uncovered).toContain('未入驻的小区（9个）');
    expect(uncovered).not.toContain('福源公寓');
    const incomplete = await text('郭振华', '小区列表 信息不全 梅园社区');
    expect(incomplete).toContain('梅园社区信息不全的小区（12个）');
    expect(incomplete).toContain('福源公寓（全覆盖）鑫安物业');
    expect(await text('张三', '小区列表 紫薇社区')).toContain('只能查看梅园社区');
    expect(await text('郭振华', '小区列表 火星')).toContain('没有看懂“火星”');
    // A compound named like a community is still a compound.
    expect(cardText((await bot.say('李四', '小区 紫薇社区'))[0]!.card)).toContain('全覆盖任务');
  });

  it('shows one grievance and its history for T0004 and 诉求 T0004, to those who may see it', async () => {
    await bot.say('张三', '投诉 福源公寓 电梯坏了，困人');
    await bot.say('监管员', '受理 T0001');
    await bot.say('监管员', '转办 T0001 区住建局 属于维修资金');
    const bare = await text('张三', 'T0001');
    expect(bare).toContain('【诉求 T0001】福源公寓（梅园社区）');
    expect(bare).toContain('内容：电梯坏了，困人');
    expect(bare).toContain('承办单位：区住建局｜状态：已转办');
    expect(bare).toMatch(/9月28日 10:00 张三 登记，分派区市场监管局（待受理）/);
    expect(bare).toMatch(/监管员 受理（处理中）/);
    expect(bare).toMatch(/监管员 转办至区住建局：属于维修资金（已转办）/);
    expect(await text('周领导', '诉求 T0001')).toContain('【诉求 T0001】');
    expect(await text('李四', '诉求 T0001')).toContain('不能查看');
    expect(await text('张三', '诉求 福源公寓 楼道灯坏了')).toContain('已登记诉求 T0002');
    expect(await text('周领导', '诉求 福源公寓 楼道灯坏了')).toContain('登记诉求仅限');
  });

  it('keeps 备注 on a takeover: in the 调度表 备注 column and on the compound card, and 撤销 takes it back', async () => {
    expect(await text('张三', '备注 福源公寓 业委会正在筹备')).toContain('福源公寓还没有入驻信息');
    await bot.say('张三', REPORT);
    expect(await text('张三', '备注 福源公寓 业委会 正在筹备')).toContain('已记录福源公寓的备注：业委会 正在筹备');
    const rows = await sheetRows((await bot.say('郭振华', '调度表'))[0]!.fileData!);
    expect(rows.find((r) => r[2] === '福源公寓')![10]).toBe('业委会 正在筹备');
    expect(cardText((await bot.say('张三', '小区 福源公寓'))[0]!.card)).toContain('备注：业委会 正在筹备');
    expect(await text('张三', '撤销')).toContain('福源公寓的入驻信息恢复为：鑫安物业 王强 13905321234');
    const after = await sheetRows((await bot.say('郭振华', '调度表'))[0]!.fileData!);
    expect(after.find((r) => r[2] === '福源公寓')![10]).toBe('');
  });
});
