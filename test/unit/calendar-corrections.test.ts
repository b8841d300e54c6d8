import { describe, expect, it } from 'vitest';
import { createWorkCalendar, type DayOverride } from '../../src/calendar/workdays.ts';
import { parseDayRange } from '../../src/understanding/day-range.ts';

const o = (date: string, kind: DayOverride['kind'], source: DayOverride['source'], name: string | null = null): DayOverride => ({ date, kind, source, name });

describe('the work calendar with corrections', () => {
  it('lets an override decide a day, the admin over the campaign file, even in a year the package knows', () => {
    const cal = createWorkCalendar(undefined, [o('2020-10-09', 'holiday', 'campaign', '调整'), o('2020-10-09', 'workday', 'admin'), o('2020-09-30', 'holiday', 'campaign')]);
    expect(cal.isWorkingDay('2020-09-30')).toBe(false);
    expect(cal.dayInfo('2020-10-09')).toEqual({ working: true, basis: 'override', name: null });
    expect(cal.dayInfo('2020-10-01')).toEqual({ working: false, basis: 'official', name: '国庆节' });
    expect(cal.dayInfo('2020-09-27')).toEqual({ working: true, basis: 'official', name: '国庆节调休' });
    expect(cal.yearStatus(2020)).toBe('official');
    expect(cal.onOrBefore('2020-10-01')).toBe('2020-09-29');
  });

  it('counts weekends only for a year nobody entered, and takes its holidays once entered; the revision moves only on a change', () => {
    const cal = createWorkCalendar();
    expect(cal.yearStatus(2027)).toBe('weekends-only');
    expect(cal.isWorkingDay('2027-10-01')).toBe(true);
    const r0 = cal.revision;
    expect(cal.setOverrides([o('2027-10-01', 'holiday', 'admin', '国庆节'), o('2027-10-09', 'workday', 'admin')])).toBe(true);
    expect(cal.revision).toBe(r0 + 1);
    expect(cal.yearStatus(2027)).toBe('corrected');
    expect([cal.isWorkingDay('2027-10-01'), cal.isWorkingDay('2027-10-09'), cal.isWorkingDay('2027-10-10')]).toEqual([false, true, false]);
    expect(cal.setOverrides([o('2027-10-09', 'workday', 'admin'), o('2027-10-01', 'holiday', 'admin', '国庆节')])).toBe(false);
    expect(cal.revision).toBe(r0 + 1);
    // A make-up workday alone does not make the year's holidays known.
    expect(cal.setOverrides([o('2027-10-09', 'workday', 'admin')])).toBe(true);
    expect(cal.yearStatus(2027)).toBe('weekends-only');
  });
});

describe('days as admins type them', () => {
  const today = '2027-09-20';
  it.each([
    ['2027-10-01', '2027-10-01', '2027-10-01', null],
    ['2027年10月1日至2027年10月7日 国庆节', '2027-10-01', '2027-10-07', '国庆节'],
    ['10月1日-7日 国庆节', '2027-10-01', '2027-10-07', '国庆节'],
    ['10月1日到10月7日', '2027-10-01', '2027-10-07', null],
    ['2027/9/26 国庆节调休', '2027-09-26', '2027-09-26', '国庆节调休'],
    // Without a year, a day already past this year means next year's.
    ['1月1日 元旦', '2028-01-01', '2028-01-01', '元旦'],
    ['12月31日至1月2日', '2027-12-31', '2028-01-02', null],
  ])('%s', (text, from, to, name) => {
    expect(parseDayRange(text, today)).toEqual({ ok: true, range: { from, to, name } });
  });

  it('refuses what is not a day or a short range, saying why', () => {
    expect(parseDayRange('国庆节', today)).toMatchObject({ ok: false, problem: expect.stringContaining('请写明日期') });
    expect(parseDayRange('2027-02-30', today)).toMatchObject({ ok: false, problem: expect.stringContaining('没有“2027-02-30”这一天') });
    expect(parseDayRange('2027-10-01 2027-10-07', today)).toMatchObject({ ok: false, problem: expect.stringContaining('请用“至”连接') });
    expect(parseDayRange('2027-10-01至2027-12-01', today)).toMatchObject({ ok: false, problem: expect.stringContaining('最多 31 天') });
    expect(parseDayRange('2027-10-07至2027-10-01', today)).toMatchObject({ ok: false, problem: expect.stringContaining('早于开始日期') });
  });
});
