import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliIo, runCli } from '../../src/cli.ts';
import { tempDir } from '../support/wait.ts';

/** Issue 12 item 10: `report --out` and `backup` never replace the live database, an existing file, or write through a link. */

let dir: string | null = null;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = null;
});

function io(dbPath: string) {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIo = {
    env: { DB_PATH: dbPath, BOT_NOW: '2020-09-28T09:00:00+08:00', LOG_LEVEL: 'silent' },
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
  };
  return { cli, stdout: () => out.join(''), stderr: () => err.join('') };
}

async function database(): Promise<string> {
  dir = tempDir('bot-cli-out-');
  const dbPath = path.join(dir, 'bot.db');
  const first = io(dbPath);
  // The first report migrates the new database and imports the notice, as it does on a fresh machine.
  expect(await runCli(['report', '--out', path.join(dir, 'first.xlsx')], first.cli)).toBe(0);
  return dbPath;
}

const digest = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
function compounds(dbPath: string): { integrity: unknown; n: number } {
  const db = new SQLite(dbPath, { readonly: true });
  try {
    return { integrity: db.pragma('integrity_check', { simple: true }), n: (db.prepare('SELECT count(*) AS n FROM compounds').get() as { n: number }).n };
  } finally {
    db.close();
  }
}

describe('coverage-bot report --out', () => {
  it('refuses to write over the live database, under its own name, a journal name, a hard link or with --force', async () => {
    const dbPath = await database();
    const before = digest(dbPath);
    fs.linkSync(dbPath, path.join(dir!, 'alias.db'));
    fs.mkdirSync(path.join(dir!, 'real'));
    fs.symlinkSync(dir!, path.join(dir!, 'real', 'up'));
    const targets = [
      [dbPath],
      [dbPath, '--force'],
      [`${dbPath}-wal`, '--force'],
      [path.join(dir!, 'alias.db'), '--force'],
      // The same file reached through a symlinked folder.
      [path.join(dir!, 'real', 'up', 'bot.db'), '--force'],
      [path.relative(process.cwd(), dbPath)],
    ];
    for (const [out, ...flags] of targets) {
      const r = io(dbPath);
      const code = await runCli(['report', '--due', '2020-10-01', '--out', out!, ...flags], r.cli);
      expect(code, out).toBe(1);
      expect(r.stderr()).toContain('report refused');
      expect(r.stderr()).toContain("is the bot's database file");
      expect(r.stdout()).toBe('');
    }
    expect(digest(dbPath)).toBe(before);
    expect(compounds(dbPath)).toEqual({ integrity: 'ok', n: 41 });
  });

  it('refuses to overwrite an existing file without --force, and replaces it whole with --force', async () => {
    const dbPath = await database();
    const out = path.join(dir!, 'existing.xlsx');
    fs.writeFileSync(out, 'keep me');
    const refused = io(dbPath);
    expect(await runCli(['report', '--out', out], refused.cli)).toBe(1);
    expect(refused.stderr()).toContain('already exists; add --force to overwrite it');
    expect(fs.readFileSync(out, 'utf8')).toBe('keep me');

    const forced = io(dbPath);
    expect(await runCli(['report', '--out', out, '--force'], forced.cli)).toBe(0);
    expect(fs.readFileSync(out).subarray(0, 2).toString()).toBe('PK');
    expect(forced.stdout()).toContain('41 compounds');
    expect(fs.readdirSync(dir!).filter((f) => f.includes('.partial-'))).toEqual([]);
  });

  it('refuses to write through a symbolic link, even with --force, and leaves the link and its target alone', async () => {
    const dbPath = await database();
    const victim = path.join(dir!, 'victim.txt');
    fs.writeFileSync(victim, 'not a workbook');
    const link = path.join(dir!, 'report.xlsx');
    fs.symlinkSync(victim, link);
    const dangling = path.join(dir!, 'dangling.xlsx');
    fs.symlinkSync(path.join(dir!, 'nowhere', 'x.xlsx'), dangling);
    const toDb = path.join(dir!, 'db-link.xlsx');
    fs.symlinkSync(dbPath, toDb);
    for (const [target, flags] of [[link, []], [link, ['--force']], [dangling, ['--force']], [toDb, ['--force']]] as const) {
      const r = io(dbPath);
      expect(await runCli(['report', '--out', target, ...flags], r.cli)).toBe(1);
      expect(r.stderr()).toContain('is a symbolic link');
      expect(fs.lstatSync(target).isSymbolicLink()).toBe(true);
    }
    expect(fs.readFileSync(victim, 'utf8')).toBe('not a workbook');
    expect(fs.existsSync(path.join(dir!, 'nowhere'))).toBe(false);
    expect(compounds(dbPath)).toEqual({ integrity: 'ok', n: 41 });
  });

  it('refuses an impossible or out-of-campaign due date with exit code 2, writing nothing', async () => {
    const dbPath = await database();
    for (const [due, says] of [['2020-02-30', 'not a real date'], ['9999-12-31', 'outside the campaign (2020-09-10 to 2020-12-20)'], ['2019-10-01', 'outside the campaign']]) {
      const out = path.join(dir!, `due-${due}.xlsx`);
      const r = io(dbPath);
      expect(await runCli(['report', '--due', due!, '--out', out], r.cli)).toBe(2);
      expect(r.stderr()).toContain(says);
      expect(fs.existsSync(out)).toBe(false);
    }
    const r = io(dbPath);
    expect(await runCli(['report', '--due', '2020-10-01', '--out', path.join(dir!, 'a.xlsx'), '--out', path.join(dir!, 'b.xlsx')], r.cli)).toBe(2);
    expect(r.stderr()).toContain('usage');
  });
});

describe('coverage-bot backup', () => {
  it('refuses a symbolic link and the database itself under another name, like report', async () => {
    const dbPath = await database();
    const victim = path.join(dir!, 'victim.txt');
    fs.writeFileSync(victim, 'keep');
    fs.symlinkSync(victim, path.join(dir!, 'copy.db'));
    fs.linkSync(dbPath, path.join(dir!, 'hard.db'));
    for (const [target, says] of [['copy.db', 'is a symbolic link'], ['hard.db', "is the bot's database file"], ['bot.db-shm', "is the bot's database file"]] as const) {
      const r = io(dbPath);
      expect(await runCli(['backup', path.join(dir!, target), '--force'], r.cli)).toBe(1);
      expect(r.stderr()).toContain(`backup refused`);
      expect(r.stderr()).toContain(says);
    }
    expect(fs.readFileSync(victim, 'utf8')).toBe('keep');
    expect(compounds(dbPath)).toEqual({ integrity: 'ok', n: 41 });
  });
});
