/** A takeover report on its way to being recorded: what was understood, what is missing, and form input. */
import { z } from 'zod';
import { UserError } from '../../src/errors.ts';
import { requireWithinLimits } from '../../src/domain/field-limits.ts';
import { maskPhones } from '../../src/logger.ts';
import { SELF_MODE_NAMES, parseNatureWord } from '../../src/understanding/company-extract.ts';
import { parseDateField } from '../../src/understanding/date-extract.ts';
import { parseServicesField } from '../../src/understanding/detail-extract.ts';
import { parsePhoneField } from '../../src/understanding/phone-extract.ts';
import type { TakeoverData, TakeoverRow } from '../../src/domain/takeover-write.ts';
import { takeoverRequirements } from '../../src/domain/gaps.ts';

const nature = z.enum(['自主', '外聘']);

/** Stored in the confirmation card's token; read back with this schema. */
export const draftSchema = z.object({
  compoundId: z.number().int().positive().nullable(),
  choices: z.array(z.number().int().positive()).max(500),
  company: z.string().max(200).nullable(),
  nature: nature.nullable(),
  startDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
  services: z.array(z.string().max(100)).max(50),
  manager: z.string().max(100).nullable(),
  phone: z.string().max(32).nullable(),
  category: z.union([z.literal(1), z.literal(2), z.literal(3)]).nullable(),
  /** How a self-run compound is run (社区兜底 …), for the 调度表's 备注. */
  remarks: z.string().max(50).nullable().default(null),
  natureInferred: z.boolean(),
  natureConflict: z.boolean(),
  /** The newest audit id when the card was issued: a later change to the compound makes the card stale. */
  mark: z.number().int().nonnegative(),
});
export type Draft = z.infer<typeof draftSchema>;

/** What a confirmation form sends back; absent or empty fields keep what was understood. */
export const takeoverFormSchema = z
  .object({
    compound: z.union([z.string(), z.number()]).optional(),
    nature: z.string().max(10).optional(),
    startDate: z.string().max(40).optional(),
    company: z.string().max(20_000).optional(),
    services: z.string().max(20_000).optional(),
    manager: z.string().max(20_000).optional(),
    phone: z.string().max(40).optional(),
  })
  .passthrough();
export type TakeoverForm = z.infer<typeof takeoverFormSchema>;

/** Applies form input to a draft; a field that cannot be read is refused and nothing is written. */
export function applyForm(d: Draft, f: TakeoverForm, today: string): Draft {
  const out = { ...d };
  const text = (v: string | undefined) => (v === undefined ? undefined : v.normalize('NFKC').trim());
  const natureText = text(f.nature);
  if (natureText) {
    const n = parseNatureWord(natureText);
    if (!n) throw new UserError('管理性质请选择“自主”或“外聘”。');
    out.nature = n;
    out.natureInferred = false;
    out.natureConflict = false;
    // 社区兜底 says how a self-run compound is run: it goes when the person makes it 外聘.
    if (n === '外聘') out.remarks = null;
  }
  const dateText = text(f.startDate);
  if (dateText) {
    const r = parseDateField(dateText, today);
    if (!r.date) throw new UserError(`${r.problem ?? '入驻时间无法识别'}，未作记录。`);
    out.startDate = r.date;
  }
  const company = text(f.company);
  const services = text(f.services);
  const manager = text(f.manager);
  requireWithinLimits({ company, services, manager });
  if (company) out.company = company;
  if (services) out.services = parseServicesField(services);
  if (manager) out.manager = manager;
  const phone = text(f.phone);
  // The card shows a masked number in groups; sending it back unchanged keeps the number understood.
  if (phone && !(d.phone && phone === maskPhones(d.phone))) {
    const r = parsePhoneField(phone);
    if (!r.phone) throw new UserError(`${r.problem}，未作记录。`);
    out.phone = r.phone;
  }
  return out;
}

/** The takeover to record: what the message said, over the current record for a correction. */
export function mergedTakeover(d: Draft, current: TakeoverRow | undefined): Partial<TakeoverData> {
  // Another company (or 自主 replacing a hired one) has its own people: the previous company's manager and phone
  // are not carried over to it. The date and services are, until the message says otherwise.
  const otherManager =
    (d.company !== null && d.company !== undefined && current?.company && d.company !== current.company) ||
    (d.nature === '自主' && current?.nature === '外聘');
  const services = d.services.length ? d.services : current ? (JSON.parse(current.services) as string[]) : [];
  const nature = d.nature ?? current?.nature;
  // A 备注 the reader wrote (社区兜底) goes when the nature changes; one a person wrote stays.
  const readerRemark = current?.remarks ? SELF_MODE_NAMES.includes(current.remarks) : false;
  const remarks = d.remarks ?? (readerRemark && (nature !== current?.nature || d.company) ? null : current?.remarks ?? null);
  return {
    company: d.company ?? (d.nature === '自主' && current?.nature === '外聘' ? null : current?.company ?? null),
    nature,
    startDate: d.startDate ?? current?.start_date,
    services,
    manager: d.manager ?? (otherManager ? null : current?.manager ?? null),
    phone: d.phone ?? (otherManager ? null : current?.phone ?? null),
    remarks,
  };
}

/** What is still needed before the takeover can be recorded. */
export function missingOf(d: Draft, merged: Partial<TakeoverData>): string[] {
  const out: string[] = [];
  if (!d.compoundId) out.push('选择小区');
  out.push(...takeoverRequirements({ ...merged, nature: d.natureConflict ? null : merged.nature }));
  return out;
}
