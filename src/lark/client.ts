import axios from 'axios';
import type * as Lark from '@larksuiteoapi/node-sdk';
import { lark } from './sdk.ts';
import type { Logger } from '../logger.ts';
import { requestAnswered, requestLeaving } from '../outbox/send-slot.ts';
import type { RequestKind } from '../outbox/pacer.ts';

/** A token cache we can empty when Lark rejects the token (the SDK never does this itself). */
export class EvictableTokenCache implements Lark.Cache {
  private readonly values = new Map<string, { value: unknown; expiresAt?: number }>();
  private key(key: string | Symbol, namespace?: string): string {
    return `${namespace ?? ''}/${key.toString()}`;
  }
  async get(key: string | Symbol, options?: { namespace?: string }): Promise<unknown> {
    const v = this.values.get(this.key(key, options?.namespace));
    if (!v) return undefined;
    if (v.expiresAt !== undefined && v.expiresAt < Date.now()) return undefined;
    return v.value;
  }
  async set(key: string | Symbol, value: unknown, expiresAt?: number, options?: { namespace?: string }): Promise<boolean> {
    this.values.set(this.key(key, options?.namespace), { value, expiresAt });
    return true;
  }
  evictAll(): void {
    this.values.clear();
  }
}

/** The SDK logs request bodies and, on token failures, the app secret: keep only a short, scrubbed line. */
export function sdkLogger(log: Logger): Lark.Logger {
  const scrub = (args: unknown[]) =>
    args
      .flat()
      .map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : ''))
      .join(' ')
      .replace(/"?app_secret"?\s*[:=]\s*"?[^",}\s]+/gi, 'app_secret=[redacted]')
      .slice(0, 200);
  return {
    error: (...a: unknown[]) => log.debug({ sdk: scrub(a) }, 'lark sdk error'),
    warn: (...a: unknown[]) => log.debug({ sdk: scrub(a) }, 'lark sdk warning'),
    info: () => undefined,
    debug: () => undefined,
    trace: () => undefined,
  };
}

/** Which IM calls count against the send quotas (tokens and bot info do not). */
function quotaKind(url: string): RequestKind | null {
  if (url.includes('/open-apis/im/v1/files')) return 'upload';
  if (url.includes('/open-apis/im/v1/messages')) return 'message';
  return null;
}

export interface LarkClientBundle {
  client: Lark.Client;
  cache: EvictableTokenCache;
}

export function resolveDomain(domain: string): string | Lark.Domain {
  if (domain === 'feishu') return lark.Domain.Feishu;
  if (domain === 'lark') return lark.Domain.Lark;
  return domain.replace(/\/+$/, '');
}

/** An axios instance as the SDK expects it (resolving with the response body), with a timeout. */
export function bodyHttpInstance(timeoutMs: number): Lark.HttpInstance {
  // The Open API never redirects: plain node:http instead of axios's redirect-following wrapper, which cost a
  // good part of each send's CPU. (Proxies from the environment still apply.)
  const http = axios.create({ timeout: timeoutMs, maxRedirects: 0 });
  // The last step before a request goes on the wire: the outbox pacer counts quota-limited calls from here.
  http.interceptors.request.use((config) => {
    const kind = quotaKind(config.url ?? '');
    if (kind) requestLeaving(kind);
    return config;
  });
  // The answer is in (or the request failed): the pacer counts the request from now on, before the body is
  // handled. The SDK expects its http instance to resolve with the response body.
  const answered = (url: string | undefined) => {
    const kind = quotaKind(url ?? '');
    if (kind) requestAnswered(kind);
  };
  http.interceptors.response.use(
    (resp) => {
      answered(resp.config.url);
      return resp.data;
    },
    (err: unknown) => {
      answered(axios.isAxiosError(err) ? err.config?.url : undefined);
      return Promise.reject(err);
    },
  );
  return http as unknown as Lark.HttpInstance;
}

/** The SDK client for outbound calls: our domain, a timeout, a redacting logger, an evictable token cache. */
export function createLarkClient(opts: { appId: string; appSecret: string; domain: string; log: Logger; timeoutMs?: number }): LarkClientBundle {
  const http = bodyHttpInstance(opts.timeoutMs ?? 10_000);
  const cache = new EvictableTokenCache();
  const client = new lark.Client({
    appId: opts.appId,
    appSecret: opts.appSecret,
    domain: resolveDomain(opts.domain),
    httpInstance: http,
    cache,
    logger: sdkLogger(opts.log),
  });
  return { client, cache };
}
