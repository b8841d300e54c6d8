import crypto from 'node:crypto';
import type { OutboxMessageRow } from '../../src/db/schema.ts';
import { type Delivery, DeliveryError, type Messenger } from '../../src/outbox/messenger.ts';
import { describeProblems, larkRefusal, checkCard } from './card-rules.ts';
import { reportViolation } from './strict.ts';

export interface Sent {
  op: string;
  target: string;
  targetType: string;
  paceKey: string;
  msgType: string;
  uuid: string;
  /** Text of a text message, or the card JSON, or the file name. */
  text: string | null;
  card: Record<string, unknown> | null;
  fileName: string | null;
  fileData: Buffer | null;
  messageId: string;
  purpose: string | null;
  /** For 加急 (`op: 'urgent_app'`): the users it was made urgent for. */
  userIds: string[] | null;
}

/**
 * A messenger that records what the bot would send, for tests that do not need the fake Open API. Like the fake,
 * it holds every card to Lark's 2.0 rules: a card Lark would refuse is refused here too (and fails the test).
 */
export class RecordingMessenger implements Messenger {
  readonly sent: Sent[] = [];
  private n = 0;
  // Unique across instances, as Lark's are: a restarted bot on the same database must not reuse an id.
  private readonly prefix = crypto.randomBytes(3).toString('hex');
  async deliver(row: OutboxMessageRow): Promise<Delivery> {
    const isAction = row.op === 'urgent_app';
    const messageId = row.op === 'patch' || isAction ? row.target : `om_test_out_${this.prefix}_${++this.n}`;
    const content = row.content ? (JSON.parse(row.content) as Record<string, unknown>) : null;
    if (row.msg_type === 'interactive') {
      const refusal = larkRefusal(content);
      if (refusal) {
        reportViolation(`card (${row.op}, ${row.cause.split('|')[1] ?? 'reply'})`, describeProblems(checkCard(content)));
        throw new DeliveryError('permanent', `HTTP 400 code ${refusal.body.code} ${refusal.body.msg}`);
      }
    }
    this.sent.push({
      op: row.op,
      target: row.target,
      targetType: row.target_type,
      paceKey: row.pace_key,
      msgType: row.msg_type,
      uuid: row.uuid,
      text: row.msg_type === 'text' ? String(content?.text ?? '') : null,
      card: row.msg_type === 'interactive' ? content : null,
      fileName: row.file_name,
      fileData: row.file_data ? Buffer.from(row.file_data) : null,
      messageId,
      purpose: row.cause.split('|')[1] ?? null,
      userIds: isAction ? ((content?.user_id_list as string[] | undefined) ?? []) : null,
    });
    return isAction ? {} : { messageId };
  }
  clear(): void {
    this.sent.length = 0;
  }
}

/** All the visible text of a card (markdown, titles, button labels), for assertions. */
export function cardText(card: Record<string, unknown> | null): string {
  if (!card) return '';
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      // What a reader sees: card markdown writes special characters as entities (&#42;).
      if (typeof o.content === 'string') out.push(o.content.replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code))));
      for (const [k, x] of Object.entries(o)) if (k !== 'content' && k !== 'chart_spec') walk(x);
    }
  };
  walk(card);
  return out.join('\n');
}

/** Every button (or form submit) of a card: its label and callback value. */
export function cardButtons(card: Record<string, unknown> | null): { label: string; value: Record<string, unknown>; name?: string }[] {
  const out: { label: string; value: Record<string, unknown>; name?: string }[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.tag === 'button') {
        const behaviors = (o.behaviors as Record<string, unknown>[] | undefined) ?? [];
        const value = (behaviors.find((b) => b.type === 'callback')?.value ?? o.value ?? {}) as Record<string, unknown>;
        out.push({ label: String((o.text as { content?: string })?.content ?? ''), value, name: o.name as string | undefined });
      }
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}
