import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { ConfigError, type Config, loadConfig } from './config.ts';
import { OffsetClock } from './clock.ts';
import { createLogger } from './logger.ts';
import { BatchedLogSink } from './log-sink.ts';
import { createRuntime, type Runtime } from './runtime.ts';
import { features } from '../commands/index.ts';
import { LocalMessenger } from './local/local-messenger.ts';
import { Pacer } from './outbox/pacer.ts';
import { DEFAULT_LOCAL_PERSON, LocalSession, describeInstant, localOpenId } from './local/session.ts';
import { formatChineseDate, localDate } from './calendar/dates.ts';
import { reportPeriods } from './domain/periods.ts';
import { periodSchedule } from './schedule/schedule.ts';
import { InvalidCampaign } from './campaign/schema.ts';
import { findInboxEvent } from './db/inbox-store.ts';
import { countPendingOutbox } from './db/outbox-store.ts';
import { larkSdkSource } from './lark/sdk.ts';

function readConfig(): Config {
  try {
    return loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

async function runLarkMode(config: Config): Promise<void> {
  const log = createLogger(config.logLevel);
  const clock = new OffsetClock(config.botNow);
  // Replicas may share one PostgreSQL database: Lark's quotas are then counted for all of them there.
  const runtime = await createRuntime({ config, clock, log, features, shareSendQuotas: Boolean(config.databaseUrl) });
  runtime.startLoops();
  const port = await runtime.listen();
  runtime.connectLark();
  log.info({ host: config.host, port, domain: config.larkDomain, transport: config.lark?.transport, larkSdk: larkSdkSource }, 'coverage-bot listening');
  const stop = async (signal: string) => {
    log.info({ signal }, 'stopping');
    await runtime.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

/**
 * The built-in campaign ran in 2020: on today's date every phase reads 已结束. Without BOT_NOW, a campaign that is
 * over starts local mode's clock on the morning the first report period's prompt goes out.
 */
function localStart(runtime: Runtime, now: Date): Date | null {
  const { campaign, calendar } = runtime.deps;
  if (localDate(now, campaign.timezone) <= campaign.endsOn) return null;
  const first = reportPeriods(campaign, calendar)[0];
  if (!first) return null;
  const prompt = periodSchedule(campaign, calendar, first).find((e) => e.kind === 'report-prompt');
  return prompt ? new Date(prompt.at.getTime() - 30 * 60_000) : null;
}

async function runLocalMode(config: Config): Promise<void> {
  // The terminal is the chat: logs go to a file beside the database, not between the bot's replies.
  const logFile = path.join(path.dirname(path.resolve(config.dbPath)), 'local.log');
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const log = createLogger(process.env.LOG_LEVEL ? config.logLevel : 'warn', new BatchedLogSink(fs.openSync(logFile, 'a')));
  const clock = new OffsetClock(config.botNow);
  const print = (line: string) => process.stdout.write(`${line}\n`);
  let session: LocalSession | null = null;
  const messenger = new LocalMessenger(print, (id) => session?.describe(id) ?? id, path.join(path.dirname(path.resolve(config.dbPath)), 'files'));
  const localConfig: Config = { ...config, adminOpenIds: [...config.adminOpenIds, localOpenId(DEFAULT_LOCAL_PERSON)] };
  // The terminal is not Lark: no send pacing, so replies print at once and in order.
  const runtime: Runtime = await createRuntime({ config: localConfig, clock, log, features, messenger, pacer: new Pacer(1000, 1000) });
  const timeZone = runtime.deps.campaign.timezone;
  const interactive = Boolean(process.stdin.isTTY);
  const started = config.botNow ? null : localStart(runtime, clock.now());
  if (started) {
    clock.set(started);
    const { campaign } = runtime.deps;
    print(`（${campaign.name}已于${formatChineseDate(campaign.endsOn, true)}结束，本地模式的时钟从第一个报送期开始：${describeInstant(started, timeZone)}；可用 /time 调整。）`);
  }
  session = new LocalSession({
    db: runtime.db,
    clock,
    timeZone,
    messenger,
    print,
    settle: () => runtime.settle(),
    tick: async () => runtime.scheduler.tick(),
    pressCard: async (eventId) => {
      const row = await findInboxEvent(runtime.db, eventId);
      if (!row) throw new Error(`no inbox event ${eventId}`);
      const r = await runtime.worker.processNow(row.id);
      return r === 'busy' ? null : r;
    },
  });
  await session.loadNames();
  if (config.apiToken) {
    // The JSON API is handy in a demo too; local mode serves it only when a token is configured.
    await runtime.listen().catch((err: unknown) => log.warn({ err }, 'local mode: HTTP API not started'));
  }
  await runtime.tick();
  await runtime.settle();
  if (interactive) {
    print(`coverage-bot 本地模式（未配置飞书应用）。您是「${DEFAULT_LOCAL_PERSON}」，正在与机器人私聊；机器人时间 ${describeInstant(clock.now(), timeZone)}。`);
    print('输入“帮助”查看机器人的命令，/help 查看本地命令，/quit 退出。');
  }
  const rl = readline.createInterface({ input: process.stdin, output: interactive ? process.stdout : undefined, terminal: interactive });
  if (interactive) {
    rl.setPrompt(session.prompt);
    rl.prompt();
  }
  for await (const line of rl) {
    // Piped input is echoed after the prompt, so a transcript reads like the chat it was.
    if (!interactive && line.trim()) print(`${session.prompt}${line}`);
    let outcome: 'quit' | void;
    try {
      outcome = await session.handleLine(line);
    } catch (err) {
      log.error({ err }, 'local line failed');
      print(`（出错了，数据未作改动。详情见日志 ${logFile}）`);
    }
    if (outcome! === 'quit') break;
    if (interactive) {
      rl.setPrompt(session.prompt);
      rl.prompt();
    }
  }
  rl.close();
  await flushPacedReplies(runtime);
  await runtime.stop();
  if (interactive) print('（已退出本地模式）');
  log.flush();
}

/** Replies held back by per-chat pacing (5/s) would be lost when piped input ends: wait for them, a few seconds at most. */
async function flushPacedReplies(runtime: Runtime): Promise<void> {
  const giveUpAt = Date.now() + 5_000;
  for (;;) {
    await runtime.settle();
    if ((await countPendingOutbox(runtime.db)) === 0 || Date.now() > giveUpAt) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const config = readConfig();
try {
  if (config.lark) {
    await runLarkMode(config);
  } else {
    await runLocalMode(config);
  }
} catch (err) {
  // A bad CAMPAIGN_FILE is the operator's to fix: say what is wrong with it, without a stack.
  if (!(err instanceof InvalidCampaign)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
}
