import type { Clock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { silentLogger, type Logger } from '../../src/logger.ts';
import { createRuntime, type Runtime, type RuntimeOptions } from '../../src/runtime.ts';
import type { OpenedDatabase } from '../../src/db/connect.ts';
import { openTestDatabase } from './test-database.ts';
import { features } from '../../commands/index.ts';
import type { Pacer } from '../../src/outbox/pacer.ts';
import type { FeatureModule } from '../../src/bot/command.ts';
import { ADMIN } from './harness.ts';
import { APP_ID, ENCRYPT_KEY, VERIFICATION_TOKEN } from './lark-events.ts';
import type { FakeLarkApi } from './fake-lark.ts';
import { decryptLarkPayload } from '../../src/lark/crypto.ts';
import { checkCallbackAnswer, describeProblems } from './card-rules.ts';
import { reportViolation } from './strict.ts';

/** Whether a request body (plain or encrypted with the test key) is a card callback. */
function isCardCallback(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as { encrypt?: string; header?: { event_type?: string } };
    const plain = typeof parsed.encrypt === 'string' ? (JSON.parse(decryptLarkPayload(ENCRYPT_KEY, parsed.encrypt)) as typeof parsed) : parsed;
    return plain.header?.event_type === 'card.action.trigger';
  } catch {
    return false;
  }
}

export const LARK_BOT_APP_SECRET = 'fake-app-secret-value';

/**
 * The real bot in Lark mode, listening on 127.0.0.1, its SDK client pointed at the fake Open API. With
 * `LARK_TRANSPORT: 'ws'` in `env` it also opens its long connection (to a FakeLarkGateway mounted on `fake`).
 */
export async function startLarkBot(opts: { fake: FakeLarkApi; clock: Clock; env?: Record<string, string>; database?: OpenedDatabase; log?: Logger; pacer?: Pacer; larkTimeoutMs?: number; loops?: boolean; features?: FeatureModule[]; cardAnswerBudgetMs?: number; longConnection?: RuntimeOptions['longConnection'] }) {
  const config = loadConfig({
    LARK_APP_ID: APP_ID,
    LARK_APP_SECRET: LARK_BOT_APP_SECRET,
    LARK_ENCRYPT_KEY: ENCRYPT_KEY,
    LARK_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
    LARK_DOMAIN: opts.fake.url,
    DB_PATH: ':memory:',
    ADMIN_OPEN_IDS: ADMIN,
    API_TOKEN: 'api-token',
    PORT: '0',
    ...opts.env,
  });
  const database = opts.database ?? openTestDatabase();
  const runtime: Runtime = await createRuntime({
    config, clock: opts.clock, log: opts.log ?? silentLogger, features: opts.features ?? features, database, cardAnswerBudgetMs: opts.cardAnswerBudgetMs, pacer: opts.pacer, larkTimeoutMs: opts.larkTimeoutMs ?? 500,
    longConnection: opts.longConnection,
  });
  if (opts.loops) runtime.startLoops();
  const port = await runtime.listen(0, '127.0.0.1');
  runtime.connectLark();
  const base = `http://127.0.0.1:${port}`;
  return {
    runtime,
    database,
    base,
    /** Posts as Lark does; the answer to a card callback is held to Lark's rules for callback answers. */
    async post(path: string, req: { body: string; headers: Record<string, string> }): Promise<Response> {
      const res = await fetch(`${base}${path}`, { method: 'POST', body: req.body, headers: req.headers });
      if (res.status !== 200 || !isCardCallback(req.body)) return res;
      const text = await res.text();
      let answer: unknown = null;
      try {
        answer = JSON.parse(text);
      } catch {
        answer = text;
      }
      const problems = checkCallbackAnswer(answer);
      if (problems.length) reportViolation(`card callback answer to ${path}`, describeProblems(problems));
      return new Response(text, { status: res.status, headers: res.headers });
    },
    async stop() {
      await runtime.stop();
      if (!opts.database) await database.close();
    },
  };
}
