import * as lark from '@larksuiteoapi/node-sdk';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { v2EnvelopeSchema } from '../../src/lark/envelope.ts';
import { envelopeFromDispatched, restartDelay } from '../../src/lark/long-connection.ts';
import { larkCallbackAnswer } from '../../src/lark/card-answer.ts';
import { APP_ID, cardEvent, messageEvent } from '../support/lark-events.ts';

const silent: lark.Logger = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined, trace: () => undefined };

/** What the SDK's EventDispatcher hands a handler for this envelope (it spreads header and event into one object). */
async function dispatched(envelope: { header: { event_type: string } }): Promise<Record<string, unknown>> {
  let got: Record<string, unknown> = {};
  const d = new lark.EventDispatcher({ logger: silent }).register({
    [envelope.header.event_type]: async (data: Record<string, unknown>) => {
      got = data;
    },
  } as Record<string, (data: Record<string, unknown>) => Promise<void>>);
  await d.invoke(envelope, { needCheck: false });
  return got;
}

describe('long connection: envelopes from the SDK dispatcher', () => {
  it('puts a message event back together as the webhook receives it (without the header token)', async () => {
    const env = messageEvent({ senderOpenId: 'ou_a', text: '进度', botOpenId: 'ou_bot' });
    const rebuilt = v2EnvelopeSchema.parse(envelopeFromDispatched(await dispatched(env)));
    const { token: _token, ...header } = env.header;
    expect(rebuilt.header).toEqual(header);
    expect(rebuilt.event.message).toEqual(env.event.message);
    expect(rebuilt.event.sender).toEqual(env.event.sender);
  });

  it('keeps a card callback’s own token, action and context', async () => {
    const env = cardEvent({ operatorOpenId: 'ou_op', value: { a: 'x.confirm', t: 'tok' }, formValue: { company: '鑫安物业' }, messageId: 'om_1', chatId: 'oc_1' });
    const rebuilt = v2EnvelopeSchema.parse(envelopeFromDispatched(await dispatched(env)));
    expect(rebuilt.header.event_id).toBe(env.header.event_id);
    expect(rebuilt.header.app_id).toBe(APP_ID);
    expect(rebuilt.event).toEqual(env.event);
  });
});

describe('long connection: restart backoff', () => {
  it('doubles per failure up to the cap, with half of each delay random', () => {
    expect([0, 1, 2, 3, 10].map((n) => restartDelay(n, 1000, 30_000, () => 0))).toEqual([500, 1000, 2000, 4000, 15_000]);
    expect([0, 1, 2, 3, 10].map((n) => restartDelay(n, 1000, 30_000, () => 0.999999))).toEqual([1000, 2000, 4000, 8000, 30_000]);
    expect(restartDelay(500, 1000, 30_000, () => 0.5)).toBe(22_500);
  });
});

describe('card answers in Lark’s callback format', () => {
  it('wraps a card as a raw card and keeps the toast; an empty answer stays empty', () => {
    const card = { schema: '2.0', body: { elements: [] } };
    expect(larkCallbackAnswer({ toast: { type: 'success', content: '已撤销' }, card })).toEqual({ toast: { type: 'success', content: '已撤销' }, card: { type: 'raw', data: card } });
    expect(larkCallbackAnswer({ toast: { type: 'info', content: '已收到' } })).toEqual({ toast: { type: 'info', content: '已收到' } });
    expect(larkCallbackAnswer({})).toEqual({});
  });
});

describe('LARK_TRANSPORT', () => {
  const app = { LARK_APP_ID: APP_ID, LARK_APP_SECRET: 's' };
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return [];
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      return e.problems;
    }
  };

  it('defaults to the webhook, accepts ws in any case', () => {
    expect(loadConfig(app).lark?.transport).toBe('webhook');
    expect(loadConfig({ ...app, LARK_TRANSPORT: ' WS ' }).lark?.transport).toBe('ws');
    expect(loadConfig({ ...app, LARK_TRANSPORT: '' }).lark?.transport).toBe('webhook');
  });

  it('refuses an unknown transport, ws without an app, and an app id the long-connection client would not take', () => {
    expect(problems({ ...app, LARK_TRANSPORT: 'websocket' })).toEqual([expect.stringMatching(/^LARK_TRANSPORT: must be "webhook".*"ws"/)]);
    expect(problems({ LARK_TRANSPORT: 'ws' })).toEqual([expect.stringMatching(/^LARK_TRANSPORT: ws needs a Lark app/)]);
    expect(problems({ LARK_APP_ID: 'cli_a', LARK_APP_SECRET: 's', LARK_TRANSPORT: 'ws' })).toEqual([expect.stringMatching(/^LARK_APP_ID: .*cli_ and 16 hex digits/)]);
    expect(problems({ LARK_APP_ID: 'cli_a', LARK_APP_SECRET: 's' })).toEqual([]);
  });
});
