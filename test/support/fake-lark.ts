import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../src/clock.ts';
import { systemClock } from '../../src/clock.ts';

export const FAKE_BOT_OPEN_ID = 'ou_fake_bot_0001';

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
  kind: 'send' | 'reply' | 'patch';
  target: string;
  receiveIdType: string | null;
  uuid: string | null;
  msgType: string | null;
  content: Record<string, unknown> | null;
  messageId: string;
  at: number;
}

/**
 * A stand-in for the Lark Open API on 127.0.0.1 that the real SDK client talks to: tokens, bot info, send,
 * reply, patch and file upload, Lark's one-hour uuid de-duplication, read receipts and 加急 on the bot's own
 * messages, and switchable faults (429 with a reset header, 500, a hang, a connection reset, code != 0, a
 * rejected token).
 */
export class FakeLarkApi {
  readonly calls: ApiCall[] = [];
  readonly deliveries: Delivery[] = [];
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

  constructor(private readonly clock: Clock = systemClock) {}

  get url(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    return this;
  }

  async stop(): Promise<void> {
    this.release();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** The next `times` requests whose path contains `pathPart` get this fault. */
  failNext(fault: Fault, times = 1, pathPart = '/im/v1/'): void {
    for (let i = 0; i < times; i++) this.faults.push({ match: (p) => p.includes(pathPart), fault });
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

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
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
      body, parts, at: this.clock.now().getTime(), outcome: 'ok',
    };
    this.calls.push(call);

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
    if (url.pathname === '/open-apis/bot/v3/info') {
      return this.send(res, 200, { code: 0, msg: 'ok', bot: { open_id: FAKE_BOT_OPEN_ID, app_name: '物业全覆盖助手', activate_status: 2 } });
    }
    if (url.pathname === '/open-apis/im/v1/files' && req.method === 'POST') {
      const fileKey = `file_v3_fake_${this.uploads.length + 1}`;
      const name = /name="file_name"\r\n\r\n([^\r]*)/.exec(raw.toString('utf8'))?.[1] ?? '';
      this.uploads.push({ fileName: name, size: raw.length, fileKey, at: call.at });
      return this.send(res, 200, { code: 0, msg: 'success', data: { file_key: fileKey } });
    }
    const reply = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/.exec(url.pathname);
    const patch = /^\/open-apis\/im\/v1\/messages\/([^/]+)$/.exec(url.pathname);
    if ((url.pathname === '/open-apis/im/v1/messages' && req.method === 'POST') || reply || (patch && req.method === 'PATCH')) {
      const uuid = typeof body?.uuid === 'string' ? body.uuid : null;
      const prior = uuid ? this.byUuid.get(uuid) : undefined;
      if (prior && call.at - prior.at < 3600_000) {
        call.outcome = 'dedup';
        return this.send(res, 200, { code: 0, msg: 'success', data: { message_id: prior.messageId } });
      }
      const messageId = patch && req.method === 'PATCH' ? patch[1]! : `om_fake_${++this.msgN}`;
      if (uuid) this.byUuid.set(uuid, { messageId, at: call.at });
      let content: Record<string, unknown> | null = null;
      try {
        content = typeof body?.content === 'string' ? (JSON.parse(body.content) as Record<string, unknown>) : null;
      } catch {
        content = null;
      }
      this.deliveries.push({
        kind: reply ? 'reply' : patch && req.method === 'PATCH' ? 'patch' : 'send',
        target: reply ? reply[1]! : patch && req.method === 'PATCH' ? patch[1]! : String(body?.receive_id ?? ''),
        receiveIdType: url.searchParams.get('receive_id_type'),
        uuid,
        msgType: typeof body?.msg_type === 'string' ? body.msg_type : null,
        content,
        messageId,
        at: call.at,
      });
      this.notify();
      return this.send(res, 200, { code: 0, msg: 'success', data: { message_id: messageId } });
    }
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
