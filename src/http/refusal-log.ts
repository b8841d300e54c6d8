import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';

export interface Refusal {
  /** Why the request was refused, in a few words (never anything from its body). */
  reason: string;
  status: number;
  path: string;
  ip: string;
}

/**
 * One warn line per refused request (bad signature, wrong token, too large, malformed, aborted), at most
 * `perWindow` lines in each window so that a flood of bad requests cannot flood the log; the next line after a
 * quiet spell says how many were left out.
 */
export function createRefusalLog(log: Logger, clock: Clock, perWindow = 20, windowMs = 60_000) {
  let windowStart = -Infinity;
  let written = 0;
  let suppressed = 0;
  return (r: Refusal): void => {
    const now = clock.now().getTime();
    if (now - windowStart >= windowMs || now < windowStart) {
      windowStart = now;
      written = 0;
    }
    if (written >= perWindow) {
      suppressed++;
      return;
    }
    written++;
    const extra = suppressed ? { suppressed } : {};
    suppressed = 0;
    log.warn({ reason: r.reason, status: r.status, path: r.path, ip: r.ip, ...extra }, 'request refused');
  };
}
