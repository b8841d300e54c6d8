import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestBot, textOf, type TestBot } from '../support/harness.ts';
import { addManyCompounds } from '../support/many-compounds.ts';

/**
 * Issue 18: more compounds than SQLite binds in one statement (32,766). No command or job may bind one value per
 * compound; each still answers, and none with the internal-error reply.
 */
const MANY = 33_000;
const INTERNAL_ERROR = '出现了问题';

describe(`a campaign of more than ${MANY} compounds`, () => {
  let bot: TestBot;
  // Every error the bot logs (a failed command, a failed scheduled job).
  const errors: string[] = [];
  const log = pino({ level: 'error' }, { write: (line: string) => void errors.push(line) });
  beforeAll(async () => {
    bot = await createTestBot({ now: '2020-09-28T09:00:00+08:00', log });
    await addManyCompounds(bot, '梅园社区', MANY);
  }, 60_000);
  afterAll(async () => {
    await bot?.stop();
    await bot?.close();
  });

  for (const command of ['进度', '小区 福源公寓', '投诉 福源公寓 3号楼电梯坏了', '待办', '未报', '节点', '小区列表 未入驻']) {
    it(`answers ${command}`, async () => {
      const reply = textOf(await bot.say('admin', command));
      expect(reply.length).toBeGreaterThan(0);
      expect(reply).not.toContain(INTERNAL_ERROR);
      expect(errors.splice(0)).toEqual([]);
    }, 60_000);
  }

  it('counts every compound in 进度', async () => {
    const { computeProgress } = await import('../../src/domain/progress.ts');
    const p = await computeProgress(bot.runtime.deps, bot.clock.now());
    expect(p.coverage.total + p.upgrade.total).toBe(41 + MANY);
  });

  it('writes the whole 调度表 (every compound a row, styled like the small table, footnote last)', async () => {
    const { renderReportFile } = await import('../../src/report/file.ts');
    const ExcelJS = (await import('exceljs')).default;
    const { db, campaign, calendar } = bot.runtime.deps;
    const file = await renderReportFile(db, campaign, calendar, null, bot.clock.now());
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.data as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('调度表')!;
    expect(ws.getRow(1).getCell(1).value).toBe('住宅小区物业管理全覆盖进展情况调度表');
    expect(ws.getRow(3).getCell(3).value).toBe('小区名称');
    const rows = 41 + MANY;
    expect(ws.getRow(3 + rows).getCell(1).value).toBe(rows);
    const deep = ws.getRow(3 + rows - 1);
    expect(deep.getCell(1).border?.top?.style).toBe('thin');
    expect(deep.getCell(10).numFmt).toBe('@');
    expect(String(ws.getRow(4 + rows).getCell(1).value)).toMatch(/^注/);
  }, 120_000);

  it('runs the reminder jobs of a report day (prompt, reminder) without failing', async () => {
    for (const at of ['2020-09-29T09:00:00+08:00', '2020-09-30T09:00:00+08:00', '2020-09-30T15:00:00+08:00', '2020-09-30T17:00:00+08:00']) {
      bot.clock.set(at);
      const r = await bot.runtime.scheduler.tick();
      expect(r.ran.length, at).toBeGreaterThan(0);
      expect(errors.splice(0), at).toEqual([]);
    }
  }, 120_000);
});
