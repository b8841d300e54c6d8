import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { createLogger } from '../../src/logger.ts';
import { ADMIN } from '../support/harness.ts';
import { FAKE_BOT_OPEN_ID, FakeLarkApi } from '../support/fake-lark.ts';
import { startLarkBot } from '../support/lark-bot.ts';
import { ENCRYPT_KEY, VERIFICATION_TOKEN, messageEvent, signedRequest } from '../support/lark-events.ts';

/** DESIGN §4.6: logs never contain the app secret, the encrypt key, a full phone number, or message text at info level. */

const APP_SECRET = 'app-secret-Qw7Er9Ty1Ui3';
const API_TOKEN = 'api-token-Zx8Cv6Bn4Mm2';
const PHONE = '13905321234';
const ZHANGSAN = 'ou_log_zhangsan_0001';
const TAKEOVER_TEXT = `福源公寓已入驻，鑫安物业，外聘，9月20日进驻，负责人王强 ${PHONE}`;
const SECRET_TEXTS = ['我家楼道灯坏了三天了', '紫薇花园噪音扰民'];

/** Runs a whole conversation through the real bot in Lark mode and returns every log line it wrote. */
async function conversationLog(level: string): Promise<string[]> {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const clock = new ManualClock('2020-09-28T09:00:00+08:00');
  const fake = await new FakeLarkApi(clock).start();
  const bot = await startLarkBot({ fake, clock, log: createLogger(level, sink), env: { LARK_APP_SECRET: APP_SECRET, API_TOKEN } });
  const say = async (sender: string, text: string, o: Partial<Parameters<typeof messageEvent>[0]> = {}) => {
    const res = await bot.post('/webhook/event', signedRequest(messageEvent({ senderOpenId: sender, text, botOpenId: FAKE_BOT_OPEN_ID, ...o })));
    expect(res.status).toBe(200);
    await bot.runtime.settle();
  };
  try {
    // Binding, progress, a report with a phone number, free text.
    await say(ADMIN, '绑定 @张三 社区 梅园社区', { others: [{ openId: ZHANGSAN, name: '张三' }] });
    await say(ZHANGSAN, '进度', { chatType: 'p2p', chatId: 'oc_p2p_zhangsan', mentionBot: false });
    await say(ZHANGSAN, TAKEOVER_TEXT, { chatId: 'oc_meiyuan_group' });
    await say(ZHANGSAN, `${SECRET_TEXTS[0]}，电话 139-0532-1234`, { chatId: 'oc_meiyuan_group' });
    // A bad signature, and a wrong bearer token on the API.
    const bad = signedRequest(messageEvent({ senderOpenId: ADMIN, text: SECRET_TEXTS[1]!, botOpenId: FAKE_BOT_OPEN_ID }));
    bad.headers['x-lark-signature'] = '0'.repeat(64);
    expect((await bot.post('/webhook/event', bad)).status).toBe(401);
    expect((await fetch(`${bot.base}/api/v1/progress`, { headers: { authorization: `Bearer ${API_TOKEN}x` } })).status).toBe(401);
    expect((await fetch(`${bot.base}/api/v1/progress`, { headers: { authorization: `Bearer ${API_TOKEN}` } })).status).toBe(200);
    // An Open API failure (500, then a connection reset), retried later.
    fake.failNext({ kind: 'status', status: 500 });
    fake.failNext({ kind: 'reset' });
    await say(ADMIN, '进度');
    clock.advance(10_000);
    await bot.runtime.settle();
    clock.advance(10_000);
    await bot.runtime.settle();
    // The token is rejected: the bot fetches a new one.
    fake.revokeTokens();
    await say(ADMIN, '帮助');
    expect(fake.calls.filter((c) => c.path.endsWith('/tenant_access_token/internal')).length).toBe(2);
    expect(fake.deliveries.length).toBe(6);
  } finally {
    await bot.stop();
    await fake.stop();
  }
  return lines;
}

const secrets = { 'app secret': APP_SECRET, 'encrypt key': ENCRYPT_KEY, 'verification token': VERIFICATION_TOKEN, 'API token': API_TOKEN, 'tenant token': 't-fake-', 'full phone number': PHONE, 'dashed phone number': '139-0532-1234' };
const messageTexts = [TAKEOVER_TEXT, '鑫安物业', '负责人王强', '福源公寓已入驻', ...SECRET_TEXTS, '绑定 @', '@_user_1'];

describe('log redaction', () => {
  for (const level of ['trace', 'info']) {
    it(`at level ${level}, no log line holds a secret or a full phone number${level === 'info' ? ', nor message text' : ''}`, async () => {
      const lines = await conversationLog(level);
      // At info the per-event "stored" lines are gone (debug since issue 18); refusals and send failures remain.
      expect(lines.length).toBeGreaterThan(level === 'info' ? 2 : 5);
      expect(lines.some((l) => l.includes('outbox send failed'))).toBe(true);
      for (const [what, value] of Object.entries(secrets)) {
        expect(lines.filter((l) => l.includes(value)), `${what} in the log`).toEqual([]);
      }
      if (level === 'info') {
        for (const text of messageTexts) expect(lines.filter((l) => l.includes(text)), `message text “${text}” in the log`).toEqual([]);
      }
    });
  }
});

describe('the logger itself', () => {
  it('redacts secret-named fields, message text and bodies, and masks phone numbers in messages and errors', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const log = createLogger('trace', sink);
    log.info({ appSecret: APP_SECRET, config: { encryptKey: ENCRYPT_KEY, token: VERIFICATION_TOKEN }, authorization: `Bearer ${API_TOKEN}` }, 'configured');
    log.info({ message: { text: TAKEOVER_TEXT, content: JSON.stringify({ text: TAKEOVER_TEXT }) }, phone: PHONE }, 'message');
    log.warn(`call the manager at ${PHONE} or 0632-8869917`);
    log.error({ err: new Error(`insert failed for ${PHONE}`) }, 'failed');
    const all = lines.join('');
    for (const value of [APP_SECRET, ENCRYPT_KEY, VERIFICATION_TOKEN, API_TOKEN, PHONE, '8869917', '鑫安物业']) expect(all).not.toContain(value);
    expect(all).toContain('139****1234');
    expect(all).toContain('[redacted]');
  });
});
