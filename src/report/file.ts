import type { Db } from '../db/connect.ts';
import type { WorkCalendar } from '../calendar/workdays.ts';
import { isValidDate } from '../calendar/dates.ts';
import type { CampaignInfo } from '../domain/campaign.ts';
import { defaultDue } from './due.ts';
import { loadReportView } from './snapshot.ts';
import type { ReportView } from './view.ts';
import { buildReportWorkbook, reportFileName } from './workbook.ts';
import { loadAfterCoverageSheets } from './after-sheets.ts';

export interface ReportFile {
  fileName: string;
  data: Buffer;
  view: ReportView;
}

/**
 * The 调度表 file for a due date (none = the current period's), the same for chat, HTTP and the CLI.
 * Throws on a malformed date.
 */
export async function renderReportFile(db: Db, campaign: CampaignInfo, calendar: WorkCalendar, due: string | null, now: Date): Promise<ReportFile> {
  const d = due ?? defaultDue(campaign, calendar, now);
  if (!isValidDate(d)) throw new Error(`not a date: ${d}`);
  const view = await loadReportView(db, campaign, calendar, { due: d, now });
  return { fileName: reportFileName(d), data: await buildReportWorkbook(view, await loadAfterCoverageSheets(db, campaign, now)), view };
}
