import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { migrations } from '../../migrations/index.ts';
import { BackupRefused } from '../../src/db/backup.ts';
import { backupConfiguredDatabase, dialectOf } from '../../src/db/configured-backup.ts';
import { pgDumpAdvice, withoutPassword } from '../../src/db/pg-dump.ts';
import { tempDir } from '../support/wait.ts';

let dir: string | null = null;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = null;
});

const URL_WITH_SECRET = 'postgres://bot:s3cr%40t@10.0.0.7:5432/coverage';

describe('backup by database engine', () => {
  it('on PostgreSQL without pg_dump, says how to run pg_dump, without the password, and writes nothing', async () => {
    dir = tempDir('bot-pgbackup-');
    const target = path.join(dir, 'coverage.dump');
    expect(dialectOf({ dbPath: './data/coverage.db', databaseUrl: URL_WITH_SECRET })).toBe('postgres');
    const advice = pgDumpAdvice(URL_WITH_SECRET, target);
    expect(advice).toContain('pg_dump --format=custom');
    expect(advice).toContain(target);
    expect(advice).toContain('postgres://bot@10.0.0.7:5432/coverage');
    expect(advice).not.toContain('s3cr');
    const refused = backupConfiguredDatabase({ dbPath: 'unused.db', databaseUrl: URL_WITH_SECRET }, target, { pgDump: null });
    await expect(refused).rejects.toBeInstanceOf(BackupRefused);
    await expect(refused).rejects.toThrow(advice);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('on PostgreSQL with pg_dump, runs it with the password in PGPASSWORD (not on its command line) and keeps the file', async () => {
    dir = tempDir('bot-pgbackup-');
    // A stand-in pg_dump: records how it was called and writes its --file, as the real one does.
    const fakePgDump = path.join(dir, 'pg_dump');
    const calls = path.join(dir, 'calls.txt');
    fs.writeFileSync(fakePgDump, `#!/bin/sh\nprintf '%s\\n' "$*" "PGPASSWORD=$PGPASSWORD" > "${calls}"\nwhile [ "$1" != "--file" ]; do shift; done\nprintf 'PGDMP' > "$2"\n`, { mode: 0o755 });
    const target = path.join(dir, 'out', 'coverage.dump');
    const r = await backupConfiguredDatabase({ dbPath: 'unused.db', databaseUrl: URL_WITH_SECRET }, target, { pgDump: fakePgDump });
    expect(r).toMatchObject({ dialect: 'postgres', source: 'postgres://bot@10.0.0.7:5432/coverage', file: target, pages: null, bytes: 5 });
    expect(fs.readFileSync(target, 'utf8')).toBe('PGDMP');
    const [args, password] = fs.readFileSync(calls, 'utf8').trim().split('\n');
    expect(args).toMatch(/^--format=custom --file \S+\.partial-\d+ --dbname postgres:\/\/bot@10\.0\.0\.7:5432\/coverage$/);
    expect(password).toBe('PGPASSWORD=s3cr@t');
    expect(fs.readdirSync(path.dirname(target))).toEqual(['coverage.dump']);
    // An existing file is kept unless --force.
    await expect(backupConfiguredDatabase({ dbPath: 'unused.db', databaseUrl: URL_WITH_SECRET }, target, { pgDump: fakePgDump })).rejects.toBeInstanceOf(BackupRefused);
  });

  it('on SQLite, copies the file through the online backup API', async () => {
    dir = tempDir('bot-sqlitebackup-');
    const dbPath = path.join(dir, 'bot.db');
    const { db, close } = openDatabase(dbPath);
    await migrateToLatest(db, migrations);
    await close();
    expect(dialectOf({ dbPath })).toBe('sqlite');
    const r = await backupConfiguredDatabase({ dbPath }, path.join(dir, 'copy.db'));
    expect(r.dialect).toBe('sqlite');
    expect(r.source).toBe(dbPath);
    expect(r.pages).toBeGreaterThan(0);
    const copy = new SQLite(r.file, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    copy.close();
    await expect(backupConfiguredDatabase({ dbPath: path.join(dir, 'missing.db') }, path.join(dir, 'x.db'))).rejects.toBeInstanceOf(BackupRefused);
  });

  it('keeps a URL it cannot parse out of messages altogether', () => {
    expect(withoutPassword('not a url :: secret')).toEqual({ url: 'postgres://…', password: null });
  });
});
