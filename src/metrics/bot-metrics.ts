import type { Clock } from '../clock.ts';
import type { Db } from '../db/connect.ts';
import type { Dialect } from '../db/dialect.ts';
import { countInboxByStatus } from '../db/inbox-store.ts';
import { countOutboxByStatus, oldestPendingOutboxAt } from '../db/outbox-store.ts';
import { Counter, Histogram, renderCounterValue, renderGauge } from './exposition.ts';

/** What became of one send attempt. */
export type SendResult = 'sent' | 'retry' | 'rate_limited' | 'dead';

const INBOX_STATUSES = ['new', 'processing', 'done', 'ignored', 'failed'];
const OUTBOX_STATUSES = ['pending', 'sent', 'dead'];
/** Seconds; Lark wants an answer within 3 s, so the buckets are finest below that. */
const WEBHOOK_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** The counters and histograms the bot keeps in memory; the rest is read from the database at scrape time. */
export function createBotMetrics() {
  return {
    sends: new Counter('coverage_bot_outbox_sends_total', 'Outbox send attempts by result (sent, retry, rate_limited, dead).'),
    webhookSeconds: new Histogram('coverage_bot_webhook_request_duration_seconds', 'Time from a webhook request arriving to its answer, by route.', WEBHOOK_BUCKETS),
  };
}

export type BotMetrics = ReturnType<typeof createBotMetrics>;

export interface MetricsSources {
  db: Db;
  clock: Clock;
  metrics: BotMetrics;
  dialect: Dialect;
  transport: 'webhook' | 'ws' | 'local';
  /** When the scheduler last finished a tick, by the bot's clock; null before the first. */
  lastTickAt: () => Date | null;
  /** Whether this process runs the scheduler (always, for one process on SQLite). */
  isLeader: () => boolean;
  /** The long connection's state, when events arrive over it. */
  longConnection?: () => { state: string; connected: boolean; restarts: number };
}

function byStatus(known: string[], counts: Map<string, number>) {
  const statuses = [...known, ...[...counts.keys()].filter((s) => !known.includes(s)).sort()];
  return statuses.map((status) => ({ labels: { status }, value: counts.get(status) ?? 0 }));
}

/** The whole exposition for GET /metrics. */
export async function renderBotMetrics(src: MetricsSources): Promise<string> {
  const now = src.clock.now().getTime();
  const [inbox, outbox, oldest] = await Promise.all([countInboxByStatus(src.db), countOutboxByStatus(src.db), oldestPendingOutboxAt(src.db)]);
  const lastTick = src.lastTickAt();
  const lines = [
    ...renderGauge('coverage_bot_info', 'The database engine and how Lark events arrive.', [{ labels: { dialect: src.dialect, transport: src.transport }, value: 1 }]),
    ...renderGauge('coverage_bot_inbox_events', 'Inbox events by status.', byStatus(INBOX_STATUSES, inbox)),
    ...renderGauge('coverage_bot_outbox_messages', 'Outbox rows by status.', byStatus(OUTBOX_STATUSES, outbox)),
    ...renderGauge('coverage_bot_outbox_oldest_pending_age_seconds', 'Age of the oldest outbox row waiting to be sent (0 when none waits).', [
      { value: oldest ? Math.max(0, (now - Date.parse(oldest)) / 1000) : 0 },
    ]),
    ...src.metrics.sends.render(),
    ...src.metrics.webhookSeconds.render(),
    ...renderGauge('coverage_bot_scheduler_lag_seconds', 'Time since the scheduler last finished a tick (absent before the first).', lastTick ? [{ value: Math.max(0, (now - lastTick.getTime()) / 1000) }] : []),
    ...renderGauge('coverage_bot_scheduler_leader', 'Whether this process runs the scheduled jobs (1) or not (0).', [{ value: src.isLeader() ? 1 : 0 }]),
  ];
  if (src.longConnection) {
    const lc = src.longConnection();
    lines.push(
      ...renderGauge('coverage_bot_long_connection_connected', 'Whether the Lark long connection is up (1) or not (0).', [{ value: lc.connected ? 1 : 0 }]),
      ...renderGauge('coverage_bot_long_connection_state', 'The state of the Lark long connection (1 for the current one).', [{ labels: { state: lc.state }, value: 1 }]),
      ...renderCounterValue('coverage_bot_long_connection_restarts_total', 'Times the long connection client was replaced.', lc.restarts),
    );
  }
  return `${lines.join('\n')}\n`;
}
