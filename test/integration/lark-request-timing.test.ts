import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { createLarkClient } from '../../src/lark/client.ts';
import { silentLogger } from '../../src/logger.ts';
import type { RequestKind } from '../../src/outbox/pacer.ts';
import { runDelivery } from '../../src/outbox/send-slot.ts';
import { FakeLarkApi } from '../support/fake-lark.ts';

/**
 * Issue 18 item 5: the pacer counts each quota-counted request from when it leaves and, once its answer is in,
 * from the answer (Lark counted it somewhere in between). The real SDK client, through our http instance, tells
 * the current delivery both moments, on success and on failure; token calls are not counted.
 */

let fake: FakeLarkApi | null = null;
afterEach(async () => {
  await fake?.stop();
  fake = null;
});

async function timed(clock: ManualClock, send: () => Promise<unknown>): Promise<{ events: string[]; error: boolean }> {
  const events: string[] = [];
  const at = () => clock.now().getTime() - Date.parse('2020-09-28T01:00:00Z');
  const hook = {
    leaving: (kind: RequestKind) => void events.push(`leaving ${kind} +${at()}`),
    answered: (kind: RequestKind) => void events.push(`answered ${kind} +${at()}`),
  };
  let error = false;
  await runDelivery(hook, send).catch(() => {
    error = true;
  });
  return { events, error };
}

describe('request timing reported by the Lark transport', () => {
  it('reports a message leaving and its answer 40 ms later (the fake takes 40 ms); the token call is not counted', async () => {
    const clock = new ManualClock('2020-09-28T09:00:00+08:00');
    fake = await new FakeLarkApi(clock).takes('/im/v1/messages', 40).start();
    const { client } = createLarkClient({ appId: 'cli_timing', appSecret: 's', domain: fake.url, log: silentLogger });
    const sent = await timed(clock, () =>
      client.im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: 'oc_timing', msg_type: 'text', content: JSON.stringify({ text: '好' }) } }),
    );
    expect(sent).toEqual({ events: ['leaving message +0', 'answered message +40'], error: false });
    expect(fake.deliveries).toHaveLength(1);
  });

  it('reports the answer of a refused request too (HTTP 500), so a failed send is not counted from its settling', async () => {
    const clock = new ManualClock('2020-09-28T09:00:00+08:00');
    fake = await new FakeLarkApi(clock).takes('/im/v1/messages', 25).start();
    fake.failNext({ kind: 'status', status: 500 });
    const { client } = createLarkClient({ appId: 'cli_timing', appSecret: 's', domain: fake.url, log: silentLogger });
    const failed = await timed(clock, () =>
      client.im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: 'oc_timing', msg_type: 'text', content: JSON.stringify({ text: '好' }) } }),
    );
    expect(failed.error).toBe(true);
    expect(failed.events[0]).toBe('leaving message +0');
    expect(failed.events[1]).toMatch(/^answered message \+\d+$/);
    expect(failed.events).toHaveLength(2);
  });
});
