import { afterEach, describe, expect, it } from 'vitest';
import { createTestBot, type TestBot } from '../support/harness.ts';
import { readSheets, recordTakeover } from '../support/report-fixtures.ts';
import { renderReportFile } from '../../src/report/file.ts';
import { loadReportView } from '../../src/report/snapshot.ts';
import { changesSinceLastPeriod } from '../../src/report/changes.ts';

describe('report period snapshots', () => {
  let bot: TestBot;
  afterEach(async () => {
    await bot.stop();
    await bot.close();
  });

  /** The 调度表 row of a compound, as the workbook for `due` shows it at the bot's current time. */
  async function rowOf(due: string, compound: string): Promise<string[]> {
    const { db, deps } = bot.runtime;
    const file = await renderReportFile(db, deps.campaign, deps.calendar, due, bot.clock.now());
    const { rows } = await readSheets(file.data);
    return rows('调度表').find((r) => r[2] === compound)!;
  }

  async function periodRow(due: string) {
    return bot.db.selectFrom('report_periods').select(['closed_at', 'snapshot']).where('due_date', '=', due).executeTakeFirst();
  }

  it('freezes the 1 October table when its due day ends, so a takeover recorded on 5 October shows only from 15 October', async () => {
    bot = await createTestBot({ now: '2020-09-28T09:00:00+08:00' });
    await recordTakeover(bot.db, '福源公寓', { company: '鑫安物业', startDate: '2020-09-20', phone: '13905321234' }, bot.clock.now());

    // 1 October is a holiday: the report is due on 30 September, so the period closes at 00:00 on 1 October.
    bot.clock.set('2020-09-30T23:59:00+08:00');
    await bot.runtime.tick();
    expect((await periodRow('2020-10-01'))?.snapshot ?? null).toBeNull();
    bot.clock.set('2020-10-01T00:00:30+08:00');
    await bot.runtime.tick();
    const closed = await periodRow('2020-10-01');
    expect(closed?.closed_at).toBe(new Date('2020-10-01T00:00:30+08:00').toISOString());
    expect(JSON.parse(closed!.snapshot!).basis).toBe('snapshot');

    bot.clock.set('2020-10-05T10:00:00+08:00');
    await recordTakeover(bot.db, '银山小区', { company: '金盾物业', startDate: '2020-10-05', manager: '赵刚' }, bot.clock.now());
    await recordTakeover(bot.db, '福源公寓', { company: '鑫安物业服务有限公司', startDate: '2020-09-20', phone: '13905321234' }, bot.clock.now());
    await bot.db.updateTable('compounds').set({ category: 3 }).where('name', '=', '福源公寓').execute();

    expect((await rowOf('2020-10-01', '银山小区'))[10]).toBe('未入驻');
    expect((await rowOf('2020-10-01', '福源公寓')).slice(3, 5)).toEqual(['', '鑫安物业']);
    expect((await rowOf('2020-10-15', '银山小区')).slice(4, 11)).toEqual(['金盾物业', '外聘', '2020-10-05', '', '赵刚', '', '']);
    expect((await rowOf('2020-10-15', '福源公寓')).slice(3, 5)).toEqual(['3', '鑫安物业服务有限公司']);

    // The 15 October table closes too, and a later correction does not reach it.
    bot.clock.set('2020-10-16T00:01:00+08:00');
    await bot.runtime.tick();
    bot.clock.set('2020-10-20T09:00:00+08:00');
    await recordTakeover(bot.db, '银山小区', { company: '另一家物业', startDate: '2020-10-05' }, bot.clock.now());
    expect((await rowOf('2020-10-15', '银山小区'))[4]).toBe('金盾物业');
    expect((await rowOf('2020-11-01', '银山小区'))[4]).toBe('另一家物业');
    expect((await rowOf('2020-10-01', '银山小区'))[10]).toBe('未入驻');

    const ledger = await bot.db.selectFrom('reminder_ledger').select(['reminder_key', 'status']).where('kind', '=', 'period-close').orderBy('id').execute();
    // 15 September had already ended when the bot started: it was closed (late) by the first tick.
    expect(ledger).toEqual([
      { reminder_key: 'period-close:shanting-2020:2020-09-15', status: 'sent' },
      { reminder_key: 'period-close:shanting-2020:2020-10-01', status: 'sent' },
      { reminder_key: 'period-close:shanting-2020:2020-10-15', status: 'sent' },
    ]);
  });

  it('closes periods missed while the bot was down as of their due day, from the takeovers history', async () => {
    bot = await createTestBot({ now: '2020-09-28T09:00:00+08:00' });
    await recordTakeover(bot.db, '福源公寓', { company: '鑫安物业', startDate: '2020-09-20' }, new Date('2020-09-29T02:00:00Z'));
    // Recorded on 5 October (the bot's tick never ran in between): a new takeover and a correction.
    await recordTakeover(bot.db, '银山小区', { company: '金盾物业', startDate: '2020-10-05' }, new Date('2020-10-05T02:00:00Z'));
    await recordTakeover(bot.db, '福源公寓', { company: '鑫安物业服务有限公司', startDate: '2020-09-20' }, new Date('2020-10-05T02:00:00Z'));
    // Recorded on 20 October, after the 15 October period ended.
    await recordTakeover(bot.db, '柴林小区', { company: '柴林物业', startDate: '2020-10-12' }, new Date('2020-10-20T02:00:00Z'));

    // Back up on 25 October: 24 days after the first period ended, beyond the scheduler's usual look-back.
    bot.clock.set('2020-10-25T09:00:00+08:00');
    const { db, deps } = bot.runtime;
    const before = await loadReportView(db, deps.campaign, deps.calendar, { due: '2020-10-01', now: bot.clock.now() });
    expect(before.basis).toBe('reconstructed');
    await bot.runtime.tick();

    const oct1 = JSON.parse((await periodRow('2020-10-01'))!.snapshot!);
    expect(oct1.basis).toBe('snapshot');
    expect(oct1.asOfDate).toBe('2020-09-30');
    expect(oct1.note).toContain('补记');
    expect(oct1.rows).toEqual(before.rows);
    expect((await rowOf('2020-10-01', '福源公寓'))[4]).toBe('鑫安物业');
    expect((await rowOf('2020-10-01', '银山小区'))[10]).toBe('未入驻');
    expect((await rowOf('2020-10-15', '福源公寓'))[4]).toBe('鑫安物业服务有限公司');
    expect((await rowOf('2020-10-15', '银山小区'))[4]).toBe('金盾物业');
    // Started before 15 October but recorded after that period ended: not in its table.
    expect((await rowOf('2020-10-15', '柴林小区'))[10]).toBe('未入驻');
    expect((await rowOf('2020-11-01', '柴林小区'))[4]).toBe('柴林物业');
    const { rows } = await readSheets((await renderReportFile(db, deps.campaign, deps.calendar, '2020-10-01', bot.clock.now())).data);
    expect(rows('调度表').some((r) => r[0]!.includes('补记封存'))).toBe(true);
  });

  it('lists what changed since the previous period: newly covered compounds, new and resolved grievances', async () => {
    bot = await createTestBot({ now: '2020-09-28T09:00:00+08:00' });
    await recordTakeover(bot.db, '福源公寓', { company: '鑫安物业', startDate: '2020-09-20' }, bot.clock.now());
    bot.clock.set('2020-10-01T00:00:30+08:00');
    await bot.runtime.tick();
    bot.clock.set('2020-10-09T10:00:00+08:00');
    await recordTakeover(bot.db, '银山小区', { company: '金盾物业', startDate: '2020-10-09' }, bot.clock.now());
    const compound = await bot.db.selectFrom('compounds').select('id').where('name', '=', '锦绣花园').executeTakeFirstOrThrow();
    const grievance = (code: string, created: string, status: string, resolved: string | null) => ({
      code, compound_id: compound.id, text: '3号楼电梯坏了', department_id: null, rule_code: null, status, result: resolved ? '已修复' : null,
      created_at: new Date(created).toISOString(), created_by: 'ou_x', source_chat: null, source_ref: null, accepted_at: null,
      resolved_at: resolved ? new Date(resolved).toISOString() : null, accept_due_at: null, resolve_due_at: null, updated_at: null,
    });
    await bot.db.insertInto('grievances').values([
      grievance('T0001', '2020-09-25T10:00:00+08:00', '已办结', '2020-10-08T10:00:00+08:00'),
      grievance('T0002', '2020-10-08T11:00:00+08:00', '待受理', null),
      grievance('T0003', '2020-09-26T11:00:00+08:00', '处理中', null),
    ]).execute();

    const { db, deps } = bot.runtime;
    const changes = await changesSinceLastPeriod(db, deps.campaign, deps.calendar, { now: bot.clock.now() });
    expect(changes.previous?.due).toBe('2020-10-01');
    expect(changes.current.due).toBe('2020-10-15');
    expect(changes.newlyCovered.map((c) => c.compound)).toEqual(['银山小区']);
    expect(changes.newGrievances.map((g) => g.id)).toEqual(['T0002']);
    expect(changes.resolvedGrievances.map((g) => [g.id, g.result])).toEqual([['T0001', '已修复']]);
  });
});
