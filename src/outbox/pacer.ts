/**
 * Lark's send quotas are hard: 5 per second to one chat or person, 50 per second and 1000 per minute per app
 * (send, reply, PATCH and file upload all count). The pacer keeps each in a sliding window, counted the way the
 * gateway counts them: a request is timestamped when it leaves (`SendSlot.leaving`), never when it was queued or
 * claimed, and moved to when it was answered once it has been (the gateway saw it at the latest then); a send that
 * is on its way but has not left yet counts in every window until it has.
 */

export interface Limit {
  max: number;
  windowMs: number;
}

/**
 * Room kept in each window beyond its length. Lark counts a request between its leaving and its answer, and a
 * request is stamped with its answer's time once that is in, so only clock granularity is left to cover (a
 * millisecond). Kept that small because every millisecond of it, like each round trip, lowers the sustained rate
 * (50 per 1010 ms is 49.5/s) and a steady flow at the quota would queue up; a 429 that comes anyway widens it for
 * a while (`rateLimited`).
 */
export const DEFAULT_MARGIN_MS = 1;
/** The margin a run of 429s can grow it to. */
const MAX_MARGIN_MS = 500;

/** The kinds of request a send makes: the message itself (counts for its chat too), or a file upload before it. */
export type RequestKind = 'message' | 'upload';

/** Timestamps in order (mostly appended), plus sends under way that have not left yet. */
class Window {
  readonly stamps: number[] = [];
  pending = 0;

  add(at: number): void {
    let i = this.stamps.length;
    while (i > 0 && this.stamps[i - 1]! > at) i--;
    this.stamps.splice(i, 0, at);
  }

  /** Moves one stamp from `from` to `to` (a request counted from when it left, then from when it was answered). */
  move(from: number, to: number): void {
    const i = this.stamps.lastIndexOf(from);
    if (i >= 0) this.stamps.splice(i, 1);
    this.add(to);
  }

  /** Drops stamps no window can see any more. */
  prune(now: number, horizonMs: number): void {
    let n = 0;
    while (n < this.stamps.length && this.stamps[n]! <= now - horizonMs) n++;
    if (n) this.stamps.splice(0, n);
  }

  /** Milliseconds until `cost` more fit under `limit` (0 = now; Infinity = only when a pending send leaves). */
  waitMs(now: number, limit: Limit, marginMs: number, cost: number): number {
    const span = limit.windowMs + marginMs;
    let first = 0;
    while (first < this.stamps.length && this.stamps[first]! <= now - span) first++;
    const inWindow = this.stamps.length - first;
    const over = inWindow + this.pending + cost - limit.max;
    if (over <= 0) return 0;
    if (over > inWindow) return Infinity;
    return this.stamps[first + over - 1]! + span - now;
  }

  get idle(): boolean {
    return this.stamps.length === 0 && this.pending === 0;
  }
}

/** One send's share of the quotas, from its claim until it has finished. */
export class SendSlot {
  private messagePending = 1;
  private signalled = false;
  private done = false;
  /** Requests of this send that left and have no answer yet: their stamps, in the app window and the chat's. */
  private readonly unanswered: { kind: RequestKind; at: number }[] = [];

  constructor(
    private readonly key: Window,
    private readonly app: Window,
    private appPending: number,
  ) {}

  /** A request of this send leaves now: it counts from this instant. */
  leaving(kind: RequestKind, at: number): void {
    if (this.done) return;
    this.signalled = true;
    if (this.appPending > 0) {
      this.appPending--;
      this.app.pending--;
    }
    this.app.add(at);
    if (kind === 'message') {
      if (this.messagePending > 0) {
        this.messagePending--;
        this.key.pending--;
      }
      this.key.add(at);
    }
    this.unanswered.push({ kind, at });
  }

  /**
   * The answer to this send's oldest unanswered request of `kind` came back now. Lark counts a request when it
   * arrives, somewhere between leaving and the answer: from the answer on, the stamp is the answer's time, so
   * jitter on the way (a loaded machine, a slow network) cannot squeeze one more into Lark's window than into
   * ours. Taken as soon as the answer is in (not after the outbox row is settled), it costs one round trip a window.
   */
  answered(kind: RequestKind, at: number): void {
    if (this.done) return;
    const i = this.unanswered.findIndex((r) => r.kind === kind);
    if (i < 0) return;
    const [r] = this.unanswered.splice(i, 1);
    this.moveTo(r!, at);
  }

  private moveTo(r: { kind: RequestKind; at: number }, at: number): void {
    const to = Math.max(r.at, at);
    this.app.move(r.at, to);
    if (r.kind === 'message') this.key.move(r.at, to);
  }

  /**
   * The send is over. Requests still without an answer are counted from now; a messenger that never said when
   * its requests left (local mode, tests) is counted as having sent everything now, which is never earlier than
   * the truth; requests that never left are forgotten.
   */
  finish(at: number): void {
    if (this.done) return;
    this.done = true;
    for (const r of this.unanswered.splice(0)) this.moveTo(r, at);
    if (!this.signalled) {
      for (let i = 0; i < this.appPending; i++) this.app.add(at);
      if (this.messagePending) this.key.add(at);
    }
    this.app.pending -= this.appPending;
    this.key.pending -= this.messagePending;
    this.appPending = 0;
    this.messagePending = 0;
  }
}

export interface PacerOptions {
  /** The app's per-minute quota (Lark: 1000). */
  perMinute?: number;
  marginMs?: number;
}

export class Pacer {
  private readonly keys = new Map<string, Window>();
  private readonly app = new Window();
  private readonly keyLimits: Limit[];
  private readonly appLimits: Limit[];
  private readonly baseMarginMs: number;
  private marginMs: number;
  private horizonMs: number;
  private touches = 0;

  /** `perKey` sends to one chat or person and `total` sends overall per `windowMs`, plus `perMinute` overall. */
  constructor(perKey = 5, total = 50, windowMs = 1000, opts: PacerOptions = {}) {
    this.keyLimits = [{ max: perKey, windowMs }];
    this.appLimits = [{ max: total, windowMs }, { max: opts.perMinute ?? 1000, windowMs: 60_000 }];
    this.baseMarginMs = opts.marginMs ?? DEFAULT_MARGIN_MS;
    this.marginMs = this.baseMarginMs;
    this.horizonMs = Math.max(...[...this.keyLimits, ...this.appLimits].map((l) => l.windowMs)) + MAX_MARGIN_MS;
  }

  /** The room currently kept in each window for timing differences between us and Lark. */
  get margin(): number {
    return this.marginMs;
  }

  /**
   * Lark refused a send for its rate although the windows allowed it: its clock and ours differ by more than the
   * margin (network jitter, a stalled process). Keep more room for a while; clean sends shrink it back.
   */
  rateLimited(): void {
    this.marginMs = Math.min(MAX_MARGIN_MS, Math.max(this.marginMs * 2, 4 * DEFAULT_MARGIN_MS));
  }

  /** A send went through without a 429. */
  sent(): void {
    if (this.marginMs > this.baseMarginMs) this.marginMs = Math.max(this.baseMarginMs, this.marginMs - 1);
  }

  private window(key: string, now: number): Window {
    let w = this.keys.get(key);
    if (!w) {
      w = new Window();
      this.keys.set(key, w);
    }
    w.prune(now, this.horizonMs);
    this.app.prune(now, this.horizonMs);
    if (++this.touches % 1000 === 0) this.forgetIdle(now);
    return w;
  }

  /** Chats nobody wrote to for a while need no window. */
  private forgetIdle(now: number): void {
    for (const [key, w] of this.keys) {
      w.prune(now, this.horizonMs);
      if (w.idle) this.keys.delete(key);
    }
  }

  /**
   * Milliseconds until a send to `key` making `appCost` quota-counted requests (2 for a file: upload, then send)
   * may start: 0 = now; Infinity = when a send under way has left.
   */
  waitMs(key: string, now: number, appCost = 1): number {
    const w = this.window(key, now);
    let wait = 0;
    for (const l of this.keyLimits) wait = Math.max(wait, w.waitMs(now, l, this.marginMs, 1));
    for (const l of this.appLimits) wait = Math.max(wait, this.app.waitMs(now, l, this.marginMs, appCost));
    return wait;
  }

  /** Takes the quota for a send that may start now (after `waitMs` said 0); its requests stamp it as they leave. */
  reserve(key: string, now: number, appCost = 1): SendSlot {
    const w = this.window(key, now);
    w.pending += 1;
    this.app.pending += appCost;
    return new SendSlot(w, this.app, appCost);
  }

  /** Counts a send that left at `now` (for callers that do not reserve). */
  record(key: string, now: number): void {
    this.reserve(key, now).finish(now);
  }
}
