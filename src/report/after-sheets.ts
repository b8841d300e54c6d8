/**
 * The 调度表's after-coverage sheets: one per kind of assessment (results, then what is unassessed), 奖补, and
 * the companies' bad-behaviour records. Drawn from the same JSON as the API, so both hold the same numbers.
 */
import type * as ExcelJS from 'exceljs';
import type { Db } from '../db/connect.ts';
import { localParts } from '../calendar/dates.ts';
import type { CampaignInfo } from '../domain/campaign.ts';
import { type AssessmentsJson, type CompanyJson, type SubsidyJson, assessmentsJson, recordsJson, subsidiesJson } from '../domain/after-coverage-json.ts';
import { periodOnly } from '../domain/assessments.ts';
import type { ReportView } from './view.ts';
import { columnStyles, paragraph, sheetOptions, topRows } from './workbook.ts';

export const SUBSIDY_SHEET = '奖补';
export const RECORDS_SHEET = '不良记录';

export interface AfterCoverageSheets {
  timeZone: string;
  asOf: string;
  assessments: AssessmentsJson;
  subsidies: SubsidyJson[];
  records: (CompanyJson['records'][number] & { company: string })[];
}

/** The data of the sheets, as of `now` (current data, also for a closed period: these have no snapshot). */
export async function loadAfterCoverageSheets(db: Db, campaign: CampaignInfo, now: Date): Promise<AfterCoverageSheets> {
  return {
    timeZone: campaign.timezone,
    asOf: now.toISOString(),
    assessments: await assessmentsJson(db, campaign, now),
    subsidies: await subsidiesJson(db, campaign),
    records: await recordsJson(db, campaign),
  };
}

/** The sheet name of a kind of assessment: its own name, kept clear of the other sheets and of Excel's limits. */
export function assessmentSheetName(name: string): string {
  const clean = name.replace(/[\\/?*[\]:]/g, '').slice(0, 28);
  return ['调度表', '攻坚行动', SUBSIDY_SHEET, RECORDS_SHEET].includes(clean) ? `${clean}考核` : clean;
}

function local(iso: string, timeZone: string): string {
  const p = localParts(new Date(iso), timeZone);
  return `${p.date} ${p.time}`;
}

function asOfNote(a: AfterCoverageSheets): string {
  return `以上为截至${local(a.asOf, a.timeZone)}的当前数据。`;
}

function assessmentSheets(wb: ExcelJS.stream.xlsx.WorkbookWriter, v: ReportView, a: AfterCoverageSheets): void {
  const { standard, results, unassessed } = a.assessments;
  for (const kind of standard.kinds) {
    const street = kind.subject === 'street';
    const itemColumns = kind.items.map((i) => `${i.name}（${i.max}分）`);
    const columns = ['序号', '考核期', '社区名称', street ? '考核对象' : '小区名称', '物业企业', ...itemColumns, '总分', '结果', '考核人', '考核时间', '备注'];
    const ws = wb.addWorksheet(assessmentSheetName(kind.name), sheetOptions());
    const firstScore = 6;
    columnStyles(ws, [6, 16, 14, 22, 22, ...itemColumns.map(() => 10), 8, 8, 10, 17, 24], [1, ...itemColumns.map((_, i) => firstScore + i), firstScore + itemColumns.length, firstScore + itemColumns.length + 1]);
    topRows(ws, v, `${kind.name}结果（满分${kind.maxTotal}分，${kind.passMark}分及以上为合格${standard.provisional ? '，默认标准' : ''}）`, columns);
    let r = 3;
    let seq = 0;
    for (const x of results.filter((x) => x.kind === kind.code)) {
      const score = new Map(x.scores.map((s) => [s.code, s.score]));
      ws.getRow(++r).values = [
        ++seq, periodOnly(x.period), x.community ?? '', x.name, x.company ?? '', ...kind.items.map((i) => score.get(i.code) ?? ''),
        x.total, x.passed ? '合格' : '不合格', x.assessorName ?? '', local(x.assessedAt, a.timeZone), x.note ?? '',
      ];
      ws.getRow(r).commit();
    }
    // What is still unassessed: one line per community (a city has thousands of compounds, a table row each is too much).
    const left = unassessed.filter((x) => x.kind === kind.code);
    if (left.length) {
      paragraph(ws, ++r, `${periodOnly(left[0]!.period)}尚未考核 ${left.length} 个：`, columns.length);
      const byCommunity = new Map<string, string[]>();
      for (const x of left) {
        const names = byCommunity.get(x.community ?? '');
        if (names) names.push(x.name);
        else byCommunity.set(x.community ?? '', [x.name]);
      }
      for (const [community, names] of byCommunity) paragraph(ws, ++r, `${community ? `${community}（${names.length}）：` : ''}${names.join('、')}`, columns.length);
    }
    const note = standard.provisional && standard.note ? `${asOfNote(a)}${standard.note}` : asOfNote(a);
    paragraph(ws, ++r, note, columns.length, 9);
    ws.commit();
  }
}

function subsidySheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, v: ReportView, a: AfterCoverageSheets): void {
  const columns = ['序号', '社区名称', '小区名称', '考核期', '考核得分', '状态', '申报金额（元）', '申报日期', '核定金额（元）', '审核日期', '兑现金额（元）', '兑现日期', '备注'];
  const ws = wb.addWorksheet(SUBSIDY_SHEET, sheetOptions());
  columnStyles(ws, [6, 14, 22, 16, 9, 9, 13, 12, 13, 12, 13, 12, 20], [1, 5, 6, 8, 10, 12]);
  topRows(ws, v, '老旧小区物业管理奖补情况', columns);
  let r = 3;
  a.subsidies.forEach((s, i) => {
    ws.getRow(++r).values = [
      i + 1, s.community, s.compound, periodOnly(s.period), s.assessmentTotal ?? '', s.state,
      s.requestedAmount ?? '', s.appliedOn ?? '', s.approvedAmount ?? '', s.reviewedOn ?? '', s.paidAmount ?? '', s.paidOn ?? '',
      [s.assessmentPassed === false ? '考核已改为不合格' : '', s.note ?? ''].filter(Boolean).join('；'),
    ];
    ws.getRow(r).commit();
  });
  paragraph(ws, ++r, `${asOfNote(a)}待申报：老旧小区考核合格、尚未申报。`, columns.length, 9);
  ws.commit();
}

function recordsSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, v: ReportView, a: AfterCoverageSheets): void {
  const columns = ['序号', '企业名称', '涉及小区', '不良行为记录', '记录时间', '记录人'];
  const ws = wb.addWorksheet(RECORDS_SHEET, sheetOptions());
  columnStyles(ws, [6, 26, 20, 60, 17, 10], [1, 5]);
  topRows(ws, v, '物业服务企业不良行为记录', columns);
  let r = 3;
  a.records.forEach((x, i) => {
    ws.getRow(++r).values = [i + 1, x.company, x.compound ?? '', x.text, local(x.recordedAt, a.timeZone), x.recorderName ?? ''];
    ws.getRow(r).commit();
  });
  paragraph(ws, ++r, asOfNote(a), columns.length, 9);
  ws.commit();
}

export function afterCoverageSheets(wb: ExcelJS.stream.xlsx.WorkbookWriter, v: ReportView, a: AfterCoverageSheets): void {
  assessmentSheets(wb, v, a);
  subsidySheet(wb, v, a);
  recordsSheet(wb, v, a);
}

