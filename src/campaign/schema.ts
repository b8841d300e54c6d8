import { z } from 'zod';
import { addDays, isValidDate } from '../calendar/dates.ts';
import { checkCampaignIntegrity } from './integrity.ts';
import { afterCoverageIssues, afterCoverageShape } from './after-coverage-schema.ts';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine((d) => !/^\d{4}-\d{2}-\d{2}$/.test(d) || isValidDate(d), { message: 'not a real calendar date (不存在的日期)' });
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM');
const name = z.string().trim().min(1).max(200);

/** Whether the runtime's time-zone database has this zone (`Intl` throws a RangeError otherwise). */
function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const days = (min: number, max: number) => z.number().int().min(min).max(max);

/**
 * How long handled rows are kept (days). Inbox rows hold decrypted message texts, outbox rows what the bot sent,
 * card tokens drafts; nothing pending, unsent or still valid is ever pruned. The floors keep what
 * de-duplication needs: Lark retries an event for about 7 hours, and repeats its uuid check for one hour.
 */
export const retentionSchema = z.strictObject({
  /** Handled inbox events (done, ignored, failed), counted from when they were handled. */
  inboxDays: days(1, 3650).default(90),
  /** Sent or given-up outbox messages, counted from when they were sent or created. */
  outboxDays: days(1, 3650).default(90),
  /** Card tokens, counted from when they expired or were used. */
  cardTokenDays: days(1, 3650).default(30),
  /** When the daily pruning runs, in the campaign's time zone. */
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM').default('03:30'),
});
export type RetentionPolicy = z.infer<typeof retentionSchema>;

export const TRACKS = ['coverage', 'upgrade'] as const;
export const UPGRADE_ACTIONS = ['环境卫生', '道路设施', '车辆停放', '服务质量'] as const;
export const ACTION_STATES = ['未开始', '进行中', '已完成'] as const;
/**
 * The escalation ladder of a report period, in order: the prompt card, the reminder in the group, a direct
 * message to staff who have not opened the prompt, 加急 (in-app urgent) for them, and the escalation to the 专班.
 */
export const LADDER_STEPS = ['prompt', 'reminder', 'direct', 'urgent', 'escalate'] as const;
export type LadderStepKind = (typeof LADDER_STEPS)[number];

const ladderStep = z.strictObject({
  step: z.enum(LADDER_STEPS),
  /** 0 = the effective due day, 1 = the working day before it, … */
  workingDaysBefore: z.number().int().min(0).max(5),
  time: hhmm,
});
export type LadderStep = z.infer<typeof ladderStep>;

const realDate = isoDate.refine((d) => isValidDate(d), 'a date that exists');
const namedDay = z.strictObject({ date: realDate, name: z.string().trim().min(1).max(40).optional() });
const namedRange = z.strictObject({ from: realDate, to: realDate, name: z.string().trim().min(1).max(40).optional() });

/**
 * The report settings as written in a file (times optional when a ladder gives them), resolved into one form:
 * every time set and the ladder spelled out. A file without a ladder keeps the three steps it always had.
 */
const reportsSchema = z
  .strictObject({
    days: z.array(z.number().int().min(1).max(28)).min(1),
    promptTime: hhmm.optional(),
    reminderTime: hhmm.optional(),
    summaryTime: hhmm.default('15:00'),
    escalationTime: hhmm.optional(),
    ladder: z.array(ladderStep).min(1).optional(),
  })
  .superRefine((r, ctx) => {
    if (!r.ladder) return;
    const kinds = r.ladder.map((s) => s.step);
    if (new Set(kinds).size !== kinds.length) ctx.addIssue({ code: 'custom', path: ['ladder'], message: 'each step at most once' });
    if (kinds[0] !== 'prompt') ctx.addIssue({ code: 'custom', path: ['ladder'], message: 'the ladder starts with the prompt' });
    const order = r.ladder.map((s) => -s.workingDaysBefore * 10_000 + Number(s.time.replace(':', '')));
    if (order.some((v, i) => i > 0 && v <= order[i - 1]!)) ctx.addIssue({ code: 'custom', path: ['ladder'], message: 'steps in time order, one after another' });
    for (const [field, step] of [['promptTime', 'prompt'], ['reminderTime', 'reminder'], ['escalationTime', 'escalate']] as const) {
      const given = r[field];
      const inLadder = r.ladder.find((s) => s.step === step);
      if (given && inLadder && inLadder.time !== given) {
        ctx.addIssue({ code: 'custom', path: [field], message: `${field} ${given} differs from the ladder's ${step} step at ${inLadder.time}` });
      }
    }
  })
  .transform((r) => {
    const ladder: LadderStep[] = r.ladder ?? [
      { step: 'prompt', workingDaysBefore: 1, time: r.promptTime ?? '09:00' },
      { step: 'reminder', workingDaysBefore: 0, time: r.reminderTime ?? '09:00' },
      { step: 'escalate', workingDaysBefore: 0, time: r.escalationTime ?? '17:00' },
    ];
    const at = (step: LadderStepKind) => ladder.find((s) => s.step === step)?.time;
    return {
      days: r.days,
      promptTime: at('prompt') ?? r.promptTime ?? '09:00',
      reminderTime: at('reminder') ?? r.reminderTime ?? '09:00',
      summaryTime: r.summaryTime,
      escalationTime: at('escalate') ?? r.escalationTime ?? '17:00',
      ladder,
    };
  });

/** The campaign definition: everything about one district's campaign is data, validated here. */
export const campaignSchema = z
  .strictObject({
    code: z.string().regex(/^[a-z0-9-]+$/).max(64),
    name: name,
    district: name,
    street: name,
    timezone: z.string().refine(isKnownTimeZone, { message: 'not a time zone this runtime knows (an IANA name such as Asia/Shanghai)' }).default('Asia/Shanghai'),
    startsOn: isoDate,
    endsOn: isoDate,
    communities: z.array(z.strictObject({ name, aliases: z.array(name).default([]) })).min(1),
    compounds: z
      .array(
        z.strictObject({
          name,
          community: name,
          track: z.enum(TRACKS),
          aliases: z.array(name).default([]),
        }),
      )
      .min(1),
    departments: z.array(
      z.strictObject({
        name,
        kind: z.enum(['government', 'utility', 'street']),
        duties: z.string().default(''),
        aliases: z.array(name).default([]),
      }),
    ),
    routing: z.array(
      z.strictObject({
        code: z.string().regex(/^[a-z0-9-]+$/),
        topic: name,
        department: name,
        /** Literal words that route on their own (the card says which one matched). */
        keywords: z.array(z.string().min(1)).min(1),
        /** How residents say it, in whole sentences: the classifier learns the department from these. */
        phrasings: z.array(z.string().trim().min(2).max(200)).default([]),
      }),
    ),
    /** The classifier behind the rules: how sure it must be to route alone, and words residents use interchangeably. */
    routingClassifier: z
      .strictObject({
        /** Below this confidence (0–1) a grievance goes to the fallback department with the likeliest departments as buttons. */
        minConfidence: z.number().min(0).max(1).default(0.5),
        /** Groups of interchangeable words; the first of each group stands for the others (电瓶车 → 电动车). */
        synonyms: z.array(z.array(z.string().trim().min(1).max(20)).min(2)).default([]),
      })
      .default({ minConfidence: 0.5, synonyms: [] }),
    /** Where grievances go when no rule matches. */
    fallbackDepartment: name,
    people: z.array(
      z.strictObject({
        name,
        title: z.string().default(''),
        posts: z.array(z.strictObject({ body: z.enum(['领导小组', '专班', '领导小组办公室', '专班办公室']), post: name })),
      }),
    ),
    /** 责任人: the street's responsible person, named in reminders and escalations. */
    responsible: z.strictObject({ coverage: name, upgrade: name, street: name }),
    phases: z.array(z.strictObject({ name, startsOn: isoDate.optional(), endsOn: isoDate })).min(1),
    deadlines: z
      .array(
        z.strictObject({
          code: z.string().regex(/^[a-z0-9-]+$/),
          date: isoDate,
          title: name,
          scope: z.enum(['phase', 'coverage', 'upgrade']),
        }),
      )
      .min(1),
    reports: reportsSchema,
    deadlineReminders: z.strictObject({
      daysBefore: z.array(z.number().int().min(0).max(60)).min(1),
      time: hhmm,
      /** After a deadline passed with work outstanding: the alert repeats every this many days until done (0 = never). */
      overdueRepeatDays: z.number().int().min(0).max(60).default(7),
    }),
    /** The 领导小组's short summary: weekly on `weekday` (1 = Monday … 7 = Sunday) at `time`, and on each due day. */
    leadersDigest: z
      .strictObject({
        weekday: z.number().int().min(1).max(7),
        time: hhmm,
        onDueDays: z.boolean(),
        dueDayTime: hhmm,
      })
      .default({ weekday: 1, time: '09:30', onDueDays: true, dueDayTime: '17:30' }),
    /**
     * Corrections to China's official calendar: holidays and make-up workdays for a year the package does not
     * know yet, or a single day decided differently.
     */
    calendar: z
      .strictObject({
        holidays: z.array(z.union([namedDay, namedRange])).default([]),
        workdays: z.array(namedDay).default([]),
      })
      .default({ holidays: [], workdays: [] }),
    /** The note printed under the 调度表 (附件5's 注), as the notice words it. */
    reportFootnote: z.string().trim().min(1).max(2000).optional(),
    grievances: z.strictObject({
      acceptWorkingDays: z.number().int().min(1).max(30),
      resolveWorkingDays: z.number().int().min(1).max(60),
      digestTime: hhmm,
      /** How long after recording a grievance its recorder may withdraw it (撤回) as a mistake; default 24 hours. */
      withdrawWithinHours: z.number().int().min(0).max(720).optional(),
    }),
    retention: retentionSchema.prefault({}),
    /** After coverage (optional; defaults in after-coverage.ts): assessment standard, 奖补, credit file, 公示. */
    ...afterCoverageShape,
  })
  .superRefine((c, ctx) => {
    for (const issue of afterCoverageIssues(c)) ctx.addIssue({ code: 'custom', ...issue });
    const communities = new Set(c.communities.map((x) => x.name));
    c.compounds.forEach((compound, i) => {
      if (!communities.has(compound.community)) {
        ctx.addIssue({ code: 'custom', path: ['compounds', i, 'community'], message: `unknown community ${compound.community}` });
      }
    });
    const departments = new Set(c.departments.map((d) => d.name));
    c.routing.forEach((r, i) => {
      if (!departments.has(r.department)) {
        ctx.addIssue({ code: 'custom', path: ['routing', i, 'department'], message: `unknown department ${r.department}` });
      }
    });
    if (!departments.has(c.fallbackDepartment)) {
      ctx.addIssue({ code: 'custom', path: ['fallbackDepartment'], message: `unknown department ${c.fallbackDepartment}` });
    }
    if (isValidDate(c.startsOn) && isValidDate(c.endsOn) && c.startsOn > c.endsOn) ctx.addIssue({ code: 'custom', path: ['endsOn'], message: 'ends before it starts' });
    const holidays = new Set<string>();
    c.calendar.holidays.forEach((h, i) => {
      if ('from' in h && isValidDate(h.from) && isValidDate(h.to) && h.from > h.to) ctx.addIssue({ code: 'custom', path: ['calendar', 'holidays', i, 'to'], message: 'a range ends before it starts' });
      for (const d of 'from' in h ? datesBetween(h.from, h.to, 60) : [h.date]) holidays.add(d);
    });
    c.calendar.workdays.forEach((w, i) => {
      if (holidays.has(w.date)) ctx.addIssue({ code: 'custom', path: ['calendar', 'workdays', i, 'date'], message: `${w.date} is also listed as a holiday` });
    });
  })
  .superRefine(checkCampaignIntegrity);

export type CampaignDefinition = z.infer<typeof campaignSchema>;
/** A campaign file as written (before defaults are filled in). */
export type CampaignInput = z.input<typeof campaignSchema>;

/** Every date from `from` to `to`, at most `limit` of them. */
export function datesBetween(from: string, to: string, limit = 400): string[] {
  const out: string[] = [];
  for (let d = from; d <= to && out.length < limit; d = addDays(d, 1)) out.push(d);
  return out;
}

/** The campaign file's calendar corrections, one entry per day. */
export function campaignCalendarDays(def: CampaignDefinition): { date: string; kind: 'holiday' | 'workday'; name: string | null }[] {
  return [
    ...def.calendar.holidays.flatMap((h) =>
      ('from' in h ? datesBetween(h.from, h.to, 60) : [h.date]).map((date) => ({ date, kind: 'holiday' as const, name: h.name ?? null })),
    ),
    ...def.calendar.workdays.map((w) => ({ date: w.date, kind: 'workday' as const, name: w.name ?? null })),
  ];
}

/** A campaign definition failed validation; `problems` lists each one with its path. Nothing was imported. */
export class InvalidCampaign extends Error {
  constructor(
    readonly problems: string[],
    source = 'campaign definition',
  ) {
    const shown = problems.slice(0, 30).map((p) => `  - ${p}`);
    if (problems.length > 30) shown.push(`  - … and ${problems.length - 30} more`);
    super(`invalid ${source}; nothing was imported (活动定义有误，未导入):\n${shown.join('\n')}`);
    this.name = 'InvalidCampaign';
  }
}

/** Parses a campaign file's JSON; the error lists every problem with its path. */
export function parseCampaign(input: unknown, source?: string): CampaignDefinition {
  const r = campaignSchema.safeParse(input);
  if (!r.success) throw new InvalidCampaign(r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`), source);
  return r.data;
}
