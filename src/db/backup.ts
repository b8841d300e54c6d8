import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { checkOutputFile, OutputRefused } from '../fs/output-file.ts';

export class BackupRefused extends OutputRefused {}

export interface BackupResult {
  file: string;
  /** SQLite pages copied; null for a pg_dump archive. */
  pages: number | null;
  bytes: number;
}

/**
 * A consistent copy of a live SQLite database through SQLite's online backup API: writers keep going while it
 * runs, and the copy is one committed state. The copy is checked with `PRAGMA integrity_check` before it is kept.
 */
export async function backupDatabase(source: string, target: string, opts: { force?: boolean } = {}): Promise<BackupResult> {
  if (source === ':memory:' || !fs.existsSync(source)) throw new BackupRefused(`database not found: ${source}`);
  let dest: string;
  try {
    dest = checkOutputFile(target, { force: opts.force, protect: [source] });
  } catch (err) {
    throw err instanceof OutputRefused ? new BackupRefused(err.message) : err;
  }
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  // Write next to the target and rename at the end, so a failed backup never leaves a half-written file behind.
  const partial = `${dest}.partial-${process.pid}`;
  const db = new SQLite(source, { timeout: 5000, fileMustExist: true });
  try {
    // Copy every remaining page in one step: a writer on another connection cannot restart the copy midway.
    const meta = await db.backup(partial, { progress: () => 0x7fffffff });
    const copy = new SQLite(partial, { fileMustExist: true });
    try {
      const check = copy.pragma('integrity_check', { simple: true });
      if (check !== 'ok') throw new Error(`the copy failed its integrity check: ${String(check)}`);
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    fs.renameSync(partial, dest);
    return { file: dest, pages: meta.totalPages, bytes: fs.statSync(dest).size };
  } finally {
    db.close();
    for (const f of [partial, `${partial}-wal`, `${partial}-shm`, `${partial}-journal`]) fs.rmSync(f, { force: true });
  }
}
