import type { Db } from '../db/connect.ts';
import type { WorkCalendar } from '../calendar/workdays.ts';
import { isValidDate } from '../calendar/dates.ts';
import type { CampaignInfo } from '../domain/campaign.ts';
import { defaultDue } from './due.ts';
import { loadReportView } from './snapshot.ts';
import { type ReportView, communityView } from './view.ts';
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
export async function renderReportFile(
  db: Db, campaign: CampaignInfo, calendar: WorkCalendar, due: string | null, now: Date, opts: { community?: string } = {},
): Promise<ReportFile> {
  const d = due ?? defaultDue(campaign, calendar, now);
  if (!isValidDate(d)) throw new Error(`not a date: ${d}`);
  const whole = await loadReportView(db, campaign, calendar, { due: d, now });
  const view = opts.community ? communityView(whole, opts.community) : whole;
  const fileName = opts.community ? reportFileName(d).replace(/\.xlsx$/, `（${opts.community}）.xlsx`) : reportFileName(d);
  // The after-coverage sheets (考核, 奖补, 不良记录) are the street's: a community's own table carries the 附件5 rows only.
  const extra = opts.community ? undefined : await loadAfterCoverageSheets(db, campaign, now);
  return { fileName, data: await buildReportWorkbook(view, extra), view };
}
