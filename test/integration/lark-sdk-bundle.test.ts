import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as LarkSdk from '@larksuiteoapi/node-sdk';
import { bodyHttpInstance, EvictableTokenCache } from '../../src/lark/client.ts';
import { FakeLarkApi } from '../support/fake-lark.ts';
import { ROOT } from '../support/child-bot.ts';

/**
 * Issue 18 item 4: the build loads the Lark SDK from a minified, ASCII-only copy of the package's own file
 * (scripts/bundle-lark-sdk.mjs), not from its 6 MB lib/index.js. The copy must be the same SDK: the same classes
 * and API surface, and it must really talk to the Open API.
 */

const require = createRequire(import.meta.url);
// Inside the project, so the copy's own imports (axios, ws, …) resolve from node_modules as they do from dist/.
const dir = path.join(ROOT, 'node_modules', '.cache', 'coverage-bot-test');
const out = path.join(dir, `lark-sdk-${process.pid}.cjs`);
let bundled: typeof LarkSdk;
const original = require('@larksuiteoapi/node-sdk') as typeof LarkSdk;
let fake: FakeLarkApi;

beforeAll(async () => {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'bundle-lark-sdk.mjs'), out], { stdio: 'pipe' });
  bundled = require(out) as typeof LarkSdk;
  fake = await new FakeLarkApi().start();
});
afterAll(async () => {
  await fake.stop();
  fs.rmSync(out, { force: true });
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
    const copy = fs.readFileSync(out);
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
