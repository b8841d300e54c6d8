import { execSync } from 'node:child_process';
import fs from 'node:fs';
import SQLite from 'better-sqlite3';
import os from 'node:os';
import path from 'node:path';
import { FakeLarkApi } from '../test/support/fake-lark.ts';
import { ADMIN } from '../test/support/harness.ts';
import { APP_ID, ENCRYPT_KEY, VERIFICATION_TOKEN } from '../test/support/lark-events.ts';
import { ROOT, ServerProcess } from './processes.ts';
import { type Figure, benchCommands, benchEndToEnd, benchWebhook } from './steps.ts';
import { benchReportWorkbook } from './report-step.ts';
import { CITY, CITY_X10, type CitySize, buildCityDatabase } from './city.ts';
import { benchReminderBurst } from './burst.ts';
import { copyCityToPostgres, startBenchPostgres } from './postgres.ts';
import { openPostgresDatabase } from '../src/db/postgres.ts';

/**
 * `npm run bench` (`-- --quick` skips city ×10): the figures of issue 18, each against its target and beside a
 * baseline measured in the same run on this machine. The bot runs as its own process (the compiled build, as
 * `npm start` runs it, Lark mode, default log level) against a fake Open API; the city steps run the real runtime
 * in this process on generated SQLite files.
 */
const QUICK = process.argv.includes('--quick');
const WEBHOOK_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const E2E_SECONDS = 10;
const API_TOKEN = 'bench-api-token-0123456789abcdef';
/** The built file `npm start` runs (read from package.json before any bot starts). */
let BOT_ENTRY = 'dist/coverage-bot.mjs';

/** Waits until the bot has processed every stored event (read from its database file). */
async function waitForBacklog(dbFile: string): Promise<{ seconds: number; events: number }> {
  const started = performance.now();
  const db = new SQLite(dbFile, { readonly: true, timeout: 5000 });
  try {
    const total = (db.prepare('SELECT COUNT(*) AS n FROM inbox_events').get() as { n: number }).n;
    for (;;) {
      const left = (db.prepare("SELECT COUNT(*) AS n FROM inbox_events WHERE status IN ('new', 'processing')").get() as { n: number }).n;
      if (left === 0 || performance.now() - started > 120_000) return { seconds: (performance.now() - started) / 1000, events: total };
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    db.close();
  }
}

const rss = (p: ServerProcess) => p.memory();
const mbText = (m: { rssMb: number; peakMb: number } | null) => (m ? `${m.rssMb.toFixed(0)} MB (peak ${m.peakMb.toFixed(0)} MB)` : 'unknown');

/** The bot process on a city database: RSS idle, then after GET /api/v1/report.xlsx (the whole 调度表). */
async function cityProcessMemory(dir: string, dbFile: string, label: string, fakeUrl: string, nodeArgs: string[], baselineRss: string): Promise<{ lines: string[]; figures: Figure[] }> {
  const bot = await ServerProcess.start(
    BOT_ENTRY,
    {
      LARK_APP_ID: APP_ID, LARK_APP_SECRET: 'bench-app-secret', LARK_ENCRYPT_KEY: ENCRYPT_KEY, LARK_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
      LARK_DOMAIN: fakeUrl, DB_PATH: dbFile, DATABASE_URL: '', ADMIN_OPEN_IDS: ADMIN, LOG_LEVEL: 'info', BOT_NOW: '2020-09-28T09:00:00+08:00', API_TOKEN,
    },
    path.join(dir, `${label}-bot.log`),
    '/healthz',
    nodeArgs,
  );
  try {
    await new Promise((r) => setTimeout(r, 1000));
    const idle = rss(bot);
    const t = performance.now();
    const res = await fetch(`${bot.base}/api/v1/report.xlsx`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
    const bytes = (await res.arrayBuffer()).byteLength;
    const seconds = (performance.now() - t) / 1000;
    const after = rss(bot);
    return {
      lines: [`bot on ${label}:`.padEnd(20) + `RSS idle ${mbText(idle)}; GET report.xlsx ${res.status} ${(bytes / 1024).toFixed(0)} KB in ${seconds.toFixed(2)} s; RSS after ${mbText(after)}`],
      figures: [{ name: `bot RSS after 调度表 (${label})`, value: mbText(after), target: 'printed', met: null, baseline: baselineRss }],
    };
  } finally {
    await bot.stop();
  }
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverage-bench-'));
  const lines: string[] = [];
  const figures: Figure[] = [];
  const say = (l: string) => {
    lines.push(l);
    process.stdout.write(`${l}\n`);
  };
  say(`coverage-bot benchmark — ${new Date().toISOString()} — node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}${QUICK ? ' — quick (no city ×10)' : ''}`);
  say('Absolute numbers are noisy on a shared machine; ratios and baselines are measured in the same run.');

  const fake = await new FakeLarkApi().start();
  const baseline = await ServerProcess.start('bench/baseline-server.ts', {}, path.join(dir, 'baseline.log'));
  // The bot runs as `npm start` runs it: the compiled build, with the same node flags.
  execSync('npm run --silent build', { cwd: ROOT, stdio: 'inherit' });
  const startScript = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start!;
  // As `npm start` runs the bot: its environment assignments (MALLOC_ARENA_MAX) and node flags.
  const start = /((?:[A-Z_]+=\S+\s+)*)node ((?:--\S+\s+)*)(dist\/\S+)/.exec(startScript);
  if (!start) throw new Error(`cannot read how npm start runs the bot: ${startScript}`);
  const nodeArgs = start[2]!.trim().split(/\s+/).filter(Boolean);
  BOT_ENTRY = start[3]!;
  const startEnv = Object.fromEntries((start[1]?.trim().split(/\s+/).filter(Boolean) ?? []).map((a) => a.split('=') as [string, string]));
  // Every bot process started from here on (they inherit this environment) runs as `npm start` runs it.
  Object.assign(process.env, startEnv);
  const bot = await ServerProcess.start(
    BOT_ENTRY,
    {
      LARK_APP_ID: APP_ID, LARK_APP_SECRET: 'bench-app-secret', LARK_ENCRYPT_KEY: ENCRYPT_KEY, LARK_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
      LARK_DOMAIN: fake.url, DB_PATH: path.join(dir, 'bot.db'), DATABASE_URL: '', ADMIN_OPEN_IDS: ADMIN, LOG_LEVEL: 'info', BOT_NOW: '', API_TOKEN: '',
    },
    path.join(dir, 'bot.log'),
    '/healthz',
    nodeArgs,
  );
  const baselineRss = `bare Koa ${mbText(rss(baseline))}`;
  try {
    await new Promise((r) => setTimeout(r, 1000));
    const idle = rss(bot);
    say(`bot process idle:   RSS ${mbText(idle)}; bare Koa process ${mbText(rss(baseline))}`);
    figures.push({ name: 'bot RSS idle', value: mbText(idle), target: '< 120 MB', met: idle ? idle.rssMb < 120 : null, baseline: baselineRss });

    say(`\n[1/6] webhook: ${WEBHOOK_SECONDS} s of signed, encrypted events (a new event id each) per target, 20 connections`);
    const w = await benchWebhook(bot.base, baseline.base, WEBHOOK_SECONDS);
    w.lines.forEach(say);
    figures.push(...w.figures);
    // The inbox absorbs the burst; the end-to-end step measures steady state, so let the backlog drain first.
    const drain = await waitForBacklog(path.join(dir, 'bot.db'));
    say(`backlog:            ${drain.events} stored events processed ${drain.seconds.toFixed(1)} s after the load stopped`);

    say(`\n[2/6] end to end: @bot 进度 / 帮助 at 50 events/s for ${E2E_SECONDS} s, replies at the fake Open API`);
    const e = await benchEndToEnd(bot.base, fake, E2E_SECONDS);
    e.lines.forEach(say);
    figures.push(...e.figures);

    const mem = rss(bot);
    say(`bot process:        RSS after the load ${mbText(mem)}`);
    figures.push({ name: 'bot RSS after the bench load', value: mbText(mem), target: '< 140 MB', met: mem ? mem.rssMb < 140 : null, baseline: baselineRss });
  } finally {
    await bot.stop();
  }

  // PostgreSQL, side by side: the same webhook load on a bot process with DATABASE_URL, against the same bare Koa.
  let postgres: Awaited<ReturnType<typeof startBenchPostgres>> | null = null;
  try {
    postgres = await startBenchPostgres();
    say(`\n[PostgreSQL] server: ${postgres.cluster.source}, durable commits on`);
  } catch (err) {
    say(`\n[PostgreSQL] skipped: no server (${(err as Error).message})`);
  }
  try {
    if (postgres) {
      const pgBot = await ServerProcess.start(
        BOT_ENTRY,
        {
          LARK_APP_ID: APP_ID, LARK_APP_SECRET: 'bench-app-secret', LARK_ENCRYPT_KEY: ENCRYPT_KEY, LARK_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
          LARK_DOMAIN: fake.url, DATABASE_URL: await postgres.newDatabase(), ADMIN_OPEN_IDS: ADMIN, LOG_LEVEL: 'info', BOT_NOW: '', API_TOKEN: '',
        },
        path.join(dir, 'bot-pg.log'),
        '/healthz',
        nodeArgs,
      );
      try {
        say(`[PostgreSQL] webhook: ${WEBHOOK_SECONDS} s of signed, encrypted events per target, 20 connections`);
        const w = await benchWebhook(pgBot.base, baseline.base, WEBHOOK_SECONDS);
        w.lines.forEach((l) => say(l.replace('bot webhook:       ', 'bot webhook (PG):  ')));
        figures.push(...w.figures.map((f) => ({ ...f, name: `${f.name} (PostgreSQL)` })));
      } finally {
        await pgBot.stop();
      }
    }
  } finally {
    await baseline.stop();
  }

  say('\n[3/6] reminder burst: 100 communities at 09:00, against a fake Open API that enforces Lark’s quotas (5/s per chat, 50/s and 1000/min per app)');
  const b = await benchReminderBurst(dir, nodeArgs, BOT_ENTRY);
  b.lines.forEach(say);
  figures.push(...b.figures);

  const scales: [string, CitySize, number][] = [['city', CITY, 3000]];
  if (!QUICK) scales.push(['city ×10', CITY_X10, 15_000]);
  let step = 4;
  for (const [label, size, budget] of scales) {
    say(`\n[${step++}/6] ${label}: ${size.compounds} compounds, ${size.communities} communities, ${size.grievances} grievances (generated)`);
    const city = await buildCityDatabase(dir, size, `${label === 'city' ? 'city' : 'city-x10'}.db`);
    say(`generated:          ${path.basename(city.file)} in ${city.seconds.toFixed(1)} s, ${(fs.statSync(city.file).size / 1048576).toFixed(0)} MB`);
    // The PostgreSQL copy is taken before any step writes, so both backends start from the same rows.
    let pgCity: string | null = null;
    if (postgres && label === 'city') {
      pgCity = await postgres.newDatabase();
      const copied = await copyCityToPostgres(city.file, pgCity);
      say(`[PostgreSQL] ${label}: ${copied.rows} rows copied in ${copied.seconds.toFixed(1)} s`);
    }
    const mem = await cityProcessMemory(dir, city.file, label, fake.url, nodeArgs, baselineRss);
    mem.lines.forEach(say);
    figures.push(...mem.figures);
    const c = await benchCommands(city.file, label);
    c.lines.forEach(say);
    figures.push(...c.figures);
    const r = await benchReportWorkbook(c.bot.runtime, c.bot.clock.now(), label, budget);
    r.lines.forEach(say);
    figures.push(...r.figures);
    await c.bot.stop();
    await c.bot.close();
    if (pgCity) {
      const url = pgCity;
      const pgLabel = `${label}, PostgreSQL`;
      const pc = await benchCommands(openPostgresDatabase(url), pgLabel);
      pc.lines.forEach(say);
      figures.push(...pc.figures);
      const pr = await benchReportWorkbook(pc.bot.runtime, pc.bot.clock.now(), pgLabel, budget);
      pr.lines.forEach(say);
      figures.push(...pr.figures);
      await pc.bot.stop();
      await pc.bot.close();
    }
    fs.rmSync(city.file, { force: true });
  }
  await fake.stop();
  await postgres?.cluster.stop();
  say(`bench process:      RSS ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB (holds the generator, the city data and the load generator; not the bot)`);

  const w1 = Math.max(...figures.map((f) => f.name.length)) + 2;
  const w2 = Math.max(...figures.map((f) => f.value.length)) + 2;
  say('\nIssue 18 targets');
  say(`${'figure'.padEnd(w1)}${'measured'.padEnd(w2)}${'target'.padEnd(11)}${'met'.padEnd(5)}baseline (same run)`);
  for (const f of figures) say(`${f.name.padEnd(w1)}${f.value.padEnd(w2)}${f.target.padEnd(11)}${(f.met === null ? 'n/a' : f.met ? 'yes' : 'NO').padEnd(5)}${f.baseline ?? '—'}`);

  // The same figures on both backends, one line each.
  const onPostgres = (name: string) => figures.find((f) => f.name === `${name} (PostgreSQL)` || (name.includes('(city)') && f.name === name.replace('(city)', '(city, PostgreSQL)')));
  const pairs = figures.flatMap((f) => {
    const g = f.name.includes('PostgreSQL') ? undefined : onPostgres(f.name);
    return g ? [[f, g] as const] : [];
  });
  if (pairs.length) {
    const w3 = Math.max(...pairs.map(([f]) => f.name.length)) + 2;
    const w4 = Math.max(...pairs.map(([f]) => f.value.length)) + 2;
    say('\nSQLite and PostgreSQL side by side (same run, same machine)');
    say(`${'figure'.padEnd(w3)}${'SQLite'.padEnd(w4)}PostgreSQL`);
    for (const [f, g] of pairs) say(`${f.name.padEnd(w3)}${f.value.padEnd(w4)}${g.value}`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

await main();
