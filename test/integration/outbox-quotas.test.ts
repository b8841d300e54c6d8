import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { bindChat } from '../../src/domain/chats.ts';
import { listCommunities } from '../../src/domain/campaign.ts';
import { Pacer } from '../../src/outbox/pacer.ts';
import { ADMIN } from '../support/harness.ts';
import { FAKE_BOT_OPEN_ID, FakeLarkApi, type Delivery } from '../support/fake-lark.ts';
import { startLarkBot } from '../support/lark-bot.ts';
import { messageEvent, signedRequest } from '../support/lark-events.ts';
import { ROOT } from '../support/child-bot.ts';
import { tempDir } from '../support/wait.ts';

/**
 * Issue 12 item 15 and issue 18 item 5: against an Open API that enforces Lark's quotas (5/s per chat, 50/s and
 * 1000/min per app, by arrival), the bot gets no 429 and still drains a burst at close to the quota. All on fake
 * time: the fake moves the shared clock by each call's latency, so time passes while requests are under way.
 */

let fake: FakeLarkApi | null = null;
let bot: Awaited<ReturnType<typeof startLarkBot>> | null = null;
let dir: string | null = null;
afterEach(async () => {
  await bot?.stop();
  await fake?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  bot = fake = dir = null;
});

/** The notice's campaign with `n` communities of one compound each (a city's street count). */
function campaignWith(n: number): string {
  const def = JSON.parse(fs.readFileSync(path.join(ROOT, 'campaigns/shanting-2020.json'), 'utf8')) as Record<string, unknown>;
  const names = Array.from({ length: n }, (_, i) => `第${String(i + 1).padStart(3, '0')}社区`);
  def.code = 'burst-city';
  def.communities = names.map((name) => ({ name, aliases: [] }));
  def.compounds = names.map((community, i) => ({ name: `小区${String(i + 1).padStart(3, '0')}号院`, community, track: 'coverage', aliases: [] }));
  dir = tempDir('bot-burst-');
  const file = path.join(dir, 'campaign.json');
  fs.writeFileSync(file, JSON.stringify(def));
  return file;
}

/** Lark's measure of a burst: N sends span their first to last plus one window; the quota allows L per window. */
function drainFraction(times: number[], perWindow = 50, windowMs = 1000): number {
  const span = Math.max(...times) - Math.min(...times);
  return (times.length * windowMs) / ((span + windowMs) * perWindow);
}

async function reminderBurst(opts: { pacer?: Pacer } = {}): Promise<Delivery[]> {
  const clock = new ManualClock('2020-09-30T08:30:00+08:00');
  fake = new FakeLarkApi(clock).enforceQuotas().takes('/im/v1/', 2);
  await fake.start();
  // A generous client timeout: on a loaded machine a real-time timeout would add a retry nobody is testing here.
  bot = await startLarkBot({ fake, clock, env: { CAMPAIGN_FILE: campaignWith(100) }, pacer: opts.pacer, larkTimeoutMs: 10_000 });
  const campaign = bot.runtime.deps.campaign;
  for (const c of await listCommunities(bot.runtime.db, campaign.id)) {
    await bindChat(bot.runtime.db, { chatId: `oc_burst_${c.id}`, chatName: c.name, unitKind: 'community', communityId: c.id, departmentId: null, by: ADMIN, at: clock.now().toISOString() });
  }
  // 09:00 on the effective due day of the 1 October report: a reminder to each of the 100 communities.
  clock.set('2020-09-30T09:00:00+08:00');
  await bot.runtime.tick();
  const burst = () => fake!.deliveries.filter((d) => d.target.startsWith('oc_burst_'));
  for (let step = 0; step < 2000 && burst().length < 100; step++) {
    await bot.runtime.settle();
    clock.advance(5);
  }
  return burst();
}

describe('pacing against an Open API that enforces Lark’s quotas', () => {
  it('the fake refuses what goes over a quota: a bot paced only loosely meets 429s', async () => {
    const sent = await reminderBurst({ pacer: new Pacer(1000, 80, 1000, { marginMs: 0 }) });
    expect(fake!.quotaRefusals.length).toBeGreaterThan(0);
    expect(fake!.quotaRefusals[0]!.outcome).toBe('quota app');
    // Refused sends are retried after x-ogw-ratelimit-reset, so everything still arrives, once.
    expect(new Set(sent.map((d) => d.target)).size).toBe(100);
  });

  it('a reminder burst to 100 communities: no 429, each community once, drained at ≥ 90% of the 50/s quota', async () => {
    const sent = await reminderBurst();
    expect(fake!.quotaRefusals).toEqual([]);
    expect(sent).toHaveLength(100);
    expect(new Set(sent.map((d) => d.target)).size).toBe(100);
    const times = sent.map((d) => d.at).sort((a, b) => a - b);
    for (const t of times) expect(times.filter((x) => x >= t && x < t + 1000).length).toBeLessThanOrEqual(50);
    expect(drainFraction(times)).toBeGreaterThanOrEqual(0.9);
  });

  it('counts a reply from when it leaves: a file whose upload takes 400 ms does not let a sixth message into the chat’s second', async () => {
    const clock = new ManualClock('2020-09-28T09:00:00+08:00');
    fake = new FakeLarkApi(clock).enforceQuotas().takes('/im/v1/files', 400);
    await fake.start();
    bot = await startLarkBot({ fake, clock, larkTimeoutMs: 10_000 });
    await bot.runtime.identity();
    const chatId = 'oc_busy_report_group';
    const events = [
      messageEvent({ senderOpenId: ADMIN, text: '调度表', botOpenId: FAKE_BOT_OPEN_ID, chatId }),
      ...Array.from({ length: 5 }, () => messageEvent({ senderOpenId: ADMIN, text: '帮助', botOpenId: FAKE_BOT_OPEN_ID, chatId })),
    ];
    for (const ev of events) {
      fake.messageInChat(ev.event.message.message_id, chatId);
      // While the workbook is being built the inbox may answer 503: try again, as Lark does.
      let status = 0;
      for (let i = 0; i < 5 && status !== 200; i++) status = (await bot.post('/webhook/event', signedRequest(ev))).status;
      expect(status).toBe(200);
    }
    for (let step = 0; step < 400 && fake.deliveries.length < 7; step++) {
      await bot.runtime.settle();
      clock.advance(10);
    }
    expect(fake.uploads).toHaveLength(1);
    // The workbook, its caption, and five answers to 帮助.
    expect(fake.deliveries).toHaveLength(7);
    expect(fake.quotaRefusals).toEqual([]);
    const times = fake.deliveries.map((d) => d.at).sort((a, b) => a - b);
    for (const t of times) expect(times.filter((x) => x >= t && x < t + 1000).length).toBeLessThanOrEqual(5);
  });
});
