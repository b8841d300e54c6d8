import type { Db } from '../db/connect.ts';
import type { WorkCalendar } from '../calendar/workdays.ts';
import { formatChineseDate } from '../calendar/dates.ts';
import type { CampaignInfo } from '../domain/campaign.ts';
import { reportPeriods, type ReportPeriod } from '../domain/periods.ts';
import { defaultDue } from './due.ts';
import { loadReportView, periodEnd, periodFor } from './snapshot.ts';
import { rowCovered, type ReportRow, type ReportView } from './view.ts';
import { grievancesChangedBetween } from '../domain/report-data.ts';

export interface NewlyCovered {
  compound: string;
  community: string;
  company: string | null;
  nature: '自主' | '外聘';
  startDate: string;
}

export interface ChangedGrievance {
  id: string;
  compound: string;
  community: string;
  text: string;
  status: string;
  at: string;
  result: string | null;
}

/** What changed between the previous period's table and this one's (for the 15:00 summary and leaders). */
export interface PeriodChanges {
  /** The previous period, or null when this is the first: then everything since the campaign began counts. */
  previous: ReportPeriod | null;
  current: ReportPeriod;
  /** From this instant (the previous period's end, or the campaign's start) … */
  since: string;
  /** … to this one (this period's end once closed, else now). */
  until: string;
  newlyCovered: NewlyCovered[];
  newGrievances: ChangedGrievance[];
  resolvedGrievances: ChangedGrievance[];
}

/**
 * Coverage compounds (附件4) covered in `current` but not in `previous` (all covered ones when there is no previous
 * table). An upgrade compound (附件3) already had a property company: entering its data is not a new takeover,
 * and neither is a correction of a compound that was covered before. Pure.
 */
export function newlyCoveredBetween(previous: ReportView | null, current: ReportView): NewlyCovered[] {
  const before = new Set((previous?.rows ?? []).filter(rowCovered).map((r) => r.compound));
  return current.rows
    .filter((r): r is ReportRow & { takeover: NonNullable<ReportRow['takeover']> } => r.track === 'coverage' && rowCovered(r) && !before.has(r.compound))
    .map((r) => ({ compound: r.compound, community: r.community, company: r.takeover.company, nature: r.takeover.nature, startDate: r.takeover.startDate }));
}

/**
 * The changes since the previous report period, for the period due `due` (default: the one whose table is
 * current at `now`). Coverage compares the previous period's frozen table with this one's; grievances are those
 * recorded or resolved in between.
 */
export async function changesSinceLastPeriod(
  db: Db,
  campaign: CampaignInfo,
  calendar: WorkCalendar,
  opts: { now: Date; due?: string },
): Promise<PeriodChanges> {
  const current = periodFor(campaign, calendar, opts.due ?? defaultDue(campaign, calendar, opts.now));
  const previous = reportPeriods(campaign, calendar).filter((p) => p.due < current.due).at(-1) ?? null;
  const prevView = previous ? await loadReportView(db, campaign, calendar, { due: previous.due, now: opts.now }) : null;
  const currView = await loadReportView(db, campaign, calendar, { due: current.due, now: opts.now });
  const since = previous ? periodEnd(campaign, previous).toISOString() : new Date(0).toISOString();
  const end = periodEnd(campaign, current);
  const until = (opts.now.getTime() < end.getTime() ? opts.now : end).toISOString();

  const created = await grievancesChangedBetween(db, campaign.id, 'created', since, until);
  const resolved = await grievancesChangedBetween(db, campaign.id, 'resolved', since, until);
  const toChanged = (at: 'created_at' | 'resolved_at') => (r: (typeof created)[number]): ChangedGrievance => ({
    id: r.code, compound: r.compound, community: r.community, text: r.text, status: r.status, at: r[at] ?? '', result: r.result,
  });
  return {
    previous,
    current,
    since,
    until,
    newlyCovered: newlyCoveredBetween(prevView, currView),
    newGrievances: created.map(toChanged('created_at')),
    resolvedGrievances: resolved.map(toChanged('resolved_at')),
  };
}

/** The changes as card markdown, a few names each so it stays short at city scale. */
export function changesMarkdown(c: PeriodChanges, limit = 8): string {
  // The count leads each line in its own unit (个小区, 件); a long list just ends in 等.
  const list = (items: string[]) => (items.length > limit ? `${items.slice(0, limit).join('、')}等` : items.join('、'));
  const head = c.previous ? `**较上期（${formatChineseDate(c.previous.due)}）变化**` : '**本期以来变化**';
  const lines = [head];
  lines.push(`新增入驻 ${c.newlyCovered.length} 个小区${c.newlyCovered.length ? `：${list(c.newlyCovered.map((x) => x.compound))}` : ''}`);
  lines.push(`新增诉求 ${c.newGrievances.length} 件${c.newGrievances.length ? `：${list(c.newGrievances.map((g) => `${g.id} ${g.compound}`))}` : ''}`);
  lines.push(`办结诉求 ${c.resolvedGrievances.length} 件${c.resolvedGrievances.length ? `：${list(c.resolvedGrievances.map((g) => `${g.id} ${g.compound}`))}` : ''}`);
  return lines.join('\n');
}
