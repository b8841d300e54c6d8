import { type Server, createServer } from 'node:http';
import type { Config } from './config.ts';
import type { Clock } from './clock.ts';
import type { Logger } from './logger.ts';
import type { OpenedDatabase } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import { migrationsOf, openConfiguredDatabase } from './db/open-configured.ts';
import { createSharedSendBudget } from './db/send-budget.ts';
import { importCampaign } from './domain/campaign-import.ts';
import { loadCampaignFile } from './campaign/load.ts';
import { getActiveCampaign, hasCampaign } from './domain/campaign.ts';
import { createWorkCalendar, unknownYears } from './calendar/workdays.ts';
import { loadCalendarOverrides, refreshCalendar } from './domain/calendar-overrides.ts';
import type { FeatureModule } from './bot/command.ts';
import { buildRegistry } from './bot/registry.ts';
import type { BotDeps } from './bot/context.ts';
import { createDispatcher } from './bot/dispatch.ts';
import { createInboxWorker } from './inbox/worker.ts';
import { createBatchedInboxStore } from './inbox/batched-store.ts';
import { findInboxEvent } from './db/inbox-store.ts';
import { createBotMetrics, renderBotMetrics } from './metrics/bot-metrics.ts';
import { createOutboxSender } from './outbox/sender.ts';
import { enqueueCardPatch } from './outbox/enqueue.ts';
import { chatTypeOf } from './domain/chat-types.ts';
import type { Messenger } from './outbox/messenger.ts';
import { guardOutgoing } from './outbox/card-guard.ts';
import type { Pacer } from './outbox/pacer.ts';
import { createLarkClient, type LarkClientBundle } from './lark/client.ts';
import { createLarkMessenger, fetchBotIdentity } from './lark/messenger.ts';
import { createLarkWebhook } from './lark/webhook.ts';
import { createLarkIntake } from './lark/intake.ts';
import { createLongConnection, type LongConnectionOptions } from './lark/long-connection.ts';
import { normalizeMessage } from './lark/normalize.ts';
import type { MessageEvent } from './lark/envelope.ts';
import { createHttpApp } from './http/app.ts';
import type { CardResponse } from './bot/types.ts';
import type { OutboxMessageRow } from './db/schema.ts';
import { createScheduler } from './scheduler/runner.ts';
import { startCronTicks } from './scheduler/cron.ts';
import { renderReportFile } from './report/file.ts';
import { retentionJob } from './jobs/retention.ts';

/** Below this an API bearer token is warned about at start (it still works). */
const MIN_API_TOKEN_LENGTH = 16;
import { RoutingModel } from './routing/model.ts';
import { createRoutingAdvisor } from './routing/advisor.ts';
import { createFollowUpRunner } from './followups/runner.ts';

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
  /**
   * Count Lark's send quotas in the database for every process sharing it (PostgreSQL replicas), on the database
   * server's clock, as well as in this process's pacer. Off in tests that run one process on a manual clock.
   */
  shareSendQuotas?: boolean;
  /** Timeout of each Lark Open API call. */
  larkTimeoutMs?: number;
  /** How long a card callback waits for its answer before answering "processing" (tests shorten it). */
  cardAnswerBudgetMs?: number;
  /** Timings of the long connection (tests shorten them). */
  longConnection?: Partial<Pick<LongConnectionOptions, 'pingTimeoutSec' | 'handshakeTimeoutMs' | 'restartInitialMs' | 'restartMaxMs' | 'stuckAfterMs' | 'watchEveryMs' | 'random'>>;
}

/** Wires the whole bot from its parts; main.ts, the CLI and the tests all build it through here. */
export async function createRuntime(opts: RuntimeOptions) {
  const { config, clock, log } = opts;
  const database = opts.database ?? openConfiguredDatabase(config);
  const { db } = database;
  await migrateToLatest(db, migrationsOf(db));
  if (!(await hasCampaign(db))) {
    const def = loadCampaignFile(config.campaignFile);
    try {
      await importCampaign(db, def, clock.now());
      log.info({ campaign: def.code, compounds: def.compounds.length }, 'campaign imported');
    } catch (err) {
      // Replicas starting together on an empty database: one import wins (the campaign code is unique).
      if (!(await hasCampaign(db))) throw err;
      log.info({ campaign: def.code }, 'campaign imported by another instance');
    }
  }
  const campaign = await getActiveCampaign(db);
  const calendar = createWorkCalendar(log, await loadCalendarOverrides(db, campaign));
  for (const year of unknownYears(calendar, Number(campaign.startsOn.slice(0, 4)), Number(campaign.endsOn.slice(0, 4)))) {
    log.warn({ year, campaign: campaign.code }, 'the campaign runs into a year with no official holiday calendar; counting weekends only until admins enter its holidays (日历)');
  }
  // From here on the bot serves: never block the event loop long on another connection's lock.
  await database.adapter.setServingBusyTimeout();

  const commands = opts.features.flatMap((f) => f.commands ?? []);
  const registry = buildRegistry(
    commands,
    opts.features.flatMap((f) => f.cardActions ?? []),
    opts.features.flatMap((f) => f.interpreters ?? []),
    opts.features.flatMap((f) => f.reactions ?? []),
  );
  const advisor = config.llm ? createRoutingAdvisor({ ...config.llm, log }) : null;
  // Trained from the campaign's rules and every routing people confirmed so far: in the background once the loops
  // start, or by the first grievance, whichever comes first.
  const routing = new RoutingModel(campaign, log, advisor);
  const deps: BotDeps = { db, clock, log, campaign, calendar, adminOpenIds: config.adminOpenIds, commands, routing };

  let lark: LarkClientBundle | null = null;
  if (config.lark?.transport === 'webhook' && !config.encryptKey && !config.verificationToken) {
    log.warn('neither LARK_ENCRYPT_KEY nor LARK_VERIFICATION_TOKEN is set: webhook requests cannot be verified');
  }
  if (config.apiToken && config.apiToken.length < MIN_API_TOKEN_LENGTH) {
    log.warn({ length: config.apiToken.length, minimum: MIN_API_TOKEN_LENGTH }, 'API_TOKEN is short and easy to guess: use at least 16 random characters (e.g. openssl rand -hex 24)');
  }
  if (config.lark && !opts.messenger) {
    lark = createLarkClient({ appId: config.lark.appId, appSecret: config.lark.appSecret, domain: config.lark.domain, log, timeoutMs: opts.larkTimeoutMs });
  }
  let botIdentity: Promise<{ openId: string; name: string }> | null = null;
  // Known once fetched: the intake then drops group chatter that does not address the bot before storing it.
  let knownBotOpenId: string | null = null;
  const identity = () => {
    if (!lark) throw new Error('no Lark app configured');
    botIdentity ??= fetchBotIdentity(lark.client).then(
      (id) => {
        knownBotOpenId = id.openId;
        return id;
      },
      (err) => {
        botIdentity = null;
        throw err;
      },
    );
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
  const followUps = createFollowUpRunner({
    db, clock, log, campaign, calendar, routing, followUps: opts.features.flatMap((f) => f.followUps ?? []), onWork: () => kickSender(),
  });
  const worker = createInboxWorker({
    db, clock, log, processor: dispatcher,
    onProcessed: () => {
      kickSender();
      void followUps.kick();
    },
  });
  const port = opts.messenger ?? (lark ? createLarkMessenger(lark.client, lark.cache, log) : null);
  if (!port) throw new Error('no messenger: configure a Lark app or pass a local messenger');
  const messenger = guardOutgoing(port, log);
  const metrics = createBotMetrics();
  // Replicas on one PostgreSQL database share Lark's quotas through it; one SQLite process paces in memory.
  const sharedBudget = opts.shareSendQuotas && database.adapter.dialect === 'postgres' ? createSharedSendBudget(db) : undefined;
  const sender = createOutboxSender({ db, clock, log, messenger, pacer: opts.pacer, sharedBudget, onSent: opts.onSent, onOutcome: (result) => metrics.sends.inc({ result }) });
  kickSender = () => void sender.kick();

  const store = createBatchedInboxStore(db, clock);
  const intake = createLarkIntake({
    tenantKey: config.tenantKey,
    log,
    store,
    botOpenId: () => knownBotOpenId,
    cardAnswerBudgetMs: opts.cardAnswerBudgetMs,
    // The worker kicks the sender after each event that queued something.
    onStored: () => void worker.kick(),
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
        const audience = await chatTypeOf(db, { messageId: action.messageId, chatId: action.chatId });
        await enqueueCardPatch(db, eventId, { messageId: action.messageId, chatId: action.chatId, audience }, response.card, clock.now());
        void sender.kick();
      })().catch((err: unknown) => log.error({ err, eventId }, 'late card patch failed'));
    },
  });
  const transport = config.lark?.transport ?? 'webhook';
  // Local mode keeps the webhook route: it needs no Lark app and refuses what it cannot verify.
  const webhook = transport === 'webhook'
    ? createLarkWebhook({ encryptKey: config.encryptKey, verificationToken: config.verificationToken, appId: config.lark?.appId, log, intake })
    : null;
  const longConnection = config.lark && transport === 'ws'
    ? createLongConnection({ appId: config.lark.appId, appSecret: config.lark.appSecret, domain: config.lark.domain, encryptKey: config.encryptKey, log, intake, ...opts.longConnection })
    : null;
  // Retention is the kernel's own housekeeping, whatever features are wired.
  const scheduler = createScheduler({
    db, clock, log, campaign, calendar, jobs: [...opts.features.flatMap((f) => f.jobs ?? []), retentionJob],
    // Another instance's admin may have corrected the calendar: every tick plans on the stored corrections.
    beforeTick: async () => void (await refreshCalendar(db, campaign, calendar)),
    readReceipts: messenger.readReceipts?.bind(messenger),
  });
  let cronTicks: { stop(): void } | null = null;
  let followUpPoll: NodeJS.Timeout | null = null;

  const http = createHttpApp({
    db, clock, log, campaign, calendar, apiToken: config.apiToken, webhook,
    transportHealth: longConnection ? () => ({ transport: 'ws', connected: longConnection.status().connected }) : undefined,
    reportXlsx: (due) => renderReportFile(db, campaign, calendar, due, clock.now()),
    observeWebhook: (route, seconds) => metrics.webhookSeconds.observe({ route }, seconds),
    metrics: () => renderBotMetrics({
      db, clock, metrics, dialect: database.adapter.dialect, transport: config.lark ? transport : 'local',
      lastTickAt: () => scheduler.lastTickAt(),
      // Every process runs the scheduler: each slot is a conditional insert of its ledger key, so it runs once
      // whichever replica ticks first (no leader lease is needed).
      isLeader: () => true,
      longConnection: longConnection ? () => longConnection.status() : undefined,
    }),
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
    longConnection,
    scheduler,
    followUps,
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
      // Follow-ups left pending by a crash or a busy database are picked up at start and then every half minute.
      void followUps.kick();
      void routing.warm(db).catch((err: unknown) => log.error({ err }, 'grievance router not trained yet; the next grievance retries'));
      followUpPoll = setInterval(() => void followUps.kick(), 30_000);
      followUpPoll.unref();
      void scheduler.tick().then(() => sender.kick()).catch((err: unknown) => log.error({ err }, 'start-up tick failed'));
      if (lark) void identity().catch((err: unknown) => log.warn({ err }, 'bot identity not available yet'));
    },
    /** Opens the Lark long connection (LARK_TRANSPORT=ws); with the webhook, Lark's calls arrive through listen(). */
    connectLark(): void {
      longConnection?.start();
    },
    async listen(port = config.port, host = config.host): Promise<number> {
      server = createServer(http.listener).listen(port, host);
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
        await followUps.drain();
        await sender.drain();
      }
    },
    async stop(): Promise<void> {
      longConnection?.stop();
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      cronTicks?.stop();
      if (followUpPoll) clearInterval(followUpPoll);
      await worker.stop();
      await followUps.stop();
      await sender.stop();
      if (!opts.database) await database.close();
    },
  };
}

export type Runtime = Awaited<ReturnType<typeof createRuntime>>;
