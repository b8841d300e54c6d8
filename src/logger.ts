import pino, { type DestinationStream, type Logger } from 'pino';
import { maskPhones } from './text/phone-mask.ts';

export type { Logger };
/** The masking rule lives in src/text/phone-mask.ts; log lines use the same one. */
export { maskPhones };

/** Keys whose values never reach a log line, wherever they sit in the logged object. */
const SECRET_PATHS = [
  'appSecret', 'app_secret', 'encryptKey', 'encrypt_key', 'secret', 'token', 'apiToken',
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
    // Buffered: a log line must not cost a write(2) on the request path; flushed on exit by pino.
    destination ?? pino.destination({ dest: 2, sync: false, minLength: 4096 }),
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });
