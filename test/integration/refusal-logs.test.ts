import net from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { createLogger } from '../../src/logger.ts';
import { larkSignature } from '../../src/lark/crypto.ts';
import { ADMIN } from '../support/harness.ts';
import { FAKE_BOT_OPEN_ID, FakeLarkApi } from '../support/fake-lark.ts';
import { startLarkBot } from '../support/lark-bot.ts';
import { ENCRYPT_KEY, messageEvent, signedRequest } from '../support/lark-events.ts';
import { until } from '../support/wait.ts';

/** Issue 12 item 16: refused and aborted requests leave one warn line each (reason, no body, no stack), rate-limited. */

type Line = Record<string, unknown> & { level: string; msg: string };
let fake: FakeLarkApi | null = null;
let bot: Awaited<ReturnType<typeof startLarkBot>> | null = null;
afterEach(async () => {
  await bot?.stop();
  await fake?.stop();
  bot = fake = null;
});

async function start() {
  const lines: Line[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Line);
      done();
    },
  });
  const clock = new ManualClock('2020-09-28T09:00:00+08:00');
  fake = await new FakeLarkApi(clock).start();
  bot = await startLarkBot({ fake, clock, log: createLogger('info', sink) });
  return { lines, clock, bot };
}

/** Starts a POST that promises 1000 bytes, sends 20, and hangs up; resolves once the server has closed its side. */
async function abortedPost(base: string): Promise<void> {
  const { port } = new URL(base);
  const socket = net.connect(Number(port), '127.0.0.1');
  socket.on('error', () => undefined);
  // Read (and drop) the answer, so that the socket can see the server close and finish.
  socket.resume();
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.end(`POST /webhook/event HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"encrypt":"AAAAAAAAA`);
  await closed;
}

const refusals = (lines: Line[]) => lines.filter((l) => l.msg === 'request refused');

describe('refused requests in the log', () => {
  it('an aborted unauthenticated connection writes one warn line with its reason, no error and no stack', async () => {
    const { lines, bot } = await start();
    // Nothing may bypass the logger either (Koa prints failed responses' stacks to stderr by default).
    const printed = vi.spyOn(console, 'error');
    await abortedPost(bot.base);
    await until(() => refusals(lines).length === 1, 'the refusal line');
    await new Promise((r) => setTimeout(r, 100));
    expect(printed).not.toHaveBeenCalled();
    printed.mockRestore();
    const [line] = refusals(lines);
    expect(line).toMatchObject({ level: 'warn', reason: expect.stringMatching(/^connection closed/), path: '/webhook/event' });
    expect(Object.keys(line!).sort()).toEqual(['ip', 'level', 'msg', 'path', 'reason', 'status', 'time']);
    expect(lines.filter((l) => l.level === 'error' || l.level === 'fatal')).toEqual([]);
    expect(JSON.stringify(lines)).not.toMatch(/stack|ECONNRESET|at .*\.ts:\d+/);
    expect(JSON.stringify(lines)).not.toContain('AAAAAAAAA');
  });

  it('bad signature, wrong token, over 256 KB and malformed JSON: one warn line each, with the reason and none of the body', async () => {
    const { lines, bot } = await start();
    const secretText = '三号楼电梯困人请尽快处理';
    const badSig = signedRequest(messageEvent({ senderOpenId: ADMIN, text: secretText, botOpenId: FAKE_BOT_OPEN_ID }));
    badSig.headers['x-lark-signature'] = '0'.repeat(64);
    const badToken = signedRequest(messageEvent({ senderOpenId: ADMIN, text: secretText, botOpenId: FAKE_BOT_OPEN_ID, token: 'not-the-token' }));
    const big = signedRequest({ ...messageEvent({ senderOpenId: ADMIN, text: secretText, botOpenId: FAKE_BOT_OPEN_ID }), padding: 'x'.repeat(300 * 1024) });
    const malformedBody = `{"encrypt": "${secretText}"`;
    const malformed = { body: malformedBody, headers: { 'content-type': 'application/json', 'x-lark-request-timestamp': '1', 'x-lark-request-nonce': 'n', 'x-lark-signature': larkSignature('1', 'n', ENCRYPT_KEY, Buffer.from(malformedBody)) } };
    expect((await bot.post('/webhook/event', badSig)).status).toBe(401);
    expect((await bot.post('/webhook/event', badToken)).status).toBe(401);
    expect((await bot.post('/webhook/card', big)).status).toBe(413);
    expect((await bot.post('/webhook/event', malformed)).status).toBe(400);
    expect((await fetch(`${bot.base}/api/v1/progress`, { headers: { authorization: 'Bearer wrong-bearer-value' } })).status).toBe(401);
    expect(refusals(lines).map((l) => [l.level, l.reason, l.status, l.path])).toEqual([
      ['warn', 'bad signature', 401, '/webhook/event'],
      ['warn', 'bad token', 401, '/webhook/event'],
      ['warn', 'body too large', 413, '/webhook/card'],
      ['warn', 'malformed JSON', 400, '/webhook/event'],
      ['warn', 'wrong API token', 401, '/api/v1/progress'],
    ]);
    const all = JSON.stringify(lines);
    for (const part of [secretText, badSig.body.slice(12, 60), 'xxxxxxxx', 'wrong-bearer-value', 'not-the-token']) expect(all).not.toContain(part);
    expect(await bot.runtime.db.selectFrom('inbox_events').select('id').execute()).toEqual([]);
  });

  it('a flood of refusals is cut to 20 lines a minute; the first line after it counts what was left out', async () => {
    const { lines, clock, bot } = await start();
    for (let i = 0; i < 30; i++) await abortedPost(bot.base);
    const bad = signedRequest(messageEvent({ senderOpenId: ADMIN, text: '进度', botOpenId: FAKE_BOT_OPEN_ID }));
    bad.headers['x-lark-signature'] = '1'.repeat(64);
    for (let i = 0; i < 30; i++) expect((await bot.post('/webhook/event', bad)).status).toBe(401);
    expect(refusals(lines)).toHaveLength(20);
    clock.advance(60_000);
    expect((await bot.post('/webhook/event', bad)).status).toBe(401);
    const after = refusals(lines);
    expect(after).toHaveLength(21);
    expect(after.at(-1)).toMatchObject({ reason: 'bad signature', suppressed: 40 });
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
  });
});
