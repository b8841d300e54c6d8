import { expect } from 'vitest';
import { ADMIN, chatIdOf, openIdOf } from './harness.ts';
import { FAKE_BOT_OPEN_ID } from './fake-lark.ts';
import type { startLarkBot } from './lark-bot.ts';
import { messageEvent, signedRequest } from './lark-events.ts';

type LarkBot = Awaited<ReturnType<typeof startLarkBot>>;

/**
 * Sends `text` as `from` to the bot in Lark mode, signed and encrypted as Lark sends it, mentioning the bot and
 * `others` (written `@name` in the text); then lets the bot process and send. `chat` names a group; none = p2p.
 */
export async function larkSay(bot: LarkBot, from: string, text: string, o: { chat?: string; others?: string[] } = {}): Promise<void> {
  const ev = messageEvent({
    senderOpenId: from === 'admin' ? ADMIN : openIdOf(from),
    text,
    botOpenId: FAKE_BOT_OPEN_ID,
    chatId: o.chat ? chatIdOf(o.chat) : chatIdOf(`p2p:${from}`),
    chatType: o.chat ? 'group' : 'p2p',
    others: (o.others ?? []).map((name) => ({ openId: openIdOf(name), name })),
    // Sent "now" on the bot's clock: a date written without a year is read in the message's year.
    createTime: bot.runtime.deps.clock.now().getTime(),
  });
  expect((await bot.post('/webhook/event', signedRequest(ev))).status).toBe(200);
  await bot.runtime.settle();
}

/** Moves the clock, runs what is due and sends it. */
export async function larkTickAt(bot: LarkBot, clock: { set(iso: string): void }, iso: string): Promise<void> {
  clock.set(iso);
  await bot.runtime.tick();
  await bot.runtime.settle();
}
