/**
 * Issue 12 item 13: a takeover-like message of Lark's maximum size (~150 KB) must not stall the bot. The reader
 * looks at no more than it needs, and every extractor is linear. The bounds are guards, not benchmarks.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { OffsetClock } from '../../src/clock.ts';
import { ADMIN } from '../support/harness.ts';
import { FAKE_BOT_OPEN_ID, FakeLarkApi } from '../support/fake-lark.ts';
import { startLarkBot } from '../support/lark-bot.ts';
import { messageEvent, signedRequest } from '../support/lark-events.ts';
import { Claims } from '../../src/understanding/spans.ts';
import { findDates } from '../../src/understanding/date-extract.ts';
import { findPhones } from '../../src/understanding/phone-extract.ts';
import { findCompanySpans, findNatureSpans } from '../../src/understanding/company-extract.ts';
import { claimCategories, claimManagers, claimServices } from '../../src/understanding/detail-extract.ts';
import { problemScore } from '../../src/understanding/grievance-words.ts';
import { foldWithMap } from '../../src/understanding/text-fold.ts';

/** About `bytes` of UTF-8 that read like a takeover report from start to end. */
function hugeReport(bytes: number): string {
  const unit = '福源公寓已入驻，鑫安物业，外聘，9月20日进驻，负责人王强 13905321234；';
  return unit.repeat(Math.floor(bytes / Buffer.byteLength(unit)));
}

type Bot = Awaited<ReturnType<typeof startLarkBot>>;
let fake: FakeLarkApi | null = null;
let bot: Bot | null = null;
afterEach(async () => {
  await bot?.stop();
  await fake?.stop();
  bot = null;
  fake = null;
});

describe('a 150 KB message', () => {
  it('leaves the webhook answering at once, and is answered politely without writing anything', async () => {
    const clock = new OffsetClock(new Date('2020-09-28T10:00:00+08:00'));
    fake = await new FakeLarkApi(clock).start();
    bot = await startLarkBot({ fake, clock, loops: true });
    const text = hugeReport(150_000);
    expect(Buffer.byteLength(text)).toBeGreaterThan(140_000);

    const sends = [text, `入驻 ${text}`, `投诉 ${text}`, `锦绣花园电梯坏了${text}`].map((t, i) =>
      messageEvent({ senderOpenId: ADMIN, text: t, botOpenId: FAKE_BOT_OPEN_ID, chatType: 'p2p', chatId: `oc_p2p_admin_${i}` }));
    for (const ev of sends) expect((await bot.post('/webhook/event', signedRequest(ev))).status).toBe(200);
    // While the worker reads the huge messages, a small event still gets its 200 well within Lark's 3 s.
    const started = Date.now();
    const small = await bot.post('/webhook/event', signedRequest(messageEvent({ senderOpenId: ADMIN, text: '进度', botOpenId: FAKE_BOT_OPEN_ID })));
    expect(small.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2000);

    await fake.waitForDeliveries(5, 10_000);
    const replies = sends.map((ev) => fake!.deliveries.find((d) => d.target === ev.event.message.message_id));
    for (const r of replies) expect(JSON.stringify(r?.content)).toMatch(/较长|精简/);
    const db = bot.runtime.db;
    expect(await db.selectFrom('takeovers').select('id').execute()).toEqual([]);
    expect(await db.selectFrom('grievances').select('id').execute()).toEqual([]);
  });

  it('is read by every extractor in linear time, even past the reader’s cap', () => {
    // 60,000 characters each, built to provoke backtracking or repeated scans in each extractor.
    const inputs = [
      hugeReport(150_000),
      '物业'.repeat(30_000), '鑫安物业服务有限公司'.repeat(6_000), '负责人'.repeat(20_000), '9月'.repeat(30_000), '1'.repeat(60_000),
      '服务内容：'.repeat(6_000) + '保洁、'.repeat(10_000), '经理'.repeat(30_000), '王'.repeat(60_000), '坏了没人管'.repeat(12_000),
    ];
    const started = Date.now();
    for (const s of inputs) {
      const claims = new Claims(s);
      findPhones(s).forEach((p) => claims.claim('phone', p.index, p.index + p.raw.length));
      findDates(s, '2020-09-28').forEach((d) => claims.claim('date', d.index, d.end));
      findNatureSpans(claims);
      findCompanySpans(claims, []);
      claimManagers(claims);
      claimCategories(claims);
      claimServices(claims);
      claims.leftovers();
      problemScore(s);
      foldWithMap(s);
    }
    // About a tenth of a second here; a quadratic scan of these inputs would take minutes.
    expect(Date.now() - started).toBeLessThan(8000);
  });
});
