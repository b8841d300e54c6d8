import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { encryptLarkPayload } from '../../src/lark/crypto.ts';
import { ADMIN } from '../support/harness.ts';
import { FAKE_BOT_OPEN_ID, FakeLarkApi } from '../support/fake-lark.ts';
import { startLarkBot } from '../support/lark-bot.ts';
import { ENCRYPT_KEY, VERIFICATION_TOKEN, cardEvent, messageEvent, signedRequest } from '../support/lark-events.ts';

describe('webhook: verification, challenge and refusals', () => {
  let fake: FakeLarkApi;
  let bot: Awaited<ReturnType<typeof startLarkBot>>;
  const clock = new ManualClock('2020-09-28T09:00:00+08:00');

  beforeEach(async () => {
    fake = await new FakeLarkApi(clock).start();
    bot = await startLarkBot({ fake, clock });
  });
  afterEach(async () => {
    await bot.stop();
    await fake.stop();
  });

  const inboxCount = async () => Number((await bot.runtime.db.selectFrom('inbox_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const event = () => messageEvent({ senderOpenId: ADMIN, text: '进度', botOpenId: FAKE_BOT_OPEN_ID });

  it('answers the encrypted challenge, which carries no signature headers', async () => {
    const body = JSON.stringify({ encrypt: encryptLarkPayload(ENCRYPT_KEY, JSON.stringify({ type: 'url_verification', challenge: 'c-123', token: VERIFICATION_TOKEN })) });
    const res = await bot.post('/webhook/event', { body, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: 'c-123' });
  });

  it('answers the plain challenge with the right token, and refuses a wrong token', async () => {
    const ok = await bot.post('/webhook/card', { body: JSON.stringify({ type: 'url_verification', challenge: 'plain-1', token: VERIFICATION_TOKEN }), headers: { 'content-type': 'application/json' } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ challenge: 'plain-1' });
    const bad = await bot.post('/webhook/event', { body: JSON.stringify({ type: 'url_verification', challenge: 'plain-2', token: 'nope' }), headers: { 'content-type': 'application/json' } });
    expect(bad.status).toBe(401);
  });

  it('refuses a bad signature with 401 and stores nothing', async () => {
    const req = signedRequest(event());
    req.headers['x-lark-signature'] = req.headers['x-lark-signature']!.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'));
    expect((await bot.post('/webhook/event', req)).status).toBe(401);
    const unsigned = signedRequest(event());
    delete unsigned.headers['x-lark-signature'];
    expect((await bot.post('/webhook/event', unsigned)).status).toBe(401);
    const otherKey = signedRequest(event(), { encryptKey: 'another-key' });
    expect((await bot.post('/webhook/event', otherKey)).status).toBe(401);
    expect(await inboxCount()).toBe(0);
  });

  it('refuses a wrong verification token or app id with 401 and stores nothing', async () => {
    const wrongToken = messageEvent({ senderOpenId: ADMIN, text: '进度', botOpenId: FAKE_BOT_OPEN_ID, token: 'wrong-token' });
    expect((await bot.post('/webhook/event', signedRequest(wrongToken))).status).toBe(401);
    const wrongApp = messageEvent({ senderOpenId: ADMIN, text: '进度', botOpenId: FAKE_BOT_OPEN_ID, appId: 'cli_other_app_000' });
    expect((await bot.post('/webhook/event', signedRequest(wrongApp))).status).toBe(401);
    expect(await inboxCount()).toBe(0);
  });

  it('refuses malformed JSON with 400 and an over-256-KB body with 413, storing nothing', async () => {
    const malformed = '{"encrypt": "abc"';
    const ts = '1700000000';
    const { larkSignature } = await import('../../src/lark/crypto.ts');
    const sig = larkSignature(ts, 'n', ENCRYPT_KEY, Buffer.from(malformed));
    const r1 = await bot.post('/webhook/event', { body: malformed, headers: { 'content-type': 'application/json', 'x-lark-request-timestamp': ts, 'x-lark-request-nonce': 'n', 'x-lark-signature': sig } });
    expect(r1.status).toBe(400);
    const big = signedRequest({ ...event(), padding: 'x'.repeat(300 * 1024) });
    expect((await bot.post('/webhook/event', big)).status).toBe(413);
    const notJson = await bot.post('/webhook/event', { body: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(notJson.status).toBe(400);
    expect(await inboxCount()).toBe(0);
  });

  it('ignores a message from another bot and stores nothing for it', async () => {
    const fromBot = messageEvent({ senderOpenId: 'ou_other_bot', senderType: 'app', text: '进度', botOpenId: FAKE_BOT_OPEN_ID });
    const res = await bot.post('/webhook/event', signedRequest(fromBot));
    expect(res.status).toBe(200);
    expect(await inboxCount()).toBe(0);
  });

  it('drops a group message that certainly does not address the bot before storing it (200, nothing stored, no reply)', async () => {
    const plain = messageEvent({ senderOpenId: ADMIN, text: '进度', botOpenId: FAKE_BOT_OPEN_ID, mentionBot: false });
    expect((await bot.post('/webhook/event', signedRequest(plain))).status).toBe(200);
    // Mentioning someone else is certain chatter too, once the bot knows its own open_id.
    await bot.runtime.identity();
    const other = messageEvent({ senderOpenId: ADMIN, text: '@王五 进度', botOpenId: FAKE_BOT_OPEN_ID, mentionBot: false, others: [{ openId: 'ou_wangwu', name: '王五' }] });
    expect((await bot.post('/webhook/event', signedRequest(other))).status).toBe(200);
    await bot.runtime.settle();
    expect(fake.deliveries).toEqual([]);
    expect(await inboxCount()).toBe(0);
  });

  it('stores what the event alone cannot decide: a reply without a mention is looked up, then ignored when its parent is not the bot’s', async () => {
    const reply = messageEvent({ senderOpenId: ADMIN, text: '进度', botOpenId: FAKE_BOT_OPEN_ID, mentionBot: false, parentId: 'om_someone_elses' });
    expect((await bot.post('/webhook/event', signedRequest(reply))).status).toBe(200);
    await bot.runtime.settle();
    expect(fake.deliveries).toEqual([]);
    const row = await bot.runtime.db.selectFrom('inbox_events').select('status').executeTakeFirstOrThrow();
    expect(row.status).toBe('ignored');
  });

  it('answers a card callback within the request with a toast (an unknown card is refused politely)', async () => {
    const res = await bot.post('/webhook/card', signedRequest(cardEvent({ operatorOpenId: ADMIN, value: { a: 'no.such.card', t: 'x' } })));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { toast?: { content: string } };
    expect(body.toast?.content).toContain('卡片已失效');
  });

  it('refuses an encrypted body it cannot decrypt even with a valid signature over it', async () => {
    const body = JSON.stringify({ encrypt: crypto.randomBytes(48).toString('base64') });
    const ts = '1700000001';
    const { larkSignature } = await import('../../src/lark/crypto.ts');
    const sig = larkSignature(ts, 'n2', ENCRYPT_KEY, Buffer.from(body));
    const res = await bot.post('/webhook/event', { body, headers: { 'content-type': 'application/json', 'x-lark-request-timestamp': ts, 'x-lark-request-nonce': 'n2', 'x-lark-signature': sig } });
    expect(res.status).toBe(400);
    expect(await inboxCount()).toBe(0);
  });
});
