import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { ADMIN } from '../support/harness.ts';
import { FAKE_BOT_OPEN_ID, FakeLarkApi } from '../support/fake-lark.ts';
import { startLarkBot } from '../support/lark-bot.ts';
import { messageEvent, signedRequest } from '../support/lark-events.ts';

/** DESIGN §4.4, the app-wide half of pacing: under 50 sends per second per app (the per-chat half is in lark-delivery). */

let fake: FakeLarkApi | null = null;
let bot: Awaited<ReturnType<typeof startLarkBot>> | null = null;
afterEach(async () => {
  await bot?.stop();
  await fake?.stop();
  bot = fake = null;
});

describe('outbox pacing across chats', () => {
  it('never sends more than 50 messages in any second when 120 replies to 40 chats are queued at once', async () => {
    const clock = new ManualClock('2020-09-28T09:00:00+08:00');
    fake = await new FakeLarkApi(clock).start();
    bot = await startLarkBot({ fake, clock });
    await bot.runtime.identity();
    await bot.runtime.sender.stop();
    for (let i = 0; i < 120; i++) {
      const ev = messageEvent({ senderOpenId: ADMIN, text: '帮助', botOpenId: FAKE_BOT_OPEN_ID, chatId: `oc_pacing_${i % 40}` });
      expect((await bot.post('/webhook/event', signedRequest(ev))).status).toBe(200);
    }
    await bot.runtime.worker.drain();
    bot.runtime.sender.start();
    for (let step = 0; step < 200 && fake.deliveries.length < 120; step++) {
      await bot.runtime.settle();
      clock.advance(50);
    }
    expect(fake.deliveries).toHaveLength(120);
    const times = fake.deliveries.map((d) => d.at).sort((a, b) => a - b);
    for (const t of times) expect(times.filter((x) => x >= t && x < t + 1000).length).toBeLessThanOrEqual(50);
    // The queue is not starved either: 120 messages take three seconds of the bot's clock, not more.
    expect(times.at(-1)! - times[0]!).toBeLessThan(3000);
  });
});
