import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Logger } from '../logger.ts';
import { BodyAborted, BodyTooLarge, readRawBody } from '../http/raw-body.ts';
import { decryptLarkPayload, verifyLarkSignature } from './crypto.ts';
import { challengeSchema, v2EnvelopeSchema } from './envelope.ts';
import type { LarkIntake } from './intake.ts';

export const MAX_BODY_BYTES = 256 * 1024;
/** What a 503 asks the sender to wait, in seconds (Lark retries on its own schedule anyway). */
const RETRY_AFTER_S = '2';

export interface WebhookOptions {
  encryptKey?: string;
  verificationToken?: string;
  appId?: string;
  log: Logger;
  /** Where a verified event goes: the durable inbox and the card-answer path shared with the long connection. */
  intake: LarkIntake;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/** What the webhook answers: status and JSON body; `refusal` says why it refused (for the rate-limited warn line). */
export interface WebhookAnswer {
  status: number;
  body: Record<string, unknown>;
  /** Seconds, for a 503. */
  retryAfter?: string;
  refusal?: string;
}

/** Refuses a request; the reason (never the body) goes to the HTTP layer's rate-limited warn line. */
function refuse(status: number, error: string): WebhookAnswer {
  return { status, body: { error }, refusal: error };
}

/** The inbox could not be written: nothing was stored, so Lark must try again. */
function unavailable(): WebhookAnswer {
  return { ...refuse(503, 'database busy, please retry'), retryAfter: RETRY_AFTER_S };
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return (Array.isArray(v) ? v[0] : v) || undefined;
}

export type LarkWebhook = (req: IncomingMessage) => Promise<WebhookAnswer>;

/**
 * POST /webhook/event and /webhook/card: verify, decrypt, store durably, answer at once. Framework-free (a Node
 * request in, an answer out), so the HTTP layer serves it straight from node:http, ahead of the Koa app.
 */
export function createLarkWebhook(opts: WebhookOptions): LarkWebhook {
  const { encryptKey, verificationToken, appId } = opts;

  return async function larkWebhook(req: IncomingMessage): Promise<WebhookAnswer> {
    const started = Date.now();
    let raw: Buffer;
    try {
      raw = await readRawBody(req, MAX_BODY_BYTES);
    } catch (err) {
      if (err instanceof BodyTooLarge) return refuse(413, 'body too large');
      // Nobody is left to answer; one warn line, no stack.
      if (err instanceof BodyAborted) return refuse(400, 'connection closed before the body arrived');
      throw err;
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return refuse(400, 'malformed JSON');
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) return refuse(400, 'not a JSON object');

    const sigHeaders = {
      timestamp: headerOf(req, 'x-lark-request-timestamp'),
      nonce: headerOf(req, 'x-lark-request-nonce'),
      signature: headerOf(req, 'x-lark-signature'),
    };
    const hasSignature = Boolean(sigHeaders.signature);
    let signatureOk = false;
    if (encryptKey && hasSignature) {
      if (!verifyLarkSignature(sigHeaders, encryptKey, raw)) return refuse(401, 'bad signature');
      signatureOk = true;
    }

    let payload: unknown = body;
    if ('encrypt' in body) {
      const encrypted = (body as { encrypt: unknown }).encrypt;
      if (!encryptKey || typeof encrypted !== 'string') return refuse(400, 'unexpected encrypted payload');
      try {
        payload = JSON.parse(decryptLarkPayload(encryptKey, encrypted));
      } catch {
        return refuse(hasSignature ? 400 : 401, 'cannot decrypt');
      }
    }

    // The url_verification challenge carries no signature: the token proves it (and the key, when encrypted).
    // Only a payload that says it is a challenge is parsed as one (events skip that schema).
    const challenge = (payload as { type?: unknown } | null)?.type === 'url_verification' ? challengeSchema.safeParse(payload) : null;
    if (challenge?.success) {
      if (verificationToken && !safeEqual(challenge.data.token ?? '', verificationToken)) return refuse(401, 'bad token');
      if (!verificationToken && !('encrypt' in body) && encryptKey) return refuse(401, 'unverifiable challenge');
      return { status: 200, body: { challenge: challenge.data.challenge } };
    }

    if (encryptKey && !signatureOk) return refuse(401, 'missing signature');
    const envelope = v2EnvelopeSchema.safeParse(payload);
    if (!envelope.success) return refuse(400, 'not a v2 event');
    const { header } = envelope.data;
    if (verificationToken && !safeEqual(header.token ?? '', verificationToken)) return refuse(401, 'bad token');
    if (appId && header.app_id !== undefined && header.app_id !== appId) return refuse(401, 'wrong app');
    if (appId && header.app_id === undefined) return refuse(401, 'missing app id');

    const result = await opts.intake.accept(envelope.data, 'webhook', started);
    if (!result.ok) return result.unavailable ? unavailable() : refuse(400, result.error);
    return { status: 200, body: result.answer as Record<string, unknown> };
  };
}
