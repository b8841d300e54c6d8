import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestBot, type TestBot } from '../support/harness.ts';
import { computeProgress } from '../../src/domain/progress.ts';
import { rebuildGrievanceTallies } from '../../src/domain/grievance-tallies.ts';
import { isOverdue, listGrievanceViews } from '../../src/domain/grievances.ts';

/**
 * Issue 18: 进度 counts grievances from tallies kept as grievances are recorded and handled. Through the real
 * commands, the tallies always equal a recount from the grievances, and 进度's numbers equal the grievances' own.
 */
let bot: TestBot;
beforeEach(async () => {
  bot = await createTestBot({ now: '2020-09-28T10:00:00+08:00' });
  await bot.bind('张三', '社区 梅园社区');
  await bot.bind('监管员', '部门 区市场监管局');
});
afterEach(async () => {
  await bot.stop();
  await bot.close();
});

async function tallies() {
  return bot.db.selectFrom('grievance_tallies').select(['community_id', 'status', 'overdue_at', 'n']).where('n', '<>', 0).orderBy(['community_id', 'status', 'overdue_at']).execute();
}

async function expectConsistent(): Promise<void> {
  const kept = await tallies();
  await rebuildGrievanceTallies(bot.db);
  expect(kept).toEqual(await tallies());
  const all = await listGrievanceViews(bot.db, bot.runtime.deps.campaign.id);
  const p = await computeProgress(bot.runtime.deps, bot.clock.now());
  const open = all.filter((g) => ['待受理', '处理中', '已转办'].includes(g.status));
  expect(p.grievances).toEqual({ open: open.length, overdue: all.filter((g) => isOverdue(g, bot.clock.now())).length, resolved: all.filter((g) => g.status === '已办结').length });
}

describe('grievance tallies', () => {
  it('follow recording, acceptance, transfer, resolution, withdrawal and the passing of time', async () => {
    await bot.say('张三', '投诉 福源公寓 3号楼电梯坏了');
    await bot.say('张三', '投诉 福源公寓 楼道灯不亮');
    await bot.say('张三', '投诉 梅花园 电梯异响');
    await expectConsistent();
    await bot.say('监管员', '受理 T0001');
    await expectConsistent();
    await bot.say('监管员', '转办 T0003 区住建局 属于维修资金');
    await expectConsistent();
    await bot.say('监管员', '办结 T0001 已修复');
    await bot.say('张三', '撤回 T0002 登记错了');
    await expectConsistent();
    const statuses = await bot.db.selectFrom('grievances').select(['code', 'status']).orderBy('code').execute();
    expect(statuses.map((g) => g.status)).toEqual(['已办结', '已撤回', '已转办']);
    // Days later every remaining limit has passed: overdue is counted from the same rows, as time moves.
    bot.clock.set('2020-10-30T10:00:00+08:00');
    await expectConsistent();
    expect((await computeProgress(bot.runtime.deps, bot.clock.now())).grievances.overdue).toBeGreaterThan(0);
  });
});
