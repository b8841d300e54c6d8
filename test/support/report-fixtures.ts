import ExcelJS from 'exceljs';
import type { Db } from '../../src/db/connect.ts';

export async function compoundId(db: Db, name: string): Promise<number> {
  const row = await db.selectFrom('compounds').select('id').where('name', '=', name).executeTakeFirstOrThrow();
  return row.id;
}

export interface TakeoverFields {
  company?: string | null;
  nature?: '自主' | '外聘';
  startDate: string;
  services?: string[];
  manager?: string | null;
  phone?: string | null;
  remarks?: string | null;
}

/**
 * Records a takeover straight into the database, the way the takeover command keeps history: the row in force
 * (if any) is stamped superseded at the same instant.
 */
export async function recordTakeover(db: Db, compound: string, f: TakeoverFields, at: Date): Promise<number> {
  const id = await compoundId(db, compound);
  const iso = at.toISOString();
  await db.updateTable('takeovers').set({ superseded_at: iso }).where('compound_id', '=', id).where('superseded_at', 'is', null).execute();
  const row = await db
    .insertInto('takeovers')
    .values({
      compound_id: id, company: f.company ?? null, nature: f.nature ?? '外聘', start_date: f.startDate,
      services: JSON.stringify(f.services ?? []), manager: f.manager ?? null, phone: f.phone ?? null, remarks: f.remarks ?? null,
      recorded_at: iso, recorded_by: 'ou_test_recorder', source_kind: 'message', source_ref: null, source_chat: null, superseded_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function setAction(db: Db, compound: string, action: string, state: string, at: Date): Promise<void> {
  const id = await compoundId(db, compound);
  await db
    .insertInto('upgrade_actions')
    .values({ compound_id: id, action, state, note: null, updated_at: at.toISOString(), updated_by: 'ou_test_recorder', source_kind: 'message', source_ref: null })
    .onConflict((oc) => oc.columns(['compound_id', 'action']).doUpdateSet({ state, updated_at: at.toISOString() }))
    .execute();
}

/** Every row of a sheet as an array of cell texts (column A first); empty cells are ''. */
export async function readSheets(data: Buffer): Promise<{ workbook: ExcelJS.Workbook; rows: (name: string) => string[][] }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(data as unknown as ArrayBuffer);
  const rows = (name: string) => {
    const ws = workbook.getWorksheet(name);
    if (!ws) throw new Error(`no sheet ${name}`);
    const out: string[][] = [];
    for (let r = 1; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      const cells: string[] = [];
      for (let c = 1; c <= ws.columnCount; c++) {
        const v = row.getCell(c).value;
        cells.push(v === null || v === undefined ? '' : String(v));
      }
      out.push(cells);
    }
    return out;
  };
  return { workbook, rows };
}
