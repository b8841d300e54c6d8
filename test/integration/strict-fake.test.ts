import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManualClock } from '../../src/clock.ts';
import { defineCommand, type FeatureModule } from '../../src/bot/command.ts';
import { createLarkClient } from '../../src/lark/client.ts';
import { larkCallbackAnswer } from '../../src/lark/card-answer.ts';
import { silentLogger } from '../../src/logger.ts';
import { features } from '../../commands/index.ts';
import { card, markdown } from '../../cards/kit.ts';
import { checkCallbackAnswer, checkCard } from '../support/card-rules.ts';
import { FakeLarkApi } from '../support/fake-lark.ts';
import { startLarkSession, type LarkSession } from '../support/lark-session.ts';
import { takeViolations } from '../support/strict.ts';

const good = () => card('标题', [markdown('正文')]);
const withElements = (n: number) => ({
  schema: '2.0',
  header: { title: { tag: 'plain_text', content: 't' } },
  body: { elements: Array.from({ length: n - 1 }, () => ({ tag: 'hr' })) },
});

describe('the card checker (written from card-v2-rules.md)', () => {
  it('accepts the bot’s own kinds of card and a card of exactly 200 elements', () => {
    expect(checkCard(good())).toEqual([]);
    expect(checkCard(withElements(200))).toEqual([]);
  });

  it('refuses an unknown property with 230099 / 200621 and Lark’s path', () => {
    const c = { ...good(), body: { elements: [{ tag: 'markdown', content: 'x', text_color: 'red' }] } };
    expect(checkCard(c)).toEqual([expect.objectContaining({ code: 230099, sub: 200621, path: 'ROOT -> body -> elements[0](tag: markdown)', message: 'unknown property, property: text_color' })]);
    const text = { ...good(), body: { elements: [{ tag: 'button', text: { tag: 'plain_text', content: 'b', text_weight: 'bold' } }] } };
    expect(checkCard(text)[0]).toMatchObject({ sub: 200621, message: 'unknown property, property: text_weight' });
  });

  it('refuses a card of 201 elements with 11310, and one over 30 KB with 230025', () => {
    expect(checkCard(withElements(201))).toEqual([expect.objectContaining({ code: 230099, sub: 11310 })]);
    const big = card('大', [markdown('字'.repeat(11_000))]);
    expect(checkCard(big).map((p) => p.code)).toContain(230025);
  });

  it('refuses what 2.0 dropped or forbids: action/note modules, a root elements, an empty select, a form in a column, a form without submit, update_multi false', () => {
    const subs = (c: unknown) => checkCard(c).map((p) => p.sub ?? p.code);
    expect(subs({ ...good(), body: { elements: [{ tag: 'action', actions: [] }] } })).toEqual([200861]);
    expect(subs({ ...good(), elements: [] })).toEqual([200621]);
    expect(subs({ ...good(), body: { elements: [{ tag: 'form', name: 'f', elements: [{ tag: 'select_static', name: 's', options: [] }, { tag: 'button', name: 'b', text: { tag: 'plain_text', content: 'ok' }, form_action_type: 'submit' }] }] } })).toEqual([200621]);
    expect(subs({ ...good(), body: { elements: [{ tag: 'column_set', columns: [{ tag: 'column', elements: [{ tag: 'form', name: 'f', elements: [] }] }] }] } })).toContain(200621);
    expect(subs({ ...good(), body: { elements: [{ tag: 'form', name: 'f', elements: [{ tag: 'input', name: 'i' }] }] } })).toEqual([300123]);
    expect(subs({ ...good(), config: { update_multi: false } })).toEqual([200621]);
    expect(subs({ ...good(), body: { elements: [{ tag: 'markdown', content: '<at id=all></at>' }] } })).toEqual([100290]);
  });

  it('refuses a bare card in a callback answer; accepts {toast, card: {type: "raw", data}}', () => {
    expect(checkCallbackAnswer({ toast: { type: 'success', content: '好' }, card: good() })).toEqual([expect.objectContaining({ code: 200672 })]);
    expect(checkCallbackAnswer({ toast: { type: 'success', content: '好' }, card: { type: 'raw', data: good() } })).toEqual([]);
    expect(checkCallbackAnswer({})).toEqual([]);
    expect(checkCallbackAnswer({ card: { type: 'raw', data: withElements(201) } })).toEqual([expect.objectContaining({ code: 200673 })]);
    expect(checkCallbackAnswer({ card: { type: 'raw', data: { header: {}, elements: [] } } }).map((p) => p.code)).toContain(200830);
    // The bot's answers go out through larkCallbackAnswer, which gives exactly the accepted shape.
    expect(checkCallbackAnswer(larkCallbackAnswer({ toast: { type: 'info', content: 'x' }, card: good() }))).toEqual([]);
    expect(larkCallbackAnswer({})).toEqual({});
  });
});

describe('the strict fake Open API, through the real SDK client', () => {
  let fake: FakeLarkApi | null = null;
  let session: LarkSession | null = null;
  afterEach(async () => {
    await session?.stop();
    session = null;
    await fake?.stop();
    fake = null;
  });

  it('refuses a bad card on send, reply, PATCH and delayed update with HTTP 400 and Lark’s codes', async () => {
    fake = await new FakeLarkApi(new ManualClock('2020-09-28T09:00:00+08:00')).start();
    const { client } = createLarkClient({ appId: 'cli_x', appSecret: 's', domain: fake.url, log: silentLogger });
    const failure = async (p: Promise<unknown>) => {
      try {
        await p;
        return null;
      } catch (err) {
        const e = err as { response?: { status: number; data: { code: number; msg: string } } };
        return { status: e.response?.status, code: e.response?.data.code, msg: e.response?.data.msg };
      }
    };
    const unknownProp = { ...good(), body: { elements: [{ tag: 'markdown', content: 'x', corner_radius: '4px' }] } };
    const sent = await failure(client.im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: 'oc_1', msg_type: 'interactive', content: JSON.stringify(unknownProp) } }));
    expect(sent).toMatchObject({ status: 400, code: 230099 });
    expect(sent!.msg).toContain('ErrCode: 200621; ErrPath: ROOT -> body -> elements[0](tag: markdown); ErrMsg: unknown property, property: corner_radius');
    const replied = await failure(client.im.message.reply({ path: { message_id: 'om_1' }, data: { msg_type: 'interactive', content: JSON.stringify(withElements(201)) } }));
    expect(replied).toMatchObject({ status: 400, code: 230099, msg: expect.stringContaining('ErrCode: 11310') });
    const patched = await failure(client.im.message.patch({ path: { message_id: 'om_1' }, data: { content: JSON.stringify(card('大', [markdown('字'.repeat(11_000))])) } }));
    expect(patched).toMatchObject({ status: 400, code: 230025 });
    const updated = await failure(client.request({ method: 'POST', url: '/open-apis/interactive/v1/card/update', data: { token: 'c-1', card: { ...good(), i18n_elements: {} } } }));
    expect(updated).toMatchObject({ status: 400, code: 230099, msg: expect.stringContaining('ErrCode: 200861') });
    // A good card goes through, and a text message cannot be PATCHed.
    const ok = (await client.im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: 'oc_1', msg_type: 'text', content: JSON.stringify({ text: 'hi' }) } })) as { data?: { message_id?: string } };
    expect(await failure(client.im.message.patch({ path: { message_id: ok.data!.message_id! }, data: { content: JSON.stringify(good()) } }))).toMatchObject({ status: 400, code: 230001 });
    expect(fake.refusals.map((r) => r.code)).toEqual([230099, 230099, 230025, 230099, 230001]);
    expect(takeViolations()).toHaveLength(5);
  });

  it('makes the bot’s outbox record Lark’s refusal as a permanent failure, and fails the test unless taken', async () => {
    const broken: FeatureModule = {
      commands: [defineCommand({
        name: '坏卡片', aliases: ['badcard'], summary: 't', usage: '坏卡片', examples: [], access: 'anyone', args: z.object({}),
        async handler(ctx) {
          await ctx.reply({ type: 'card', card: { ...good(), body: { elements: [{ tag: 'note', elements: [] }] } } });
        },
      })],
    };
    session = await startLarkSession({ features: [...features, broken] });
    expect(await session.say('admin', '坏卡片')).toEqual([]);
    const row = await session.db.selectFrom('outbox_messages').select(['status', 'last_error']).where('msg_type', '=', 'interactive').executeTakeFirstOrThrow();
    expect(row.status).toBe('dead');
    expect(row.last_error).toContain('230099');
    expect(takeViolations().join('\n')).toContain('200861');
  });
});
