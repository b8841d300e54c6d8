import { flushLogSync, type Logger } from '../logger.ts';
import { InboxBusy } from '../inbox/batched-store.ts';
import { isBusyError } from '../db/errors.ts';
import type { CardResponse } from '../bot/types.ts';
import type { InboxInput } from '../db/inbox-store.ts';
import { cardEventSchema, messageEventSchema, type V2Envelope } from './envelope.ts';
import { normalizeCardAction } from './normalize.ts';
import { type LarkCallbackAnswer, larkCallbackAnswer } from './card-answer.ts';

/** Lark gives a card callback 3 s; answer before that and finish the work afterwards. */
export const CARD_ANSWER_BUDGET_MS = 2500;
/** The longest an intake waits for the inbox before it refuses the event (Lark allows 3 s, then retries). */
export const STORE_BUDGET_MS = 2000;

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
  /** How long storing an event may take before it is refused as unavailable (default STORE_BUDGET_MS). */
  storeBudgetMs?: number;
}

/**
 * What an intake answers Lark: the callback body; a refusal of a malformed event; or "unavailable" when the inbox
 * could not be written in time (nothing is acknowledged, so Lark delivers it again: 503 on the webhook, an error
 * ack on the long connection).
 */
export type IntakeResult =
  | { ok: true; answer: LarkCallbackAnswer | Record<string, never> }
  | { ok: false; unavailable?: false; error: string }
  | { ok: false; unavailable: true; error: string };

const UNAVAILABLE = { ok: false, unavailable: true, error: 'database busy, please retry' } as const;

/**
 * The part shared by every transport (webhook, long connection): a verified v2 event goes into the durable inbox
 * before it is acknowledged, and a card callback gets its answer within the budget. Below this, nothing knows
 * which transport delivered an event.
 */
export function createLarkIntake(opts: IntakeOptions) {
  const { log } = opts;
  const storeBudgetMs = opts.storeBudgetMs ?? STORE_BUDGET_MS;

  /**
   * Stores an event, or gives up after the budget: 'unavailable' then means "not acknowledged". A store that
   * finishes after that still counts (Lark's retry is then a duplicate, answered as handled), so nothing is lost.
   */
  async function storeInTime(input: InboxInput, kickWorker: boolean): Promise<boolean | 'unavailable'> {
    const attempt = opts.store(input).then((isNew) => {
      if (isNew && kickWorker) opts.onStored();
      return isNew;
    });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), storeBudgetMs);
    });
    try {
      const r = await Promise.race([attempt, late]);
      if (r === 'late') {
        attempt.catch(() => undefined);
        log.warn({ eventId: input.eventId, budgetMs: storeBudgetMs }, 'inbox write took too long; not acknowledged');
        return 'unavailable';
      }
      return r;
    } catch (err) {
      if (!(err instanceof InboxBusy) && !isBusyError(err)) log.error({ err, eventId: input.eventId }, 'inbox write failed; not acknowledged');
      return 'unavailable';
    } finally {
      clearTimeout(timer);
    }
  }

  /** `started`: when the request arrived (Date.now()), so the card answer's budget counts the time already spent. */
  async function accept(envelope: V2Envelope, via: 'webhook' | 'ws', started = Date.now()): Promise<IntakeResult> {
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
      const isNew = await storeInTime({ eventId: header.event_id, messageId: parsed.data.message.message_id, kind: 'lark_message', payload: { eventId: header.event_id, event: parsed.data } }, true);
      if (isNew === 'unavailable') return UNAVAILABLE;
      log.info({ eventId: header.event_id, type: header.event_type, duplicate: !isNew, via }, 'event stored');
      // What the log says about an acknowledged event is written before the acknowledgement.
      flushLogSync(log);
      return { ok: true, answer: {} };
    }

    if (header.event_type === 'card.action.trigger') {
      const parsed = cardEventSchema.safeParse(event);
      if (!parsed.success) return { ok: false, error: 'bad card action' };
      const action = normalizeCardAction(header.event_id, parsed.data);
      // A new action is handled right here (answerCard), not by the worker.
      const isNew = await storeInTime({ eventId: header.event_id, messageId: null, kind: 'card', payload: action }, false);
      if (isNew === 'unavailable') return UNAVAILABLE;
      log.info({ eventId: header.event_id, type: header.event_type, duplicate: !isNew, via }, 'card action stored');
      flushLogSync(log);
      const budget = (opts.cardAnswerBudgetMs ?? CARD_ANSWER_BUDGET_MS) - (Date.now() - started);
      const response = isNew ? await answerCard(header.event_id, budget) : ((await opts.storedCardResponse(header.event_id)) ?? {});
      return { ok: true, answer: larkCallbackAnswer(response, log) };
    }

    log.info({ eventId: header.event_id, type: header.event_type, via }, 'event type not handled');
    return { ok: true, answer: {} };
  }

  async function answerCard(eventId: string, budgetMs: number): Promise<CardResponse> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), Math.max(0, budgetMs));
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
