import net from 'node:net';
import { z } from 'zod';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const envSchema = z
  .object({
    LARK_APP_ID: optionalString,
    LARK_APP_SECRET: optionalString,
    LARK_ENCRYPT_KEY: optionalString,
    LARK_VERIFICATION_TOKEN: optionalString,
    LARK_TENANT_KEY: optionalString,
    LARK_DOMAIN: z
      .string()
      .optional()
      .transform((v) => (v === undefined || v.trim() === '' ? 'feishu' : v.trim()))
      .refine((v) => v === 'feishu' || v === 'lark' || /^https?:\/\/[^\s/]+(:\d+)?$/.test(v), {
        message: 'must be "feishu", "lark" or a base URL such as http://127.0.0.1:9999 (no trailing slash)',
      }),
    PORT: z
      .string()
      .optional()
      .transform((v) => (v === undefined || v.trim() === '' ? '3000' : v.trim()))
      .refine((v) => /^\d+$/.test(v) && Number(v) >= 0 && Number(v) <= 65535, {
        message: 'must be a port number between 0 and 65535',
      })
      .transform(Number),
    HOST: z
      .string()
      .optional()
      .transform((v) => (v === undefined || v.trim() === '' ? '0.0.0.0' : v.trim()))
      .refine((v) => net.isIP(v) !== 0 || /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(v), {
        message: 'must be an IP address to listen on (0.0.0.0 for all, 127.0.0.1 for this machine only, :: for IPv6) or a host name',
      }),
    DB_PATH: z
      .string()
      .optional()
      .transform((v) => (v === undefined || v.trim() === '' ? './data/coverage.db' : v.trim())),
    DATABASE_URL: optionalString.refine((v) => v === undefined || /^postgres(ql)?:\/\/[^\s]+$/.test(v), {
      message: 'must be a PostgreSQL connection URL such as postgres://bot:secret@10.0.0.7:5432/coverage (unset: SQLite at DB_PATH)',
    }),
    API_TOKEN: optionalString,
    ADMIN_OPEN_IDS: z
      .string()
      .optional()
      .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean))
      .refine((ids) => ids.every((id) => /^ou_[0-9A-Za-z_-]+$/.test(id)), {
        message: 'must be a comma-separated list of open_ids (ou_…)',
      }),
    CAMPAIGN_FILE: optionalString,
    BOT_NOW: optionalString.refine(
      (v) => v === undefined || (/(Z|[+-]\d{2}:?\d{2})$/.test(v) && !Number.isNaN(Date.parse(v))),
      { message: 'must be an ISO instant with an offset, e.g. 2020-09-29T09:00:00+08:00' },
    ),
    LARK_TRANSPORT: z
      .string()
      .optional()
      .transform((v) => (v === undefined || v.trim() === '' ? 'webhook' : v.trim().toLowerCase()))
      .pipe(z.enum(['webhook', 'ws'], { message: 'must be "webhook" (Lark calls the bot\'s public URL) or "ws" (the bot dials out over a long connection)' })),
    LLM_BASE_URL: optionalString.refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), {
      message: 'must be the base URL of an OpenAI-compatible API, e.g. http://10.0.0.5:8000/v1',
    }),
    LLM_MODEL: optionalString,
    LLM_API_KEY: optionalString,
    LLM_TIMEOUT_MS: z
      .string()
      .optional()
      .transform((v) => (v === undefined || v.trim() === '' ? '2000' : v.trim()))
      .refine((v) => /^\d+$/.test(v) && Number(v) >= 100 && Number(v) <= 30_000, { message: 'must be milliseconds between 100 and 30000' })
      .transform(Number),
    LOG_LEVEL: z
      .string()
      .optional()
      .transform((v) => (v === undefined || v.trim() === '' ? 'info' : v.trim()))
      .pipe(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.LARK_APP_ID) !== Boolean(env.LARK_APP_SECRET)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.LARK_APP_ID ? 'LARK_APP_SECRET' : 'LARK_APP_ID'],
        message: 'LARK_APP_ID and LARK_APP_SECRET must be set together',
      });
    }
    if (env.LARK_TRANSPORT === 'ws' && !env.LARK_APP_ID && !env.LARK_APP_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['LARK_TRANSPORT'], message: 'ws needs a Lark app: set LARK_APP_ID and LARK_APP_SECRET' });
    }
    // The SDK's long-connection client refuses any other app id with nothing but a log line.
    if (env.LARK_TRANSPORT === 'ws' && env.LARK_APP_ID && !/^cli_[0-9a-fA-F]{16}$/.test(env.LARK_APP_ID)) {
      ctx.addIssue({ code: 'custom', path: ['LARK_APP_ID'], message: 'with LARK_TRANSPORT=ws it must be the app id as the console shows it: cli_ and 16 hex digits' });
    }
    if (Boolean(env.LLM_BASE_URL) !== Boolean(env.LLM_MODEL)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.LLM_BASE_URL ? 'LLM_MODEL' : 'LLM_BASE_URL'],
        message: 'LLM_BASE_URL and LLM_MODEL must be set together (the model stage is off when both are unset)',
      });
    }
  });

export type Config = Readonly<{
  lark: Readonly<{
    appId: string;
    appSecret: string;
    encryptKey?: string;
    verificationToken?: string;
    domain: string;
    /** How Lark's events reach the bot: it calls our webhook, or the bot holds a long connection. */
    transport: 'webhook' | 'ws';
  }> | null;
  encryptKey?: string;
  verificationToken?: string;
  /** Only this tenant's events are processed, when set. */
  tenantKey?: string;
  larkDomain: string;
  port: number;
  /** The address the HTTP server listens on. */
  host: string;
  dbPath: string;
  /** PostgreSQL instead of the SQLite file at dbPath, when set (several replicas can share it). */
  databaseUrl?: string;
  apiToken?: string;
  adminOpenIds: readonly string[];
  campaignFile?: string;
  botNow?: Date;
  logLevel: string;
  /** The optional model asked when grievance routing is unsure; null (off) unless LLM_BASE_URL and LLM_MODEL are set. */
  llm: Readonly<{ baseUrl: string; model: string; apiKey?: string; timeoutMs: number }> | null;
}>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Configuration error — please fix these environment variables:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment once; lists every problem in one error. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${String(i.path[0] ?? 'environment')}: ${i.message}`);
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  const domain = e.LARK_DOMAIN;
  return Object.freeze({
    lark:
      e.LARK_APP_ID && e.LARK_APP_SECRET
        ? Object.freeze({
            appId: e.LARK_APP_ID,
            appSecret: e.LARK_APP_SECRET,
            encryptKey: e.LARK_ENCRYPT_KEY,
            verificationToken: e.LARK_VERIFICATION_TOKEN,
            domain,
            transport: e.LARK_TRANSPORT,
          })
        : null,
    encryptKey: e.LARK_ENCRYPT_KEY,
    verificationToken: e.LARK_VERIFICATION_TOKEN,
    tenantKey: e.LARK_TENANT_KEY,
    larkDomain: domain,
    port: e.PORT,
    host: e.HOST,
    dbPath: e.DB_PATH,
    databaseUrl: e.DATABASE_URL,
    apiToken: e.API_TOKEN,
    adminOpenIds: Object.freeze([...e.ADMIN_OPEN_IDS]),
    campaignFile: e.CAMPAIGN_FILE,
    botNow: e.BOT_NOW ? new Date(e.BOT_NOW) : undefined,
    logLevel: e.LOG_LEVEL,
    llm:
      e.LLM_BASE_URL && e.LLM_MODEL
        ? Object.freeze({ baseUrl: e.LLM_BASE_URL.replace(/\/+$/, ''), model: e.LLM_MODEL, apiKey: e.LLM_API_KEY, timeoutMs: e.LLM_TIMEOUT_MS })
        : null,
  });
}
