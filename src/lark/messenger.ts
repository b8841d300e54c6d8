import type * as lark from '@larksuiteoapi/node-sdk';
import type { OutboxMessageRow } from '../db/schema.ts';
import { type Delivery, DeliveryError, type Messenger, type ReadReceipt } from '../outbox/messenger.ts';
import type { UrgentAction } from '../outbox/enqueue.ts';
import type { Logger } from '../logger.ts';
import type { EvictableTokenCache } from './client.ts';

const TOKEN_INVALID = new Set([99991661, 99991663, 99991664, 99991671]);
const RATE_LIMITED = new Set([99991400, 230020]);
/** Errors that another attempt cannot fix (bad request, bot not in chat, user outside the app, too long, DLP, …). */
const PERMANENT = new Set([230001, 230002, 230006, 230013, 230025, 230027, 230028, 230035, 230053, 230055, 232009, 99991672, 234006, 234010]);

interface ApiFailure {
  code: number;
  msg: string;
  status?: number;
  retryAfterMs?: number;
}

function failureOf(err: unknown): ApiFailure {
  const e = err as { response?: { status?: number; data?: { code?: number; msg?: string }; headers?: Record<string, string> }; code?: string; message?: string };
  if (e?.response) {
    const reset = Number(e.response.headers?.['x-ogw-ratelimit-reset']);
    return {
      code: Number(e.response.data?.code ?? -1),
      msg: String(e.response.data?.msg ?? e.message ?? 'http error'),
      status: e.response.status,
      retryAfterMs: Number.isFinite(reset) && reset > 0 ? reset * 1000 : undefined,
    };
  }
  return { code: -1, msg: String(e?.code ?? e?.message ?? 'network error') };
}

function classify(f: ApiFailure, method: string): DeliveryError {
  const text = `${method}: ${f.status ? `HTTP ${f.status} ` : ''}code ${f.code} ${f.msg}`;
  if (f.status === 429 || RATE_LIMITED.has(f.code)) return new DeliveryError('rate_limited', text, f.retryAfterMs ?? 1000);
  if (PERMANENT.has(f.code)) return new DeliveryError('permanent', text);
  if (f.status && f.status >= 400 && f.status < 500 && f.code > 0 && !TOKEN_INVALID.has(f.code)) return new DeliveryError('permanent', text);
  return new DeliveryError('retry', text);
}

/** For actions (加急): any refusal other than a rate limit or a server fault is final, and the fallback goes instead. */
function classifyAction(f: ApiFailure, method: string): DeliveryError {
  const e = classify(f, method);
  if (e.kind === 'retry' && ((f.status && f.status >= 400 && f.status < 500) || (!f.status && f.code > 0))) return new DeliveryError('permanent', e.message);
  return e;
}

/** Read receipts are only kept for the bot's messages of the last 7 days; the API pages its answer. */
const READ_PAGE_SIZE = 100;
const MAX_READ_PAGES = 50;

/** Sends outbox rows through the SDK client; `code != 0` counts as failure; a rejected token is fetched anew once. */
export function createLarkMessenger(client: lark.Client, cache: EvictableTokenCache, log?: Logger): Messenger {
  async function call<T extends { code?: number; msg?: string }>(method: string, fn: () => Promise<T>, classifyAs = classify): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      let failure: ApiFailure;
      try {
        const res = await fn();
        if (res && typeof res === 'object' && 'code' in res && res.code !== 0 && res.code !== undefined) {
          failure = { code: Number(res.code), msg: String(res.msg ?? '') };
        } else {
          return res;
        }
      } catch (err) {
        failure = failureOf(err);
      }
      if (TOKEN_INVALID.has(failure.code) && attempt === 0) {
        cache.evictAll();
        continue;
      }
      throw classifyAs(failure, method);
    }
  }

  async function uploadFile(row: OutboxMessageRow): Promise<string> {
    if (row.file_key) return row.file_key;
    const data = row.file_data;
    if (!data || data.length === 0) throw new DeliveryError('permanent', 'file message without data');
    const res = await call('im.file.create', async () => {
      const r = await client.im.file.create({ data: { file_type: 'stream', file_name: row.file_name ?? 'file', file: Buffer.from(data) } });
      // The SDK unwraps this call: a failure under HTTP 200 comes back as null.
      return r?.file_key ? { code: 0, file_key: r.file_key } : { code: -2, msg: 'file upload returned no file_key' };
    });
    return res.file_key as string;
  }

  // A missing scope (im:message:readonly) fails every call the same way: say so once.
  const readFailures = new Set<string>();
  async function readReceipts(messageId: string): Promise<ReadReceipt> {
    const readers = new Set<string>();
    let pageToken: string | undefined;
    try {
      for (let page = 0; page < MAX_READ_PAGES; page++) {
        const res = await call('im.message.readUsers', () =>
          client.im.message.readUsers({
            path: { message_id: messageId },
            params: { user_id_type: 'open_id', page_size: READ_PAGE_SIZE, ...(pageToken ? { page_token: pageToken } : {}) },
          }),
        );
        for (const item of res.data?.items ?? []) readers.add(item.user_id);
        if (!res.data?.has_more || !res.data.page_token) return { known: true, readers };
        pageToken = res.data.page_token;
      }
      return { known: true, readers };
    } catch (err) {
      const reason = err instanceof DeliveryError ? err.message : String((err as Error)?.message ?? err);
      const key = reason.replace(/om_[A-Za-z0-9_]+/g, '').slice(0, 80);
      if (!readFailures.has(key)) {
        readFailures.add(key);
        log?.warn({ error: reason.slice(0, 200) }, 'read receipts unavailable; the ladder treats the prompt as possibly unread');
      } else log?.debug({ error: reason.slice(0, 200) }, 'read receipts unavailable');
      return { known: false, reason: reason.slice(0, 200) };
    }
  }

  async function urgent(row: OutboxMessageRow): Promise<Delivery> {
    const action = JSON.parse(row.content) as UrgentAction;
    const r = await call(
      'im.message.urgentApp',
      () => client.im.message.urgentApp({ path: { message_id: row.target }, params: { user_id_type: 'open_id' }, data: { user_id_list: action.user_id_list } }),
      classifyAction,
    );
    return { invalidUserIds: r.data?.invalid_user_id_list ?? [] };
  }

  return {
    readReceipts,
    async deliver(row): Promise<Delivery> {
      if (row.op === 'urgent_app') return urgent(row);
      let content = row.content;
      let fileKey: string | undefined;
      if (row.msg_type === 'file') {
        fileKey = await uploadFile(row);
        content = JSON.stringify({ file_key: fileKey });
      }
      try {
        if (row.op === 'patch') {
          await call('im.message.patch', () => client.im.message.patch({ path: { message_id: row.target }, data: { content } }));
          return { messageId: row.target, fileKey };
        }
        if (row.op === 'reply') {
          const r = await call('im.message.reply', () =>
            client.im.message.reply({ path: { message_id: row.target }, data: { msg_type: row.msg_type, content, uuid: row.uuid } }),
          );
          return { messageId: r.data?.message_id, chatId: r.data?.chat_id, fileKey };
        }
        const r = await call('im.message.create', () =>
          client.im.message.create({
            params: { receive_id_type: row.target_type as 'chat_id' | 'open_id' },
            data: { receive_id: row.target, msg_type: row.msg_type, content, uuid: row.uuid },
          }),
        );
        return { messageId: r.data?.message_id, chatId: r.data?.chat_id, fileKey };
      } catch (err) {
        if (err instanceof DeliveryError && fileKey) throw new DeliveryError(err.kind, err.message, err.retryAfterMs, fileKey);
        throw err;
      }
    },
  };
}

/** Reads the bot's own open_id (GET /open-apis/bot/v3/info). */
export async function fetchBotIdentity(client: lark.Client): Promise<{ openId: string; name: string }> {
  const res = (await client.request({ method: 'GET', url: '/open-apis/bot/v3/info' })) as { code?: number; msg?: string; bot?: { open_id?: string; app_name?: string } };
  if (res?.code !== 0 || !res.bot?.open_id) throw new Error(`bot info failed: code ${res?.code} ${res?.msg ?? ''}`);
  return { openId: res.bot.open_id, name: res.bot.app_name ?? '' };
}
