import crypto from 'node:crypto';
import type { Context } from 'koa';
import { flushLogSync, type Logger } from '../logger.ts';
import type { CardResponse } from '../bot/types.ts';
import type { InboxInput } from '../inbox/store.ts';
import { InboxBusy } from '../inbox/batched-store.ts';
import { isBusyError } from '../db/errors.ts';
import { BodyAborted, BodyTooLarge, readRawBody } from '../http/raw-body.ts';
import { decryptLarkPayload, verifyLarkSignature } from './crypto.ts';
import { cardEventSchema, challengeSchema, messageEventSchema, v2EnvelopeSchema } from './envelope.ts';
import { normalizeCardAction } from './normalize.ts';

export const MAX_BODY_BYTES = 256 * 1024;
/** Lark gives a card callback 3 s; answer before that and finish the work afterwards. */
export const CARD_ANSWER_BUDGET_MS = 2500;
/** The longest the webhook waits for the inbox before it answers 503 (Lark allows 3 s, then retries). */
export const STORE_BUDGET_MS = 2000;
/** What a 503 asks the sender to wait, in seconds (Lark retries on its own schedule anyway). */
const RETRY_AFTER_S = '2';

export interface WebhookOptions {
  encryptKey?: string;
  verificationToken?: string;
  appId?: string;
  log: Logger;
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
  /** How long storing an event may take before the request is answered 503 (default STORE_BUDGET_MS). */
  storeBudgetMs?: number;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/** Refuses a request; the reason (never the body) goes to the HTTP layer's rate-limited warn line. */
function refuse(ctx: Context, status: number, error: string): void {
  ctx.state.refusal = error;
  ctx.status = status;
  ctx.body = { error };
}

/** The inbox could not be written: nothing was stored, so Lark must try again. */
function unavailable(ctx: Context): void {
  ctx.set('Retry-After', RETRY_AFTER_S);
  refuse(ctx, 503, 'database busy, please retry');
}

/** POST /webhook/event and /webhook/card: verify, decrypt, store durably, answer at once. */
export function createLarkWebhook(opts: WebhookOptions) {
  const { encryptKey, verificationToken, appId, log } = opts;

  const storeBudgetMs = opts.storeBudgetMs ?? STORE_BUDGET_MS;

  /**
   * Stores an event, or gives up after the budget: 'unavailable' then means "answer 503". A store that finishes
   * after that still counts (Lark's retry is then a duplicate, answered 200), so nothing is lost either way.
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
        log.warn({ eventId: input.eventId, budgetMs: storeBudgetMs }, 'inbox write took too long; answered 503');
        return 'unavailable';
      }
      return r;
    } catch (err) {
      if (!(err instanceof InboxBusy) && !isBusyError(err)) log.error({ err, eventId: input.eventId }, 'inbox write failed; answered 503');
      return 'unavailable';
    } finally {
      clearTimeout(timer);
    }
  }

  return async function larkWebhook(ctx: Context): Promise<void> {
    const started = Date.now();
    let raw: Buffer;
    try {
      raw = await readRawBody(ctx.req, MAX_BODY_BYTES);
    } catch (err) {
      if (err instanceof BodyTooLarge) return refuse(ctx, 413, 'body too large');
      // Nobody is left to answer; one warn line, no stack.
      if (err instanceof BodyAborted) return refuse(ctx, 400, 'connection closed before the body arrived');
      throw err;
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return refuse(ctx, 400, 'malformed JSON');
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) return refuse(ctx, 400, 'not a JSON object');

    const sigHeaders = {
      timestamp: ctx.get('x-lark-request-timestamp') || undefined,
      nonce: ctx.get('x-lark-request-nonce') || undefined,
      signature: ctx.get('x-lark-signature') || undefined,
    };
    const hasSignature = Boolean(sigHeaders.signature);
    let signatureOk = false;
    if (encryptKey && hasSignature) {
      if (!verifyLarkSignature(sigHeaders, encryptKey, raw)) return refuse(ctx, 401, 'bad signature');
      signatureOk = true;
    }

    let payload: unknown = body;
    if ('encrypt' in body) {
      const encrypted = (body as { encrypt: unknown }).encrypt;
      if (!encryptKey || typeof encrypted !== 'string') return refuse(ctx, 400, 'unexpected encrypted payload');
      try {
        payload = JSON.parse(decryptLarkPayload(encryptKey, encrypted));
      } catch {
        return refuse(ctx, hasSignature ? 400 : 401, 'cannot decrypt');
      }
    }

    // The url_verification challenge carries no signature: the token proves it (and the key, when encrypted).
    const challenge = challengeSchema.safeParse(payload);
    if (challenge.success) {
      if (verificationToken && !safeEqual(challenge.data.token ?? '', verificationToken)) return refuse(ctx, 401, 'bad token');
      if (!verificationToken && !('encrypt' in body) && encryptKey) return refuse(ctx, 401, 'unverifiable challenge');
      ctx.status = 200;
      ctx.body = { challenge: challenge.data.challenge };
      return;
    }

    if (encryptKey && !signatureOk) return refuse(ctx, 401, 'missing signature');
    const envelope = v2EnvelopeSchema.safeParse(payload);
    if (!envelope.success) return refuse(ctx, 400, 'not a v2 event');
    const { header, event } = envelope.data;
    if (verificationToken && !safeEqual(header.token ?? '', verificationToken)) return refuse(ctx, 401, 'bad token');
    if (appId && header.app_id !== undefined && header.app_id !== appId) return refuse(ctx, 401, 'wrong app');
    if (appId && header.app_id === undefined) return refuse(ctx, 401, 'missing app id');

    if (header.event_type === 'im.message.receive_v1') {
      const parsed = messageEventSchema.safeParse(event);
      if (!parsed.success) return refuse(ctx, 400, 'bad message event');
      if (parsed.data.sender.sender_type && parsed.data.sender.sender_type !== 'user') {
        ctx.body = {};
        return;
      }
      const isNew = await storeInTime({ eventId: header.event_id, messageId: parsed.data.message.message_id, kind: 'lark_message', payload: { eventId: header.event_id, event: parsed.data } }, true);
      if (isNew === 'unavailable') return unavailable(ctx);
      log.info({ eventId: header.event_id, type: header.event_type, duplicate: !isNew }, 'event stored');
      // What the log says about an acknowledged event is written before the acknowledgement.
      flushLogSync(log);
      ctx.body = {};
      return;
    }

    if (header.event_type === 'card.action.trigger') {
      const parsed = cardEventSchema.safeParse(event);
      if (!parsed.success) return refuse(ctx, 400, 'bad card action');
      const action = normalizeCardAction(header.event_id, parsed.data);
      // A new action is handled right here (answerCard), not by the worker.
      const isNew = await storeInTime({ eventId: header.event_id, messageId: null, kind: 'card', payload: action }, false);
      if (isNew === 'unavailable') return unavailable(ctx);
      log.info({ eventId: header.event_id, type: header.event_type, duplicate: !isNew }, 'card action stored');
      flushLogSync(log);
      const budget = (opts.cardAnswerBudgetMs ?? CARD_ANSWER_BUDGET_MS) - (Date.now() - started);
      ctx.body = isNew ? await answerCard(header.event_id, budget) : ((await opts.storedCardResponse(header.event_id)) ?? {});
      return;
    }

    log.info({ eventId: header.event_id, type: header.event_type }, 'event type not handled');
    ctx.body = {};
  };

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
}
