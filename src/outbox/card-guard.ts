import type { OutboxMessageRow } from '../db/schema.ts';
import type { Logger } from '../logger.ts';
import { TEXT_MAX_BYTES, cardLimitProblem, oversizeFallbackCard, oversizeFallbackText } from '../lark/card-limits.ts';
import type { Messenger } from './messenger.ts';
import { renderText } from '../text/text-markup.ts';

const TRUNCATED = '\n……（内容过长，其余部分未显示）';

/** Cuts a text to fit Lark's text limit, whole characters only. */
function fitText(text: string): string {
  let cut = text;
  while (Buffer.byteLength(JSON.stringify({ text: cut + TRUNCATED }), 'utf8') > TEXT_MAX_BYTES) cut = cut.slice(0, Math.floor(cut.length * 0.9));
  return cut + TRUNCATED;
}

/**
 * The one guard every outgoing message passes: a card over Lark's limits (200 elements, 30 KB) is never sent.
 * The error is logged and a short text goes instead (a short card for a PATCH, which can only carry a card);
 * a text over 150 KB is cut.
 */
export function guardOutgoing(inner: Messenger, log: Logger): Messenger {
  return {
    deliver(row: OutboxMessageRow) {
      if (row.msg_type === 'interactive') {
        const card = JSON.parse(row.content) as Record<string, unknown>;
        const problem = cardLimitProblem(card, row.content);
        if (!problem) return inner.deliver(row);
        log.error({ outboxId: row.id, uuid: row.uuid, op: row.op, purpose: row.cause.split('|')[1] ?? null, problem }, 'card over Lark limits not sent; sending a short notice instead');
        if (row.op === 'patch') return inner.deliver({ ...row, content: JSON.stringify(oversizeFallbackCard(card)) });
        return inner.deliver({ ...row, msg_type: 'text', content: JSON.stringify({ text: renderText(oversizeFallbackText(card)) }) });
      }
      if (row.msg_type === 'text' && Buffer.byteLength(row.content, 'utf8') > TEXT_MAX_BYTES) {
        const text = String((JSON.parse(row.content) as { text?: unknown }).text ?? '');
        log.error({ outboxId: row.id, uuid: row.uuid, bytes: Buffer.byteLength(row.content, 'utf8') }, 'text over Lark limit; sending it cut short');
        return inner.deliver({ ...row, content: JSON.stringify({ text: fitText(text) }) });
      }
      return inner.deliver(row);
    },
    readReceipts: inner.readReceipts?.bind(inner),
  };
}
