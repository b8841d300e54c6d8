import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../src/clock.ts';
import { systemClock } from '../../src/clock.ts';
import { type CardProblem, checkCard, describeProblems, larkRefusal } from './card-rules.ts';
import { reportViolation } from './strict.ts';

export const FAKE_BOT_OPEN_ID = 'ou_fake_bot_0001';

/** One of Lark's send quotas: at most `max` calls in any `windowMs`, per app or per receiving chat/person. */
export interface Quota {
  scope: 'app' | 'chat';
  max: number;
  windowMs: number;
}

/** Lark's IM quotas (send, reply, PATCH, file upload): 50/s and 1000/min per app, 5/s per chat or person. */
export const LARK_QUOTAS: Quota[] = [
  { scope: 'app', max: 50, windowMs: 1000 },
  { scope: 'app', max: 1000, windowMs: 60_000 },
  { scope: 'chat', max: 5, windowMs: 1000 },
];

export type Fault =
  | { kind: 'status'; status: number; body?: Record<string, unknown>; headers?: Record<string, string> }
  | { kind: 'code'; code: number; msg?: string }
  | { kind: 'hang' }
  | { kind: 'reset' };

export interface ApiCall {
  method: string;
  path: string;
  query: URLSearchParams;
  auth: string | null;
  body: Record<string, unknown> | null;
  /** For multipart uploads: the part names. */
  parts?: string[];
  at: number;
  /** What the fake answered: 'ok', 'dedup' (same uuid within an hour), or the fault. */
  outcome: string;
}

export interface Delivery {
  /** 'update' is a delayed card update (POST /interactive/v1/card/update). */
  kind: 'send' | 'reply' | 'patch' | 'update';
  target: string;
  receiveIdType: string | null;
  uuid: string | null;
  msgType: string | null;
  content: Record<string, unknown> | null;
  messageId: string;
  at: number;
}

/** A request the fake refused the way Lark refuses it (a card against the 2.0 rules, a text over 150 KB, …). */
export interface Refusal {
  path: string;
  code: number;
  msg: string;
  problems: CardProblem[];
  content: unknown;
}

interface RouteInput {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  call: ApiCall;
  raw: Buffer;
  body: Record<string, unknown> | null;
  match: RegExpExecArray;
}

interface Route {
  method: string;
  pattern: RegExp;
  handle(input: RouteInput): void;
}

/** Lark's text message limit (发送消息: text body ≤ 150 KB). */
const TEXT_MAX_BYTES = 150 * 1024;

/**
 * A stand-in for the Lark Open API on 127.0.0.1 that the real SDK client talks to: tokens, bot info, send,
 * reply, patch, delayed card update and file upload, Lark's one-hour uuid de-duplication, and switchable faults
 * (429 with a reset header, 500, a hang, a connection reset, code != 0, a rejected token). Read receipts and
 * 加急 on the bot's own messages are served by `handleReceiptsAndUrgent`.
 *
 * Strict by default, as real Lark is: every interactive send, reply, PATCH and delayed update is checked against
 * the Card JSON 2.0 rules (`card-rules.ts`) and refused with HTTP 400 and Lark's codes (230099 with the
 * sub-code, 230025 over 30 KB); a PATCH of a message that is not a card is refused too. Refusals are kept in
 * `refusals`. Endpoints live in one table, `routes`: add new ones there.
 */
export class FakeLarkApi {
  readonly calls: ApiCall[] = [];
  readonly deliveries: Delivery[] = [];
  readonly refusals: Refusal[] = [];
  /** The message type of every message the fake created, by message id. */
  private readonly messageTypes = new Map<string, string>();
  readonly uploads: { fileName: string; size: number; fileKey: string; at: number }[] = [];
  private readonly faults: { match: (path: string) => boolean; fault: Fault }[] = [];
  private readonly byUuid = new Map<string, { messageId: string; at: number }>();
  private readonly hung: (() => void)[] = [];
  private server: http.Server | null = null;
  private tokenN = 0;
  private msgN = 0;
  private validTokens = new Set<string>();
  hangAll = false;
  private waiters: { n: number; resolve: () => void }[] = [];
  /** Paths served before the token check (the long-connection gateway's endpoint). */
  private readonly extraRoutes = new Map<string, (call: ApiCall, res: http.ServerResponse) => void>();
  private quotas: Quota[] = [];
  /** Admitted quota-counted calls by arrival time: key 'app' and 'chat:<id>'. */
  private readonly admitted = new Map<string, number[]>();
  private readonly messageChats = new Map<string, string>();
  private readonly latencies: { pathPart: string; ms: number }[] = [];

  constructor(
    private readonly clock: Clock = systemClock,
    readonly options: { strict?: boolean } = {},
  ) {}

  get strict(): boolean {
    return this.options.strict ?? true;
  }

  /** Every Open API endpoint the fake serves (after the token check). */
  private readonly routes: Route[] = [
    {
      method: 'GET',
      pattern: /^\/open-apis\/bot\/v3\/info$/,
      handle: ({ res }) => this.send(res, 200, { code: 0, msg: 'ok', bot: { open_id: FAKE_BOT_OPEN_ID, app_name: '物业全覆盖助手', activate_status: 2 } }),
    },
    {
      method: 'POST',
      pattern: /^\/open-apis\/im\/v1\/files$/,
      handle: ({ res, raw, call }) => {
        const fileKey = `file_v3_fake_${this.uploads.length + 1}`;
        const name = /name="file_name"\r\n\r\n([^\r]*)/.exec(raw.toString('utf8'))?.[1] ?? '';
        this.uploads.push({ fileName: name, size: raw.length, fileKey, at: call.at });
        this.send(res, 200, { code: 0, msg: 'success', data: { file_key: fileKey } });
      },
    },
    { method: 'POST', pattern: /^\/open-apis\/im\/v1\/messages$/, handle: (i) => this.message(i, 'send', String(i.body?.receive_id ?? '')) },
    { method: 'POST', pattern: /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/, handle: (i) => this.message(i, 'reply', i.match[1]!) },
    { method: 'PATCH', pattern: /^\/open-apis\/im\/v1\/messages\/([^/]+)$/, handle: (i) => this.message(i, 'patch', i.match[1]!) },
    { method: 'POST', pattern: /^\/open-apis\/interactive\/v1\/card\/update$/, handle: (i) => this.delayedUpdate(i) },
  ];

  private refuse(res: http.ServerResponse, call: ApiCall, status: number, body: { code: number; msg: string }, problems: CardProblem[], content: unknown): void {
    call.outcome = `refused ${body.code}`;
    this.refusals.push({ path: call.path, code: body.code, msg: body.msg, problems, content });
    reportViolation(`fake Open API refused ${call.method} ${call.path}`, problems.length ? describeProblems(problems) : `${body.code} ${body.msg}`);
    this.send(res, status, { ...body, data: {} });
  }

  /** Lark's checks of a message body: the content is a JSON string of the right shape; cards follow the 2.0 rules. */
  private contentRefusal(kind: Delivery['kind'], target: string, msgType: string | null, content: unknown, rawContent: unknown): { status: number; body: { code: number; msg: string }; problems: CardProblem[] } | null {
    if (!this.strict) return null;
    const invalid = (msg: string) => ({ status: 400, body: { code: 230001, msg: `Your request contains an invalid request parameter, ext=${msg}` }, problems: [] });
    if (typeof rawContent !== 'string') return invalid('content must be a JSON string');
    if (kind === 'patch') {
      const known = this.messageTypes.get(target);
      if (known && known !== 'interactive') return invalid('only interactive messages can be updated with PATCH');
      msgType = 'interactive';
    }
    if (content === null) return invalid('content is not valid JSON');
    if (msgType === 'text') {
      const text = (content as { text?: unknown }).text;
      if (typeof text !== 'string') return invalid('a text message needs {"text": string}');
      if (Buffer.byteLength(rawContent, 'utf8') > TEXT_MAX_BYTES) return { status: 400, body: { code: 230025, msg: 'The message you sent is too long.' }, problems: [] };
    }
    if (msgType === 'interactive') {
      const refusal = larkRefusal(content);
      if (refusal) return { status: refusal.status, body: refusal.body, problems: checkCard(content) };
    }
    return null;
  }

  private message({ req, res, call, body }: RouteInput, kind: 'send' | 'reply' | 'patch', target: string): void {
    const uuid = typeof body?.uuid === 'string' ? body.uuid : null;
    const prior = uuid ? this.byUuid.get(uuid) : undefined;
    if (prior && call.at - prior.at < 3600_000) {
      call.outcome = 'dedup';
      return this.send(res, 200, { code: 0, msg: 'success', data: { message_id: prior.messageId } });
    }
    let content: Record<string, unknown> | null = null;
    try {
      content = typeof body?.content === 'string' ? (JSON.parse(body.content) as Record<string, unknown>) : null;
    } catch {
      content = null;
    }
    const msgType = typeof body?.msg_type === 'string' ? body.msg_type : null;
    const refusal = this.contentRefusal(kind, target, msgType, content, body?.content);
    if (refusal) return this.refuse(res, call, refusal.status, refusal.body, refusal.problems, content);
    const messageId = kind === 'patch' ? target : `om_fake_${++this.msgN}`;
    if (uuid) this.byUuid.set(uuid, { messageId, at: call.at });
    if (kind !== 'patch' && msgType) this.messageTypes.set(messageId, msgType);
    // Replies count for the chat of the message they answer (the quotas are per chat).
    const inChat = kind === 'send' ? String(body?.receive_id ?? '') : kind === 'reply' ? this.messageChats.get(target) : undefined;
    if (inChat && kind !== 'patch') this.messageChats.set(messageId, inChat);
    const receiveIdType = new URL(req.url ?? '/', 'http://x').searchParams.get('receive_id_type');
    this.deliveries.push({ kind, target, receiveIdType, uuid, msgType, content, messageId, at: call.at });
    this.notify();
    // Lark names the chat a message landed in; a send to a person lands in the direct chat with them.
    const chatId = kind === 'send' ? (receiveIdType === 'chat_id' ? target : `oc_p2p_${target}`) : undefined;
    this.send(res, 200, { code: 0, msg: 'success', data: { message_id: messageId, ...(chatId ? { chat_id: chatId } : {}) } });
  }

  /** POST /interactive/v1/card/update {token, card}: the bare card, checked like any other. */
  private delayedUpdate({ res, call, body }: RouteInput): void {
    const token = typeof body?.token === 'string' ? body.token : '';
    if (!token.startsWith('c-')) return this.send(res, 400, { code: 10002, msg: 'card parameter validation error: token' });
    const card = body?.card;
    if (this.strict) {
      const refusal = larkRefusal(card);
      if (refusal) return this.refuse(res, call, refusal.status, refusal.body, checkCard(card), card);
    }
    this.deliveries.push({ kind: 'update', target: token, receiveIdType: null, uuid: null, msgType: 'interactive', content: (card ?? null) as Record<string, unknown> | null, messageId: '', at: call.at });
    this.notify();
    this.send(res, 200, { code: 0, msg: 'success', data: {} });
  }

  get url(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    // Keep idle connections open longer than a test: a socket the server closes just as the client reuses it
    // resets that request, a retry the tests did not ask for.
    this.server.keepAliveTimeout = 120_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    return this;
  }

  async stop(): Promise<void> {
    this.release();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /**
   * Enforces Lark's quotas as its gateway does, on the fake's clock, by arrival: a call over a quota gets HTTP 429
   * with `x-ogw-ratelimit-limit` / `x-ogw-ratelimit-reset` and code 99991400 (app) or 230020 (chat), and counts
   * for nothing. Refused calls are in `calls` with outcome 'quota app' / 'quota chat'.
   */
  enforceQuotas(quotas: Quota[] = LARK_QUOTAS): this {
    this.quotas = quotas;
    return this;
  }

  /** Calls whose path contains `pathPart` take `ms` to answer: on a ManualClock the fake moves it, otherwise it waits. */
  takes(pathPart: string, ms: number): this {
    this.latencies.push({ pathPart, ms });
    return this;
  }

  /** The calls refused for a quota. */
  get quotaRefusals(): ApiCall[] {
    return this.calls.filter((c) => c.outcome.startsWith('quota'));
  }

  /** Tells the fake which chat a message (one the bot will reply to) is in, so replies count for that chat. */
  messageInChat(messageId: string, chatId: string): void {
    this.messageChats.set(messageId, chatId);
  }

  /** The next `times` requests whose path contains `pathPart` get this fault. */
  failNext(fault: Fault, times = 1, pathPart = '/im/v1/'): void {
    for (let i = 0; i < times; i++) this.faults.push({ match: (p) => p.includes(pathPart), fault });
  }

  /** Serves one more path on this server (the long-connection gateway's endpoint lives on the Open API's domain). */
  route(path: string, handler: (call: ApiCall, res: http.ServerResponse) => void): void {
    this.extraRoutes.set(path, handler);
  }

  /** Answers every held request (hangs end). */
  release(): void {
    this.hangAll = false;
    for (const r of this.hung.splice(0)) r();
  }

  /** Makes every token issued so far invalid (as if Lark rotated it). */
  revokeTokens(): void {
    this.validTokens.clear();
  }

  /** Resolves once `n` messages have been delivered (or rejects after `timeoutMs` of real time). */
  waitForDeliveries(n: number, timeoutMs = 5000): Promise<void> {
    if (this.deliveries.length >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`only ${this.deliveries.length} of ${n} deliveries`)), timeoutMs);
      this.waiters.push({ n, resolve: () => { clearTimeout(t); resolve(); } });
    });
  }

  private notify(): void {
    this.waiters = this.waiters.filter((w) => {
      if (this.deliveries.length >= w.n) {
        w.resolve();
        return false;
      }
      return true;
    });
  }

  private async readBody(req: http.IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  }

  private send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  }

  private async pass(ms: number): Promise<void> {
    const manual = this.clock as Clock & { advance?: (ms: number) => void };
    if (typeof manual.advance === 'function') manual.advance(ms);
    else await new Promise((resolve) => setTimeout(resolve, ms));
  }

  /** The quota a quota-counted call breaks (and when it frees up), or null; admitted calls are counted. */
  private checkQuotas(url: URL, method: string, body: Record<string, unknown> | null, at: number): { scope: Quota['scope']; max: number; resetS: number } | null {
    if (this.quotas.length === 0 || method === 'GET') return null;
    const p = url.pathname;
    const messages = p === '/open-apis/im/v1/messages' || /^\/open-apis\/im\/v1\/messages\/[^/]+(\/reply)?$/.test(p);
    if (!messages && p !== '/open-apis/im/v1/files') return null;
    const target = /^\/open-apis\/im\/v1\/messages\/([^/]+)/.exec(p)?.[1];
    const chat = p === '/open-apis/im/v1/messages' ? String(body?.receive_id ?? '') : target ? this.messageChats.get(target) : undefined;
    const keys: { scope: Quota['scope']; key: string }[] = [{ scope: 'app', key: 'app' }];
    if (chat) keys.push({ scope: 'chat', key: `chat:${chat}` });
    for (const q of this.quotas) {
      const k = keys.find((x) => x.scope === q.scope);
      if (!k) continue;
      const seen = (this.admitted.get(k.key) ?? []).filter((t) => t > at - q.windowMs);
      if (seen.length >= q.max) return { scope: q.scope, max: q.max, resetS: Math.max(1, Math.ceil((seen[seen.length - q.max]! + q.windowMs - at) / 1000)) };
    }
    const horizon = Math.max(...this.quotas.map((q) => q.windowMs));
    for (const k of keys) {
      const list = (this.admitted.get(k.key) ?? []).filter((t) => t > at - horizon);
      list.push(at);
      this.admitted.set(k.key, list);
    }
    return null;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // Quotas count arrivals: the time the request came in, not when its body was read.
    const arrivedAt = this.clock.now().getTime();
    const url = new URL(req.url ?? '/', 'http://x');
    const raw = await this.readBody(req);
    const ct = req.headers['content-type'] ?? '';
    let body: Record<string, unknown> | null = null;
    let parts: string[] | undefined;
    if (ct.includes('multipart/form-data')) {
      parts = [...raw.toString('latin1').matchAll(/name="([^"]+)"/g)].map((m) => m[1]!);
    } else if (raw.length) {
      try {
        body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      } catch {
        body = null;
      }
    }
    const call: ApiCall = {
      method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, auth: (req.headers.authorization as string) ?? null,
      body, parts, at: arrivedAt, outcome: 'ok',
    };
    this.calls.push(call);
    const extra = this.extraRoutes.get(url.pathname);
    if (extra) return extra(call, res);
    const latency = this.latencies.find((l) => url.pathname.includes(l.pathPart));
    if (latency) await this.pass(latency.ms);

    if (url.pathname === '/open-apis/auth/v3/tenant_access_token/internal') {
      const token = `t-fake-${++this.tokenN}`;
      this.validTokens.add(token);
      return this.send(res, 200, { code: 0, msg: 'ok', tenant_access_token: token, expire: 7200 });
    }
    const faultIdx = this.faults.findIndex((f) => f.match(url.pathname));
    const fault = faultIdx >= 0 ? this.faults.splice(faultIdx, 1)[0]!.fault : null;
    if (fault?.kind === 'reset') {
      call.outcome = 'reset';
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'hang' || this.hangAll) {
      call.outcome = 'hang';
      // Held until release(); by then the client has usually timed out and gone.
      await new Promise<void>((resolve) => this.hung.push(resolve));
      if (res.destroyed || req.socket.destroyed) return;
      call.outcome = 'released';
    }
    if (fault?.kind === 'status') {
      call.outcome = `status ${fault.status}`;
      return this.send(res, fault.status, fault.body ?? { code: -1, msg: 'fault' }, fault.headers);
    }
    if (fault?.kind === 'code') {
      call.outcome = `code ${fault.code}`;
      return this.send(res, 200, { code: fault.code, msg: fault.msg ?? 'fault' });
    }
    const token = (call.auth ?? '').replace(/^Bearer\s+/, '');
    if (!this.validTokens.has(token)) {
      call.outcome = 'bad token';
      return this.send(res, 400, { code: 99991663, msg: 'Invalid access token for authorization.' });
    }
    if (this.handleReceiptsAndUrgent(url, req.method ?? 'GET', call, body, res)) return;
    const overQuota = this.checkQuotas(url, req.method ?? 'GET', body, arrivedAt);
    if (overQuota) {
      call.outcome = `quota ${overQuota.scope}`;
      return this.send(res, 429, { code: overQuota.scope === 'app' ? 99991400 : 230020, msg: 'request trigger frequency limit' }, {
        'x-ogw-ratelimit-limit': String(overQuota.max),
        'x-ogw-ratelimit-reset': String(overQuota.resetS),
      });
    }
    const route = this.routes.find((r) => r.method === call.method && r.pattern.test(url.pathname));
    if (route) return route.handle({ req, res, call, raw, body, match: route.pattern.exec(url.pathname)! });
    call.outcome = 'not found';
    return this.send(res, 404, { code: 404, msg: 'not found' });
  }

  // ---- Read receipts and 加急 (GET …/read_users, PATCH …/urgent_app), as Lark documents them -------------------

  /** Who read which of the bot's messages: message_id → open_id → when (ms). */
  readonly reads = new Map<string, Map<string, number>>();
  /** Every 加急 Lark carried out. */
  readonly urgents: { messageId: string; userIds: string[]; at: number }[] = [];
  /** Users an urgent call reports in `invalid_user_id_list` (Lark could not reach them). */
  readonly unreachableUsers = new Set<string>();
  /** The most items one read_users page holds, whatever page_size asks; lower it to make the client page. */
  readPageLimit = 100;

  /** Records that `openId` opened the message (as the Lark client does when someone reads it). */
  markRead(messageId: string, openId: string, at = this.clock.now().getTime()): void {
    const m = this.reads.get(messageId) ?? new Map<string, number>();
    m.set(openId, at);
    this.reads.set(messageId, m);
  }

  /** The bot's own message with this id (only those may be queried or made urgent). */
  private ownMessage(messageId: string): Delivery | undefined {
    return this.deliveries.find((d) => d.messageId === messageId && d.kind !== 'patch');
  }

  private handleReceiptsAndUrgent(url: URL, method: string, call: ApiCall, body: Record<string, unknown> | null, res: http.ServerResponse): boolean {
    const readUsers = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/read_users$/.exec(url.pathname);
    const urgentApp = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/urgent_app$/.exec(url.pathname);
    if (!(readUsers && method === 'GET') && !(urgentApp && method === 'PATCH')) return false;
    const messageId = (readUsers ?? urgentApp)![1]!;
    const idType = url.searchParams.get('user_id_type');
    if (idType !== 'open_id') {
      call.outcome = 'bad user_id_type';
      this.send(res, 400, { code: 99992402, msg: 'field validation failed: user_id_type' });
      return true;
    }
    const own = this.ownMessage(messageId);
    if (!own) {
      call.outcome = 'not own message';
      this.send(res, 400, { code: 230027, msg: 'Lack of necessary permissions: the message was not sent by this bot' });
      return true;
    }
    if (readUsers) {
      if (call.at - own.at > 7 * 24 * 3600_000) {
        call.outcome = 'too old';
        this.send(res, 400, { code: 230110, msg: 'read users of messages older than 7 days cannot be queried' });
        return true;
      }
      const all = [...(this.reads.get(messageId) ?? new Map<string, number>())].sort((a, b) => a[1] - b[1]);
      const start = Number(url.searchParams.get('page_token') ?? 0);
      const size = Math.min(Number(url.searchParams.get('page_size') ?? 20), this.readPageLimit);
      const page = all.slice(start, start + size);
      const more = start + size < all.length;
      this.send(res, 200, {
        code: 0, msg: 'success',
        data: {
          items: page.map(([id, at]) => ({ user_id_type: 'open_id', user_id: id, timestamp: String(at) })),
          has_more: more,
          ...(more ? { page_token: String(start + size) } : {}),
        },
      });
      return true;
    }
    const list = Array.isArray(body?.user_id_list) ? (body!.user_id_list as unknown[]).map(String) : [];
    if (!list.length) {
      call.outcome = 'empty user list';
      this.send(res, 400, { code: 99992402, msg: 'field validation failed: user_id_list' });
      return true;
    }
    const invalid = list.filter((u) => this.unreachableUsers.has(u));
    this.urgents.push({ messageId, userIds: list.filter((u) => !invalid.includes(u)), at: call.at });
    this.send(res, 200, { code: 0, msg: 'success', data: { invalid_user_id_list: invalid } });
    return true;
  }
}
