import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { checkOutputFile, OutputRefused } from '../fs/output-file.ts';
import { BackupRefused, type BackupResult } from './backup.ts';

const run = promisify(execFile);

/** The connection URL without its password, safe to print and to pass on a command line (`ps` shows it). */
export function withoutPassword(databaseUrl: string): { url: string; password: string | null } {
  try {
    const u = new URL(databaseUrl);
    const password = u.password ? decodeURIComponent(u.password) : null;
    u.password = '';
    return { url: u.toString(), password };
  } catch {
    return { url: 'postgres://…', password: null };
  }
}

/** What `backup` says on PostgreSQL when pg_dump is not installed: the SQLite copy does not apply there. */
export function pgDumpAdvice(databaseUrl: string, target: string): string {
  const { url } = withoutPassword(databaseUrl);
  return [
    'DATABASE_URL points to PostgreSQL: back it up with pg_dump (not found on PATH; Debian: apt-get install postgresql-client), for example',
    `  PGPASSWORD=… pg_dump --format=custom --file ${JSON.stringify(target)} ${JSON.stringify(url)}`,
    'and restore with pg_restore --clean --dbname <url> <file>.',
  ].join('\n');
}

/** Where an executable is on PATH, or null. */
export function findOnPath(name: string, envPath = process.env.PATH ?? ''): string | null {
  for (const dir of envPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * A consistent copy of a PostgreSQL database (pg_dump reads one snapshot while writers go on), in pg_dump's
 * custom format, written next to the target and renamed at the end. Without pg_dump on PATH it refuses with
 * the command to run instead.
 */
export async function pgDumpBackup(
  databaseUrl: string,
  target: string,
  opts: { force?: boolean; pgDump?: string | null } = {},
): Promise<BackupResult> {
  const pgDump = opts.pgDump === undefined ? findOnPath('pg_dump') : opts.pgDump;
  if (!pgDump) throw new BackupRefused(pgDumpAdvice(databaseUrl, target));
  let dest: string;
  try {
    dest = checkOutputFile(target, { force: opts.force });
  } catch (err) {
    throw err instanceof OutputRefused ? new BackupRefused(err.message) : err;
  }
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  const partial = `${dest}.partial-${process.pid}`;
  const { url, password } = withoutPassword(databaseUrl);
  try {
    await run(pgDump, ['--format=custom', '--file', partial, '--dbname', url], {
      env: { ...process.env, ...(password !== null ? { PGPASSWORD: password } : {}) },
      maxBuffer: 1024 * 1024,
    });
    fs.renameSync(partial, dest);
    return { file: dest, pages: null, bytes: fs.statSync(dest).size };
  } catch (err) {
    const stderr = String((err as { stderr?: unknown }).stderr ?? (err as Error).message).trim().slice(0, 500);
    throw new Error(`pg_dump failed: ${stderr}`);
  } finally {
    fs.rmSync(partial, { force: true });
  }
}
