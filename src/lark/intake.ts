import type { Logger } from '../logger.ts';
import type { CardResponse } from '../bot/types.ts';
import type { InboxInput } from '../inbox/store.ts';
import { cardEventSchema, messageEventSchema, type V2Envelope } from './envelope.ts';
import { normalizeCardAction } from './normalize.ts';
import { type LarkCallbackAnswer, larkCallbackAnswer } from './card-answer.ts';

/** Lark gives a card callback 3 s; answer before that and finish the work afterwards. */
export const CARD_ANSWER_BUDGET_MS = 2500;

export interface IntakeOptions {
  log: Logger;
  /** When set, events and callbacks of any other tenant are ignored (LARK_TENANT_KEY). */
  tenantKey?: string;
  store(input: InboxInput): Promise<boolean>;
  /** Called after a new event is stored. */
  onStored(): void;
  /** Processes a stored card action now and returns the callback answer ('busy' when another worker holds it). */
  processCardNow(eventId: string): Promise<CardResponse | null | 'busy'>;
  /** Finishing a card action after its callback was answered: show the result by patching the card. */
  patchCardLater(eventId: string, response: CardResponse): void;
  /** How long a card callback may wait for its answer (Lark allows 3 s). */
  cardAnswerBudgetMs?: number;
  /** The stored answer of a card action already processed. */
  storedCardResponse(eventId: string): Promise<CardResponse | null>;
}

/** What an intake answers Lark: the callback body, or a refusal of a malformed event (nothing was stored). */
export type IntakeResult = { ok: true; answer: LarkCallbackAnswer | Record<string, never> } | { ok: false; error: string };

/**
 * The part shared by every transport (webhook, long connection): a verified v2 event goes into the durable inbox
 * before it is acknowledged, and a card callback gets its answer within the budget. Below this, nothing knows
 * which transport delivered an event.
 */
export function createLarkIntake(opts: IntakeOptions) {
  const { log } = opts;

  async function accept(envelope: V2Envelope, via: 'webhook' | 'ws'): Promise<IntakeResult> {
    const { header, event } = envelope;
    if (opts.tenantKey && header.tenant_key !== opts.tenantKey) {
      // Answered as handled so Lark does not deliver it again; nothing is stored.
      log.warn({ eventId: header.event_id, type: header.event_type, via }, 'event of another tenant ignored');
      return { ok: true, answer: {} };
    }
    if (header.event_type === 'im.message.receive_v1') {
      const parsed = messageEventSchema.safeParse(event);
      if (!parsed.success) return { ok: false, error: 'bad message event' };
      if (parsed.data.sender.sender_type && parsed.data.sender.sender_type !== 'user') return { ok: true, answer: {} };
      const isNew = await opts.store({ eventId: header.event_id, messageId: parsed.data.message.message_id, kind: 'lark_message', payload: { eventId: header.event_id, event: parsed.data } });
      if (isNew) opts.onStored();
      log.info({ eventId: header.event_id, type: header.event_type, duplicate: !isNew, via }, 'event stored');
      return { ok: true, answer: {} };
    }

    if (header.event_type === 'card.action.trigger') {
      const parsed = cardEventSchema.safeParse(event);
      if (!parsed.success) return { ok: false, error: 'bad card action' };
      const action = normalizeCardAction(header.event_id, parsed.data);
      const isNew = await opts.store({ eventId: header.event_id, messageId: null, kind: 'card', payload: action });
      log.info({ eventId: header.event_id, type: header.event_type, duplicate: !isNew, via }, 'card action stored');
      const response = isNew ? await answerCard(header.event_id) : ((await opts.storedCardResponse(header.event_id)) ?? {});
      return { ok: true, answer: larkCallbackAnswer(response, log) };
    }

    log.info({ eventId: header.event_id, type: header.event_type, via }, 'event type not handled');
    return { ok: true, answer: {} };
  }

  async function answerCard(eventId: string): Promise<CardResponse> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), opts.cardAnswerBudgetMs ?? CARD_ANSWER_BUDGET_MS);
    });
    const work = opts.processCardNow(eventId).catch((err: unknown) => {
      log.error({ err, eventId }, 'inline card processing failed');
      return null;
    });
    const result = await Promise.race([work, late]);
    clearTimeout(timer);
    if (result === 'late') {
      void work.then((r) => {
        if (r && r !== 'busy' && r.card) opts.patchCardLater(eventId, r);
      });
    }
    if (result === 'late' || result === 'busy' || result === null) {
      opts.onStored();
      return { toast: { type: 'info', content: '已收到，正在处理。' } };
    }
    return result;
  }

  return { accept };
}

export type LarkIntake = ReturnType<typeof createLarkIntake>;
