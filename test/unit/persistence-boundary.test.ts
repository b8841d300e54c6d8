import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * SQL lives in src/db/ (storage: inbox, outbox, ledger, bot messages, the engine adapter) and src/domain/ (domain
 * queries) only. Everything else (commands, cards, the bot kernel, jobs, HTTP, runtime) calls their functions, so
 * a second database engine changes those two folders and nothing else. No exceptions are allowed.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const SCANNED = ['src', 'commands', 'cards'];
const ALLOWED = ['src/db/', 'src/domain/'];

/** What SQL looks like in this code base: Kysely's builders and raw SQL, transactions, engine specifics. */
const SQL_PATTERNS: { name: string; re: RegExp }[] = [
  { name: 'query builder', re: /\.(selectFrom|insertInto|replaceInto|updateTable|deleteFrom|mergeInto|selectNoFrom)\(/ },
  { name: 'query execution', re: /\.executeTakeFirst(OrThrow)?\(/ },
  { name: 'raw sql', re: /\bsql(\.raw|\.ref|\.lit|\.id|\.join)?`|\bsql\.(raw|ref|lit|id|join)\(/ },
  { name: 'transaction or connection', re: /\.(transaction|startTransaction|connection)\(\)/ },
  { name: 'schema change', re: /\.schema\.(create|alter|drop)/ },
  { name: 'prepared statement', re: /\.prepare\(\s*[`'"]/ },
  { name: 'pragma', re: /\.pragma\(|\bPRAGMA\b/ },
  { name: 'database driver or Kysely import', re: /from\s+['"](kysely|better-sqlite3|pg)['"]/ },
];

/** Comments may talk about SQL; only code counts. */
function stripComments(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, (block) => block.replace(/[^\n]/g, ' '))
    .split('\n')
    .map((line) => (line.trimStart().startsWith('//') ? '' : line.replace(/\s\/\/\s.*$/, '')))
    .join('\n');
}

function findSql(source: string): { line: number; pattern: string; text: string }[] {
  const hits: { line: number; pattern: string; text: string }[] = [];
  stripComments(source).split('\n').forEach((text, i) => {
    for (const p of SQL_PATTERNS) if (p.re.test(text)) hits.push({ line: i + 1, pattern: p.name, text: text.trim().slice(0, 120) });
  });
  return hits;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|mts|js|mjs)$/.test(e.name))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}

describe('persistence boundary', () => {
  it('recognises each kind of SQL it forbids, and ignores SQL words in comments', () => {
    const samples = [
      "const r = await db.selectFrom('inbox_events').selectAll().execute();",
      "await trx.insertInto('outbox_messages').values(v).execute();",
      "await ctx.db.updateTable('reminder_ledger').set({ detail }).where('reminder_key', 'like', k)",
      "await db.deleteFrom('phases').where('campaign_id', '=', id).execute();",
      "const row = await q.executeTakeFirst();",
      'await sql`select 1`.execute(db);',
      'await db.transaction().execute(async (trx) => {',
      'return db.connection().execute(async (conn) => {',
      "database.sqlite.pragma('busy_timeout = 200');",
      "const stmt = sqlite.prepare('SELECT count(*) FROM takeovers');",
      "import { sql } from 'kysely';",
      "import SQLite from 'better-sqlite3';",
      'await db.schema.createTable(\'x\').execute();',
    ];
    for (const s of samples) expect(findSql(s), s).not.toEqual([]);
    const innocent = [
      '// the inbox commit runs with PRAGMA synchronous = FULL (see db.transaction())',
      '/** selectFrom is only used in src/db */',
      "await ctx.transaction(`advice:${id}`, (tx) => settle(tx.db));",
      'const prepared = await job.prepare(ctx, slot);',
      "const url = 'https://open.feishu.cn/open-apis';",
    ];
    for (const s of innocent) expect(findSql(s), s).toEqual([]);
  });

  it('finds no SQL outside src/db/ and src/domain/', () => {
    const files = SCANNED.flatMap(sourceFiles);
    const outside = files.filter((f) => !ALLOWED.some((a) => f.startsWith(a)));
    // The scan must actually cover the code base, not an empty folder.
    expect(outside.length).toBeGreaterThan(100);
    const violations = outside.flatMap((f) => findSql(fs.readFileSync(path.join(ROOT, f), 'utf8')).map((h) => `${f}:${h.line} (${h.pattern}): ${h.text}`));
    expect(violations).toEqual([]);
  });
});
