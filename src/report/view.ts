import type { Db } from '../db/connect.ts';
import { UPGRADE_ACTIONS } from '../campaign/schema.ts';
import type { CampaignInfo } from '../domain/campaign.ts';
import type { ActionState, TakeoverFields } from '../domain/compounds.ts';
import { reportCompounds, takeoversInForce, upgradeActionStates } from '../domain/report-data.ts';

/** The title of 附件5, the same for every campaign. */
export const REPORT_TITLE = '住宅小区物业管理全覆盖进展情况调度表';

export type ReportTakeover = TakeoverFields;

/** One line of the 调度表: one compound as it stood at the report's as-of instant. */
export interface ReportRow {
  seq: number;
  community: string;
  compound: string;
  track: 'coverage' | 'upgrade';
  category: 1 | 2 | 3 | null;
  takeover: ReportTakeover | null;
}

/** One line of the second sheet: the four 攻坚行动 of an upgrade compound. */
export interface ReportActionRow {
  seq: number;
  community: string;
  compound: string;
  actions: Record<string, ActionState>;
}

/**
 * Everything the 调度表 shows, as plain JSON: the workbook is drawn from it and a closed period stores it
 * (report_periods.snapshot), so a past table never changes.
 */
export interface ReportView {
  title: string;
  district: string;
  street: string;
  due: string;
  effectiveDue: string;
  /** The calendar date the data is as of (the effective due day for a closed period, else today). */
  asOfDate: string;
  /** The instant the data is as of. */
  asOf: string;
  /** live: the current state of a period not yet closed; snapshot: frozen when it closed; reconstructed: rebuilt from history. */
  basis: 'live' | 'snapshot' | 'reconstructed';
  frozenAt: string | null;
  /** A caveat printed under the table (e.g. a period closed late). */
  note: string | null;
  footnote: string | null;
  rows: ReportRow[];
  actionNames: string[];
  actions: ReportActionRow[];
}

export interface ReportStateOptions {
  /** Takeover rows recorded before this instant and not yet superseded at it are the state. */
  at: Date;
  /** A takeover counts only when it started on or before this date. */
  asOfDate: string;
}

/**
 * The compounds of the campaign as they stood at `at`, from the takeovers history: the row in force at that
 * instant (recorded before it, superseded only after it, if ever). Category and action states have no history,
 * so they are the current ones.
 */
export async function loadReportRows(db: Db, campaign: CampaignInfo, opts: ReportStateOptions): Promise<{ rows: ReportRow[]; actions: ReportActionRow[] }> {
  const atIso = opts.at.toISOString();
  const compounds = await reportCompounds(db, campaign.id);
  const takeovers = await takeoversInForce(db, campaign.id, atIso, opts.asOfDate);
  const actionRows = await upgradeActionStates(db, campaign.id);

  // Later rows win: should two rows ever be in force at once, the one recorded last is the state.
  const takeoverBy = new Map(takeovers.map((t) => [t.compound_id, t]));
  const actionsBy = new Map<number, Record<string, ActionState>>();
  for (const a of actionRows) {
    const m = actionsBy.get(a.compound_id) ?? {};
    m[a.action] = a.state as ActionState;
    actionsBy.set(a.compound_id, m);
  }
  const trackOrder = (t: string) => (t === 'upgrade' ? 0 : 1);
  compounds.sort((a, b) => a.community_ord - b.community_ord || trackOrder(a.track) - trackOrder(b.track) || a.ord - b.ord);

  const rows: ReportRow[] = [];
  const actions: ReportActionRow[] = [];
  for (const c of compounds) {
    const t = takeoverBy.get(c.id);
    rows.push({
      seq: rows.length + 1,
      community: c.community,
      compound: c.name,
      track: c.track,
      category: (c.category ?? null) as 1 | 2 | 3 | null,
      takeover: t
        ? {
            company: t.company, nature: t.nature, startDate: t.start_date, services: parseServices(t.services),
            manager: t.manager, phone: t.phone, remarks: t.remarks,
          }
        : null,
    });
    if (c.track === 'upgrade') {
      const states = actionsBy.get(c.id);
      actions.push({
        seq: actions.length + 1,
        community: c.community,
        compound: c.name,
        actions: Object.fromEntries(UPGRADE_ACTIONS.map((a) => [a, states?.[a] ?? '未开始'])) as Record<string, ActionState>,
      });
    }
  }
  return { rows, actions };
}

function parseServices(raw: string): string[] {
  try {
    const v = JSON.parse(raw) as unknown;
    return Array.isArray(v) ? v.map(String).filter(Boolean) : [];
  } catch {
    return raw ? [raw] : [];
  }
}

/** The parts of a view that come from the campaign rather than from the compounds. */
export function reportHeader(campaign: CampaignInfo): Pick<ReportView, 'title' | 'district' | 'street' | 'footnote' | 'actionNames'> {
  return {
    title: REPORT_TITLE,
    district: campaign.district,
    street: campaign.street,
    footnote: campaign.definition.reportFootnote ?? null,
    actionNames: [...UPGRADE_ACTIONS],
  };
}

/** Whether a row counts as covered in the report (it has a takeover in force). */
export function rowCovered(row: ReportRow): boolean {
  return row.takeover !== null;
}

/** The rows of one community only, numbered from 1 (the table a community's staff get). Pure. */
export function communityView(v: ReportView, community: string): ReportView {
  return {
    ...v,
    rows: v.rows.filter((r) => r.community === community).map((r, i) => ({ ...r, seq: i + 1 })),
    actions: v.actions.filter((r) => r.community === community).map((r, i) => ({ ...r, seq: i + 1 })),
  };
}
