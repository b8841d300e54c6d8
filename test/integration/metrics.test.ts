import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { ADMIN, createTestBot } from '../support/harness.ts';
import { FAKE_BOT_OPEN_ID, FakeLarkApi } from '../support/fake-lark.ts';
import { FakeLarkGateway } from '../support/fake-lark-gateway.ts';
import { LARK_BOT_APP_SECRET, startLarkBot } from '../support/lark-bot.ts';
import { APP_ID, messageEvent, signedRequest } from '../support/lark-events.ts';
import { testBackend } from '../support/test-database.ts';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

const scrape = (base: string, token: string | null = 'api-token') =>
  fetch(`${base}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

/** The value of one sample line, `name{labels} value`; undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function larkBot(env: Record<string, string> = {}) {
  const clock = new ManualClock('2020-09-28T09:00:00+08:00');
  const fake = await new FakeLarkApi(clock).start();
  const bot = await startLarkBot({ fake, clock, env });
  cleanup.push(async () => {
    await bot.stop();
    await fake.stop();
  });
  return { clock, fake, bot };
}

describe('GET /metrics', () => {
  it('answers 401 without the API token or with a wrong one, and 404 when no API_TOKEN is configured', async () => {
    const { bot } = await larkBot();
    expect((await scrape(bot.base, null)).status).toBe(401);
    expect((await scrape(bot.base, 'wrong-token')).status).toBe(401);

    const local = await createTestBot();
    cleanup.push(async () => {
      await local.stop();
      await local.close();
    });
    const base = `http://127.0.0.1:${await local.runtime.listen(0, '127.0.0.1')}`;
    expect((await scrape(base, 'anything')).status).toBe(404);
    expect((await scrape(base, null)).status).toBe(404);
  });

  it('shows inbox and outbox depth, the oldest pending age, sends by result and webhook latency, over a retried reply', async () => {
    const { clock, fake, bot } = await larkBot();
    await bot.runtime.identity();
    fake.failNext({ kind: 'status', status: 500 });
    const event = messageEvent({ senderOpenId: ADMIN, text: '进度', botOpenId: FAKE_BOT_OPEN_ID });
    expect((await bot.post('/webhook/event', signedRequest(event))).status).toBe(200);
    await bot.runtime.settle();

    clock.advance(3000);
    const res = await scrape(bot.base);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const before = await res.text();
    expect(sample(before, `coverage_bot_info{dialect="${testBackend}",transport="webhook"}`)).toBe(1);
    expect(sample(before, 'coverage_bot_inbox_events{status="done"}')).toBe(1);
    expect(sample(before, 'coverage_bot_inbox_events{status="new"}')).toBe(0);
    expect(sample(before, 'coverage_bot_outbox_messages{status="pending"}')).toBe(1);
    expect(sample(before, 'coverage_bot_outbox_oldest_pending_age_seconds')).toBe(3);
    expect(sample(before, 'coverage_bot_outbox_sends_total{result="retry"}')).toBe(1);
    expect(sample(before, 'coverage_bot_outbox_sends_total{result="sent"}')).toBeUndefined();
    expect(sample(before, 'coverage_bot_scheduler_leader')).toBe(1);
    // No tick has run yet: the lag is not known, so it is not made up.
    expect(sample(before, 'coverage_bot_scheduler_lag_seconds')).toBeUndefined();
    expect(before).not.toContain('coverage_bot_long_connection');

    await bot.runtime.settle();
    const after = await (await scrape(bot.base)).text();
    expect(fake.deliveries.map((d) => d.target)).toEqual([event.event.message.message_id]);
    expect(sample(after, 'coverage_bot_outbox_messages{status="pending"}')).toBe(0);
    expect(sample(after, 'coverage_bot_outbox_messages{status="sent"}')).toBe(1);
    expect(sample(after, 'coverage_bot_outbox_oldest_pending_age_seconds')).toBe(0);
    expect(sample(after, 'coverage_bot_outbox_sends_total{result="sent"}')).toBe(1);
    expect(sample(after, 'coverage_bot_outbox_sends_total{result="retry"}')).toBe(1);

    // One webhook request was timed: every bucket is cumulative, +Inf holds it, and the sum is its duration.
    const buckets = after.split('\n').filter((l) => l.startsWith('coverage_bot_webhook_request_duration_seconds_bucket{route="event"'));
    expect(buckets.length).toBeGreaterThan(1);
    const counts = buckets.map((l) => Number(l.split(' ').at(-1)));
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(buckets.at(-1)).toBe('coverage_bot_webhook_request_duration_seconds_bucket{route="event",le="+Inf"} 1');
    expect(sample(after, 'coverage_bot_webhook_request_duration_seconds_count{route="event"}')).toBe(1);
    expect(sample(after, 'coverage_bot_webhook_request_duration_seconds_sum{route="event"}')).toBeGreaterThan(0);
    expect(after).toContain('# TYPE coverage_bot_webhook_request_duration_seconds histogram');
    expect(after).toContain('# TYPE coverage_bot_outbox_sends_total counter');
    expect(after).toContain('# TYPE coverage_bot_inbox_events gauge');
  });

  it('counts a message Lark refuses for good as dead', async () => {
    const { fake, bot } = await larkBot();
    await bot.runtime.identity();
    fake.failNext({ kind: 'code', code: 230002, msg: 'Bot/User can NOT be out of the chat.' });
    await bot.post('/webhook/event', signedRequest(messageEvent({ senderOpenId: ADMIN, text: '进度', botOpenId: FAKE_BOT_OPEN_ID, chatId: 'oc_left_group' })));
    await bot.runtime.settle();
    const text = await (await scrape(bot.base)).text();
    expect(sample(text, 'coverage_bot_outbox_sends_total{result="dead"}')).toBe(1);
    expect(sample(text, 'coverage_bot_outbox_messages{status="dead"}')).toBe(1);
  });

  it('shows the scheduler lag as the time since its last tick, by the bot clock', async () => {
    const { clock, bot } = await larkBot();
    await bot.runtime.scheduler.tick();
    clock.advance(90_000);
    const text = await (await scrape(bot.base)).text();
    expect(sample(text, 'coverage_bot_scheduler_lag_seconds')).toBe(90);
  });

  it('shows the long connection’s state when events arrive over it', async () => {
    const clock = new ManualClock('2020-09-28T09:00:00+08:00');
    const fake = await new FakeLarkApi(clock).start();
    const gateway = await new FakeLarkGateway(fake, { appId: APP_ID, appSecret: LARK_BOT_APP_SECRET }).start();
    const bot = await startLarkBot({ fake, clock, env: { LARK_TRANSPORT: 'ws' }, longConnection: { restartInitialMs: 300, restartMaxMs: 2000, watchEveryMs: 20 } });
    cleanup.push(async () => {
      await bot.stop();
      await gateway.stop();
      await fake.stop();
    });
    await gateway.waitForConnections(1);
    const text = await (await scrape(bot.base)).text();
    expect(sample(text, `coverage_bot_info{dialect="${testBackend}",transport="ws"}`)).toBe(1);
    expect(sample(text, 'coverage_bot_long_connection_connected')).toBe(1);
    expect(sample(text, 'coverage_bot_long_connection_state{state="connected"}')).toBe(1);
    expect(sample(text, 'coverage_bot_long_connection_restarts_total')).toBe(0);
  });
});
