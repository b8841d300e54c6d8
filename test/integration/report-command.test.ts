import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestBot, textOf, type TestBot } from '../support/harness.ts';
import { readSheets, recordTakeover } from '../support/report-fixtures.ts';
import type { Sent } from '../support/recording-messenger.ts';

const fileOf = (sent: Sent[]) => sent.find((s) => s.msgType === 'file');

describe('调度表 command', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await createTestBot({ now: '2020-10-08T10:00:00+08:00' });
    await bot.bind('李四', '街道');
  });
  afterEach(async () => {
    await bot.stop();
    await bot.close();
  });

  it('replies with the workbook as a file, in a group too, with phones whole', async () => {
    await recordTakeover(bot.db, '福源公寓', { company: '鑫安物业', startDate: '2020-09-20', phone: '13905321234' }, new Date('2020-09-27T02:00:00Z'));
    const sent = await bot.say('李四', '调度表 10月1日', { chat: '专班群' });
    const file = fileOf(sent);
    expect(file).toBeDefined();
    expect(file!.op).toBe('reply');
    expect(file!.fileName).toBe('住宅小区物业管理全覆盖进展情况调度表-2020-10-01.xlsx');
    const { rows } = await readSheets(file!.fileData!);
    const sheet = rows('调度表');
    expect(sheet[0]![0]).toBe('住宅小区物业管理全覆盖进展情况调度表');
    expect(sheet.slice(3).filter((r) => /^\d+$/.test(r[0]!))).toHaveLength(41);
    expect(sheet.find((r) => r[2] === '福源公寓')![9]).toBe('13905321234');
    expect(textOf(sent)).toContain('2020年10月1日调度表');
    expect(textOf(sent)).toContain('此后的修改不影响本表');
  });

  it('understands the date forms and defaults to the current period', async () => {
    for (const [text, due] of [
      ['调度表 2020-10-01', '2020-10-01'],
      ['调度表 10.1', '2020-10-01'],
      ['report 10月15号', '2020-10-15'],
      ['调度表 9月30日', '2020-10-01'],
      ['调度表', '2020-10-15'],
      ['report', '2020-10-15'],
    ] as const) {
      const file = fileOf(await bot.say('李四', text));
      expect(file?.fileName, text).toBe(`住宅小区物业管理全覆盖进展情况调度表-${due}.xlsx`);
    }
    const current = await bot.say('李四', '调度表');
    expect(textOf(current)).toContain('本期尚未截止，表中为当前数据');
  });

  it('refuses a date that is no report day, and departments; community staff get their own community only', async () => {
    const wrong = await bot.say('李四', '调度表 10月2日');
    expect(fileOf(wrong)).toBeUndefined();
    expect(textOf(wrong)).toContain('10月2日不是报送日');
    expect(textOf(wrong)).toContain('10月15日');
    const garbled = await bot.say('李四', '调度表 下周');
    expect(textOf(garbled)).toContain('看不懂日期');

    await bot.bind('监管员', '部门 区市场监管局');
    const refused = await bot.say('监管员', '调度表');
    expect(fileOf(refused)).toBeUndefined();
    expect(textOf(refused)).toContain('不在您的权限范围内');

    await bot.bind('王局长', '领导');
    expect(fileOf(await bot.say('王局长', '调度表'))).toBeDefined();
    expect(fileOf(await bot.say('admin', 'report 2020-10-15'))).toBeDefined();
  });
});
