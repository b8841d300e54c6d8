import Koa from 'koa';
import type { Server } from 'node:http';
import type { Config } from './config.ts';
import type { Clock } from './clock.ts';
import type { Logger } from './logger.ts';
import { type OpenedDatabase, openDatabase } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import { migrations } from '../migrations/index.ts';
import { importCampaign } from './campaign/import.ts';
import { loadCampaignFile } from './campaign/load.ts';
import { getActiveCampaign } from './domain/campaign.ts';
import { createWorkCalendar, unknownYears } from './calendar/workdays.ts';
import { loadCalendarOverrides, refreshCalendar } from './domain/calendar-overrides.ts';
import type { FeatureModule } from './bot/command.ts';
import { buildRegistry } from './bot/registry.ts';
import type { BotDeps } from './bot/context.ts';
import { createDispatcher } from './bot/dispatch.ts';
import { createInboxWorker } from './inbox/worker.ts';
import { createBatchedInboxStore } from './inbox/batched-store.ts';
import { findInboxEvent } from './inbox/store.ts';
import { createOutboxSender } from './outbox/sender.ts';
import { enqueueCardPatch } from './outbox/enqueue.ts';
import type { Messenger } from './outbox/messenger.ts';
import type { Pacer } from './outbox/pacer.ts';
import { createLarkClient, type LarkClientBundle } from './lark/client.ts';
import { createLarkMessenger, fetchBotIdentity } from './lark/messenger.ts';
import { createLarkWebhook } from './lark/webhook.ts';
import { normalizeMessage } from './lark/normalize.ts';
import type { MessageEvent } from './lark/envelope.ts';
import { createHttpApp } from './http/app.ts';
import type { CardResponse } from './bot/types.ts';
import type { OutboxMessageRow } from './db/schema.ts';
import { createScheduler } from './scheduler/runner.ts';
import { startCronTicks } from './scheduler/cron.ts';
import { renderReportFile } from './report/file.ts';

export interface RuntimeOptions {
  config: Config;
  clock: Clock;
  log: Logger;
  features: FeatureModule[];
  /** Replaces the Lark messenger (local mode). */
  messenger?: Messenger;
  pacer?: Pacer;
  onSent?: (row: OutboxMessageRow) => void;
  /** An already-open database (tests share one across two instances). */
  database?: OpenedDatabase;
  /** Timeout of each Lark Open API call. */
  larkTimeoutMs?: number;
  /** How long a card callback waits for its answer before answering "processing" (tests shorten it). */
  cardAnswerBudgetMs?: number;
}

/** Wires the whole bot from its parts; main.ts, the CLI and the tests all build it through here. */
export async function createRuntime(opts: RuntimeOptions) {
  const { config, clock, log } = opts;
  const database = opts.database ?? openDatabase(config.dbPath);
  const { db } = database;
  await migrateToLatest(db, migrations);
  const hasCampaign = await db.selectFrom('campaigns').select('id').executeTakeFirst();
  if (!hasCampaign) {
    const def = loadCampaignFile(config.campaignFile);
    await importCampaign(db, def, clock.now());
    log.info({ campaign: def.code, compounds: def.compounds.length }, 'campaign imported');
  }
  const campaign = await getActiveCampaign(db);
  const calendar = createWorkCalendar(log, await loadCalendarOverrides(db, campaign));
  for (const year of unknownYears(calendar, Number(campaign.startsOn.slice(0, 4)), Number(campaign.endsOn.slice(0, 4)))) {
    log.warn({ year, campaign: campaign.code }, 'the campaign runs into a year with no official holiday calendar; counting weekends only until admins enter its holidays (日历)');
  }

  const commands = opts.features.flatMap((f) => f.commands ?? []);
  const registry = buildRegistry(
    commands,
    opts.features.flatMap((f) => f.cardActions ?? []),
    opts.features.flatMap((f) => f.interpreters ?? []),
    opts.features.flatMap((f) => f.reactions ?? []),
  );
  const deps: BotDeps = { db, clock, log, campaign, calendar, adminOpenIds: config.adminOpenIds, commands };

  let lark: LarkClientBundle | null = null;
  if (config.lark && !config.encryptKey && !config.verificationToken) {
    log.warn('neither LARK_ENCRYPT_KEY nor LARK_VERIFICATION_TOKEN is set: webhook requests cannot be verified');
  }
  if (config.lark && !opts.messenger) {
    lark = createLarkClient({ appId: config.lark.appId, appSecret: config.lark.appSecret, domain: config.lark.domain, log, timeoutMs: opts.larkTimeoutMs });
  }
  let botIdentity: Promise<{ openId: string; name: string }> | null = null;
  const identity = () => {
    if (!lark) throw new Error('no Lark app configured');
    botIdentity ??= fetchBotIdentity(lark.client).catch((err) => {
      botIdentity = null;
      throw err;
    });
    return botIdentity;
  };

  const dispatcher = createDispatcher(deps, registry, {
    normalizeLarkMessage: async (payload) => {
      const p = payload as { eventId: string; event: MessageEvent };
      return normalizeMessage(p.eventId, p.event, (await identity()).openId);
    },
  });
  // Replies go out as soon as their event is processed, not when the worker's whole pass ends.
  let kickSender: () => void = () => undefined;
  const worker = createInboxWorker({ db, clock, log, processor: dispatcher, onProcessed: () => kickSender() });
  const messenger = opts.messenger ?? (lark ? createLarkMessenger(lark.client, lark.cache, log) : null);
  if (!messenger) throw new Error('no messenger: configure a Lark app or pass a local messenger');
  const sender = createOutboxSender({ db, clock, log, messenger, pacer: opts.pacer, onSent: opts.onSent });
  kickSender = () => void sender.kick();

  const store = createBatchedInboxStore(db, clock);
  const webhook = createLarkWebhook({
    encryptKey: config.encryptKey,
    verificationToken: config.verificationToken,
    appId: config.lark?.appId,
    log,
    store,
    cardAnswerBudgetMs: opts.cardAnswerBudgetMs,
    onStored: () => {
      void worker.kick().then(() => sender.kick());
    },
    async processCardNow(eventId) {
      const row = await findInboxEvent(db, eventId);
      if (!row) return null;
      const r = await worker.processNow(row.id);
      void sender.kick();
      return r;
    },
    async storedCardResponse(eventId) {
      const row = await findInboxEvent(db, eventId);
      return row?.response ? (JSON.parse(row.response) as CardResponse) : { toast: { type: 'info', content: '已收到，正在处理。' } };
    },
    patchCardLater(eventId, response) {
      void (async () => {
        const row = await findInboxEvent(db, eventId);
        const action = row ? (JSON.parse(row.payload) as { messageId: string | null; chatId: string | null }) : null;
        if (!action?.messageId || !response.card) return;
        await enqueueCardPatch(db, eventId, { messageId: action.messageId, chatId: action.chatId }, response.card, clock.now());
        void sender.kick();
      })().catch((err: unknown) => log.error({ err, eventId }, 'late card patch failed'));
    },
  });
  const scheduler = createScheduler({
    db, clock, log, campaign, calendar, jobs: opts.features.flatMap((f) => f.jobs ?? []),
    // Another instance's admin may have corrected the calendar: every tick plans on the stored corrections.
    beforeTick: async () => void (await refreshCalendar(db, campaign, calendar)),
    readReceipts: messenger.readReceipts?.bind(messenger),
  });
  let cronTicks: { stop(): void } | null = null;

  const http: Koa = createHttpApp({
    db, clock, log, campaign, calendar, apiToken: config.apiToken, webhook,
    reportXlsx: (due) => renderReportFile(db, campaign, calendar, due, clock.now()),
  });

  let server: Server | null = null;
  return {
    config,
    database,
    db,
    deps,
    registry,
    dispatcher,
    worker,
    sender,
    http,
    identity,
    scheduler,
    /** Runs due scheduled work, then sends it. */
    async tick(): Promise<void> {
      await scheduler.tick();
      await sender.kick();
    },
    /** Starts the background loops (inbox worker, outbox sender, scheduler ticks; a first tick catches up). */
    startLoops(): void {
      worker.start();
      sender.start();
      cronTicks = startCronTicks(() => scheduler.tick().then(() => sender.kick()), log, campaign.timezone);
      void scheduler.tick().then(() => sender.kick()).catch((err: unknown) => log.error({ err }, 'start-up tick failed'));
      if (lark) void identity().catch((err: unknown) => log.warn({ err }, 'bot identity not available yet'));
    },
    async listen(port = config.port, host?: string): Promise<number> {
      server = http.listen(port, host);
      // A slow body must not hold a socket for minutes.
      server.requestTimeout = 10_000;
      server.headersTimeout = 10_000;
      await new Promise<void>((resolve) => server!.once('listening', () => resolve()));
      const addr = server.address();
      return typeof addr === 'object' && addr ? addr.port : port;
    },
    /** Processes stored events and sends what is due, until both are idle (tests, local mode). */
    async settle(): Promise<void> {
      for (let i = 0; i < 5; i++) {
        await worker.drain();
        await sender.drain();
      }
    },
    async stop(): Promise<void> {
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      cronTicks?.stop();
      await worker.stop();
      await sender.stop();
      if (!opts.database) await database.close();
    },
  };
}

export type Runtime = Awaited<ReturnType<typeof createRuntime>>;
