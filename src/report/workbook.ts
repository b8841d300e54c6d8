import { PassThrough } from 'node:stream';
import type * as ExcelJS from 'exceljs';
import type { ReportView } from './view.ts';
import { type AfterCoverageSheets, afterCoverageSheets } from './after-sheets.ts';

/** The eleven columns of 附件5, in order. */
export const REPORT_COLUMNS = [
  '序号', '社区名称', '小区名称', '类别', '入驻物业管理企业名称', '物业管理性质（自主或外聘物业公司）',
  '入驻时间', '服务内容', '物业负责人', '联系电话', '备注',
] as const;

const WIDTHS = [6, 14, 24, 6, 28, 16, 12, 24, 11, 15, 16];
export const NOT_TAKEN_OVER = '未入驻';
/** A 附件3 compound already has a property company; with none recorded yet its row says the data is missing. */
export const NOT_ENTERED = '物业信息未录入';
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

const HEADER_ROW = 3;

/** A4 landscape, fit to one page wide, the header row repeated on every page and frozen on screen. */
export function sheetOptions(): Partial<ExcelJS.AddWorksheetOptions> {
  return {
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}`,
      margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    },
    views: [{ state: 'frozen', xSplit: 0, ySplit: HEADER_ROW, topLeftCell: `A${HEADER_ROW + 1}`, activeCell: `A${HEADER_ROW + 1}` }],
  };
}

/**
 * Body cells take their style from the column (set once), not cell by cell, and rows are streamed out as they
 * are written: a city-sized table (10,000 rows) stays fast and small in memory. Cells outside the table reset
 * the column style with `plain`.
 */
export function columnStyles(ws: ExcelJS.Worksheet, widths: number[], centered: number[], text: number[] = []): Partial<ExcelJS.Style>[] {
  const styles: Partial<ExcelJS.Style>[] = widths.map((_, i) => ({
    font,
    border: thin,
    alignment: { vertical: 'middle', wrapText: true, horizontal: centered.includes(i + 1) ? 'center' : 'left' },
    ...(text.includes(i + 1) ? { numFmt: '@' } : {}),
  }));
  ws.columns = widths.map((width, i) => ({ width, style: styles[i] }));
  return styles;
}

/**
 * Writes a body row whose cells share their column's style object. exceljs gives every cell a fresh copy of the
 * column style and then works out each copy's style id again (rendering its font, border, …); the same object
 * is recognised at once, which makes a 100,000-row table several times faster with the same look.
 */
export function bodyRow(ws: ExcelJS.Worksheet, r: number, values: ExcelJS.CellValue[], styles: Partial<ExcelJS.Style>[]): void {
  const row = ws.getRow(r);
  row.values = values;
  for (let i = 0; i < styles.length; i++) row.getCell(i + 1).style = styles[i]!;
  row.commit();
}

function plain(row: ExcelJS.Row, columns: number, size: number, alignment: Partial<ExcelJS.Alignment>): void {
  for (let i = 1; i <= columns; i++) row.getCell(i).style = { font: { ...font, size }, alignment, border: {} };
}

/** Title row, street line (with the report date on the right), then the header row. */
export function topRows(ws: ExcelJS.Worksheet, v: ReportView, title: string, columns: readonly string[]): void {
  const last = columns.length;
  const r1 = ws.getRow(1);
  plain(r1, last, 18, { horizontal: 'center', vertical: 'middle' });
  r1.getCell(1).value = title;
  r1.getCell(1).font = { ...font, size: 18, bold: true };
  r1.height = 32;
  ws.mergeCells(1, 1, 1, last);
  r1.commit();

  const half = Math.max(2, Math.floor(last / 2));
  const r2 = ws.getRow(2);
  plain(r2, last, 12, { horizontal: 'left', vertical: 'middle' });
  r2.getCell(1).value = `街道办事处：${v.street}`;
  const d = r2.getCell(half + 1);
  d.value = v.basis === 'live' ? `报送日期：${v.due}（当前数据，截至${v.asOfDate}）` : `报送日期：${v.due}`;
  d.alignment = { horizontal: 'right', vertical: 'middle' };
  r2.height = 22;
  ws.mergeCells(2, 1, 2, half);
  ws.mergeCells(2, half + 1, 2, last);
  r2.commit();

  const h = ws.getRow(HEADER_ROW);
  columns.forEach((name, i) => {
    const c = h.getCell(i + 1);
    c.value = name;
    c.style = { font: { ...font, bold: true }, alignment: { horizontal: 'center', vertical: 'middle', wrapText: true }, border: thin, fill: headerFill };
  });
  h.height = 36;
  h.commit();
}

/** A merged, wrapped paragraph under a table (the notice's 注, a caveat). */
export function paragraph(ws: ExcelJS.Worksheet, r: number, text: string, columns: number, size = 10): void {
  const row = ws.getRow(r);
  plain(row, columns, size, { wrapText: true, vertical: 'top', horizontal: 'left' });
  row.getCell(1).value = text;
  // Merged cells do not grow by themselves: about 90 characters fit on a line across the page.
  row.height = Math.max(18, Math.ceil(text.length / 90) * 15 + 6);
  ws.mergeCells(r, 1, r, columns);
  row.commit();
}

function reportSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, v: ReportView): void {
  const ws = wb.addWorksheet(REPORT_SHEET, sheetOptions());
  const styles = columnStyles(ws, WIDTHS, [1, 4, 6, 7, 10], [7, 10]);
  topRows(ws, v, v.title, REPORT_COLUMNS);
  let r = HEADER_ROW;
  for (const row of v.rows) {
    const t = row.takeover;
    bodyRow(ws, ++r, [
      row.seq,
      row.community,
      row.compound,
      row.category ?? '',
      t?.company ?? '',
      t?.nature ?? '',
      t?.startDate ?? '',
      t ? t.services.join('、') : '',
      t?.manager ?? '',
      // Phones are text so that Excel keeps them whole (no 1.39E+10, no lost leading 0).
      t?.phone ?? '',
      t ? (t.remarks ?? '') : row.track === 'coverage' ? NOT_TAKEN_OVER : NOT_ENTERED,
    ], styles);
  }
  if (v.footnote) paragraph(ws, ++r, v.footnote, REPORT_COLUMNS.length);
  if (v.note) paragraph(ws, ++r, v.note, REPORT_COLUMNS.length, 9);
  ws.commit();
}

function actionsSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, v: ReportView): void {
  const ws = wb.addWorksheet(ACTIONS_SHEET, sheetOptions());
  const columns = ['序号', '社区名称', '小区名称', ...v.actionNames, '完成情况'];
  const styles = columnStyles(ws, [6, 14, 24, ...v.actionNames.map(() => 12), 16], [1, ...v.actionNames.map((_, i) => i + 4), columns.length]);
  topRows(ws, v, '住宅小区物业管理提升任务攻坚行动进展情况', columns);
  let r = HEADER_ROW;
  for (const a of v.actions) {
    const states = v.actionNames.map((n) => a.actions[n] ?? '未开始');
    const done = states.filter((s) => s === '已完成').length;
    bodyRow(ws, ++r, [a.seq, a.community, a.compound, ...states, done === states.length ? '全部完成' : `完成${done}/${states.length}项`], styles);
  }
  if (v.note) paragraph(ws, ++r, v.note, columns.length, 9);
  ws.commit();
}

/**
 * The 调度表 workbook (附件5 layout, plus the 攻坚行动 sheet, and the after-coverage sheets when given),
 * print-ready on A4 landscape. Pure: view in, bytes out.
 */
export async function buildReportWorkbook(v: ReportView, after?: AfterCoverageSheets): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  // Loaded on first use: the library is large and most of the bot's life needs no workbook.
  const excel = (await import('exceljs')).default;
  // Fast compression: at city scale it roughly halves the time for a slightly larger file.
  const wb = new excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: true, zip: { zlib: { level: 1 } } } as Partial<ExcelJS.stream.xlsx.WorkbookStreamWriterOptions>);
  wb.creator = v.street;
  wb.created = new Date(v.asOf);
  wb.modified = new Date(v.asOf);
  reportSheet(wb, v);
  actionsSheet(wb, v);
  if (after) afterCoverageSheets(wb, v, after);
  await wb.commit();
  await done;
  return Buffer.concat(chunks);
}
