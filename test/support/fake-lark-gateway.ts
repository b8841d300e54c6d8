import crypto from 'node:crypto';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import protobuf from 'protobufjs';
import { WebSocket, WebSocketServer } from 'ws';
import type { ApiCall, FakeLarkApi } from './fake-lark.ts';

/**
 * Lark's long-connection frame (`pbbp2.Frame`, proto2), as the SDK's generated code reads and writes it. The SDK
 * does not export its schema, so it is written out here.
 */
const root = protobuf.Root.fromJSON({
  nested: {
    pbbp2: {
      nested: {
        Header: {
          fields: {
            key: { rule: 'required', type: 'string', id: 1 },
            value: { rule: 'required', type: 'string', id: 2 },
          },
        },
        Frame: {
          fields: {
            SeqID: { rule: 'required', type: 'uint64', id: 1 },
            LogID: { rule: 'required', type: 'uint64', id: 2 },
            service: { rule: 'required', type: 'int32', id: 3 },
            method: { rule: 'required', type: 'int32', id: 4 },
            headers: { rule: 'repeated', type: 'Header', id: 5 },
            payloadEncoding: { type: 'string', id: 6 },
            payloadType: { type: 'string', id: 7 },
            payload: { type: 'bytes', id: 8 },
            LogIDNew: { type: 'string', id: 9 },
          },
        },
      },
    },
  },
});
const FrameType = root.lookupType('pbbp2.Frame');

export interface Frame {
  SeqID: number;
  LogID: number;
  service: number;
  method: number;
  headers: { key: string; value: string }[];
  payload?: Uint8Array;
}

/** method 0 = control (ping/pong), 1 = data (events, callbacks, their acks). */
export const CONTROL = 0;
export const DATA = 1;
/** Lark's answer when an app already holds as many long connections as it may. */
export const EXCEED_CONN_LIMIT = 1000040350;

export function encodeFrame(frame: Frame): Buffer {
  return Buffer.from(FrameType.encode(FrameType.fromObject(frame)).finish());
}

export function decodeFrame(data: Buffer): Frame {
  return FrameType.toObject(FrameType.decode(data), { longs: Number, defaults: true }) as Frame;
}

const headerOf = (f: Frame, key: string) => f.headers.find((h) => h.key === key)?.value;

export interface GatewayAck {
  /** The frame's message_id (one delivery; a re-delivery of the same event has a new one). */
  messageId: string;
  connection: number;
  /** The ack payload's code: 200, or 500 when the bot's handler threw. */
  code: number;
  /** The handler's answer (base64 JSON in the ack), decoded; null when there was none. */
  data: unknown;
  at: number;
  headers: Record<string, string>;
}

export interface GatewayConnection {
  id: number;
  socket: WebSocket;
  deviceId: string;
  /** Seen a first ping: the SDK listens for frames from then on (frames sent sooner may be missed). */
  ready: boolean;
  pings: number;
  closed: boolean;
}

export interface ClientConfig {
  PingInterval: number;
  ReconnectCount: number;
  ReconnectInterval: number;
  ReconnectNonce: number;
}

/**
 * A stand-in for Lark's long-connection gateway on 127.0.0.1, mounted on a FakeLarkApi (the SDK finds the gateway
 * through `{domain}/callback/ws/endpoint`, the same domain as the Open API). It checks the app's credentials,
 * hands out a `ws://` URL with a one-time ticket, answers pings with the client config, delivers events and card
 * callbacks as `pbbp2` data frames (split into parts when large), records acks, and can drop connections, fall
 * silent, or refuse with the connection-limit code.
 */
export class FakeLarkGateway {
  readonly endpointRequests: { appId: unknown; secretOk: boolean; at: number; answer: number }[] = [];
  readonly connections: GatewayConnection[] = [];
  readonly acks: GatewayAck[] = [];
  /** Sent with each URL and each pong; seconds, as Lark sends them. */
  clientConfig: ClientConfig = { PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 1, ReconnectNonce: 0 };
  /** When false, pings get no pong: a connection that went silent. */
  answerPings = true;
  /** Payloads longer than this go out in several frames. */
  maxPartBytes = 4096;
  private readonly refusals: { code: number; msg: string }[] = [];
  private hangs = 0;
  private readonly hung: http.ServerResponse[] = [];
  private readonly tickets = new Set<string>();
  private readonly pending = new Map<string, { conn: number; loseAck: boolean; resolve: (ack: GatewayAck) => void; reject: (err: Error) => void; timer: NodeJS.Timeout }>();
  private readonly waiters: { check: () => boolean; resolve: () => void }[] = [];
  private wss: WebSocketServer | null = null;
  private seq = 0;

  constructor(private readonly api: FakeLarkApi, private readonly app: { appId: string; appSecret: string }) {}

  get wsPort(): number {
    return (this.wss!.address() as AddressInfo).port;
  }

  async start(): Promise<this> {
    this.wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => this.wss!.once('listening', () => resolve()));
    this.wss.on('connection', (socket, req) => this.accept(socket, req));
    this.api.route('/callback/ws/endpoint', (call, res) => this.endpoint(call, res));
    return this;
  }

  async stop(): Promise<void> {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    for (const c of this.connections) c.socket.terminate();
    for (const res of this.hung.splice(0)) res.destroy();
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
  }

  /** The next `times` endpoint requests are refused with this code (1000040350: too many connections). */
  refuseNext(times = 1, code = EXCEED_CONN_LIMIT, msg = 'exceed connection limit'): void {
    for (let i = 0; i < times; i++) this.refusals.push({ code, msg });
  }

  /** The next `times` endpoint requests get no answer at all (a gateway that hangs). */
  hangNext(times = 1): void {
    this.hangs += times;
  }

  /** Cuts every open connection from the gateway's side, as a gateway restart or a network drop does. */
  drop(): void {
    for (const c of this.open()) c.socket.terminate();
  }

  open(): GatewayConnection[] {
    return this.connections.filter((c) => !c.closed);
  }

  readyConnections(): GatewayConnection[] {
    return this.open().filter((c) => c.ready);
  }

  /** Resolves once `n` connections in all have become ready (or rejects after `timeoutMs` of real time). */
  waitForConnections(n: number, timeoutMs = 10_000): Promise<void> {
    return this.waitFor(() => this.connections.filter((c) => c.ready).length >= n, `${n} ready connections`, timeoutMs);
  }

  waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`gateway: timed out waiting for ${what}`)), timeoutMs);
      this.waiters.push({ check, resolve: () => { clearTimeout(t); resolve(); } });
    });
  }

  /**
   * Delivers a v2 event or callback envelope on the newest ready connection and resolves with its ack. Rejects
   * when the connection closes first or no ack comes within `timeoutMs`; Lark would then deliver it again.
   * `loseAck`: the connection breaks just as the ack arrives, so the gateway never takes it.
   */
  deliver(envelope: unknown, o: { parts?: number; timeoutMs?: number; connection?: GatewayConnection; loseAck?: boolean } = {}): Promise<GatewayAck> {
    const conn = o.connection ?? this.readyConnections().at(-1);
    if (!conn) return Promise.reject(new Error('gateway: no ready connection'));
    const messageId = `ws_msg_${++this.seq}_${crypto.randomBytes(3).toString('hex')}`;
    const bytes = Buffer.from(JSON.stringify(envelope));
    const sum = Math.max(o.parts ?? 1, Math.ceil(bytes.length / this.maxPartBytes));
    const size = Math.ceil(bytes.length / sum);
    const ack = new Promise<GatewayAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(messageId);
        reject(new Error(`gateway: no ack for ${messageId}`));
      }, o.timeoutMs ?? 10_000);
      this.pending.set(messageId, { conn: conn.id, loseAck: o.loseAck ?? false, resolve, reject, timer });
    });
    for (let seq = 0; seq < sum; seq++) {
      this.send(conn, {
        SeqID: this.seq, LogID: this.seq, service: 42, method: DATA,
        headers: [
          { key: 'type', value: 'event' }, { key: 'message_id', value: messageId }, { key: 'sum', value: String(sum) },
          { key: 'seq', value: String(seq) }, { key: 'trace_id', value: `trace_${this.seq}` },
        ],
        payload: bytes.subarray(seq * size, (seq + 1) * size),
      });
    }
    return ack;
  }

  private endpoint(call: ApiCall, res: http.ServerResponse): void {
    const body = call.body ?? {};
    if (this.hangs > 0) {
      this.hangs--;
      this.hung.push(res);
      return;
    }
    const secretOk = body.AppID === this.app.appId && body.AppSecret === this.app.appSecret;
    const reply = (code: number, msg: string, data: Record<string, unknown>) => {
      this.endpointRequests.push({ appId: body.AppID, secretOk, at: Date.now(), answer: code });
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ code, msg, data }));
    };
    // Lark answers refusals with an empty data object; the SDK then gives up instead of retrying.
    if (!secretOk) return reply(514, 'auth failed', {});
    const refusal = this.refusals.shift();
    if (refusal) return reply(refusal.code, refusal.msg, {});
    const ticket = crypto.randomBytes(8).toString('hex');
    this.tickets.add(ticket);
    // The SDK reads device_id with querystring.parse on the whole URL: the first key swallows the prefix.
    const url = `ws://127.0.0.1:${this.wsPort}/ws/v2?fpid=1&device_id=dev_${this.tickets.size}&service_id=42&ticket=${ticket}`;
    reply(0, 'ok', { URL: url, ClientConfig: this.clientConfig });
  }

  private accept(socket: WebSocket, req: http.IncomingMessage): void {
    const q = new URL(req.url ?? '/', 'ws://x').searchParams;
    const ticket = q.get('ticket') ?? '';
    if (!this.tickets.delete(ticket)) {
      socket.close(1008, 'bad ticket');
      return;
    }
    const conn: GatewayConnection = { id: this.connections.length + 1, socket, deviceId: q.get('device_id') ?? '', ready: false, pings: 0, closed: false };
    this.connections.push(conn);
    socket.on('message', (data: Buffer) => this.receive(conn, data));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      conn.closed = true;
      for (const [messageId, p] of this.pending) {
        if (p.conn !== conn.id) continue;
        clearTimeout(p.timer);
        this.pending.delete(messageId);
        p.reject(new Error(`gateway: connection ${conn.id} closed before the ack of ${messageId}`));
      }
      this.notify();
    });
  }

  private receive(conn: GatewayConnection, data: Buffer): void {
    const frame = decodeFrame(data);
    const type = headerOf(frame, 'type');
    if (frame.method === CONTROL && type === 'ping') {
      conn.pings++;
      conn.ready = true;
      if (this.answerPings) {
        this.send(conn, {
          SeqID: 0, LogID: 0, service: frame.service, method: CONTROL, headers: [{ key: 'type', value: 'pong' }],
          payload: Buffer.from(JSON.stringify(this.clientConfig)),
        });
      }
      this.notify();
      return;
    }
    if (frame.method !== DATA) return;
    const messageId = headerOf(frame, 'message_id') ?? '';
    if (this.pending.get(messageId)?.loseAck) {
      conn.socket.terminate();
      return;
    }
    const body = JSON.parse(Buffer.from(frame.payload ?? []).toString('utf8')) as { code: number; data?: string };
    const ack: GatewayAck = {
      messageId,
      connection: conn.id,
      code: body.code,
      data: body.data ? JSON.parse(Buffer.from(body.data, 'base64').toString('utf8')) : null,
      at: Date.now(),
      headers: Object.fromEntries(frame.headers.map((h) => [h.key, h.value])),
    };
    this.acks.push(ack);
    const p = this.pending.get(messageId);
    if (p) {
      clearTimeout(p.timer);
      this.pending.delete(messageId);
      p.resolve(ack);
    }
    this.notify();
  }

  private send(conn: GatewayConnection, frame: Frame): void {
    if (conn.socket.readyState === WebSocket.OPEN) conn.socket.send(encodeFrame(frame));
  }

  private notify(): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (this.waiters[i]!.check()) this.waiters.splice(i, 1)[0]!.resolve();
    }
  }
}
