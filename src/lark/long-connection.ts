import type * as Lark from '@larksuiteoapi/node-sdk';
import { lark } from './sdk.ts';
import type { Logger } from '../logger.ts';
import { bodyHttpInstance, resolveDomain, sdkLogger } from './client.ts';
import { v2EnvelopeSchema } from './envelope.ts';
import type { LarkCallbackAnswer } from './card-answer.ts';
import type { LarkIntake } from './intake.ts';

/** Our view of the long connection: the SDK's states, plus `restarting` while we wait to replace a client that gave up. */
export type ConnectionState = 'stopped' | 'connecting' | 'connected' | 'reconnecting' | 'restarting';

export interface LongConnectionOptions {
  appId: string;
  appSecret: string;
  domain: string;
  /** Lark sends long-connection payloads in plain text; should one come encrypted, the SDK decrypts it with this. */
  encryptKey?: string;
  log: Logger;
  intake: LarkIntake;
  /**
   * Seconds without any frame after a ping before the socket counts as dead and the SDK reconnects (default 10).
   * Each ping re-arms this watchdog, so it must be shorter than Lark's ping interval (about two minutes).
   */
  pingTimeoutSec?: number;
  /** Longest wait for a WebSocket handshake (default 10 s). */
  handshakeTimeoutMs?: number;
  /** First delay before replacing a client the SDK gave up on; it doubles per failure up to `restartMaxMs`. */
  restartInitialMs?: number;
  restartMaxMs?: number;
  /** A client not connected for this long is replaced too (the SDK's own retries can be minutes apart). */
  stuckAfterMs?: number;
  /** How often the SDK's own state is read (it reports some failures only there). */
  watchEveryMs?: number;
  /** Timeout of the endpoint request that precedes each connection. */
  httpTimeoutMs?: number;
  /** Jitter source, [0, 1). */
  random?: () => number;
}

export interface LongConnectionStatus {
  state: ConnectionState;
  connected: boolean;
  /** Clients replaced so far because the SDK gave up or stayed disconnected. */
  restarts: number;
}

/** The v2 header fields the SDK's dispatcher spreads into one flat object together with the event's own fields. */
const HEADER_KEYS = new Set(['event_id', 'event_type', 'create_time', 'app_id', 'tenant_key']);

/**
 * The SDK hands a handler `{...header, ...event}`; this puts the envelope back together so it is checked by the
 * same schema as a webhook body. The header's token is left out: the long connection authenticates when it
 * connects, and for card callbacks the SDK overwrote it with the card's own token, which belongs to the event.
 */
export function envelopeFromDispatched(data: Record<string, unknown>): unknown {
  const header: Record<string, unknown> = {};
  const event: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (key === 'schema') continue;
    if (HEADER_KEYS.has(key)) header[key] = value;
    else event[key] = value;
  }
  return { schema: data.schema, header, event };
}

/** Equal jitter: half the exponential delay fixed, half random, so many bots restarting together spread out. */
export function restartDelay(failures: number, initialMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(failures, 30));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/**
 * Lark's long-connection mode: the SDK's WSClient dials out and receives events and card callbacks, which go to
 * the same intake as the webhook's; each is acknowledged only once it is in the inbox. The SDK reconnects after a
 * drop by itself, but gives up for good after some answers (the connection limit, 1000040350, among them) and can
 * wait minutes between attempts, so a supervisor replaces the client then, with backoff and jitter.
 */
export function createLongConnection(opts: LongConnectionOptions) {
  const { log, intake, appId } = opts;
  const initialMs = opts.restartInitialMs ?? 5_000;
  const maxMs = opts.restartMaxMs ?? 300_000;
  const stuckAfterMs = opts.stuckAfterMs ?? 600_000;
  const random = opts.random ?? Math.random;
  const sdkLog = sdkLogger(log);

  let client: Lark.WSClient | null = null;
  let generation = 0;
  let state: ConnectionState = 'stopped';
  let failures = 0;
  let restarts = 0;
  let downSince = Date.now();
  let restartTimer: NodeJS.Timeout | null = null;
  let watchTimer: NodeJS.Timeout | null = null;

  async function deliver(data: Record<string, unknown>): Promise<LarkCallbackAnswer | undefined> {
    const envelope = v2EnvelopeSchema.safeParse(envelopeFromDispatched(data));
    if (!envelope.success) {
      log.warn({ type: typeof data.event_type === 'string' ? data.event_type.slice(0, 64) : null }, 'long connection: not a v2 event, dropped');
      return undefined;
    }
    const { header } = envelope.data;
    if (header.app_id !== undefined && header.app_id !== appId) {
      log.warn({ eventId: header.event_id }, 'long connection: event for another app, dropped');
      return undefined;
    }
    let result;
    try {
      result = await intake.accept(envelope.data, 'ws');
    } catch (err) {
      // The SDK then acknowledges with code 500 and Lark delivers the event again.
      log.error({ err, eventId: header.event_id }, 'long connection: event not stored');
      throw err;
    }
    if (!result.ok && result.unavailable) {
      // Not stored in time: the SDK acknowledges with code 500 and Lark delivers the event again.
      throw new Error('inbox unavailable');
    }
    if (!result.ok) {
      log.warn({ eventId: header.event_id, error: result.error }, 'long connection: event refused');
      return undefined;
    }
    return header.event_type === 'card.action.trigger' ? result.answer : undefined;
  }

  const dispatcher = new lark.EventDispatcher({ encryptKey: opts.encryptKey, logger: sdkLog }).register({
    'im.message.receive_v1': (data: Record<string, unknown>) => deliver(data),
    'card.action.trigger': (data: Record<string, unknown>) => deliver(data),
  } as Record<string, (data: Record<string, unknown>) => Promise<unknown>>);

  function setState(next: ConnectionState, detail: Record<string, unknown> = {}): void {
    if (next === state) return;
    const previous = state;
    state = next;
    if (next === 'connected') failures = 0;
    else if (previous === 'connected') downSince = Date.now();
    log.info({ transport: 'ws', state: next, previous, ...detail }, 'long connection state');
  }

  function open(): void {
    restartTimer = null;
    const mine = ++generation;
    const current = () => mine === generation;
    downSince = Date.now();
    setState('connecting');
    client = new lark.WSClient({
      appId,
      appSecret: opts.appSecret,
      domain: resolveDomain(opts.domain),
      logger: sdkLog,
      httpInstance: bodyHttpInstance(opts.httpTimeoutMs ?? 15_000),
      handshakeTimeoutMs: opts.handshakeTimeoutMs ?? 10_000,
      wsConfig: { pingTimeout: opts.pingTimeoutSec ?? 10 },
      onReady: () => current() && setState('connected'),
      onReconnecting: () => current() && setState('reconnecting'),
      onReconnected: () => current() && setState('connected'),
      onError: (err) => current() && restart(err.message),
    });
    client.start({ eventDispatcher: dispatcher }).catch((err: unknown) => current() && restart(err instanceof Error ? err.message : String(err)));
  }

  /** Throws the current client away and opens a new one after a backoff. */
  function restart(reason: string): void {
    if (state === 'stopped' || state === 'restarting') return;
    generation++;
    client?.close({ force: true });
    client = null;
    const delayMs = restartDelay(failures, initialMs, maxMs, random);
    failures++;
    restarts++;
    // The SDK's messages carry codes and reasons, never the secret; the endpoint URL with its ticket is not logged.
    log.warn({ transport: 'ws', reason: reason.slice(0, 200), delayMs, failures }, 'long connection failed; restarting after a pause');
    setState('restarting', { delayMs });
    restartTimer = setTimeout(open, delayMs);
  }

  /** Reads the SDK's state: a failure it reports only there, or a connection down for too long, means a restart. */
  function watch(): void {
    if (!client || state === 'stopped' || state === 'restarting') return;
    const sdkState = client.getConnectionStatus().state;
    if (sdkState === 'failed') return restart('the client stopped retrying');
    if (sdkState === 'connected') return setState('connected');
    if (state === 'connected') setState('reconnecting', { sdkState });
    if (Date.now() - downSince > stuckAfterMs) restart(`not connected for ${Math.round((Date.now() - downSince) / 1000)} s`);
  }

  return {
    start(): void {
      if (state !== 'stopped') return;
      open();
      watchTimer = setInterval(watch, opts.watchEveryMs ?? 5_000);
      watchTimer.unref();
    },
    stop(): void {
      if (restartTimer) clearTimeout(restartTimer);
      if (watchTimer) clearInterval(watchTimer);
      restartTimer = null;
      watchTimer = null;
      generation++;
      client?.close({ force: true });
      client = null;
      setState('stopped');
    },
    status(): LongConnectionStatus {
      const connected = state === 'connected' && client?.getConnectionStatus().state === 'connected';
      return { state, connected, restarts };
    },
  };
}

export type LongConnection = ReturnType<typeof createLongConnection>;
