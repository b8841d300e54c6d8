import { UserError, referenceId } from '../errors.ts';
import type { Db } from '../db/connect.ts';
import type { InboxEventRow } from '../db/schema.ts';
import { type Actor, resolveActor } from '../auth/actor.ts';
import { notAuthorisedMessage } from '../auth/scope.ts';
import { findChatBinding } from '../domain/chats.ts';
import { adminContacts } from '../domain/people.ts';
import { chatTypeOf } from '../domain/chat-types.ts';
import { responseForAudience } from '../outbox/audience.ts';
import { inboxResponse, markEventDone } from '../db/inbox-store.ts';
import { isBotMessage } from '../db/bot-messages-store.ts';
import { inTransaction } from '../db/transaction.ts';
import type { Processed } from '../inbox/worker.ts';
import { enqueueCardPatch } from '../outbox/enqueue.ts';
import { parseArgs, tokenize } from './args.ts';
import type { Access } from './command.ts';
import { type BotContext, type BotDeps, type CardContext, createCardContext, createMessageContext } from './context.ts';
import type { Registry } from './registry.ts';
import type { CardAction, CardResponse, IncomingMessage, UnsupportedContent } from './types.ts';
import { isBusyError, isSerializationFailure } from '../db/errors.ts';

class RolledBack extends Error {}

/**
 * The database was busy or locked: nothing was written and the event is not at fault. The worker retries it
 * when its lease runs out, instead of answering the person with an error.
 */
/** The database was busy or the transaction lost a race with another writer: the worker tries the event again. */
const isTransientDbError = (err: unknown) => isBusyError(err) || isSerializationFailure(err);

export function hasAccess(actor: Actor, access: Access): boolean {
  if (access === 'anyone') return true;
  if (!actor.role) return false;
  if (access === 'bound') return true;
  return access.includes(actor.role);
}

const UNSUPPORTED_REPLIES: Record<UnsupportedContent, string> = {
  image: '暂不支持识别图片，请用文字发送。',
  file: '暂不支持识别文件，请用文字发送。',
  audio: '暂不支持识别语音，请用文字发送。',
  media: '暂不支持识别视频，请用文字发送。',
  sticker: '暂不支持识别表情，请用文字发送。',
  other: '暂不支持识别此类消息，请用文字发送。',
};

async function isAddressedToBot(db: Db, msg: IncomingMessage): Promise<boolean> {
  // The bot's own messages (guarded by open_id, whatever sender_type says) are never answered.
  if (msg.fromSelf) return false;
  if (msg.chatType === 'p2p' || msg.mentionedBot) return true;
  if (!msg.parentId) return false;
  return isBotMessage(db, msg.parentId);
}

/** Turns stored inbox events into effects: runs the command or card action in one transaction with its replies. */
export interface DispatcherOptions {
  /** Turns a stored raw Lark message event into an IncomingMessage (needs the bot's own open_id). */
  normalizeLarkMessage?: (payload: unknown) => Promise<IncomingMessage>;
}

export function createDispatcher(deps: BotDeps, registry: Registry, options: DispatcherOptions = {}) {
  const { log } = deps;

  async function runMessage(ctx: BotContext): Promise<void> {
    if (ctx.message.unsupported) {
      await ctx.reply({ type: 'text', text: UNSUPPORTED_REPLIES[ctx.message.unsupported] });
      return;
    }
    const text = ctx.message.text.trim();
    if (!text) {
      await ctx.reply({ type: 'text', text: '您好，我是物业管理全覆盖工作助手。发送“帮助”可查看能做的事。' });
      return;
    }
    const matched = registry.match(text);
    if (matched) {
      const { command } = matched;
      ctx.log.debug({ eventId: ctx.source.eventId, command: command.name }, 'command');
      if (!hasAccess(ctx.actor, command.access) || (command.permits && !command.permits(ctx.actor, ctx.campaign))) {
        if (!ctx.actor.role) throw new UserError(notAuthorisedMessage(await adminContacts(ctx.db, ctx.adminOpenIds)));
        throw new UserError(`抱歉，“${command.name}”不在您的权限范围内。发送“帮助”可查看您能使用的命令。`);
      }
      const parsed = parseArgs(command.args, tokenize(matched.rest, ctx.message.mentions));
      if (!parsed.ok) {
        throw new UserError(`${parsed.problems.join('；')}\n用法：${command.usage}${command.examples[0] ? `\n例如：${command.examples[0]}` : ''}`);
      }
      await command.handler(ctx, parsed.args);
      return;
    }
    const interpreter = registry.interpreters.find((i) => i.match(text));
    if (interpreter) {
      ctx.log.debug({ eventId: ctx.source.eventId, interpreter: interpreter.name }, 'interpreted');
      if (!ctx.actor.role) throw new UserError(notAuthorisedMessage(await adminContacts(ctx.db, ctx.adminOpenIds)));
      await interpreter.handler(ctx, text);
      return;
    }
    // A mention placeholder (@_user_1) is Lark's, not what the person typed: show the name instead.
    const shown = text.replace(/@_user_\d+/g, (key) => {
      const m = ctx.message.mentions.find((x) => x.key === key);
      return m?.name ? `@${m.name}` : '';
    }).trim();
    const firstWord = shown.split(/\s+/)[0] || shown;
    const suggestions = registry.suggest(firstWord);
    const hint = suggestions.length ? `您是不是想用：${suggestions.map((s) => `“${s}”`).join('、')}？` : '';
    // Quote what was written (a command word alone, or the start of a sentence), not just its first word.
    const quoted = shown.length > 20 ? `${shown.slice(0, 20)}…` : shown;
    await ctx.reply({ type: 'text', text: `抱歉，没有看懂“${quoted}”。${hint}发送“帮助”可查看全部命令和示例。` });
  }

  /** News a handled event made true (a deadline just completed), in its transaction; a failing reaction is logged, not fatal. */
  async function runReactions(ctx: BotContext | CardContext): Promise<void> {
    if (!ctx.changed.size) return;
    for (const r of registry.reactions) {
      try {
        await r.run(ctx, ctx.changed);
      } catch (err) {
        if (isTransientDbError(err)) throw err;
        log.error({ err, reaction: r.name, eventId: ctx.source.eventId }, 'reaction failed; the event itself stands');
      }
    }
  }

  /** Returns false when the message was ignored (not addressed to the bot): nothing was queued. */
  async function processMessage(row: InboxEventRow, msg: IncomingMessage): Promise<boolean> {
    const now = deps.clock.now();
    const source = { kind: 'message' as const, eventId: row.event_id, ref: msg.messageId };
    const setup = async (db: Db) => {
      const actor = await resolveActor(db, msg.senderOpenId, deps.adminOpenIds, msg.senderName ?? null);
      const binding = await findChatBinding(db, msg.chatId);
      return createMessageContext({ deps, db, now, actor, chat: { id: msg.chatId, type: msg.chatType, binding }, source, message: msg });
    };
    try {
      return await inTransaction(deps.db, async (trx) => {
        if (!(await isAddressedToBot(trx, msg))) {
          if (!(await markEventDone(trx, row, now, { status: 'ignored' }))) throw new RolledBack();
          return false;
        }
        const ctx = await setup(trx);
        await runMessage(ctx);
        await runReactions(ctx);
        if (!(await markEventDone(trx, row, now, { status: 'done' }))) throw new RolledBack();
        return true;
      });
    } catch (err) {
      if (err instanceof RolledBack) return false;
      if (isTransientDbError(err)) throw err;
      const userFacing = err instanceof UserError;
      const ref = referenceId(row.event_id);
      if (!userFacing) log.error({ err, eventId: row.event_id, ref }, 'command failed');
      await inTransaction(deps.db, async (trx) => {
        const ctx = await setup(trx);
        const text = userFacing ? err.message : `抱歉，处理您的消息时出现了问题（编号 ${ref}），数据未作改动。请稍后再试，或把编号告知管理员。`;
        await ctx.reply(err instanceof UserError && err.extra?.card ? { type: 'card', card: err.extra.card as Record<string, unknown> } : { type: 'text', text });
        await markEventDone(trx, row, now, { status: userFacing ? 'done' : 'failed', error: userFacing ? undefined : ref });
      });
      return true;
    }
  }

  async function processCardAction(row: InboxEventRow, action: CardAction): Promise<CardResponse> {
    const now = deps.clock.now();
    const source = { kind: 'card' as const, eventId: row.event_id, ref: action.messageId };
    let response: CardResponse;
    // A Lark callback carries no chat type: the bot's record of the card's message tells; unknown means group.
    const chatType = action.chatType ?? (await chatTypeOf(deps.db, { messageId: action.messageId, chatId: action.chatId }));
    const setup = async (db: Db): Promise<CardContext> => {
      const actor = await resolveActor(db, action.operatorOpenId, deps.adminOpenIds, action.operatorName ?? null);
      const binding = action.chatId ? await findChatBinding(db, action.chatId) : null;
      return createCardContext({ deps, db, now, actor, chat: { id: action.chatId ?? action.operatorOpenId, type: chatType, binding }, source, action });
    };
    try {
      response = await inTransaction(deps.db, async (trx) => {
        const kind = typeof action.value.a === 'string' ? action.value.a : '';
        const def = registry.cardAction(kind);
        if (!def) throw new UserError('这张卡片已失效，请重新发起。');
        const value = def.value.safeParse(action.value);
        if (!value.success) throw new UserError('卡片内容无效或已被修改，未作任何改动。请重新发起。');
        const ctx = await setup(trx);
        const result = responseForAudience(await def.handler(ctx, value.data), chatType);
        await runReactions(ctx);
        if (!(await markEventDone(trx, row, now, { status: 'done', response: result }))) throw new RolledBack();
        return result;
      });
    } catch (err) {
      if (err instanceof RolledBack) {
        const done = await inboxResponse(deps.db, row.id);
        return done ? (JSON.parse(done) as CardResponse) : {};
      }
      if (isTransientDbError(err)) throw err;
      const userFacing = err instanceof UserError;
      const ref = referenceId(row.event_id);
      if (!userFacing) log.error({ err, eventId: row.event_id, ref }, 'card action failed');
      response = responseForAudience(
        { toast: { type: 'error', content: userFacing ? err.message : `处理失败（编号 ${ref}），数据未作改动，请稍后再试。` } },
        chatType,
      );
      await inTransaction(deps.db, async (trx) => {
        await markEventDone(trx, row, now, { status: userFacing ? 'done' : 'failed', response, error: userFacing ? undefined : ref });
      });
    }
    return response;
  }

  return {
    /** Processes one claimed inbox row; returns the card response for card actions. */
    async process(row: InboxEventRow, mode: { inline: boolean } = { inline: true }): Promise<Processed> {
      const payload = JSON.parse(row.payload) as unknown;
      if (row.kind === 'message') {
        return { response: null, queued: await processMessage(row, payload as IncomingMessage) };
      }
      if (row.kind === 'lark_message') {
        if (!options.normalizeLarkMessage) throw new Error('no Lark normaliser configured');
        return { response: null, queued: await processMessage(row, await options.normalizeLarkMessage(payload)) };
      }
      const action = payload as CardAction;
      const response = await processCardAction(row, action);
      // Nobody is waiting for this answer any more (the process restarted): show the result on the card.
      if (!mode.inline && response.card && action.messageId) {
        const audience = action.chatType ?? (await chatTypeOf(deps.db, { messageId: action.messageId, chatId: action.chatId }));
        await enqueueCardPatch(deps.db, row.event_id, { messageId: action.messageId, chatId: action.chatId, audience }, response.card, deps.clock.now());
      }
      return { response, queued: true };
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
