/**
 * The property companies' credit file (信用档案, notice §三.2): the compounds each serves and since when, the
 * grievances there, its assessment scores and its bad-behaviour records. Companies are the names written in the
 * takeovers in force, the records and the assessments, grouped by their core name.
 */
import type { Db } from '../db/connect.ts';
import { localDate } from '../calendar/dates.ts';
import { type KnownCompany, companyKey, groupCompanies } from '../understanding/company-matcher.ts';
import { listAssessments, periodLabel } from './assessments.ts';
import { displayNames } from './display-names.ts';
import { isOverdue } from './grievances.ts';
import type { WriteContext } from './write-context.ts';
import type { AfterCoverageSettings } from '../campaign/after-coverage.ts';

/** Every company the campaign knows of. */
export async function knownCompanies(db: Db, campaignId: number): Promise<KnownCompany[]> {
  const takeovers = await db
    .selectFrom('takeovers').innerJoin('compounds', 'compounds.id', 'takeovers.compound_id')
    .select('takeovers.company').where('compounds.campaign_id', '=', campaignId)
    .where('takeovers.superseded_at', 'is', null).where('takeovers.company', 'is not', null).execute();
  const records = await db.selectFrom('company_records').select('company').where('campaign_id', '=', campaignId).where('withdrawn_at', 'is', null).execute();
  const assessed = await db.selectFrom('assessments').select('company').where('campaign_id', '=', campaignId)
    .where('superseded_at', 'is', null).where('company', 'is not', null).execute();
  // Takeovers first: the name a company is shown by is the one its compounds are recorded with.
  const grouped = groupCompanies(takeovers.map((t) => t.company!));
  const extra = groupCompanies([...records.map((r) => r.company), ...assessed.map((a) => a.company!)]);
  for (const e of extra) {
    const g = grouped.find((x) => x.key === e.key);
    if (g) g.variants = [...new Set([...g.variants, ...e.variants])];
    else grouped.push(e);
  }
  return grouped.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
}

export interface CreditFile {
  name: string;
  key: string;
  variants: string[];
  compounds: { name: string; community: string; since: string; nature: string }[];
  grievances: { total: number; open: number; overdue: number; byDepartment: Record<string, number> };
  assessments: { kind: string; period: string; periodLabel: string; compound: string; total: number; maxTotal: number; passed: boolean }[];
  records: { id: number; text: string; compound: string | null; recordedAt: string; recordedBy: string; recordedByName: string | null }[];
}

/** Credit files of the given companies (all known ones by default), computed in bulk. */
export async function creditFiles(db: Db, campaignId: number, settings: AfterCoverageSettings, now: Date, timeZone: string, only?: KnownCompany[]): Promise<CreditFile[]> {
  const companies = only ?? (await knownCompanies(db, campaignId));
  const keys = new Set(companies.map((c) => c.key));
  const takeovers = (await db
    .selectFrom('takeovers').innerJoin('compounds', 'compounds.id', 'takeovers.compound_id')
    .innerJoin('communities', 'communities.id', 'compounds.community_id')
    .select(['takeovers.compound_id', 'takeovers.company', 'takeovers.start_date', 'takeovers.nature', 'compounds.name', 'communities.name as community', 'communities.ord', 'compounds.ord as compound_ord'])
    .where('compounds.campaign_id', '=', campaignId).where('takeovers.superseded_at', 'is', null).where('takeovers.company', 'is not', null)
    .execute())
    .filter((t) => keys.has(companyKey(t.company!)))
    .sort((a, b) => a.ord - b.ord || a.compound_ord - b.compound_ord);
  const served = new Map<number, { key: string; since: string }>(takeovers.map((t) => [t.compound_id, { key: companyKey(t.company!), since: t.start_date }]));
  const grievances = served.size
    ? await db
        .selectFrom('grievances').leftJoin('departments', 'departments.id', 'grievances.department_id')
        .select(['grievances.compound_id', 'grievances.status', 'grievances.created_at', 'grievances.accept_due_at', 'grievances.resolve_due_at', 'departments.name as department'])
        .where('grievances.compound_id', 'in', [...served.keys()]).execute()
    : [];
  const records = await db.selectFrom('company_records').leftJoin('compounds', 'compounds.id', 'company_records.compound_id')
    .select(['company_records.id', 'company_records.company_key', 'company_records.text', 'company_records.recorded_at', 'company_records.recorded_by', 'compounds.name as compound'])
    .where('company_records.campaign_id', '=', campaignId).where('company_records.withdrawn_at', 'is', null)
    .orderBy('company_records.recorded_at').orderBy('company_records.id').execute();
  const names = await displayNames(db, records.map((r) => r.recorded_by));
  const assessments = (await listAssessments(db, campaignId, { subject: 'compound' })).filter((a) => a.company && keys.has(companyKey(a.company)));
  const kindOf = (code: string) => settings.assessment.kinds.find((k) => k.code === code);

  return companies.map((c) => {
    const mine = takeovers.filter((t) => companyKey(t.company!) === c.key);
    const file: CreditFile = {
      name: c.name, key: c.key, variants: c.variants,
      compounds: mine.map((t) => ({ name: t.name, community: t.community, since: t.start_date, nature: t.nature })),
      grievances: { total: 0, open: 0, overdue: 0, byDepartment: {} },
      assessments: assessments.filter((a) => companyKey(a.company!) === c.key).map((a) => {
        const k = kindOf(a.kind);
        return { kind: a.kind, period: a.period, periodLabel: k ? periodLabel(k, a.period) : a.period, compound: a.compound!, total: a.total, maxTotal: a.maxTotal, passed: a.passed };
      }),
      records: records.filter((r) => r.company_key === c.key).map((r) => ({
        id: r.id, text: r.text, compound: r.compound, recordedAt: r.recorded_at, recordedBy: r.recorded_by, recordedByName: names.get(r.recorded_by) ?? null,
      })),
    };
    // A grievance counts against the company serving the compound when it was raised.
    for (const g of grievances) {
      const s = served.get(g.compound_id);
      if (!s || s.key !== c.key || localDate(new Date(g.created_at), timeZone) < s.since) continue;
      file.grievances.total++;
      if (g.status !== '已办结') file.grievances.open++;
      if (isOverdue({ status: g.status as '待受理', acceptDueAt: g.accept_due_at, resolveDueAt: g.resolve_due_at }, now)) file.grievances.overdue++;
      const d = g.department ?? '未分派';
      file.grievances.byDepartment[d] = (file.grievances.byDepartment[d] ?? 0) + 1;
    }
    return file;
  });
}

export interface RecordSnapshot {
  id: number;
  company: string;
  text: string;
  compoundId: number | null;
}

export const recordEntityId = (id: number) => `record:${id}`;

/** Adds a bad-behaviour record to a company's file, with provenance and an audit entry. */
export async function addCompanyRecord(
  ctx: WriteContext, input: { campaignId: number; company: string; text: string; compoundId: number | null },
): Promise<{ id: number; auditId: number }> {
  const row = await ctx.db
    .insertInto('company_records')
    .values({
      campaign_id: input.campaignId, company: input.company, company_key: companyKey(input.company), compound_id: input.compoundId, text: input.text,
      recorded_at: ctx.now.toISOString(), recorded_by: ctx.actor.openId, source_kind: ctx.source.kind, source_ref: ctx.source.ref, source_chat: ctx.chat.id,
      withdrawn_at: null, withdrawn_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const after: RecordSnapshot = { id: row.id, company: input.company, text: input.text, compoundId: input.compoundId };
  const auditId = await ctx.audit({ action: 'company_record.add', entity: 'company_record', entityId: recordEntityId(row.id), before: null, after });
  return { id: row.id, auditId };
}

/** Withdraws a record (撤销): it stays in the table, stamped, and leaves the file. */
export async function withdrawCompanyRecord(ctx: WriteContext, id: number): Promise<void> {
  await ctx.db.updateTable('company_records').set({ withdrawn_at: ctx.now.toISOString(), withdrawn_by: ctx.actor.openId }).where('id', '=', id).execute();
}

export interface RecordInMonth {
  id: number;
  company: string;
  text: string;
  compound: string | null;
  recordedAt: string;
  recordedByName: string | null;
}

/** Records added in [from, to) (instants), not withdrawn, oldest first. */
export async function recordsBetween(db: Db, campaignId: number, from: Date, to: Date): Promise<RecordInMonth[]> {
  const rows = await db.selectFrom('company_records').leftJoin('compounds', 'compounds.id', 'company_records.compound_id')
    .select(['company_records.id', 'company_records.company', 'company_records.text', 'company_records.recorded_at', 'company_records.recorded_by', 'compounds.name as compound'])
    .where('company_records.campaign_id', '=', campaignId).where('company_records.withdrawn_at', 'is', null)
    .where('company_records.recorded_at', '>=', from.toISOString()).where('company_records.recorded_at', '<', to.toISOString())
    .orderBy('company_records.recorded_at').orderBy('company_records.id').execute();
  const names = await displayNames(db, rows.map((r) => r.recorded_by));
  return rows.map((r) => ({ id: r.id, company: r.company, text: r.text, compound: r.compound, recordedAt: r.recorded_at, recordedByName: names.get(r.recorded_by) ?? null }));
}
