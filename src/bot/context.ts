import type { Clock } from '../clock.ts';
import type { Db } from '../db/connect.ts';
import type { Logger } from '../logger.ts';
import type { WorkCalendar } from '../calendar/workdays.ts';
import type { CampaignInfo } from '../domain/campaign.ts';
import type { Actor } from '../auth/actor.ts';
import type { ChatBinding } from '../domain/chats.ts';
import { type AuditEntry, recordAudit } from '../domain/audit.ts';
import { enqueueOutgoing } from '../outbox/enqueue.ts';
import { issueCardToken } from '../domain/card-tokens.ts';
import type { CardAction, IncomingMessage, OutgoingContent } from './types.ts';
import type { CommandDefinition } from './command.ts';
import type { RoutingModel } from '../routing/model.ts';

/** Long-lived services every handler may use; built once by the composition root. */
export interface BotDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  campaign: CampaignInfo;
  calendar: WorkCalendar;
  adminOpenIds: readonly string[];
  /** The registered commands, for 帮助. */
  commands: readonly CommandDefinition<any>[];
  /** Routes grievances to departments and learns from the people who confirm or correct them. */
  routing: RoutingModel;
}

export interface ChatInfo {
  id: string;
  type: 'p2p' | 'group';
  binding: ChatBinding | null;
}

export interface Source {
  kind: 'message' | 'card' | 'system';
  /** The event id that caused this work: the root of every outbox uuid it produces. */
  eventId: string;
  /** The message id (for messages) or the card's message id (for card actions). */
  ref: string | null;
}

interface BaseContext {
  db: Db;
  clock: Clock;
  log: Logger;
  campaign: CampaignInfo;
  calendar: WorkCalendar;
  adminOpenIds: readonly string[];
  commands: readonly CommandDefinition<any>[];
  routing: RoutingModel;
  /** The instant this event is handled at (fixed for the whole handler). */
  now: Date;
  actor: Actor;
  chat: ChatInfo;
  source: Source;
  /** Sends to a chat or a person, through the outbox. */
  send(to: { chatId: string } | { openId: string }, content: OutgoingContent, purpose?: string): Promise<void>;
  /** Issues a single-use token for a card button; the press carries it back. */
  issueCardToken(kind: string, payload: Record<string, unknown>, ttlMs?: number): Promise<string>;
  /** Replaces a card the bot sent earlier (PATCH through the outbox, after this event's transaction commits). */
  patchCard(messageId: string, chatId: string | null, card: Record<string, unknown>): Promise<void>;
  audit(entry: Omit<AuditEntry, 'actor' | 'sourceKind' | 'sourceRef' | 'chatId'>): Promise<number>;
  /** The audit entities this event has written so far (takeover, upgrade_action, …), for reactions. */
  readonly changed: ReadonlySet<string>;
}

export interface BotContext extends BaseContext {
  message: IncomingMessage;
  /** Replies in the thread of the message being handled. */
  reply(content: OutgoingContent, purpose?: string): Promise<void>;
}

export interface CardContext extends BaseContext {
  action: CardAction;
  /** Sends a new message to the chat the card is in. */
  reply(content: OutgoingContent, purpose?: string): Promise<void>;
}

export interface ContextInput {
  deps: BotDeps;
  db: Db;
  now: Date;
  actor: Actor;
  chat: ChatInfo;
  source: Source;
}

function baseContext(input: ContextInput): BaseContext & { nextSeq(): number } {
  const { deps, db, now, actor, chat, source } = input;
  let seq = 0;
  const nextSeq = () => ++seq;
  const changed = new Set<string>();
  return {
    db,
    clock: deps.clock,
    log: deps.log,
    campaign: deps.campaign,
    calendar: deps.calendar,
    adminOpenIds: deps.adminOpenIds,
    commands: deps.commands,
    routing: deps.routing,
    now,
    actor,
    chat,
    source,
    nextSeq,
    async send(to, content, purpose) {
      const isChat = 'chatId' in to;
      await enqueueOutgoing(
        db,
        {
          cause: source.eventId,
          seq: nextSeq(),
          op: 'send',
          target: isChat ? to.chatId : to.openId,
          targetType: isChat ? 'chat_id' : 'open_id',
          paceKey: isChat ? to.chatId : to.openId,
          content,
          purpose,
          // The bot sends to other chats only when they are bound working groups; to a person, it is a direct chat.
          audience: isChat ? (to.chatId === chat.id ? chat.type : 'group') : 'p2p',
        },
        now,
      );
    },
    issueCardToken(kind, payload, ttlMs) {
      return issueCardToken(db, { kind, payload, createdFor: actor.openId }, now, ttlMs);
    },
    async patchCard(messageId, chatId, card) {
      await enqueueOutgoing(
        db,
        { cause: source.eventId, seq: nextSeq(), op: 'patch', target: messageId, targetType: 'message_id', paceKey: chatId ?? messageId, content: { type: 'card', card } },
        now,
      );
    },
    changed,
    audit(entry) {
      changed.add(entry.entity);
      return recordAudit(
        db,
        { ...entry, actor: actor.openId, sourceKind: source.kind === 'system' ? 'system' : source.kind, sourceRef: source.ref, chatId: chat.id },
        now,
      );
    },
  };
}

export function createMessageContext(input: ContextInput & { message: IncomingMessage }): BotContext {
  const base = baseContext(input);
  const { message } = input;
  return {
    ...base,
    message,
    async reply(content, purpose) {
      await enqueueOutgoing(
        input.db,
        {
          cause: input.source.eventId, seq: base.nextSeq(), op: 'reply', target: message.messageId, targetType: 'message_id', paceKey: message.chatId,
          content, purpose, audience: input.chat.type,
        },
        input.now,
      );
    },
  };
}

export function createCardContext(input: ContextInput & { action: CardAction }): CardContext {
  const base = baseContext(input);
  const { action } = input;
  return {
    ...base,
    action,
    async reply(content, purpose) {
      const target = action.chatId ?? action.operatorOpenId;
      await enqueueOutgoing(
        input.db,
        {
          cause: input.source.eventId, seq: base.nextSeq(), op: 'send', target,
          targetType: action.chatId ? 'chat_id' : 'open_id', paceKey: target, content, purpose,
          audience: action.chatId ? input.chat.type : 'p2p',
        },
        input.now,
      );
    },
  };
}
