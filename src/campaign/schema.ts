import { z } from 'zod';
import { afterCoverageIssues, afterCoverageShape } from './after-coverage-schema.ts';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM');
const name = z.string().trim().min(1).max(200);

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
    timezone: z.string().default('Asia/Shanghai'),
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
        keywords: z.array(z.string().min(1)).min(1),
      }),
    ),
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
    }),
    /** After coverage (optional; defaults in after-coverage.ts): assessment standard, 奖补, credit file, 公示. */
    ...afterCoverageShape,
  })
  .superRefine((c, ctx) => {
    for (const issue of afterCoverageIssues(c)) ctx.addIssue({ code: 'custom', ...issue });
    const communities = new Set(c.communities.map((x) => x.name));
    const seen = new Set<string>();
    c.compounds.forEach((compound, i) => {
      if (!communities.has(compound.community)) {
        ctx.addIssue({ code: 'custom', path: ['compounds', i, 'community'], message: `unknown community ${compound.community}` });
      }
      if (seen.has(compound.name)) {
        ctx.addIssue({ code: 'custom', path: ['compounds', i, 'name'], message: `duplicate compound ${compound.name}` });
      }
      seen.add(compound.name);
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
    if (c.startsOn > c.endsOn) ctx.addIssue({ code: 'custom', path: ['endsOn'], message: 'ends before it starts' });
  });

export type CampaignDefinition = z.infer<typeof campaignSchema>;

/** Parses a campaign file's JSON; the error lists every problem with its path. */
export function parseCampaign(input: unknown): CampaignDefinition {
  const r = campaignSchema.safeParse(input);
  if (!r.success) {
    const lines = r.error.issues.slice(0, 20).map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`invalid campaign definition:\n${lines.join('\n')}`);
  }
  return r.data;
}
