import crypto from 'node:crypto';
import type { Db } from '../db/connect.ts';
import { UserError } from '../errors.ts';

/** How long a card's buttons stay usable (Lark keeps JSON 2.0 cards interactive for 14 days). */
export const CARD_TOKEN_TTL_MS = 14 * 24 * 3600 * 1000;

/** Issues a token a card button carries back; kept in the caller's transaction with the card's message. */
export async function issueCardToken(
  db: Db,
  token: { kind: string; payload: Record<string, unknown>; createdFor: string | null },
  now: Date,
  ttlMs = CARD_TOKEN_TTL_MS,
): Promise<string> {
  const nonce = crypto.randomBytes(12).toString('base64url');
  await db
    .insertInto('card_actions')
    .values({
      nonce, kind: token.kind, payload: JSON.stringify(token.payload), created_for: token.createdFor, created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + ttlMs).toISOString(), consumed_at: null, consumed_by: null,
    })
    .execute();
  return nonce;
}

export interface CardToken {
  kind: string;
  payload: Record<string, unknown>;
  createdFor: string | null;
}

async function load(db: Db, nonce: string, kind: string, now: Date) {
  const row = await db.selectFrom('card_actions').selectAll().where('nonce', '=', nonce).executeTakeFirst();
  if (!row || row.kind !== kind) throw new UserError('卡片内容无效或已被修改，未作任何改动。请重新发起。');
  if (row.expires_at && row.expires_at < now.toISOString()) throw new UserError('这张卡片已过期，请重新发起。');
  return row;
}

/** Reads a card token without using it up (buttons anyone may press many times, such as 更新). */
export async function readCardToken(db: Db, nonce: string, kind: string, now: Date): Promise<CardToken> {
  const row = await load(db, nonce, kind, now);
  return { kind: row.kind, payload: JSON.parse(row.payload) as Record<string, unknown>, createdFor: row.created_for };
}

/**
 * Uses a single-use card token: a second press (or a retried callback) finds it consumed and changes nothing.
 * Call inside the transaction that makes the change.
 */
export async function consumeCardToken(db: Db, nonce: string, kind: string, by: string, now: Date): Promise<CardToken> {
  const row = await load(db, nonce, kind, now);
  if (row.consumed_at) throw new UserError('此操作已处理过，无需重复点击。');
  const r = await db
    .updateTable('card_actions')
    .set({ consumed_at: now.toISOString(), consumed_by: by })
    .where('nonce', '=', nonce)
    .where('consumed_at', 'is', null)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new UserError('此操作已处理过，无需重复点击。');
  return { kind: row.kind, payload: JSON.parse(row.payload) as Record<string, unknown>, createdFor: row.created_for };
}
