import { afterEach, describe, expect, it } from 'vitest';
import { chatIdOf, createTestBot, textOf, type TestBot } from '../support/harness.ts';
import { cardButtons, type Sent } from '../support/recording-messenger.ts';
import { readSheets } from '../support/report-fixtures.ts';
import { tickAt } from '../support/reminders.ts';
import type { AssessmentsJson, CompanyJson, SubsidyJson } from '../../src/domain/after-coverage-json.ts';
import type { Progress } from '../../src/domain/progress.ts';

const PASS = ['18', '17', '9', '8', '8', '9', '9', '4', '4']; // 86
const FAIL = '15 15 8 7 7 7 7 3 3'; // 72
const STREET = '9 22 22 8 8 8 8'; // 85

const at = (s: string) => Date.parse(`${s}+08:00`);
const day = 24 * 3600_000;

/** The compound names of a reminder's "- 社区（n）：a、b" lines. */
function listedCompounds(text: string): string[] {
  return text.split('\n').filter((l) => /^- .+（\d+）：/.test(l)).flatMap((l) => l.replace(/^- .+?（\d+）：/, '').split('、'));
}

describe('a quarter of after-coverage work in fake time', () => {
  let bot: TestBot;
  afterEach(async () => {
    await bot.stop();
    await bot.close();
  });

  it('reminds with exactly the unassessed compounds, moves 奖补 through its states, and the workbook holds the API’s numbers', async () => {
    bot = await createTestBot({ now: '2020-10-09T09:00:00+08:00', env: { API_TOKEN: 't' } });
    const port = await bot.runtime.listen(0, '127.0.0.1');
    const get = async <T>(path: string): Promise<T> => (await fetch(`http://127.0.0.1:${port}${path}`, { headers: { Authorization: 'Bearer t' } })).json() as Promise<T>;
    await bot.bindChat('住建局群', '区住建局');
    await bot.bindChat('街道群', '街道');
    await bot.bindChat('专班群', '专班');
    await bot.bindChat('领导小组群', '领导小组');
    await bot.bind('郭振华', '街道');
    await bot.bind('王局', '部门 区住建局');
    await bot.bind('财政', '部门 区财政局');
    await bot.bind('张三', '社区 梅园社区');
    await bot.bind('李四', '社区 紫薇社区');
    await bot.bind('李组长', '领导');
    for (const [who, text] of [
      ['张三', '福源公寓已入驻，鑫安物业，外聘，9月20日进驻'],
      ['张三', '建行宿舍已入驻，鑫安物业，外聘，9月25日进驻'],
      ['张三', '安居小区已入驻，华夏物业，外聘，10月8日进驻'],
      ['李四', '银山小区已入驻，鑫达物业，外聘，10月9日进驻'],
    ] as const) expect(textOf(await bot.say(who, text))).toContain('已记录');
    await bot.say('王局', '不良记录 华夏物业 安居小区未按合同配备保安');

    const sends: Sent[] = [];
    const tick = async (iso: string) => {
      const s = await tickAt(bot, iso);
      sends.push(...s.filter((x) => x.purpose === 'assessment-reminder' || x.purpose === 'deadline-reminder' || x.purpose === 'company-records-digest'));
      return s;
    };

    // November: the first sheets of the quarter, one through the form card.
    await tick('2020-11-20T09:00:00+08:00');
    const formCard = (await bot.say('王局', '考核 福源公寓', { chat: '住建局群' }))[0]!.card!;
    const submit = cardButtons(formCard).find((b) => b.label === '提交评分')!;
    const pressed = await bot.press('王局', submit.value, { chat: '住建局群', formValue: Object.fromEntries(PASS.map((s, i) => [`score${i}`, s])) });
    expect(pressed.answer?.toast?.type).toBe('success');
    await bot.say('郭振华', `考核 建行宿舍 ${FAIL}`);

    // 1 December (a Tuesday), 09:00: the assessors' groups get the compounds still unassessed this quarter.
    for (let t = at('2020-11-21T09:00:00'); t <= at('2020-12-01T09:00:00'); t += day) await tick(new Date(t).toISOString());
    const reminders = sends.filter((s) => s.purpose === 'assessment-reminder');
    expect(reminders.map((s) => s.target).sort()).toEqual([chatIdOf('住建局群'), chatIdOf('街道群')].sort());
    const reminder = reminders[0]!.text!;
    expect(reminder).toContain('【季度考核提醒】2020年第四季度考核将于12月31日截止，尚有 22 个小区未考核：');
    const due = await get<AssessmentsJson>('/api/v1/assessments?period=2020Q4&kind=quarterly');
    const expected = due.unassessed.map((u) => u.name);
    expect(listedCompounds(reminder).sort()).toEqual([...expected].sort());
    // The 20 upgrade compounds and the two covered compounds not yet assessed; nothing not taken over.
    expect(expected).toHaveLength(22);
    expect(listedCompounds(reminder)).toEqual(expect.arrayContaining(['安居小区', '银山小区', '梅花园', '丰泽嘉苑']));
    expect(listedCompounds(reminder)).not.toContain('福源公寓');
    expect(listedCompounds(reminder)).not.toContain('建行宿舍');
    expect(listedCompounds(reminder)).not.toContain('四十中宿舍');

    // Early December: most of the rest are assessed; 奖补 for 福源公寓 is applied for and reviewed.
    const upgrade = due.unassessed.filter((u) => !['安居小区', '银山小区'].includes(u.name)).map((u) => u.name);
    bot.clock.set('2020-12-02T10:00:00+08:00');
    for (const name of upgrade.slice(0, 15)) await bot.say('郭振华', `考核 ${name} ${PASS.join(' ')}`);
    await bot.say('王局', `考核 安居小区 ${PASS.join(' ')}`);
    expect(textOf(await bot.say('郭振华', '奖补 申报 福源公寓 2万元'))).toContain('已申报');
    bot.clock.set('2020-12-08T10:00:00+08:00');
    expect(textOf(await bot.say('王局', '奖补 审核 福源公寓'))).toContain('已审核');

    // 11 December: the 12月20日 deadline's first reminder (13 December is a Sunday) lists what is still unassessed.
    for (let t = at('2020-12-02T09:00:00'); t <= at('2020-12-11T09:00:00'); t += day) await tick(new Date(t).toISOString());
    const deadline = sends.filter((s) => s.purpose === 'deadline-reminder' && s.target === chatIdOf('专班群')).at(-1)!.text!;
    expect(deadline).toContain('【节点提醒】12月20日：考核验收阶段完成');
    const left = (await get<AssessmentsJson>('/api/v1/assessments?period=2020Q4&kind=quarterly')).unassessed.map((u) => u.name);
    expect(left).toHaveLength(6);
    expect(deadline).toContain('2020年第四季度考核尚未考核 6 个小区：');
    expect(listedCompounds(deadline).sort()).toEqual([...left].sort());
    expect(deadline).toContain('考核验收：山城街道尚未考核。');

    // The rest, the street's 考核验收, and 兑现 on 18 December; the 18 December reminder has nothing left but news.
    bot.clock.set('2020-12-15T10:00:00+08:00');
    for (const name of left) await bot.say('郭振华', `考核 ${name} ${PASS.join(' ')}`);
    await bot.say('王局', `考核 街道 ${STREET}`);
    await tick('2020-12-17T09:00:00+08:00');
    bot.clock.set('2020-12-18T08:00:00+08:00');
    expect(textOf(await bot.say('财政', '奖补 兑现 福源公寓 18000元'))).toContain('已兑现');
    await tick('2020-12-18T09:00:00+08:00');
    const last = sends.filter((s) => s.purpose === 'deadline-reminder' && s.target === chatIdOf('专班群')).at(-1)!.text!;
    expect(last).toContain('2020年第四季度考核：应考核的小区已全部考核。');
    expect(last).toContain('考核验收：已完成。');
    // One reminder per quarter and kind, to each assessors' group, and nothing twice.
    expect(sends.filter((s) => s.purpose === 'assessment-reminder')).toHaveLength(2);
    expect(new Set(sends.map((s) => s.uuid)).size).toBe(sends.length);

    // The API and the workbook hold the same numbers.
    const assessments = await get<AssessmentsJson>('/api/v1/assessments');
    const subsidies = await get<SubsidyJson[]>('/api/v1/subsidies');
    const companies = await get<CompanyJson[]>('/api/v1/companies');
    const progress = await get<Progress>('/api/v1/progress');
    const quarterly = assessments.results.filter((r) => r.kind === 'quarterly');
    expect(quarterly).toHaveLength(24);
    expect(quarterly.filter((r) => r.passed)).toHaveLength(23);
    expect(progress.assessment).toEqual({ kind: 'quarterly', name: '季度考核', period: '2020Q4', subjects: 24, assessed: 24, passed: 23 });
    expect(subsidies.map((s) => [s.compound, s.state, s.requestedAmount, s.approvedAmount, s.paidAmount, s.paidOn])).toEqual([
      ['安居小区', '待申报', null, null, null, null],
      ['银山小区', '待申报', null, null, null, null],
      ['福源公寓', '已兑现', 20000, 20000, 18000, '2020-12-18'],
    ]);
    expect(progress.subsidies).toEqual({ 待申报: 2, 已申报: 0, 已审核: 0, 已兑现: 1, paidAmount: 18000 });

    const res = await fetch(`http://127.0.0.1:${port}/api/v1/report.xlsx`, { headers: { Authorization: 'Bearer t' } });
    const { rows } = await readSheets(Buffer.from(await res.arrayBuffer()));
    const body = (sheet: string) => rows(sheet).slice(3).filter((r) => /^\d+$/.test(r[0]!));
    const q = body('季度考核');
    expect(rows('季度考核')[2]!.slice(0, 6)).toEqual(['序号', '考核期', '社区名称', '小区名称', '物业企业', '合同履约（20分）']);
    const totalCol = rows('季度考核')[2]!.indexOf('总分');
    expect(q.map((r) => [r[3], Number(r[totalCol]), r[totalCol + 1]])).toEqual(quarterly.map((x) => [x.name, x.total, x.passed ? '合格' : '不合格']));
    const street = body('考核验收');
    expect(street.map((r) => [r[3], r[rows('考核验收')[2]!.indexOf('总分')]])).toEqual([['山城街道', '85']]);
    const s = body('奖补');
    expect(s.map((r) => [r[2], r[5], r[6], r[8], r[10], r[11]])).toEqual(
      subsidies.map((x) => [x.compound, x.state, String(x.requestedAmount ?? ''), String(x.approvedAmount ?? ''), String(x.paidAmount ?? ''), x.paidOn ?? '']),
    );
    const records = body('不良记录');
    expect(records.map((r) => [r[1], r[2], r[3]])).toEqual(companies.flatMap((c) => c.records.map((x) => [c.name, x.compound ?? '', x.text])));
    expect(records).toHaveLength(1);
    // The 附件5 sheet is untouched: its header row as before.
    expect(rows('调度表')[2]![0]).toBe('序号');
  });
});
