import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

const MOBILE = /(?<!\d)(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)/g;
const LANDLINE = /(?<!\d)(0\d{2,3})-?(\d{7,8})(?!\d)/g;

/** Masks phone numbers in free text: 13905321234 → 139****1234, 0632-8869917 → 0632-****917. */
export function maskPhones(text: string): string {
  return text
    .replace(MOBILE, (_m, a: string, _b: string, c: string) => `${a}****${c}`)
    .replace(LANDLINE, (_m, area: string, num: string) => `${area}-****${num.slice(-3)}`);
}

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
    // Buffered: a log line must not cost a write(2) on the request path; flushed on exit by pino.
    destination ?? pino.destination({ dest: 2, sync: false, minLength: 4096 }),
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });
