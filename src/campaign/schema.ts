import { z } from 'zod';
import { isValidDate } from '../calendar/dates.ts';
import { checkCampaignIntegrity } from './integrity.ts';

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
    reports: z.strictObject({
      days: z.array(z.number().int().min(1).max(28)).min(1),
      promptTime: hhmm,
      reminderTime: hhmm,
      summaryTime: hhmm,
      escalationTime: hhmm,
    }),
    deadlineReminders: z.strictObject({
      daysBefore: z.array(z.number().int().min(0).max(60)).min(1),
      time: hhmm,
    }),
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
  })
  .superRefine((c, ctx) => {
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
  })
  .superRefine(checkCampaignIntegrity);

export type CampaignDefinition = z.infer<typeof campaignSchema>;

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
