import { afterAll, describe, expect, it } from 'vitest';
import { loadCampaignFile } from '../../src/campaign/load.ts';
import { parseCampaign } from '../../src/campaign/schema.ts';
import { createWorkCalendar } from '../../src/calendar/workdays.ts';
import { campaignSchedule, type ScheduleEntry } from '../../src/schedule/schedule.ts';

const def = loadCampaignFile();
const campaign = { startsOn: def.startsOn, endsOn: def.endsOn, timezone: def.timezone, definition: def };

/** [kind, report due date or deadline code, local day, instant (UTC), merged days-before for deadline reminders]. */
type Row = [string, string, string, string, number[]?];

// Hand-checked against the 2020 State Council holiday notice: National Day 10月1日—8日 off, 9月27日 (Sun) and
// 10月10日 (Sat) worked; 11月1日, 11月15日, 12月20日 are Sundays. 09:00 / 13:00 / 15:00 / 17:00 Beijing = 01:00 / 05:00 /
// 07:00 / 09:00 UTC. The ladder: prompt, reminder, direct message (13:00), 加急 (15:00), escalation (17:00). Overdue
// alerts: the working day after a deadline (16 November, 1 December), then weekly until the campaign ends on 20 December.
const GOLDEN: Row[] = [
  ['deadline-reminder', 'deploy-done', '2020-09-03', '2020-09-03T01:00:00.000Z', [7]],
  ['deadline-reminder', 'deploy-done', '2020-09-07', '2020-09-07T01:00:00.000Z', [3]],
  ['deadline-reminder', 'deploy-done', '2020-09-09', '2020-09-09T01:00:00.000Z', [1]],
  ['deadline-reminder', 'deploy-done', '2020-09-10', '2020-09-10T01:00:00.000Z', [0]],
  ['report-prompt', '2020-09-15', '2020-09-14', '2020-09-14T01:00:00.000Z'],
  ['report-reminder', '2020-09-15', '2020-09-15', '2020-09-15T01:00:00.000Z'],
  ['report-direct', '2020-09-15', '2020-09-15', '2020-09-15T05:00:00.000Z'],
  ['report-summary', '2020-09-15', '2020-09-15', '2020-09-15T07:00:00.000Z'],
  ['report-urgent', '2020-09-15', '2020-09-15', '2020-09-15T07:00:00.000Z'],
  ['report-escalation', '2020-09-15', '2020-09-15', '2020-09-15T09:00:00.000Z'],
  ['report-prompt', '2020-10-01', '2020-09-29', '2020-09-29T01:00:00.000Z'],
  ['report-reminder', '2020-10-01', '2020-09-30', '2020-09-30T01:00:00.000Z'],
  ['report-direct', '2020-10-01', '2020-09-30', '2020-09-30T05:00:00.000Z'],
  ['report-summary', '2020-10-01', '2020-09-30', '2020-09-30T07:00:00.000Z'],
  ['report-urgent', '2020-10-01', '2020-09-30', '2020-09-30T07:00:00.000Z'],
  ['report-escalation', '2020-10-01', '2020-09-30', '2020-09-30T09:00:00.000Z'],
  ['report-prompt', '2020-10-15', '2020-10-14', '2020-10-14T01:00:00.000Z'],
  ['report-reminder', '2020-10-15', '2020-10-15', '2020-10-15T01:00:00.000Z'],
  ['report-direct', '2020-10-15', '2020-10-15', '2020-10-15T05:00:00.000Z'],
  ['report-summary', '2020-10-15', '2020-10-15', '2020-10-15T07:00:00.000Z'],
  ['report-urgent', '2020-10-15', '2020-10-15', '2020-10-15T07:00:00.000Z'],
  ['report-escalation', '2020-10-15', '2020-10-15', '2020-10-15T09:00:00.000Z'],
  ['report-prompt', '2020-11-01', '2020-10-29', '2020-10-29T01:00:00.000Z'],
  ['report-reminder', '2020-11-01', '2020-10-30', '2020-10-30T01:00:00.000Z'],
  ['report-direct', '2020-11-01', '2020-10-30', '2020-10-30T05:00:00.000Z'],
  ['report-summary', '2020-11-01', '2020-10-30', '2020-10-30T07:00:00.000Z'],
  ['report-urgent', '2020-11-01', '2020-10-30', '2020-10-30T07:00:00.000Z'],
  ['report-escalation', '2020-11-01', '2020-10-30', '2020-10-30T09:00:00.000Z'],
  ['deadline-reminder', 'coverage-done', '2020-11-06', '2020-11-06T01:00:00.000Z', [7]],
  ['report-prompt', '2020-11-15', '2020-11-12', '2020-11-12T01:00:00.000Z'],
  ['deadline-reminder', 'coverage-done', '2020-11-12', '2020-11-12T01:00:00.000Z', [3]],
  ['report-reminder', '2020-11-15', '2020-11-13', '2020-11-13T01:00:00.000Z'],
  ['deadline-reminder', 'coverage-done', '2020-11-13', '2020-11-13T01:00:00.000Z', [1, 0]],
  ['report-direct', '2020-11-15', '2020-11-13', '2020-11-13T05:00:00.000Z'],
  ['report-summary', '2020-11-15', '2020-11-13', '2020-11-13T07:00:00.000Z'],
  ['report-urgent', '2020-11-15', '2020-11-13', '2020-11-13T07:00:00.000Z'],
  ['report-escalation', '2020-11-15', '2020-11-13', '2020-11-13T09:00:00.000Z'],
  ['deadline-overdue', 'coverage-done', '2020-11-16', '2020-11-16T01:00:00.000Z'],
  ['deadline-reminder', 'upgrade-done', '2020-11-23', '2020-11-23T01:00:00.000Z', [7]],
  ['deadline-overdue', 'coverage-done', '2020-11-23', '2020-11-23T01:00:00.000Z'],
  ['deadline-reminder', 'upgrade-done', '2020-11-27', '2020-11-27T01:00:00.000Z', [3, 1]],
  ['report-prompt', '2020-12-01', '2020-11-30', '2020-11-30T01:00:00.000Z'],
  ['deadline-reminder', 'upgrade-done', '2020-11-30', '2020-11-30T01:00:00.000Z', [0]],
  ['deadline-overdue', 'coverage-done', '2020-11-30', '2020-11-30T01:00:00.000Z'],
  ['report-reminder', '2020-12-01', '2020-12-01', '2020-12-01T01:00:00.000Z'],
  ['deadline-overdue', 'upgrade-done', '2020-12-01', '2020-12-01T01:00:00.000Z'],
  ['report-direct', '2020-12-01', '2020-12-01', '2020-12-01T05:00:00.000Z'],
  ['report-summary', '2020-12-01', '2020-12-01', '2020-12-01T07:00:00.000Z'],
  ['report-urgent', '2020-12-01', '2020-12-01', '2020-12-01T07:00:00.000Z'],
  ['report-escalation', '2020-12-01', '2020-12-01', '2020-12-01T09:00:00.000Z'],
  ['deadline-overdue', 'coverage-done', '2020-12-07', '2020-12-07T01:00:00.000Z'],
  ['deadline-overdue', 'upgrade-done', '2020-12-08', '2020-12-08T01:00:00.000Z'],
  ['deadline-reminder', 'acceptance-done', '2020-12-11', '2020-12-11T01:00:00.000Z', [7]],
  ['report-prompt', '2020-12-15', '2020-12-14', '2020-12-14T01:00:00.000Z'],
  ['deadline-overdue', 'coverage-done', '2020-12-14', '2020-12-14T01:00:00.000Z'],
  ['report-reminder', '2020-12-15', '2020-12-15', '2020-12-15T01:00:00.000Z'],
  ['deadline-overdue', 'upgrade-done', '2020-12-15', '2020-12-15T01:00:00.000Z'],
  ['report-direct', '2020-12-15', '2020-12-15', '2020-12-15T05:00:00.000Z'],
  ['report-summary', '2020-12-15', '2020-12-15', '2020-12-15T07:00:00.000Z'],
  ['report-urgent', '2020-12-15', '2020-12-15', '2020-12-15T07:00:00.000Z'],
  ['report-escalation', '2020-12-15', '2020-12-15', '2020-12-15T09:00:00.000Z'],
  ['deadline-reminder', 'acceptance-done', '2020-12-17', '2020-12-17T01:00:00.000Z', [3]],
  ['deadline-reminder', 'acceptance-done', '2020-12-18', '2020-12-18T01:00:00.000Z', [1, 0]],
];

const asRow = (e: ScheduleEntry): Row =>
  e.daysBefore ? [e.kind, e.ref, e.day, e.at.toISOString(), e.daysBefore] : [e.kind, e.ref, e.day, e.at.toISOString()];

const originalTz = process.env.TZ;
afterAll(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

describe('the computed schedule, September–December 2020', () => {
  it('is the golden list', () => {
    const sched = campaignSchedule(campaign, createWorkCalendar(), new Date('2020-09-01T00:00:00+08:00'), new Date('2021-01-01T00:00:00+08:00'));
    expect(sched.map(asRow)).toEqual(GOLDEN);
  });

  it('keeps the three steps it always had for a campaign file written before the ladder', () => {
    const { ladder: _ladder, ...reports } = def.reports;
    const old = parseCampaign({ ...JSON.parse(JSON.stringify(def)), reports: { days: reports.days, promptTime: '09:00', reminderTime: '09:00', summaryTime: '15:00', escalationTime: '17:00' } });
    expect(old.reports.ladder.map((s) => s.step)).toEqual(['prompt', 'reminder', 'escalate']);
    const sched = campaignSchedule({ ...campaign, definition: old }, createWorkCalendar(), new Date('2020-09-01T00:00:00+08:00'), new Date('2021-01-01T00:00:00+08:00'));
    const isLadder = (kind: string) => kind.startsWith('report-');
    expect(sched.map(asRow).filter((r) => isLadder(r[0]))).toEqual(GOLDEN.filter((r) => isLadder(r[0]) && r[0] !== 'report-direct' && r[0] !== 'report-urgent'));
  });

  it('refuses a ladder out of order, with a step twice, or contradicting the old time fields', () => {
    const base = JSON.parse(JSON.stringify(def)) as Record<string, any>;
    const withLadder = (ladder: unknown, extra: Record<string, unknown> = {}) => () => parseCampaign({ ...base, reports: { days: [1, 15], ladder, ...extra } });
    expect(withLadder([{ step: 'reminder', workingDaysBefore: 0, time: '09:00' }, { step: 'prompt', workingDaysBefore: 1, time: '09:00' }])).toThrow(/starts with the prompt/);
    expect(withLadder([{ step: 'prompt', workingDaysBefore: 1, time: '09:00' }, { step: 'escalate', workingDaysBefore: 0, time: '17:00' }, { step: 'direct', workingDaysBefore: 0, time: '13:00' }])).toThrow(/time order/);
    expect(withLadder([{ step: 'prompt', workingDaysBefore: 1, time: '09:00' }, { step: 'prompt', workingDaysBefore: 0, time: '09:00' }])).toThrow(/at most once/);
    expect(withLadder([{ step: 'prompt', workingDaysBefore: 1, time: '09:00' }], { promptTime: '08:00' })).toThrow(/differs from the ladder/);
    expect(withLadder([{ step: 'prompt', workingDaysBefore: 1, time: '09:00' }, { step: 'urgent', workingDaysBefore: 0, time: '25:00' }])).toThrow(/HH:MM/);
  });

  it('moves the 1 October report to 30 September, with its prompt on 29 September 09:00 Beijing time', () => {
    const sched = campaignSchedule(campaign, createWorkCalendar()).filter((e) => e.ref === '2020-10-01');
    const prompt = sched.find((e) => e.kind === 'report-prompt')!;
    expect(prompt.day).toBe('2020-09-29');
    expect(prompt.at.toISOString()).toBe(new Date('2020-09-29T09:00:00+08:00').toISOString());
    expect(sched.find((e) => e.kind === 'report-reminder')!.day).toBe('2020-09-30');
    // Missed while down: still sent until the end of that working day in Beijing, not after.
    expect(prompt.lateUntil.toISOString()).toBe('2020-09-29T15:59:59.999Z');
  });

  it('puts the on-the-day reminder of the 15 November deadline on Friday 13 November, merged with the day-before one', () => {
    const onTheDay = campaignSchedule(campaign, createWorkCalendar()).filter((e) => e.ref === 'coverage-done' && e.daysBefore?.includes(0));
    expect(onTheDay).toHaveLength(1);
    expect(onTheDay[0]!.day).toBe('2020-11-13');
    expect(onTheDay[0]!.daysBefore).toEqual([1, 0]);
    expect(new Date(Date.UTC(2020, 10, 13)).getUTCDay()).toBe(5);
  });

  it('does not depend on the server time zone', () => {
    for (const tz of ['UTC', 'America/New_York', 'America/Los_Angeles', 'Pacific/Kiritimati', 'Asia/Shanghai']) {
      process.env.TZ = tz;
      // The zone really changed for this process (New York is behind UTC in September, Kiritimati ahead).
      if (tz === 'America/New_York') expect(new Date('2020-09-29T00:00:00Z').getTimezoneOffset()).toBe(240);
      if (tz === 'Pacific/Kiritimati') expect(new Date('2020-09-29T00:00:00Z').getTimezoneOffset()).toBe(-840);
      const sched = campaignSchedule(campaign, createWorkCalendar(), new Date('2020-09-01T00:00:00+08:00'), new Date('2021-01-01T00:00:00+08:00'));
      expect(sched.map(asRow), tz).toEqual(GOLDEN);
    }
  });

  it('counts 调休 Sundays as working days and the National Day week as off, in every zone', () => {
    for (const tz of ['UTC', 'America/New_York', 'Asia/Shanghai']) {
      process.env.TZ = tz;
      const cal = createWorkCalendar();
      expect([cal.isWorkingDay('2020-09-27'), cal.isWorkingDay('2020-10-01'), cal.isWorkingDay('2020-10-10'), cal.isWorkingDay('2020-11-14')]).toEqual([true, false, true, false]);
    }
  });
});
