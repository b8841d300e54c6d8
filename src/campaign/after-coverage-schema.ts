/**
 * The after-coverage part of a campaign (notice §三.2, §五.3, §六.3–4): the assessment standard, 奖补, the
 * company credit file and 公示. Every section is optional: a campaign file without it gets the built-in default,
 * which is the notice's own words and is marked provisional (the notice says 考核验收标准另行制定).
 */
import { z } from 'zod';

const slug = z.string().regex(/^[a-z0-9-]+$/).max(64);
const name = z.string().trim().min(1).max(200);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM');

/** Who may do something: bound roles, and departments by name (a 部门 binding to that department). Admins always may. */
export const actorsSchema = z.strictObject({
  roles: z.array(z.enum(['street', 'leader', 'community'])).default([]),
  departments: z.array(name).default([]),
});
export type Actors = z.infer<typeof actorsSchema>;

/** Which compounds an assessment kind covers: all, one track, the old compounds, or those under management. */
export const SUBJECT_SETS = ['all', 'coverage', 'upgrade', 'old', 'managed'] as const;

export const assessmentItemSchema = z.strictObject({
  code: slug,
  name: z.string().trim().min(1).max(40),
  max: z.number().positive().max(1000),
  /** What the item looks at, as the standard words it (shown on the form). */
  basis: z.string().max(300).default(''),
});

export const assessmentKindSchema = z.strictObject({
  code: slug,
  name: z.string().trim().min(1).max(30),
  /** A compound's assessment, or the street's (考核验收). */
  subject: z.enum(['compound', 'street']),
  /** Every quarter, or once for the campaign. */
  period: z.enum(['quarter', 'once']),
  compounds: z.enum(SUBJECT_SETS).default('managed'),
  passMark: z.number().min(0),
  items: z.array(assessmentItemSchema).min(1).max(30),
  assessors: actorsSchema,
  /** A deadline (by code) whose reminders list what is still unassessed. */
  deadline: slug.optional(),
  /** Quarterly kinds: remind the assessors at the start of each quarter's last month. */
  quarterlyReminder: z.boolean().default(true),
});

export const assessmentSchema = z.strictObject({
  /** True while the standard is a stand-in, to be replaced by the district's own (shown on every form). */
  provisional: z.boolean().default(false),
  note: z.string().max(500).default(''),
  reminderTime: hhmm.default('09:00'),
  kinds: z.array(assessmentKindSchema).min(1).max(10),
});

export const subsidySchema = z.strictObject({
  /** The assessment kind (code) whose pass makes an old compound eligible; default: the first quarterly compound kind. */
  assessment: slug.optional(),
  /** 老旧小区 in the campaign's sense: compounds of these tracks, plus the named ones. */
  oldCompounds: z.strictObject({ tracks: z.array(z.enum(['coverage', 'upgrade'])).default(['coverage']), compounds: z.array(name).default([]) }).default({ tracks: ['coverage'], compounds: [] }),
  /** Who moves a subsidy to 已申报, 已审核 and 已兑现. */
  steps: z.strictObject({ apply: actorsSchema, review: actorsSchema, pay: actorsSchema }),
  note: z.string().max(500).default(''),
});

export const companyRecordsSchema = z.strictObject({
  /** Who may add a bad-behaviour record (不良记录). */
  writers: actorsSchema,
  /** The monthly 公示 of new records: day of month (moved to the next working day), time, and the groups. */
  digest: z
    .strictObject({ day: z.number().int().min(1).max(28).default(1), time: hhmm.default('09:00'), to: z.array(z.enum(['专班', '领导小组'])).min(1).default(['专班', '领导小组']) })
    .default({ day: 1, time: '09:00', to: ['专班', '领导小组'] }),
});

export const disclosureSchema = z.strictObject({
  /** The items a compound publishes (服务内容, 收费, 公共收益, 投诉渠道), with the words people use for them. */
  items: z.array(z.strictObject({ name: z.string().trim().min(1).max(20), aliases: z.array(z.string().trim().min(1).max(20)).default([]) })).min(1).max(12),
});

/** The keys this file adds to the campaign schema. */
export const afterCoverageShape = {
  assessment: assessmentSchema.optional(),
  subsidy: subsidySchema.optional(),
  companyRecords: companyRecordsSchema.optional(),
  disclosure: disclosureSchema.optional(),
};

export type AssessmentSettings = z.infer<typeof assessmentSchema>;
export type AssessmentKind = z.infer<typeof assessmentKindSchema>;
export type AssessmentItem = z.infer<typeof assessmentItemSchema>;
export type SubsidySettings = z.infer<typeof subsidySchema>;
export type CompanyRecordSettings = z.infer<typeof companyRecordsSchema>;
export type DisclosureSettings = z.infer<typeof disclosureSchema>;

interface CampaignParts {
  compounds: { name: string }[];
  departments: { name: string }[];
  deadlines: { code: string }[];
  assessment?: AssessmentSettings;
  subsidy?: SubsidySettings;
  companyRecords?: CompanyRecordSettings;
  disclosure?: DisclosureSettings;
}

type Issue = { path: (string | number)[]; message: string };

/** Cross-checks against the rest of the campaign: names and codes that must exist, a pass mark that can be reached. */
export function afterCoverageIssues(c: CampaignParts): Issue[] {
  const out: Issue[] = [];
  const departments = new Set(c.departments.map((d) => d.name));
  const deadlines = new Set(c.deadlines.map((d) => d.code));
  const compounds = new Set(c.compounds.map((x) => x.name));
  const checkActors = (a: Actors, path: (string | number)[]) =>
    a.departments.forEach((d, i) => {
      if (!departments.has(d)) out.push({ path: [...path, 'departments', i], message: `unknown department ${d}` });
    });
  const kinds = c.assessment?.kinds ?? [];
  const kindCodes = new Set<string>();
  kinds.forEach((k, i) => {
    const at = ['assessment', 'kinds', i];
    if (kindCodes.has(k.code)) out.push({ path: [...at, 'code'], message: `duplicate assessment kind ${k.code}` });
    kindCodes.add(k.code);
    const itemCodes = new Set<string>();
    const itemNames = new Set<string>();
    k.items.forEach((it, j) => {
      if (itemCodes.has(it.code)) out.push({ path: [...at, 'items', j, 'code'], message: `duplicate item ${it.code}` });
      if (itemNames.has(it.name)) out.push({ path: [...at, 'items', j, 'name'], message: `duplicate item name ${it.name}` });
      itemCodes.add(it.code);
      itemNames.add(it.name);
    });
    const max = k.items.reduce((s, it) => s + it.max, 0);
    if (k.passMark > max) out.push({ path: [...at, 'passMark'], message: `pass mark ${k.passMark} is above the maximum ${max}` });
    if (k.deadline && !deadlines.has(k.deadline)) out.push({ path: [...at, 'deadline'], message: `unknown deadline ${k.deadline}` });
    checkActors(k.assessors, [...at, 'assessors']);
  });
  if (c.subsidy) {
    const s = c.subsidy;
    if (s.assessment) {
      const k = kinds.find((x) => x.code === s.assessment);
      if (c.assessment && !k) out.push({ path: ['subsidy', 'assessment'], message: `unknown assessment kind ${s.assessment}` });
      if (k && k.subject !== 'compound') out.push({ path: ['subsidy', 'assessment'], message: '奖补 follows a compound assessment' });
    }
    s.oldCompounds.compounds.forEach((n, i) => {
      if (!compounds.has(n)) out.push({ path: ['subsidy', 'oldCompounds', 'compounds', i], message: `unknown compound ${n}` });
    });
    checkActors(s.steps.apply, ['subsidy', 'steps', 'apply']);
    checkActors(s.steps.review, ['subsidy', 'steps', 'review']);
    checkActors(s.steps.pay, ['subsidy', 'steps', 'pay']);
  }
  if (c.companyRecords) checkActors(c.companyRecords.writers, ['companyRecords', 'writers']);
  if (c.disclosure) {
    const seen = new Set<string>();
    c.disclosure.items.forEach((it, i) => {
      for (const w of [it.name, ...it.aliases]) {
        if (seen.has(w)) out.push({ path: ['disclosure', 'items', i], message: `word ${w} names two items` });
        seen.add(w);
      }
    });
  }
  return out;
}
