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

const push = <K, V>(m: Map<K, V[]>, k: K, v: V) => {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
};

/** Credit files of the given companies (all known ones by default), computed in bulk: one pass over each table. */
export async function creditFiles(db: Db, campaignId: number, settings: AfterCoverageSettings, now: Date, timeZone: string, only?: KnownCompany[]): Promise<CreditFile[]> {
  const companies = only ?? (await knownCompanies(db, campaignId));
  const keys = new Set(companies.map((c) => c.key));
  const takeovers = (await db
    .selectFrom('takeovers').innerJoin('compounds', 'compounds.id', 'takeovers.compound_id')
    .innerJoin('communities', 'communities.id', 'compounds.community_id')
    .select(['takeovers.compound_id', 'takeovers.company', 'takeovers.start_date', 'takeovers.nature', 'compounds.name', 'communities.name as community', 'communities.ord', 'compounds.ord as compound_ord'])
    .where('compounds.campaign_id', '=', campaignId).where('takeovers.superseded_at', 'is', null).where('takeovers.company', 'is not', null)
    .execute())
    .map((t) => ({ ...t, key: companyKey(t.company!) }))
    .filter((t) => keys.has(t.key))
    .sort((a, b) => a.ord - b.ord || a.compound_ord - b.compound_ord);
  const servedBy = new Map<string, typeof takeovers>();
  for (const t of takeovers) push(servedBy, t.key, t);
  const served = new Map(takeovers.map((t) => [t.compound_id, { key: t.key, since: t.start_date }]));
  const grievances = new Map<string, CreditFile['grievances']>();
  // In chunks: a city's served compounds are more than one statement may bind.
  const ids = [...served.keys()];
  for (let i = 0; i < ids.length; i += 5000) {
    const rows = await db
      .selectFrom('grievances').leftJoin('departments', 'departments.id', 'grievances.department_id')
      .select(['grievances.compound_id', 'grievances.status', 'grievances.created_at', 'grievances.accept_due_at', 'grievances.resolve_due_at', 'departments.name as department'])
      .where('grievances.compound_id', 'in', ids.slice(i, i + 5000)).execute();
    for (const g of rows) {
      const s = served.get(g.compound_id)!;
      // A grievance counts against the company serving the compound when it was raised.
      if (localDate(new Date(g.created_at), timeZone) < s.since) continue;
      let c = grievances.get(s.key);
      if (!c) grievances.set(s.key, (c = { total: 0, open: 0, overdue: 0, byDepartment: {} }));
      c.total++;
      if (g.status !== '已办结') c.open++;
      if (isOverdue({ status: g.status as '待受理', acceptDueAt: g.accept_due_at, resolveDueAt: g.resolve_due_at }, now)) c.overdue++;
      const d = g.department ?? '未分派';
      c.byDepartment[d] = (c.byDepartment[d] ?? 0) + 1;
    }
  }
  const recordRows = await db.selectFrom('company_records').leftJoin('compounds', 'compounds.id', 'company_records.compound_id')
    .select(['company_records.id', 'company_records.company_key', 'company_records.text', 'company_records.recorded_at', 'company_records.recorded_by', 'compounds.name as compound'])
    .where('company_records.campaign_id', '=', campaignId).where('company_records.withdrawn_at', 'is', null)
    .orderBy('company_records.recorded_at').orderBy('company_records.id').execute();
  const names = await displayNames(db, recordRows.map((r) => r.recorded_by));
  const records = new Map<string, CreditFile['records']>();
  for (const r of recordRows) {
    push(records, r.company_key, { id: r.id, text: r.text, compound: r.compound, recordedAt: r.recorded_at, recordedBy: r.recorded_by, recordedByName: names.get(r.recorded_by) ?? null });
  }
  const kindOf = (code: string) => settings.assessment.kinds.find((k) => k.code === code);
  const assessments = new Map<string, CreditFile['assessments']>();
  for (const a of await listAssessments(db, campaignId, { subject: 'compound' })) {
    if (!a.company) continue;
    const k = kindOf(a.kind);
    push(assessments, companyKey(a.company), {
      kind: a.kind, period: a.period, periodLabel: k ? periodLabel(k, a.period) : a.period, compound: a.compound!, total: a.total, maxTotal: a.maxTotal, passed: a.passed,
    });
  }
  return companies.map((c) => ({
    name: c.name, key: c.key, variants: c.variants,
    compounds: (servedBy.get(c.key) ?? []).map((t) => ({ name: t.name, community: t.community, since: t.start_date, nature: t.nature })),
    grievances: grievances.get(c.key) ?? { total: 0, open: 0, overdue: 0, byDepartment: {} },
    assessments: assessments.get(c.key) ?? [],
    records: records.get(c.key) ?? [],
  }));
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

export interface RecordView {
  id: number;
  company: string;
  companyKey: string;
  text: string;
  compound: string | null;
  recordedAt: string;
  recordedBy: string;
  recordedByName: string | null;
}

/** Records added in [from, to) (instants; all by default), not withdrawn, oldest first. */
export async function recordsBetween(db: Db, campaignId: number, from?: Date, to?: Date): Promise<RecordView[]> {
  let q = db.selectFrom('company_records').leftJoin('compounds', 'compounds.id', 'company_records.compound_id')
    .select(['company_records.id', 'company_records.company', 'company_records.company_key', 'company_records.text', 'company_records.recorded_at', 'company_records.recorded_by', 'compounds.name as compound'])
    .where('company_records.campaign_id', '=', campaignId).where('company_records.withdrawn_at', 'is', null);
  if (from) q = q.where('company_records.recorded_at', '>=', from.toISOString());
  if (to) q = q.where('company_records.recorded_at', '<', to.toISOString());
  const rows = await q.orderBy('company_records.recorded_at').orderBy('company_records.id').execute();
  const names = await displayNames(db, rows.map((r) => r.recorded_by));
  return rows.map((r) => ({
    id: r.id, company: r.company, companyKey: r.company_key, text: r.text, compound: r.compound,
    recordedAt: r.recorded_at, recordedBy: r.recorded_by, recordedByName: names.get(r.recorded_by) ?? null,
  }));
}
