/** An error whose message is meant for the person who caused it; nothing was written. */
export class UserError extends Error {
  constructor(message: string, readonly extra?: { card?: unknown }) {
    super(message);
    this.name = 'UserError';
  }
}

/** The Lark Open API answered with a failure (code != 0 or an HTTP error). */
export class LarkApiError extends Error {
  constructor(
    readonly code: number,
    readonly msg: string,
    readonly method: string,
    readonly httpStatus?: number,
    readonly retryAfterMs?: number,
  ) {
    super(`Lark ${method} failed: code ${code} ${msg}`);
    this.name = 'LarkApiError';
  }
}

/** A short reference shown to users so they can quote it; the log holds the details. */
export function referenceId(seed: string): string {
  let h = 2166136261;
  for (const ch of seed) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return `E${h.toString(36).toUpperCase().padStart(6, '0').slice(-6)}`;
}
