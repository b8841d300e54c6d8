import { afterEach, describe, expect, it } from 'vitest';
import { computeProgress } from '../../src/domain/progress.ts';
import { createTestBot, textOf, type TestBot } from '../support/harness.ts';

describe('progress counts', () => {
  let bot: TestBot;
  afterEach(async () => {
    await bot.stop();
    await bot.close();
  });

  it('reflects a grievance recorded or resolved a moment ago, within the same minute', async () => {
    bot = await createTestBot({ now: '2020-09-28T10:00:00+08:00' });
    await bot.bind('张三', '社区 紫薇社区');
    const before = await computeProgress(bot.runtime.deps, bot.clock.now());
    expect(before.grievances).toEqual({ open: 0, overdue: 0, resolved: 0 });
    const recorded = textOf(await bot.say('张三', '投诉 锦绣花园 3号楼电梯坏了'));
    const code = /T\d{4}/.exec(recorded)![0];
    bot.clock.advance(5_000);
    const open = await computeProgress(bot.runtime.deps, bot.clock.now());
    expect(open.grievances).toEqual({ open: 1, overdue: 0, resolved: 0 });
    expect(open.communities.find((c) => c.name === '紫薇社区')!.grievancesOpen).toBe(1);
    await bot.say('张三', `办结 ${code} 已修复`);
    bot.clock.advance(5_000);
    const done = await computeProgress(bot.runtime.deps, bot.clock.now());
    expect(done.grievances).toEqual({ open: 0, overdue: 0, resolved: 1 });
  });

  it('counts coverage, upgrade compounds done and actions done from the data', async () => {
    bot = await createTestBot({ now: '2020-09-28T10:00:00+08:00' });
    const ids = await bot.db.selectFrom('compounds').select(['id', 'name']).where('name', 'in', ['梅花园', '福源公寓', '银山小区']).execute();
    const id = (n: string) => ids.find((c) => c.name === n)!.id;
    await bot.db.updateTable('upgrade_actions').set({ state: '已完成' }).where('compound_id', '=', id('梅花园')).execute();
    const takeover = { company: null, services: '[]', manager: null, phone: null, remarks: null, recorded_at: '2020-09-28T01:00:00.000Z', recorded_by: 'ou_x', source_kind: 'message', source_ref: null, source_chat: null, nature: '自主' as const };
    await bot.db.insertInto('takeovers').values({ ...takeover, compound_id: id('福源公寓'), start_date: '2020-09-20', superseded_at: null }).execute();
    // A superseded takeover and one that starts later do not count.
    await bot.db.insertInto('takeovers').values({ ...takeover, compound_id: id('银山小区'), start_date: '2020-09-01', superseded_at: '2020-09-27T00:00:00.000Z' }).execute();
    await bot.db.insertInto('takeovers').values({ ...takeover, compound_id: id('银山小区'), start_date: '2020-10-05', superseded_at: null }).execute();
    const p = await computeProgress(bot.runtime.deps, bot.clock.now());
    expect(p.coverage).toEqual({ total: 21, covered: 1 });
    expect(p.upgrade).toEqual({ total: 20, done: 1, actionsDone: 4, actionsTotal: 80 });
    expect(p.communities.find((c) => c.name === '梅园社区')).toEqual({ name: '梅园社区', coverage: { total: 10, covered: 1 }, upgrade: { total: 2, done: 1 }, grievancesOpen: 0 });
    expect(p.communities.find((c) => c.name === '紫薇社区')!.coverage).toEqual({ total: 4, covered: 0 });
    bot.clock.set('2020-10-05T08:00:00+08:00');
    expect((await computeProgress(bot.runtime.deps, bot.clock.now())).coverage.covered).toBe(2);
  });
});
