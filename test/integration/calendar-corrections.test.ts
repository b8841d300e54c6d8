import { Writable } from 'node:stream';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createTestBot, textOf, type TestBot } from '../support/harness.ts';
import { beijing, scheduledSends, setUpReminderUnits, tickAt } from '../support/reminders.ts';
import { campaignFile, removeCampaignFiles } from '../support/campaigns.ts';
import { type OpenedDatabase } from '../../src/db/connect.ts';
import { openTestDatabase } from '../support/test-database.ts';
import { createLogger } from '../../src/logger.ts';
import { loadCampaignFile } from '../../src/campaign/load.ts';
import { createWorkCalendar } from '../../src/calendar/workdays.ts';
import { campaignCalendarDays } from '../../src/campaign/schema.ts';
import { campaignSchedule } from '../../src/schedule/schedule.ts';

/**
 * 2027 is past the holiday package's last year (2026). The campaign of this test moves the notice to 2027 and puts
 * the 11月15日 deadline on Sunday 10 October, so that National Day and its make-up Saturday decide where its
 * reminders land. The holiday arrangement below is this test's own (the real 2027 notice is not out yet).
 */
const NATIONAL_DAY = { from: '2027-10-01', to: '2027-10-07', name: '国庆节' };
const MID_AUTUMN = { date: '2027-09-15', name: '中秋节' };
const MAKE_UP_SATURDAY = { date: '2027-10-09', name: '国庆节调休' };

function campaign2027(withCorrections: boolean): string {
  return campaignFile(2027, (def) => {
    def.deadlines.find((d: { code: string }) => d.code === 'coverage-done').date = '2027-10-10';
    if (withCorrections) def.calendar = { holidays: [MID_AUTUMN, NATIONAL_DAY], workdays: [MAKE_UP_SATURDAY] };
  });
}

const REMINDER_PURPOSES = /^(report-prompt|report-reminder|deadline-reminder) /;

afterAll(() => removeCampaignFiles());

describe('a 2027 campaign with an override list (Must show 4)', () => {
  it('computes the periods and reminders on the corrected working days, not on weekends only', () => {
    const corrected = loadCampaignFile(campaign2027(true));
    const plain = loadCampaignFile(campaign2027(false));
    const schedule = (def: typeof corrected) => {
      const calendar = createWorkCalendar(undefined, campaignCalendarDays(def).map((d) => ({ ...d, source: 'campaign' as const })));
      const c = { startsOn: def.startsOn, endsOn: def.endsOn, timezone: def.timezone, definition: def };
      return campaignSchedule(c, calendar)
        .filter((e) => ['report-prompt', 'report-reminder', 'deadline-reminder'].includes(e.kind) && e.day > '2027-09-10' && e.day <= '2027-10-15')
        .map((e) => `${e.day} ${e.kind} ${e.ref}${e.daysBefore ? ` [${e.daysBefore.join(',')}]` : ''}`);
    };
    expect(schedule(corrected)).toEqual([
      '2027-09-13 report-prompt 2027-09-15', // 中秋 (Wednesday 15th) off: due on Tuesday the 14th, prompt on Monday
      '2027-09-14 report-reminder 2027-09-15',
      '2027-09-29 report-prompt 2027-10-01', // National Day: due on Thursday 30 September
      '2027-09-30 report-reminder 2027-10-01',
      '2027-09-30 deadline-reminder coverage-done [7,3]', // 3 and 7 October are holidays: moved back to the 30th
      '2027-10-09 deadline-reminder coverage-done [1,0]', // the make-up Saturday is a working day
      '2027-10-14 report-prompt 2027-10-15',
      '2027-10-15 report-reminder 2027-10-15',
    ]);
    // Without the corrections, 2027 counts weekends only: 1 October and 15 September would be working days.
    expect(schedule(plain)).toEqual([
      '2027-09-14 report-prompt 2027-09-15',
      '2027-09-15 report-reminder 2027-09-15',
      '2027-09-30 report-prompt 2027-10-01',
      '2027-10-01 report-reminder 2027-10-01',
      '2027-10-01 deadline-reminder coverage-done [7]',
      '2027-10-07 deadline-reminder coverage-done [3]',
      '2027-10-08 deadline-reminder coverage-done [1,0]',
      '2027-10-14 report-prompt 2027-10-15',
      '2027-10-15 report-reminder 2027-10-15',
    ]);
  });

  it('sends the prompts, reminders and deadline reminders on those days through the real bot', async () => {
    const bot = await createTestBot({ now: '2027-09-12T08:00:00+08:00', env: { CAMPAIGN_FILE: campaign2027(true) } });
    await setUpReminderUnits(bot);
    const log: string[] = [];
    for (let day = Date.parse('2027-09-12T09:00:00+08:00'); day <= Date.parse('2027-10-15T09:00:00+08:00'); day += 86_400_000) {
      for (const hour of [0]) {
        const at = new Date(day + hour);
        // Sends to different chats may leave in any order (each chat is paced on its own): sorted within a tick.
        const sends = scheduledSends(await tickAt(bot, at.toISOString())).filter((s) => REMINDER_PURPOSES.test(s)).sort();
        for (const s of sends) log.push(`${beijing(at)} ${s}`);
      }
    }
    expect(log).toEqual([
      '09-13 09:00 report-prompt → 梅园社区群',
      '09-13 09:00 report-prompt → 紫薇社区群',
      '09-14 09:00 report-reminder → 梅园社区群',
      '09-14 09:00 report-reminder → 紫薇社区群',
      '09-29 09:00 report-prompt → 梅园社区群',
      '09-29 09:00 report-prompt → 紫薇社区群',
      '09-30 09:00 deadline-reminder → 专班群',
      '09-30 09:00 deadline-reminder → 梅园社区群',
      '09-30 09:00 deadline-reminder → 紫薇社区群',
      '09-30 09:00 report-reminder → 梅园社区群',
      '09-30 09:00 report-reminder → 紫薇社区群',
      '10-09 09:00 deadline-reminder → 专班群',
      '10-09 09:00 deadline-reminder → 梅园社区群',
      '10-09 09:00 deadline-reminder → 紫薇社区群',
      '10-14 09:00 report-prompt → 梅园社区群',
      '10-14 09:00 report-prompt → 紫薇社区群',
      '10-15 09:00 report-reminder → 梅园社区群',
      '10-15 09:00 report-reminder → 紫薇社区群',
    ]);
    // With the corrected calendar known, no admin is warned about 2027.
    expect(textOf(await bot.say('admin', '帮助'))).not.toContain('尚未收录');
    await bot.stop();
    await bot.close();
  }, 60_000);
});

describe('日历: admins correct a year the package does not know', () => {
  const bots: TestBot[] = [];
  const databases: OpenedDatabase[] = [];
  afterEach(async () => {
    for (const b of bots.splice(0)) await b.stop();
    for (const d of databases.splice(0)) await d.close();
  });

  it('warns at start-up and each admin once in chat, then moves the report day and the reminders as days are entered', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _e, cb) { lines.push(...String(chunk).split('\n').filter(Boolean)); cb(); } });
    const database = openTestDatabase();
    databases.push(database);
    const file = campaign2027(false);
    const bot = await createTestBot({ now: '2027-09-20T10:00:00+08:00', env: { CAMPAIGN_FILE: file }, database, log: createLogger('warn', sink) });
    bots.push(bot);
    await setUpReminderUnits(bot);
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.some((l) => l.includes('"year":2027') && l.includes('no official holiday calendar'))).toBe(true);

    const firstHelp = textOf(await bot.say('admin', '帮助'));
    expect(firstHelp).toContain('2027年的法定节假日和调休安排尚未收录');
    expect(firstHelp).toContain('日历 放假 2027-10-01至2027-10-07 国庆节');
    expect(textOf(await bot.say('admin', '帮助'))).not.toContain('尚未收录');
    expect(textOf(await bot.say('admin', '节点'))).not.toContain('尚未收录');
    // Another admin is told too, once, in 节点; staff are not.
    await bot.bind('王管理', '管理员');
    expect(textOf(await bot.say('王管理', '节点'))).toContain('2027年的法定节假日和调休安排尚未收录');
    expect(textOf(await bot.say('王管理', '节点'))).not.toContain('尚未收录');
    expect(textOf(await bot.say('张三', '节点', { chat: '梅园社区群' }))).not.toContain('尚未收录');

    expect(textOf(await bot.say('admin', '日历'))).toContain('2027年：⚠️ 节假日安排未收录');
    expect(textOf(await bot.say('admin', '日历 2027-10-01'))).toContain('2027年10月1日（周五）：工作日，依据：未收录节假日安排，按周末计算');

    const holiday = textOf(await bot.say('admin', '日历 放假 2027年10月1日至7日 国庆节'));
    expect(holiday).toContain('已将2027年10月1日（周五）至2027年10月7日（周四）设为休息日（国庆节），共 7 天');
    expect(holiday).toContain('- 10月1日调度表：报送日由10月1日改为9月30日');
    const makeUp = textOf(await bot.say('admin', 'calendar workday 2027-10-09 国庆节调休'));
    expect(makeUp).toContain('已将2027年10月9日（周六）设为工作日（补班）（国庆节调休）');
    expect(textOf(await bot.say('admin', '日历 10月9日'))).toContain('工作日（国庆节调休），依据：已录入的调整');
    const list = textOf(await bot.say('admin', '日历 列表'));
    expect(list).toContain('2027年：节假日数据未收录，按已录入的放假、补班安排计算');
    expect(list).toContain('- 2027年10月1日（周五）至2027年10月7日（周四） 放假（国庆节）［管理员录入］');
    expect(list).toContain('- 2027年10月9日（周六） 补班（上班）（国庆节调休）［管理员录入］');
    // Only admins change the calendar; nothing is written for anyone else.
    expect(textOf(await bot.say('张三', '日历 补班 2027-10-10', { chat: '梅园社区群' }))).toContain('不在您的权限范围内');
    expect(textOf(await bot.say('admin', '日历 放假 2027-02-30'))).toContain('没有“2027-02-30”这一天');
    expect(textOf(await bot.say('admin', '日历 删除 2027-11-11'))).toContain('没有管理员录入的调整');
    const audits = await bot.db.selectFrom('audit_log').select(['action', 'entity_id']).where('entity', '=', 'calendar_override').execute();
    expect(audits).toHaveLength(8);

    // The scheduler follows the correction: the 1 October report is prompted on 29 September and reminded on the 30th.
    const sent: string[] = [];
    for (const at of ['2027-09-29T09:00:00+08:00', '2027-09-30T09:00:00+08:00', '2027-10-01T09:00:00+08:00', '2027-10-08T09:00:00+08:00', '2027-10-09T09:00:00+08:00']) {
      for (const s of scheduledSends(await tickAt(bot, at))) if (REMINDER_PURPOSES.test(s)) sent.push(`${at.slice(5, 10)} ${s}`);
    }
    expect(sent.filter((s) => s.includes('专班') || s.includes('report-'))).toEqual([
      '09-29 report-prompt → 梅园社区群',
      '09-29 report-prompt → 紫薇社区群',
      '09-30 report-reminder → 梅园社区群',
      '09-30 report-reminder → 紫薇社区群',
      '09-30 deadline-reminder → 专班群',
      '10-09 deadline-reminder → 专班群',
    ]);

    // A second instance on the same database plans on the stored corrections; removing the make-up day undoes it.
    await bot.stop();
    bots.splice(0);
    const again = await createTestBot({ now: '2027-10-02T10:00:00+08:00', env: { CAMPAIGN_FILE: file }, database });
    bots.push(again);
    expect(textOf(await again.say('admin', '日历 2027-10-05'))).toContain('休息日（国庆节）');
    expect(textOf(await again.say('admin', '日历 删除 2027-10-09'))).toContain('已删除2027年10月9日（周六）的调整，恢复为按周末计算');
    expect(textOf(await again.say('admin', '日历 2027-10-09'))).toContain('休息日');
    // A range is withdrawn as it was entered.
    expect(textOf(await again.say('admin', '日历 删除 2027-10-01至2027-10-07'))).toContain('已删除2027年10月1日（周五）至2027年10月7日（周四）的调整');
    expect(textOf(await again.say('admin', '日历 2027-10-04'))).toContain('工作日');
  }, 60_000);
});
