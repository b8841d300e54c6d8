import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('loadConfig', () => {
  it('uses the documented defaults and local mode when no Lark app is set', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.dbPath).toBe('./data/coverage.db');
    expect(c.larkDomain).toBe('feishu');
    expect(c.lark).toBeNull();
    expect(c.logLevel).toBe('info');
    expect(c.adminOpenIds).toEqual([]);
    expect(c.tenantKey).toBeUndefined();
  });

  it('reads the optional LARK_TENANT_KEY', () => {
    expect(loadConfig({ LARK_TENANT_KEY: ' 2ca1d211f64f6438 ' }).tenantKey).toBe('2ca1d211f64f6438');
    expect(loadConfig({ LARK_TENANT_KEY: '' }).tenantKey).toBeUndefined();
  });

  it('fails on PORT=abc with one message naming PORT, even with an empty LARK_ENCRYPT_KEY', () => {
    let err: unknown;
    try {
      loadConfig({ LARK_ENCRYPT_KEY: '', PORT: 'abc' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toHaveLength(1);
    expect((err as ConfigError).message).toContain('PORT');
  });

  it('lists every problem at once', () => {
    let err: ConfigError | undefined;
    try {
      loadConfig({ PORT: '99999', LARK_DOMAIN: 'ftp://x', BOT_NOW: '2020-09-29', ADMIN_OPEN_IDS: 'bob', LARK_APP_ID: 'cli_1' });
    } catch (e) {
      err = e as ConfigError;
    }
    expect(err?.problems.map((p) => p.split(':')[0]).sort()).toEqual(['ADMIN_OPEN_IDS', 'BOT_NOW', 'LARK_APP_SECRET', 'LARK_DOMAIN', 'PORT']);
  });

  it('accepts a base URL domain, an admin list and BOT_NOW with an offset', () => {
    const c = loadConfig({
      LARK_APP_ID: 'cli_a', LARK_APP_SECRET: 's', LARK_DOMAIN: 'http://127.0.0.1:9999',
      ADMIN_OPEN_IDS: 'ou_a, ou_b', BOT_NOW: '2020-09-29T09:00:00+08:00', PORT: '0',
    });
    expect(c.lark?.domain).toBe('http://127.0.0.1:9999');
    expect(c.adminOpenIds).toEqual(['ou_a', 'ou_b']);
    expect(c.botNow?.toISOString()).toBe('2020-09-29T01:00:00.000Z');
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('leaves the routing model off unless LLM_BASE_URL and LLM_MODEL are both set, with a 2 s timeout by default', () => {
    expect(loadConfig({}).llm).toBeNull();
    const c = loadConfig({ LLM_BASE_URL: 'http://10.0.0.5:8000/v1/', LLM_MODEL: 'qwen2.5-7b', LLM_API_KEY: 'sk-x' });
    expect(c.llm).toEqual({ baseUrl: 'http://10.0.0.5:8000/v1', model: 'qwen2.5-7b', apiKey: 'sk-x', timeoutMs: 2000 });
    let err: ConfigError | undefined;
    try {
      loadConfig({ LLM_BASE_URL: 'ftp://x', LLM_TIMEOUT_MS: '5' });
    } catch (e) {
      err = e as ConfigError;
    }
    expect(err?.problems.map((p) => p.split(':')[0]).sort()).toEqual(['LLM_BASE_URL', 'LLM_MODEL', 'LLM_TIMEOUT_MS']);
  });
});
