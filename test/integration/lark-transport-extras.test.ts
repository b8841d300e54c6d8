import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManualClock } from '../../src/clock.ts';
import { defineCardAction, defineCommand, type FeatureModule } from '../../src/bot/command.ts';
import { openTestDatabase } from '../support/test-database.ts';
import { Pacer } from '../../src/outbox/pacer.ts';
import { features } from '../../commands/index.ts';
import { ADMIN } from '../support/harness.ts';
import { FAKE_BOT_OPEN_ID, FakeLarkApi } from '../support/fake-lark.ts';
import { startLarkBot } from '../support/lark-bot.ts';
import { cardEvent, messageEvent, signedRequest } from '../support/lark-events.ts';

let release: () => void = () => undefined;
const gate = () => new Promise<void>((resolve) => { release = resolve; });

const testFeature: FeatureModule = {
  commands: [
    defineCommand({
      name: '测试文件', aliases: ['testfile'], summary: 't', usage: '测试文件', examples: [], access: 'bound', args: z.object({}),
      async handler(ctx) {
        await ctx.reply({ type: 'file', fileName: '测试.xlsx', data: Buffer.from('PK fake workbook bytes') });
      },
    }),
    defineCommand({
      name: '测试错误', aliases: ['testboom'], summary: 't', usage: '测试错误', examples: [], access: 'bound', args: z.object({}),
      async handler(ctx) {
        await ctx.audit({ action: 'should-roll-back', entity: 'x', entityId: 1, before: null, after: null });
        throw new Error('boom with secret detail');
      },
    }),
  ],
  cardActions: [
    defineCardAction({
      kind: 'test.slow',
      value: z.object({ a: z.literal('test.slow') }),
      async handler() {
        await gate();
        return { toast: { type: 'success', content: '完成' }, card: { schema: '2.0', header: { title: { tag: 'plain_text', content: '已完成' } }, body: { elements: [] } } };
      },
    }),
  ],
};

let fake: FakeLarkApi | null = null;
let bots: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  release();
  for (const b of bots) await b.stop();
  bots = [];
  await fake?.stop();
  fake = null;
});

const ev = (text: string, o: Partial<Parameters<typeof messageEvent>[0]> = {}) => messageEvent({ senderOpenId: ADMIN, text, botOpenId: FAKE_BOT_OPEN_ID, ...o });

describe('Lark transport, further', () => {
  it('uploads a file through im/v1/files and sends a file message in reply', async () => {
    const clock = new ManualClock('2020-09-28T09:00:00+08:00');
    fake = await new FakeLarkApi(clock).start();
    const bot = await startLarkBot({ fake, clock, features: [...features, testFeature] });
    bots.push(bot);
    const e = ev('测试文件');
    await bot.post('/webhook/event', signedRequest(e));
    await bot.runtime.settle();
    expect(fake.uploads).toHaveLength(1);
    expect(fake.uploads[0]!.fileName).toBe('测试.xlsx');
    const upload = fake.calls.find((c) => c.path === '/open-apis/im/v1/files')!;
    expect(upload.parts).toEqual(expect.arrayContaining(['file_type', 'file_name', 'file']));
    expect(fake.deliveries).toEqual([expect.objectContaining({ kind: 'reply', target: e.event.message.message_id, msgType: 'file', content: { file_key: fake.uploads[0]!.fileKey } })]);
  });

  it('answers an unexpected failure with a reference id, rolls back its writes and logs the rest', async () => {
    const clock = new ManualClock('2020-09-28T09:00:00+08:00');
    fake = await new FakeLarkApi(clock).start();
    const bot = await startLarkBot({ fake, clock, features: [...features, testFeature] });
    bots.push(bot);
    await bot.post('/webhook/event', signedRequest(ev('测试错误')));
    await bot.runtime.settle();
    const text = String(fake.deliveries[0]!.content!.text);
    expect(text).toMatch(/编号 E[0-9A-Z]{6}/);
    expect(text).not.toContain('boom');
    expect(await bot.runtime.db.selectFrom('audit_log').selectAll().where('action', '=', 'should-roll-back').execute()).toEqual([]);
    const row = await bot.runtime.db.selectFrom('inbox_events').select(['status', 'error']).executeTakeFirstOrThrow();
    expect(row.status).toBe('failed');
    expect(text).toContain(row.error!);
  });

  it('picks up events stored but not processed before a restart', async () => {
    const clock = new ManualClock('2020-09-28T09:00:00+08:00');
    fake = await new FakeLarkApi(clock).start();
    const database = openTestDatabase();
    const first = await startLarkBot({ fake, clock, database });
    // As if the process died right after answering 200: nothing gets processed.
    await first.runtime.worker.stop();
    const events = [ev('进度'), ev('帮助'), ev('我是谁')];
    for (const e of events) expect((await first.post('/webhook/event', signedRequest(e))).status).toBe(200);
    await first.stop();
    expect(fake.deliveries).toEqual([]);
    const second = await startLarkBot({ fake, clock, database });
    bots.push(second, { stop: () => database.close() });
    await second.runtime.settle();
    expect(fake.deliveries.map((d) => d.target).sort()).toEqual(events.map((e) => e.event.message.message_id).sort());
  });

  it('answers a slow card action within the budget with a toast, then patches the card when the work is done', async () => {
    const clock = new ManualClock('2020-09-28T09:00:00+08:00');
    fake = await new FakeLarkApi(clock).start();
    const bot = await startLarkBot({ fake, clock, features: [...features, testFeature], cardAnswerBudgetMs: 200 });
    bots.push(bot);
    const t0 = Date.now();
    const res = await bot.post('/webhook/card', signedRequest(cardEvent({ operatorOpenId: ADMIN, value: { a: 'test.slow' }, messageId: 'om_card_slow' })));
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(((await res.json()) as { toast: { content: string } }).toast.content).toBe('已收到，正在处理。');
    release();
    for (let i = 0; i < 50 && !fake.deliveries.some((d) => d.kind === 'patch'); i++) {
      await bot.runtime.settle();
      await new Promise((r) => setImmediate(r));
    }
    const patch = fake.deliveries.find((d) => d.kind === 'patch')!;
    expect(patch.target).toBe('om_card_slow');
    expect(JSON.stringify(patch.content)).toContain('已完成');
  });

  it('keeps the whole app under 50 sends in any second across many chats', async () => {
    const clock = new ManualClock('2020-09-28T09:00:00+08:00');
    fake = await new FakeLarkApi(clock).start();
    const bot = await startLarkBot({ fake, clock, pacer: new Pacer(5, 50) });
    bots.push(bot);
    for (let i = 0; i < 120; i++) await bot.post('/webhook/event', signedRequest(ev('帮助', { chatId: `oc_chat_${i % 40}` })));
    for (let step = 0; step < 200 && fake.deliveries.length < 120; step++) {
      await bot.runtime.settle();
      clock.advance(100);
    }
    expect(fake.deliveries).toHaveLength(120);
    const times = fake.deliveries.map((d) => d.at).sort((a, b) => a - b);
    for (const t of times) expect(times.filter((x) => x >= t && x < t + 1000).length).toBeLessThanOrEqual(50);
  });
});
