import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as LarkSdk from '@larksuiteoapi/node-sdk';
import { bodyHttpInstance, EvictableTokenCache } from '../../src/lark/client.ts';
import { ADMIN } from '../support/harness.ts';
import { FAKE_BOT_OPEN_ID, FakeLarkApi } from '../support/fake-lark.ts';
import { ChildBot, ROOT } from '../support/child-bot.ts';
import { messageEvent, signedRequest } from '../support/lark-events.ts';
import { freePort, tempDir } from '../support/wait.ts';

/**
 * Issue 18 item 4: what the production build runs (scripts/bundle.mjs). The Lark SDK comes from a minified,
 * ASCII-only copy of the package's own file, not from its 6 MB lib/index.js: it must be the same SDK (the same
 * exports and API tree) and really talk to the Open API. The bot itself is one bundled module
 * (coverage-bot.mjs): run as its own process, it must answer in Lark mode and in local mode, on that copy.
 */

const require = createRequire(import.meta.url);
// Inside the project, so the bundles' own imports (axios, ws, better-sqlite3, …) resolve from node_modules and the
// campaigns/ folder is found as they are from dist/.
const out = path.join(ROOT, 'node_modules', '.cache', 'coverage-bot-test', `build-${process.pid}`);
const sdkCopy = path.join(out, 'vendor', 'lark-sdk.cjs');
const app = path.join(out, 'coverage-bot.mjs');
let bundled: typeof LarkSdk;
const original = require('@larksuiteoapi/node-sdk') as typeof LarkSdk;
let fake: FakeLarkApi;

beforeAll(async () => {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'bundle.mjs'), out], { stdio: 'pipe' });
  bundled = require(sdkCopy) as typeof LarkSdk;
  fake = await new FakeLarkApi().start();
});
afterAll(async () => {
  await fake.stop();
  fs.rmSync(out, { recursive: true, force: true });
});

/** Every function reachable from `o` as dotted paths (the SDK's API tree: im.message.create, im.v1.file.create, …). */
function apiPaths(o: Record<string, unknown>, prefix = '', depth = 0): string[] {
  const paths: string[] = [];
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'function') paths.push(prefix + k);
    else if (v && typeof v === 'object' && depth < 4 && !Array.isArray(v)) paths.push(...apiPaths(v as Record<string, unknown>, `${prefix}${k}.`, depth + 1));
  }
  return paths.sort();
}

const clientOf = (sdk: typeof LarkSdk, domain = 'http://127.0.0.1:9') =>
  new sdk.Client({ appId: 'cli_bundle_test', appSecret: 's', domain, httpInstance: bodyHttpInstance(5000), cache: new EvictableTokenCache(), loggerLevel: sdk.LoggerLevel.error });

describe('the minified Lark SDK the build loads', () => {
  it('is a third of the package’s size or less, and ASCII only (so V8 keeps a one-byte source string)', () => {
    const copy = fs.readFileSync(sdkCopy);
    const pkg = fs.statSync(require.resolve('@larksuiteoapi/node-sdk')).size;
    expect(copy.length).toBeLessThan(pkg / 3);
    expect(copy.some((b) => b > 0x7f)).toBe(false);
  });

  it('has the package’s exports and the same API tree on its client', () => {
    expect(Object.keys(bundled).sort()).toEqual(Object.keys(original).sort());
    const a = apiPaths(clientOf(bundled) as unknown as Record<string, unknown>);
    const b = apiPaths(clientOf(original) as unknown as Record<string, unknown>);
    expect(a.length).toBeGreaterThan(1000);
    expect(a).toEqual(b);
    expect(a).toEqual(expect.arrayContaining(['im.message.create', 'im.message.reply', 'im.message.patch', 'im.file.create']));
    expect(bundled.Domain.Feishu).toBe(original.Domain.Feishu);
  });

  it('sends and replies through the fake Open API (token fetched, message delivered, uuid kept)', async () => {
    const client = clientOf(bundled, fake.url);
    const sent = await client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: 'oc_bundle', msg_type: 'text', content: JSON.stringify({ text: '您好' }), uuid: 'bundle-uuid-1' },
    });
    expect(sent.code).toBe(0);
    const messageId = sent.data?.message_id;
    expect(messageId).toBeTruthy();
    const replied = await client.im.message.reply({ path: { message_id: messageId! }, data: { msg_type: 'text', content: JSON.stringify({ text: '收到' }) } });
    expect(replied.code).toBe(0);
    expect(fake.deliveries.map((d) => d.target)).toEqual(['oc_bundle', messageId]);
    expect(fake.deliveries[0]!.uuid).toBe('bundle-uuid-1');
  });
});

describe('the bundled bot (coverage-bot.mjs)', () => {
  it('answers a signed event in Lark mode, through the SDK copy', async () => {
    const dir = tempDir('bundle-bot-');
    const bot = ChildBot.start({ larkDomain: fake.url, dbPath: path.join(dir, 'bot.db'), port: await freePort(), env: { LOG_LEVEL: 'info' }, command: [process.execPath, app] });
    try {
      await bot.ready();
      const before = fake.deliveries.length;
      const ev = messageEvent({ senderOpenId: ADMIN, text: '帮助', botOpenId: FAKE_BOT_OPEN_ID, chatId: 'oc_bundle_chat' });
      const res = await fetch(`${bot.base}/webhook/event`, { method: 'POST', ...signedRequest(ev) });
      expect(res.status).toBe(200);
      await fake.waitForDeliveries(before + 1, 20_000);
      expect(fake.deliveries[before]!.target).toBe(ev.event.message.message_id);
      expect(bot.output.join('')).toContain('"larkSdk":"bundle"');
    } finally {
      await bot.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers 进度 in local mode (no Lark app configured)', () => {
    const dir = tempDir('bundle-local-');
    try {
      const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(LARK_|API_TOKEN|BOT_NOW|DATABASE_URL|PORT|CAMPAIGN_FILE)/.test(k)));
      const r = spawnSync(process.execPath, [app], { input: '进度\n', encoding: 'utf8', timeout: 30_000, env: { ...clean, DB_PATH: path.join(dir, 'local.db'), PORT: '0' } });
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('物业覆盖：已入驻 0/');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
