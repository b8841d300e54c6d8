import { describe, expect, it } from 'vitest';
import { formatGrievanceCode, parseGrievanceCode, workingDayDeadline, deadlineDay } from '../../src/domain/grievance-codes.ts';
import { createWorkCalendar } from '../../src/calendar/workdays.ts';

describe('grievance ids', () => {
  it.each([
    ['T0001', 'T0001'], ['t1', 'T0001'], ['T1', 'T0001'], ['1', 'T0001'], ['ＴＯＯＯ1', 'T0001'], ['Ｔ００１２', 'T0012'],
    ['t0o3', 'T0003'], [' T0042 ', 'T0042'], ['T12345', 'T12345'],
  ])('reads %s as %s', (typed, code) => {
    expect(parseGrievanceCode(typed)).toBe(code);
  });

  it.each(['锦绣花园', 'T', 'TOOO', 'T0000', 'X12', '', 'T1-2'])('refuses %s', (typed) => {
    expect(parseGrievanceCode(typed)).toBeNull();
  });

  it('pads to four digits', () => {
    expect(formatGrievanceCode(7)).toBe('T0007');
    expect(formatGrievanceCode(10000)).toBe('T10000');
  });
});

describe('working-day deadlines', () => {
  const calendar = createWorkCalendar();
  const tz = 'Asia/Shanghai';

  it('closes at the end of the first working day after 2020-09-30, which is 2020-10-09 (National Day holiday)', () => {
    const due = workingDayDeadline(new Date('2020-09-30T15:00:00+08:00'), 1, calendar, tz);
    expect(due.toISOString()).toBe(new Date('2020-10-10T00:00:00+08:00').toISOString());
    expect(deadlineDay(due.toISOString(), tz)).toBe('2020-10-09');
  });

  it('counts the 2020-10-10 Saturday make-up workday as a working day', () => {
    expect(calendar.isWorkingDay('2020-10-10')).toBe(true);
    const due = workingDayDeadline(new Date('2020-09-30T15:00:00+08:00'), 5, calendar, tz);
    // 10-09, 10-10 (调休), 10-12, 10-13, 10-14
    expect(deadlineDay(due.toISOString(), tz)).toBe('2020-10-14');
  });

  it('uses the local day, not the UTC day, of a late-evening recording', () => {
    // 23:30 on Friday 2020-09-25 in Shanghai is still Friday: due end of Monday 09-28 … but 09-27 is a 调休 Sunday.
    const due = workingDayDeadline(new Date('2020-09-25T23:30:00+08:00'), 1, calendar, tz);
    expect(deadlineDay(due.toISOString(), tz)).toBe('2020-09-27');
  });
});
