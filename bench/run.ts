import { execSync } from 'node:child_process';
import fs from 'node:fs';
import SQLite from 'better-sqlite3';
import os from 'node:os';
import path from 'node:path';
import { FakeLarkApi } from '../test/support/fake-lark.ts';
import { ADMIN } from '../test/support/harness.ts';
import { APP_ID, ENCRYPT_KEY, VERIFICATION_TOKEN } from '../test/support/lark-events.ts';
import { ROOT, ServerProcess } from './processes.ts';
import { type Figure, benchEndToEnd, benchProgress, benchWebhook } from './steps.ts';
import { benchReportWorkbook } from './report-step.ts';
import { CITY, buildCityDatabase } from './city.ts';
import { benchReminderBurst } from './burst.ts';

/**
 * `npm run bench`: the figures of DESIGN §5, each against its target, measured in one run on this machine.
 * The bot runs as its own process (`src/main.ts`, Lark mode, default log level) against a fake Open API here.
 */
const WEBHOOK_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const E2E_SECONDS = 10;

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

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverage-bench-'));
  const lines: string[] = [];
  const figures: Figure[] = [];
  const say = (l: string) => {
    lines.push(l);
    process.stdout.write(`${l}\n`);
  };
  say(`coverage-bot benchmark — ${new Date().toISOString()} — node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}`);

  const fake = await new FakeLarkApi().start();
  const baseline = await ServerProcess.start('bench/baseline-server.ts', {}, path.join(dir, 'baseline.log'));
  // The bot runs as `npm start` runs it: the compiled build, with the same node flags.
  execSync('npm run --silent build', { cwd: ROOT, stdio: 'inherit' });
  const startScript = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start!;
  const nodeArgs = /node ((?:--\S+\s+)*)dist\/src\/main\.js/.exec(startScript)?.[1]?.trim().split(/\s+/).filter(Boolean) ?? [];
  const bot = await ServerProcess.start(
    'dist/src/main.js',
    {
      LARK_APP_ID: APP_ID, LARK_APP_SECRET: 'bench-app-secret', LARK_ENCRYPT_KEY: ENCRYPT_KEY, LARK_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
      LARK_DOMAIN: fake.url, DB_PATH: path.join(dir, 'bot.db'), ADMIN_OPEN_IDS: ADMIN, LOG_LEVEL: 'info', BOT_NOW: '', API_TOKEN: '',
    },
    path.join(dir, 'bot.log'),
    '/healthz',
    nodeArgs,
  );
  try {
    say(`\n[1/5] webhook: ${WEBHOOK_SECONDS} s of signed, encrypted events (a new event id each) per target, 20 connections`);
    const w = await benchWebhook(bot.base, baseline.base, WEBHOOK_SECONDS);
    w.lines.forEach(say);
    figures.push(...w.figures);
    await baseline.stop();
    // The inbox absorbs the burst; the end-to-end step measures steady state, so let the backlog drain first.
    const drain = await waitForBacklog(path.join(dir, 'bot.db'));
    say(`backlog:            ${drain.events} stored events processed ${drain.seconds.toFixed(1)} s after the load stopped`);

    say(`\n[2/5] end to end: @bot 进度 / 帮助 at 50 events/s for ${E2E_SECONDS} s, replies at the fake Open API`);
    const e = await benchEndToEnd(bot.base, fake, E2E_SECONDS);
    e.lines.forEach(say);
    figures.push(...e.figures);

    const mem = bot.memory();
    say(`bot process:        RSS ${mem ? `${mem.rssMb.toFixed(0)} MB (peak ${mem.peakMb.toFixed(0)} MB)` : 'unknown'}`);
    figures.push({ name: 'bot RSS after the run', value: mem ? `${mem.rssMb.toFixed(0)} MB (peak ${mem.peakMb.toFixed(0)} MB)` : 'unknown', target: '< 150 MB', met: mem ? mem.rssMb < 150 : null });
  } finally {
    await bot.stop();
    await baseline.stop();
    await fake.stop();
  }

  say('\n[3/5] reminder burst: 100 communities at 09:00, against a fake Open API that enforces Lark’s quotas (5/s per chat, 50/s and 1000/min per app)');
  const b = await benchReminderBurst(dir, nodeArgs);
  b.lines.forEach(say);
  figures.push(...b.figures);

  say(`\n[4/5] city scale: ${CITY.compounds} compounds, ${CITY.communities} communities, ${CITY.grievances} grievances (generated)`);
  const city = await buildCityDatabase(dir);
  say(`generated:          ${path.basename(city.file)} in ${city.seconds.toFixed(1)} s, ${(fs.statSync(city.file).size / 1048576).toFixed(0)} MB`);
  const p = await benchProgress(city.file);
  p.lines.forEach(say);
  figures.push(...p.figures);

  say('\n[5/5] 调度表 at city scale');
  const r = await benchReportWorkbook(p.bot.runtime, p.bot.clock.now());
  r.lines.forEach(say);
  figures.push(...r.figures);
  await p.bot.stop();
  await p.bot.close();
  say(`bench process:      RSS ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB (holds the generator, the city data and the load generator; not the bot)`);

  const w1 = Math.max(...figures.map((f) => f.name.length)) + 2;
  const w2 = Math.max(...figures.map((f) => f.value.length)) + 2;
  say('\nDESIGN §5 targets');
  say(`${'figure'.padEnd(w1)}${'measured'.padEnd(w2)}${'target'.padEnd(11)}met`);
  for (const f of figures) say(`${f.name.padEnd(w1)}${f.value.padEnd(w2)}${f.target.padEnd(11)}${f.met === null ? 'n/a' : f.met ? 'yes' : 'NO'}`);
  fs.rmSync(dir, { recursive: true, force: true });
}

await main();
