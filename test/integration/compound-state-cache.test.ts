import { afterEach, describe, expect, it } from 'vitest';
import { computeProgress } from '../../src/domain/progress.ts';
import { upgradeActionStats } from '../../src/domain/upgrade-stats.ts';
import { recordAudit } from '../../src/domain/audit.ts';
import { inTransaction } from '../../src/db/transaction.ts';
import { createTestBot, textOf, type TestBot } from '../support/harness.ts';

/**
 * Issue 18 item 2: 进度's aggregates over compound state (coverage, upgrade actions, 公示…) are reused until an
 * audited change to compound state (src/domain/compound-state-cache.ts); grievances never invalidate them, so 进度
 * after a new grievance only recounts the grievance tallies. Correctness is what matters: every audited change is
 * seen at once, inside its own transaction too, and a rolled-back one leaves nothing behind.
 */

let bot: TestBot;
afterEach(async () => {
  await bot.stop();
  await bot.close();
});

const stat = async (b: TestBot, action: string) => (await upgradeActionStats(b.db, b.runtime.deps.campaign.id)).find((s) => s.action === action)!;

describe('aggregates over compound state', () => {
  it('are reused across grievances and recomputed after an audited change, in the command’s own transaction too', async () => {
    bot = await createTestBot({ now: '2020-09-28T10:00:00+08:00' });
    expect((await computeProgress(bot.runtime.deps, bot.clock.now())).upgrade.actionsDone).toBe(0);
    const meihua = (await bot.db.selectFrom('compounds').select('id').where('name', '=', '梅花园').executeTakeFirstOrThrow()).id;
    // An edit no command makes (unaudited) is not seen while compound state is unchanged: the counts were reused.
    await bot.db.updateTable('upgrade_actions').set({ state: '已完成' }).where('compound_id', '=', meihua).where('action', '=', '环境卫生').execute();
    expect(textOf(await bot.say('admin', '投诉 锦绣花园 3号楼电梯坏了'))).toMatch(/T\d{4}/);
    const afterGrievance = await computeProgress(bot.runtime.deps, bot.clock.now());
    expect(afterGrievance.grievances.open).toBe(1);
    expect(afterGrievance.upgrade.actionsDone).toBe(0);
    // An audited change (through the command) makes everything count again, the unaudited edit included.
    await bot.say('admin', '攻坚 梅花园 道路设施 已完成');
    expect((await computeProgress(bot.runtime.deps, bot.clock.now())).upgrade.actionsDone).toBe(2);
    const card = textOf(await bot.say('admin', '进度'));
    expect(card).toContain('梅园社区');
    expect((await stat(bot, '道路设施')).done).toBe(1);
  });

  it('sees a change inside the transaction that makes it, and forgets it when that transaction rolls back', async () => {
    bot = await createTestBot({ now: '2020-09-28T10:00:00+08:00' });
    expect((await stat(bot, '环境卫生')).done).toBe(0);
    await expect(
      inTransaction(bot.db, async (trx) => {
        await trx.updateTable('upgrade_actions').set({ state: '已完成' }).where('action', '=', '环境卫生').execute();
        await recordAudit(trx, { actor: 'ou_x', action: 'set', entity: 'upgrade_action', entityId: 0, before: null, after: null, sourceKind: 'system', sourceRef: 'rolled-back', chatId: null }, bot.clock.now());
        expect((await upgradeActionStats(trx, bot.runtime.deps.campaign.id)).find((s) => s.action === '环境卫生')!.done).toBe(20);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect((await stat(bot, '环境卫生')).done).toBe(0);
    // SQLite gives the next audit row the rolled-back row's id: the counts cached under it must not come back.
    await bot.say('admin', '攻坚 梅花园 环境卫生 已完成');
    expect((await stat(bot, '环境卫生')).done).toBe(1);
  });
});
