import { rebuildGrievanceTallies } from '../../src/domain/grievance-tallies.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestBot, type TestBot } from '../support/harness.ts';
import { cardText } from '../support/recording-messenger.ts';
import { compoundId, recordTakeover, setAction } from '../support/report-fixtures.ts';
import { computeProgress } from '../../src/domain/progress.ts';

type Chart = { tag: 'chart'; chart_spec: { type: string; data: { values: Record<string, string | number>[] }; xField: string; yField: string; seriesField: string; stack: boolean } };

function charts(card: Record<string, unknown>): Chart[] {
  const elements = (card.body as { elements: Record<string, unknown>[] }).elements;
  return elements.filter((e) => e.tag === 'chart') as unknown as Chart[];
}
const sumWhere = (values: Record<string, string | number>[], key: string, value: string) =>
  values.filter((v) => v[key] === value).reduce((n, v) => n + Number(v.count), 0);

describe('进度 card', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await createTestBot({ now: '2020-10-12T10:00:00+08:00' });
    const at = new Date('2020-10-09T02:00:00Z');
    await recordTakeover(bot.db, '福源公寓', { company: '鑫安物业', startDate: '2020-09-20' }, at);
    await recordTakeover(bot.db, '银山小区', { company: '金盾物业', startDate: '2020-10-01' }, at);
    await recordTakeover(bot.db, '欧情东苑', { nature: '自主', startDate: '2020-10-08' }, at);
    for (const a of ['环境卫生', '道路设施', '车辆停放', '服务质量']) await setAction(bot.db, '梅花园', a, '已完成', at);
    await setAction(bot.db, '锦绣花园', '环境卫生', '进行中', at);
    await setAction(bot.db, '欧亚城', '道路设施', '已完成', at);
    const jinxiu = await compoundId(bot.db, '锦绣花园');
    const base = { compound_id: jinxiu, text: '电梯坏了', department_id: null, rule_code: null, result: null, created_by: 'ou_x', source_chat: null, source_ref: null, accepted_at: null, resolved_at: null, updated_at: null };
    await bot.db.insertInto('grievances').values([
      { ...base, code: 'T0001', status: '待受理', created_at: '2020-10-05T02:00:00.000Z', accept_due_at: '2020-10-06T10:00:00.000Z', resolve_due_at: '2020-10-15T10:00:00.000Z' },
      { ...base, code: 'T0002', status: '处理中', created_at: '2020-10-11T02:00:00.000Z', accept_due_at: '2020-10-12T10:00:00.000Z', resolve_due_at: '2020-10-19T10:00:00.000Z' },
    ]).execute();
    // Written straight into the table, so the per-community counts are recounted as after a bulk load.
    await rebuildGrievanceTallies(bot.db);
  });
  afterEach(async () => {
    await bot.stop();
    await bot.close();
  });

  it('is valid Card JSON 2.0 with charts whose numbers equal computeProgress', async () => {
    await bot.bind('王局长', '领导');
    const sent = await bot.say('王局长', '进度');
    const card = sent[0]!.card!;
    expect(card.schema).toBe('2.0');
    expect(Array.isArray((card.body as { elements: unknown[] }).elements)).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(30 * 1024);

    const p = await computeProgress(bot.runtime.deps, bot.clock.now());
    expect(p.coverage.covered).toBe(3);
    const text = cardText(card);
    expect(text).toContain(`已入驻 **${p.coverage.covered}/${p.coverage.total}**`);
    expect(text).toContain(`全部完成 **${p.upgrade.done}/${p.upgrade.total}**`);
    expect(text).toContain(`攻坚行动完成 ${p.upgrade.actionsDone}/${p.upgrade.actionsTotal} 项`);
    expect(p.grievances.overdue).toBe(1);
    expect(text).toContain(`未办结 ${p.grievances.open} 件，其中超期 <font color='red'>**${p.grievances.overdue}**</font> 件`);
    expect(text).toContain(`未确认：${p.period!.missing.join('；')}`);

    const [coverage, actions] = charts(card);
    expect(coverage!.chart_spec).toMatchObject({ type: 'bar', xField: 'community', yField: 'count', seriesField: 'status', stack: true });
    const cv = coverage!.chart_spec.data.values;
    expect(sumWhere(cv, 'status', '已入驻')).toBe(p.coverage.covered);
    expect(sumWhere(cv, 'status', '未入驻')).toBe(p.coverage.total - p.coverage.covered);
    for (const c of p.communities.filter((x) => x.coverage.total > 0)) {
      expect(sumWhere(cv.filter((v) => v.community === c.name), 'status', '已入驻')).toBe(c.coverage.covered);
    }
    const av = actions!.chart_spec.data.values;
    expect(sumWhere(av, 'state', '已完成')).toBe(p.upgrade.actionsDone);
    expect(av.reduce((n, v) => n + Number(v.count), 0)).toBe(p.upgrade.actionsTotal);
    expect(sumWhere(av, 'state', '进行中')).toBe(1);
  });

  it('shows community staff their own community only', async () => {
    await bot.bind('张三', '社区 紫薇社区');
    const card = (await bot.say('张三', '进度'))[0]!.card!;
    const p = await computeProgress(bot.runtime.deps, bot.clock.now(), { communityId: (await bot.db.selectFrom('communities').select('id').where('name', '=', '紫薇社区').executeTakeFirstOrThrow()).id });
    expect(cardText(card)).toContain(`已入驻 **${p.coverage.covered}/${p.coverage.total}**`);
    const [coverage, actions] = charts(card);
    expect(new Set(coverage!.chart_spec.data.values.map((v) => v.community))).toEqual(new Set(['紫薇社区']));
    expect(sumWhere(actions!.chart_spec.data.values, 'state', '已完成')).toBe(p.upgrade.actionsDone);
    expect(cardText(card)).not.toContain('梅园社区');
  });
});
