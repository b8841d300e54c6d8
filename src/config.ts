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
    DB_PATH: z
      .string()
      .optional()
      .transform((v) => (v === undefined || v.trim() === '' ? './data/coverage.db' : v.trim())),
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
  }> | null;
  encryptKey?: string;
  verificationToken?: string;
  larkDomain: string;
  port: number;
  dbPath: string;
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
          })
        : null,
    encryptKey: e.LARK_ENCRYPT_KEY,
    verificationToken: e.LARK_VERIFICATION_TOKEN,
    larkDomain: domain,
    port: e.PORT,
    dbPath: e.DB_PATH,
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
