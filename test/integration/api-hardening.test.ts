import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { createTestBot, type TestBot } from '../support/harness.ts';

/** Issue 12 item 12: clear 400s for bad report dates, no-store and nosniff on answers, HOST, a warning for short API tokens. */

const TOKEN = 'a-long-enough-api-token-0123456789';
let bot: TestBot | null = null;
afterEach(async () => {
  await bot?.stop();
  await bot?.close();
  bot = null;
});

function logSink() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { lines, log: createLogger('info', sink) };
}

describe('GET /api/v1/report.xlsx?due=…', () => {
  it('answers a clear 400 (never a 500) for a date outside the campaign, an impossible date, garbage or a repeated due', async () => {
    const { lines, log } = logSink();
    bot = await createTestBot({ env: { API_TOKEN: TOKEN }, log });
    const base = `http://127.0.0.1:${await bot.runtime.listen(0, '127.0.0.1')}`;
    const get = (q: string) => fetch(`${base}/api/v1/report.xlsx${q}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    for (const [q, says] of [
      ['?due=9999-12-31', 'due 9999-12-31 is outside the campaign (2020-09-10 to 2020-12-20)'],
      ['?due=2019-10-01', 'outside the campaign'],
      ['?due=2021-01-01', 'outside the campaign'],
      ['?due=2020-02-30', 'due must be a real date as YYYY-MM-DD'],
      ['?due=abc', 'due must be a real date as YYYY-MM-DD'],
      ['?due=2020-10-01T00:00:00Z', 'due must be a real date as YYYY-MM-DD'],
      ['?due=%00%27%22', 'due must be a real date as YYYY-MM-DD'],
      ['?due=2020-10-01&due=2020-10-15', 'give due once'],
    ] as const) {
      const res = await get(q);
      expect(res.status, q).toBe(400);
      const body = (await res.json()) as { error: string; dues?: string[] };
      expect(body.error, q).toContain(says);
    }
    const outside = (await (await get('?due=9999-12-31')).json()) as { dues: string[] };
    expect(outside.dues).toEqual(['2020-09-15', '2020-10-01', '2020-10-15', '2020-11-01', '2020-11-15', '2020-12-01', '2020-12-15']);
    expect((await get('?due=2020-10-01')).status).toBe(200);
    // A report day inside the campaign that is not a due day still gives the table as of that day.
    expect((await get('?due=2020-10-05')).status).toBe(200);
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
  });
});

describe('HTTP answers', () => {
  it('carry Cache-Control: no-store and X-Content-Type-Options: nosniff, on the API, its refusals, /healthz and the webhook', async () => {
    bot = await createTestBot({ env: { API_TOKEN: TOKEN } });
    const base = `http://127.0.0.1:${await bot.runtime.listen(0, '127.0.0.1')}`;
    const auth = { authorization: `Bearer ${TOKEN}` };
    const answers = [
      await fetch(`${base}/api/v1/progress`, { headers: auth }),
      await fetch(`${base}/api/v1/compounds`, { headers: auth }),
      await fetch(`${base}/api/v1/grievances`, { headers: auth }),
      await fetch(`${base}/api/v1/report.xlsx?due=2020-10-01`, { headers: auth }),
      await fetch(`${base}/api/v1/report.xlsx?due=9999-12-31`, { headers: auth }),
      await fetch(`${base}/api/v1/progress`),
      await fetch(`${base}/healthz`),
      await fetch(`${base}/webhook/event`, { method: 'POST', body: '{', headers: { 'content-type': 'application/json' } }),
      await fetch(`${base}/no/such/path`),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 400, 401, 200, 400, 404]);
    for (const r of answers) {
      expect(r.headers.get('cache-control'), r.url).toBe('no-store');
      expect(r.headers.get('x-content-type-options'), r.url).toBe('nosniff');
    }
  });
});

describe('HOST', () => {
  it('defaults to 0.0.0.0, is validated, and is where the server listens', async () => {
    expect(loadConfig({}).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: ' 127.0.0.1 ' }).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '::' }).host).toBe('::');
    expect(loadConfig({ HOST: 'localhost' }).host).toBe('localhost');
    expect(() => loadConfig({ HOST: 'http://0.0.0.0:80' })).toThrow(ConfigError);
    expect(() => loadConfig({ HOST: 'bad host' })).toThrow(/HOST: must be an IP address/);

    // Linux answers the whole of 127.0.0.0/8 on the loopback: bound to 127.0.0.2, the server is not on 127.0.0.1.
    bot = await createTestBot({ env: { HOST: '127.0.0.2' } });
    const port = await bot.runtime.listen(0);
    expect((await fetch(`http://127.0.0.2:${port}/healthz`)).status).toBe(200);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});

describe('API_TOKEN at start', () => {
  it('warns when it is shorter than 16 characters, without printing it; a long one gets no warning', async () => {
    const short = logSink();
    bot = await createTestBot({ env: { API_TOKEN: 'abc123secret' }, log: short.log });
    const warned = short.lines.filter((l) => l.level === 'warn' && String(l.msg).includes('API_TOKEN'));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({ length: 12, minimum: 16 });
    expect(JSON.stringify(short.lines)).not.toContain('abc123secret');
    await bot.stop();
    await bot.close();

    const long = logSink();
    bot = await createTestBot({ env: { API_TOKEN: TOKEN }, log: long.log });
    expect(long.lines.filter((l) => String(l.msg).includes('API_TOKEN'))).toEqual([]);
  });
});
