/**
 * The after-coverage data as plain JSON: GET /api/v1/assessments, /companies and /subsidies, and the 调度表's
 * sheets for them, so the workbook and the API always hold the same numbers.
 */
import type { Db } from '../db/connect.ts';
import { afterCoverageSettings, maxTotal } from '../campaign/after-coverage.ts';
import { localDate } from '../calendar/dates.ts';
import type { CampaignInfo } from './campaign.ts';
import { currentPeriod, listAssessments, unassessed } from './assessments.ts';
import { creditFiles, knownCompanies, recordsBetween } from './companies.ts';
import { type SubsidyState, listSubsidies } from './subsidies.ts';

export interface AssessmentsJson {
  standard: {
    provisional: boolean;
    note: string;
    kinds: { code: string; name: string; subject: 'compound' | 'street'; period: 'quarter' | 'once'; passMark: number; maxTotal: number; items: { code: string; name: string; max: number }[] }[];
  };
  results: {
    kind: string;
    period: string;
    subject: 'compound' | 'street';
    /** The compound's name, or the street's. */
    name: string;
    community: string | null;
    company: string | null;
    scores: { code: string; name: string; max: number; score: number }[];
    total: number;
    maxTotal: number;
    passMark: number;
    passed: boolean;
    note: string | null;
    assessedAt: string;
    assessedBy: string;
    assessorName: string | null;
  }[];
  /** The subjects still without a sheet for the period asked (default: each kind's current period). */
  unassessed: { kind: string; period: string; subject: 'compound' | 'street'; name: string; community: string | null }[];
}

export async function assessmentsJson(db: Db, campaign: CampaignInfo, now: Date, f: { period?: string; kind?: string } = {}): Promise<AssessmentsJson> {
  const settings = afterCoverageSettings(campaign.definition);
  const today = localDate(now, campaign.timezone);
  const kinds = settings.assessment.kinds.filter((k) => !f.kind || k.code === f.kind);
  const results = (await listAssessments(db, campaign.id, { ...(f.kind ? { kind: f.kind } : {}), ...(f.period ? { period: f.period } : {}) }))
    .filter((a) => kinds.some((k) => k.code === a.kind));
  const out: AssessmentsJson = {
    standard: {
      provisional: settings.assessment.provisional,
      note: settings.assessment.note,
      kinds: kinds.map((k) => ({
        code: k.code, name: k.name, subject: k.subject, period: k.period, passMark: k.passMark, maxTotal: maxTotal(k),
        items: k.items.map(({ code, name, max }) => ({ code, name, max })),
      })),
    },
    results: results.map((a) => ({
      kind: a.kind, period: a.period, subject: a.compoundId === null ? 'street' : 'compound',
      name: a.compound ?? campaign.street, community: a.community, company: a.company,
      scores: a.items.map((it) => ({ ...it, score: a.scores[it.code] ?? 0 })),
      total: a.total, maxTotal: a.maxTotal, passMark: a.passMark, passed: a.passed, note: a.note,
      assessedAt: a.assessedAt, assessedBy: a.assessedBy, assessorName: a.assessorName,
    })),
    unassessed: [],
  };
  for (const k of kinds) {
    const period = f.period ?? currentPeriod(k, today);
    if ((k.period === 'once') !== (period === 'once')) continue;
    const u = await unassessed(db, campaign.id, settings, k, period, today);
    if (u.street) out.unassessed.push({ kind: k.code, period, subject: 'street', name: campaign.street, community: null });
    for (const c of u.compounds) out.unassessed.push({ kind: k.code, period, subject: 'compound', name: c.name, community: c.community });
  }
  return out;
}

export interface SubsidyJson {
  compound: string;
  community: string;
  period: string;
  state: SubsidyState;
  /** The assessment total it follows, and whether it (still) passes. */
  assessmentTotal: number | null;
  assessmentPassed: boolean | null;
  /** Amounts in 元. */
  requestedAmount: number | null;
  approvedAmount: number | null;
  paidAmount: number | null;
  appliedOn: string | null;
  reviewedOn: string | null;
  paidOn: string | null;
  note: string | null;
}

const yuan = (fen: number | null) => (fen === null ? null : fen / 100);

export async function subsidiesJson(db: Db, campaign: CampaignInfo, f: { state?: SubsidyState; period?: string } = {}): Promise<SubsidyJson[]> {
  const list = await listSubsidies(db, campaign.id, afterCoverageSettings(campaign.definition), f);
  return list.map((v) => ({
    compound: v.compound, community: v.community, period: v.period, state: v.state,
    assessmentTotal: v.assessment?.total ?? null, assessmentPassed: v.assessment?.passed ?? null,
    requestedAmount: yuan(v.requestedFen), approvedAmount: yuan(v.approvedFen), paidAmount: yuan(v.paidFen),
    appliedOn: v.appliedOn, reviewedOn: v.reviewedOn, paidOn: v.paidOn, note: v.note,
  }));
}

export interface CompanyJson {
  name: string;
  variants: string[];
  compounds: { name: string; community: string; since: string }[];
  grievances: { total: number; open: number; overdue: number; byDepartment: Record<string, number> };
  assessments: { kind: string; period: string; compound: string; total: number; maxTotal: number; passed: boolean }[];
  records: { id: number; text: string; compound: string | null; recordedAt: string; recordedBy: string; recorderName: string | null }[];
}

export async function companiesJson(db: Db, campaign: CampaignInfo, now: Date): Promise<CompanyJson[]> {
  const files = await creditFiles(db, campaign.id, afterCoverageSettings(campaign.definition), now, campaign.timezone);
  return files.map((f) => ({
    name: f.name,
    variants: f.variants,
    compounds: f.compounds.map(({ name, community, since }) => ({ name, community, since })),
    grievances: f.grievances,
    assessments: f.assessments.map(({ kind, period, compound, total, maxTotal: max, passed }) => ({ kind, period, compound, total, maxTotal: max, passed })),
    records: f.records.map((r) => ({ id: r.id, text: r.text, compound: r.compound, recordedAt: r.recordedAt, recordedBy: r.recordedBy, recorderName: r.recordedByName })),
  }));
}

/** Every bad-behaviour record in force, under its company's name as the credit file shows it, oldest first. */
export async function recordsJson(db: Db, campaign: CampaignInfo): Promise<(CompanyJson['records'][number] & { company: string })[]> {
  const nameOf = new Map((await knownCompanies(db, campaign.id)).map((c) => [c.key, c.name]));
  return (await recordsBetween(db, campaign.id)).map((r) => ({
    id: r.id, company: nameOf.get(r.companyKey) ?? r.company, text: r.text, compound: r.compound,
    recordedAt: r.recordedAt, recordedBy: r.recordedBy, recorderName: r.recordedByName,
  }));
}
