/**
 * Whether a database error means "another connection holds the lock; try again later" rather than a fault:
 * SQLite's SQLITE_BUSY / SQLITE_LOCKED (after the connection's busy timeout), PostgreSQL's lock_not_available.
 */
export function isBusyError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED') || code === '55P03';
}

/**
 * Whether a transaction failed only because a concurrent one won (PostgreSQL's serialization_failure and
 * deadlock_detected): running it again is safe. SQLite has one writer at a time and never reports this.
 */
export function isSerializationFailure(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '40001' || code === '40P01';
}

/**
 * How a background loop (inbox worker, outbox sender) waits out a database that another connection has locked:
 * its polls pause, growing from `minMs` to `maxMs`, so that each busy try (which blocks the event loop for the
 * connection's busy timeout) does not come back every few milliseconds. Explicit kicks still try at once.
 */
export class BusyBackoff {
  private until = 0;
  private delayMs = 0;

  constructor(
    private readonly minMs = 250,
    private readonly maxMs = 5000,
  ) {}

  /** Whether a poll should wait; real time, since this paces work rather than deciding anything. */
  get waiting(): boolean {
    return Date.now() < this.until;
  }

  /** Notes a failed pass; returns whether it failed because the database was busy. */
  failed(err: unknown): boolean {
    if (!isBusyError(err)) return false;
    this.delayMs = Math.min(this.maxMs, Math.max(this.minMs, this.delayMs * 2));
    this.until = Date.now() + this.delayMs;
    return true;
  }

  succeeded(): void {
    this.delayMs = 0;
    this.until = 0;
  }
}
