import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { WorkCalendar } from '../calendar/workdays.ts';
import { addDays, localDate, zonedInstant } from '../calendar/dates.ts';

const PREFIX = 'T';

/** T0001, T0002 … (more digits after T9999). */
export function formatGrievanceCode(n: number): string {
  return `${PREFIX}${String(n).padStart(4, '0')}`;
}

/**
 * Reads a grievance id however it was typed: T0001, t1, T1, 1, full-width ＴＯＯＯ１ (a letter O typed for a
 * zero is taken as zero). Returns the canonical code, or null when it is not an id.
 */
export function parseGrievanceCode(input: string): string | null {
  const s = input.normalize('NFKC').trim().toUpperCase().replace(/[\s#＃号]/g, '');
  const m = /^T?([0-9O]{1,7})$/.exec(s);
  if (!m) return null;
  const digits = m[1]!.replace(/O/g, '0');
  if (!/[0-9]/.test(m[1]!)) return null;
  const n = Number(digits);
  if (!Number.isInteger(n) || n < 1) return null;
  return formatGrievanceCode(n);
}

const CODE_COUNTER = 'grievance_code_counter';

/**
 * The next code, from a counter row taken inside the transaction that inserts the grievance: a concurrent
 * creator (another replica on PostgreSQL) waits on the row lock and then counts on from the committed value, so
 * two grievances never get the same code, and a rolled-back creation gives its number back. A database from
 * before the counter seeds it from the highest code so far.
 */
export async function nextGrievanceCode(db: Db, now: Date): Promise<string> {
  const rows = await db.selectFrom('grievances').select('code').orderBy('id', 'desc').limit(50).execute();
  let max = 0;
  for (const r of rows) {
    const n = Number(r.code.slice(PREFIX.length));
    if (Number.isInteger(n) && n > max) max = n;
  }
  const at = now.toISOString();
  const counter = await db
    .insertInto('kv_settings')
    .values({ key: CODE_COUNTER, value: String(max + 1), updated_at: at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: sql<string>`cast(cast(kv_settings.value as integer) + 1 as text)`, updated_at: at }))
    .returning('value')
    .executeTakeFirstOrThrow();
  return formatGrievanceCode(Math.max(Number(counter.value), max + 1));
}

/**
 * The end (midnight that closes it, in the campaign's zone) of the `n`th working day after the day `at`
 * falls on: a grievance recorded on 30 September 2020 with n = 1 is due by the end of 9 October.
 */
export function workingDayDeadline(at: Date, n: number, calendar: WorkCalendar, timeZone: string): Date {
  const day = calendar.addWorkingDays(localDate(at, timeZone), n);
  return zonedInstant(addDays(day, 1), '00:00', timeZone);
}

/** The working day a deadline instant closes (the inverse of workingDayDeadline), as YYYY-MM-DD. */
export function deadlineDay(dueIso: string, timeZone: string): string {
  return localDate(new Date(new Date(dueIso).getTime() - 1), timeZone);
}
