import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN } from '../support/harness.ts';
import { FAKE_BOT_OPEN_ID, FakeLarkApi } from '../support/fake-lark.ts';
import { messageEvent, signedRequest } from '../support/lark-events.ts';
import { ChildBot } from '../support/child-bot.ts';
import { freePort, tempDir } from '../support/wait.ts';

/**
 * Issue 12 item 16: the log line of every acknowledged event survives `kill -9` of the real process. Since issue 18
 * the "event stored" line is at debug level (off the hot path at info), so this runs at debug.
 */

const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

describe('log lines of acknowledged events', () => {
  it('are all in the log after kill -9 right after the last acknowledgement', async () => {
    const fake = await new FakeLarkApi().start();
    const dir = tempDir('bot-logs-');
    const bot = ChildBot.start({ larkDomain: fake.url, dbPath: path.join(dir, 'bot.db'), port: await freePort(), env: { LOG_LEVEL: 'debug' } });
    cleanup.push(async () => {
      await bot.kill9();
      await fake.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const stderrClosed = new Promise<void>((resolve) => bot.proc.stderr!.once('close', () => resolve()));
    await bot.ready();

    const acked: string[] = [];
    for (let burst = 0; burst < 8; burst++) {
      const events = Array.from({ length: 12 }, (_, i) => messageEvent({ senderOpenId: ADMIN, text: '帮助', botOpenId: FAKE_BOT_OPEN_ID, chatId: `oc_logs_${burst}_${i}` }));
      const statuses = await Promise.all(events.map((ev) => fetch(`${bot.base}/webhook/event`, { method: 'POST', ...signedRequest(ev) }).then((r) => r.status)));
      events.forEach((ev, i) => {
        if (statuses[i] === 200) acked.push(ev.header.event_id);
      });
    }
    await bot.kill9();
    await stderrClosed;

    expect(acked).toHaveLength(96);
    const logged = new Set(
      bot.output
        .join('')
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { msg?: string; eventId?: string })
        .filter((l) => l.msg === 'event stored')
        .map((l) => l.eventId),
    );
    expect(acked.filter((id) => !logged.has(id))).toEqual([]);
  }, 60_000);
});
