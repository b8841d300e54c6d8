import ExcelJS from 'exceljs';
import type { ReportView } from './view.ts';

/** The eleven columns of 附件5, in order. */
export const REPORT_COLUMNS = [
  '序号', '社区名称', '小区名称', '类别', '入驻物业管理企业名称', '物业管理性质（自主或外聘物业公司）',
  '入驻时间', '服务内容', '物业负责人', '联系电话', '备注',
] as const;

const WIDTHS = [6, 14, 24, 6, 28, 16, 12, 24, 11, 15, 16];
export const NOT_TAKEN_OVER = '未入驻';
export const REPORT_SHEET = '调度表';
export const ACTIONS_SHEET = '攻坚行动';

const thin: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' },
};
const headerFill: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
const font = { name: '宋体', size: 11 };

/** The workbook's file name for a due date. */
export function reportFileName(due: string): string {
  return `住宅小区物业管理全覆盖进展情况调度表-${due}.xlsx`;
}

function printSetup(ws: ExcelJS.Worksheet, headerRow: number): void {
  ws.pageSetup = {
    ...ws.pageSetup,
    paperSize: 9, // A4
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    horizontalCentered: true,
    printTitlesRow: `${headerRow}:${headerRow}`,
    margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
  };
  ws.views = [{ state: 'frozen', xSplit: 0, ySplit: headerRow, topLeftCell: `A${headerRow + 1}`, activeCell: `A${headerRow + 1}` }];
}

/** Title row, street line (with the report date on the right), then the header row. */
function topRows(ws: ExcelJS.Worksheet, v: ReportView, title: string, columns: readonly string[]): void {
  const last = columns.length;
  ws.mergeCells(1, 1, 1, last);
  const t = ws.getCell(1, 1);
  t.value = title;
  t.font = { ...font, size: 18, bold: true };
  t.alignment = { horizontal: 'center', vertical: 'middle' };
  ws.getRow(1).height = 32;

  const half = Math.max(2, Math.floor(last / 2));
  ws.mergeCells(2, 1, 2, half);
  ws.getCell(2, 1).value = `街道办事处：${v.street}`;
  ws.getCell(2, 1).font = { ...font, size: 12 };
  ws.mergeCells(2, half + 1, 2, last);
  const d = ws.getCell(2, half + 1);
  d.value = v.basis === 'live' ? `报送日期：${v.due}（当前数据，截至${v.asOfDate}）` : `报送日期：${v.due}`;
  d.font = { ...font, size: 12 };
  d.alignment = { horizontal: 'right' };
  ws.getRow(2).height = 22;

  const h = ws.getRow(3);
  h.values = [...columns];
  h.height = 36;
  h.eachCell((c) => {
    c.font = { ...font, bold: true };
    c.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    c.border = thin;
    c.fill = headerFill;
  });
}

function styleBody(row: ExcelJS.Row, columns: number, centered: number[]): void {
  for (let i = 1; i <= columns; i++) {
    const c = row.getCell(i);
    c.font = font;
    c.border = thin;
    c.alignment = { vertical: 'middle', wrapText: true, horizontal: centered.includes(i) ? 'center' : 'left' };
  }
}

/** A merged, wrapped paragraph under a table (the notice's 注, a caveat). */
function paragraph(ws: ExcelJS.Worksheet, text: string, columns: number, size = 10): void {
  const r = ws.rowCount + 1;
  ws.mergeCells(r, 1, r, columns);
  const c = ws.getCell(r, 1);
  c.value = text;
  c.font = { ...font, size };
  c.alignment = { wrapText: true, vertical: 'top', horizontal: 'left' };
  // Merged cells do not grow by themselves: about 90 characters fit on a line across the page.
  ws.getRow(r).height = Math.max(18, Math.ceil(text.length / 90) * 15 + 6);
}

function reportSheet(wb: ExcelJS.Workbook, v: ReportView): void {
  const ws = wb.addWorksheet(REPORT_SHEET);
  ws.columns = WIDTHS.map((width) => ({ width }));
  topRows(ws, v, v.title, REPORT_COLUMNS);
  for (const r of v.rows) {
    const t = r.takeover;
    const row = ws.addRow([
      r.seq,
      r.community,
      r.compound,
      r.category ?? '',
      t?.company ?? '',
      t?.nature ?? '',
      t?.startDate ?? '',
      t ? t.services.join('、') : '',
      t?.manager ?? '',
      // Phones are text so that Excel keeps them whole (no 1.39E+10, no lost leading 0).
      t?.phone ?? '',
      t ? (t.remarks ?? '') : NOT_TAKEN_OVER,
    ]);
    row.getCell(10).numFmt = '@';
    row.getCell(7).numFmt = '@';
    styleBody(row, REPORT_COLUMNS.length, [1, 4, 6, 7, 10]);
  }
  if (v.footnote) paragraph(ws, v.footnote, REPORT_COLUMNS.length);
  if (v.note) paragraph(ws, v.note, REPORT_COLUMNS.length, 9);
  printSetup(ws, 3);
}

function actionsSheet(wb: ExcelJS.Workbook, v: ReportView): void {
  const ws = wb.addWorksheet(ACTIONS_SHEET);
  const columns = ['序号', '社区名称', '小区名称', ...v.actionNames, '完成情况'];
  ws.columns = [6, 14, 24, ...v.actionNames.map(() => 12), 16].map((width) => ({ width }));
  topRows(ws, v, '住宅小区物业管理提升任务攻坚行动进展情况', columns);
  for (const a of v.actions) {
    const states = v.actionNames.map((n) => a.actions[n] ?? '未开始');
    const done = states.filter((s) => s === '已完成').length;
    const row = ws.addRow([a.seq, a.community, a.compound, ...states, done === states.length ? '全部完成' : `完成${done}/${states.length}项`]);
    styleBody(row, columns.length, [1, ...v.actionNames.map((_, i) => i + 4), columns.length]);
  }
  if (v.note) paragraph(ws, v.note, columns.length, 9);
  printSetup(ws, 3);
}

/** The 调度表 workbook (附件5 layout, plus the 攻坚行动 sheet), print-ready on A4 landscape. Pure: view in, bytes out. */
export async function buildReportWorkbook(v: ReportView): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = v.street;
  wb.created = new Date(v.asOf);
  wb.modified = new Date(v.asOf);
  reportSheet(wb, v);
  actionsSheet(wb, v);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
