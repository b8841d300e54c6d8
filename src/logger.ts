import pino, { type DestinationStream, type Logger } from 'pino';
import { maskPhones } from './text/phone-mask.ts';
import { BatchedLogSink } from './log-sink.ts';

export type { Logger };
/** The masking rule lives in src/text/phone-mask.ts; log lines use the same one. */
export { maskPhones };

/** Keys whose values never reach a log line, wherever they sit in the logged object. */
const SECRET_PATHS = [
  'appSecret', 'app_secret', 'encryptKey', 'encrypt_key', 'secret', 'token', 'apiToken', 'apiKey', '*.apiKey',
  'authorization', 'Authorization', 'tenant_access_token', 'text', 'content', 'body', 'phone',
  '*.appSecret', '*.app_secret', '*.encryptKey', '*.secret', '*.token', '*.authorization',
  '*.Authorization', '*.tenant_access_token', '*.text', '*.content', '*.body', '*.phone',
  'config.data', 'err.config', 'err.request', 'err.response.config',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: SECRET_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
      hooks: {
        // Free-text fields (msg, error messages) may still carry a phone number: mask them.
        logMethod(args, method) {
          const masked = args.map((a) => (typeof a === 'string' ? maskPhones(a) : a));
          method.apply(this, masked as Parameters<typeof method>);
        },
      },
      serializers: {
        err: (err: unknown) => {
          const s = pino.stdSerializers.err(err as Error);
          return { type: s.type, message: maskPhones(String(s.message ?? '')), stack: maskPhones(String(s.stack ?? '')) };
        },
      },
    },
    // Batched: a log line must not cost a write(2) on the request path; flushed at each acknowledgement.
    destination ?? new BatchedLogSink(2),
  );
}

/**
 * Writes out every line logged so far, synchronously. Called before an event is acknowledged, so that what the
 * log says about acknowledged events survives `kill -9`. A logger writing elsewhere (tests) is left alone.
 */
export function flushLogSync(log: Logger): void {
  const stream = (log as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] as { flushSync?: () => void } | undefined;
  try {
    stream?.flushSync?.();
  } catch {
    // A log that cannot be written must not fail the request.
  }
}

export const silentLogger: Logger = pino({ level: 'silent' });
