import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../src/db/connect.ts';
import { listCommunities } from '../src/domain/campaign.ts';
import { bindChat } from '../src/domain/chats.ts';
import { FakeLarkApi } from '../test/support/fake-lark.ts';
import { ADMIN, createTestBot } from '../test/support/harness.ts';
import { APP_ID, ENCRYPT_KEY, VERIFICATION_TOKEN } from '../test/support/lark-events.ts';
import { cityCampaign } from './city.ts';
import { ServerProcess } from './processes.ts';
import type { Figure } from './steps.ts';

const COMMUNITIES = 100;
const APP_PER_SECOND = 50;

/**
 * The 09:00 reminder to every community that has not confirmed, in a campaign of 100 communities: queued by the
 * real reminder job, then sent by the bot process (the compiled build, as `npm start` runs it) to a fake Open API
 * that enforces Lark's quotas on real time, by arrival. Queued first, so that the figure is the pacer's and not the
 * scheduler's speed. Reports the 429s it met and how close to the 50/s quota the burst drained: N sends spanning
 * first to last arrival plus one window, against the quota's 50 per window (1.0 = exactly at the quota).
 */
export async function benchReminderBurst(dir: string, nodeArgs: string[], entry: string): Promise<{ figures: Figure[]; lines: string[] }> {
  const def = cityCampaign({ communities: COMMUNITIES, compounds: COMMUNITIES, grievances: 0 });
  const campaignFile = path.join(dir, 'burst-campaign.json');
  fs.writeFileSync(campaignFile, JSON.stringify(def));
  const dbPath = path.join(dir, 'burst.db');
  // 09:00 on the effective due day of the 1 October report: the real reminder job queues one message per
  // community (in this process, on the bot's database), then the bot process sends them.
  const queued = await createTestBot({ now: '2020-09-30T09:00:00+08:00', database: openDatabase(dbPath), env: { CAMPAIGN_FILE: campaignFile } });
  const campaignId = queued.runtime.deps.campaign.id;
  for (const c of await listCommunities(queued.db, campaignId)) {
    await bindChat(queued.db, { chatId: `oc_burst_${c.id}`, chatName: c.name, unitKind: 'community', communityId: c.id, departmentId: null, by: ADMIN, at: queued.clock.now().toISOString() });
  }
  const tick = await queued.runtime.scheduler.tick();
  const pending = await queued.db.selectFrom('outbox_messages').select('id').where('status', '=', 'pending').execute();
  await queued.stop();
  await queued.close();

  const fake = await new FakeLarkApi().enforceQuotas().start();
  const bot = await ServerProcess.start(
    entry,
    {
      LARK_APP_ID: APP_ID, LARK_APP_SECRET: 'bench-app-secret', LARK_ENCRYPT_KEY: ENCRYPT_KEY, LARK_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
      LARK_DOMAIN: fake.url, DB_PATH: dbPath, DATABASE_URL: '', CAMPAIGN_FILE: campaignFile, ADMIN_OPEN_IDS: ADMIN, LOG_LEVEL: 'info',
      BOT_NOW: '2020-09-30T09:00:30+08:00', API_TOKEN: '',
    },
    path.join(dir, 'burst-bot.log'),
    '/healthz',
    nodeArgs,
  );
  const burst = () => fake.deliveries.filter((d) => d.target.startsWith('oc_burst_'));
  try {
    const deadline = Date.now() + 60_000;
    while (new Set(burst().map((d) => d.target)).size < COMMUNITIES && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  } finally {
    await bot.stop();
    await fake.stop();
  }
  const times = burst().map((d) => d.at).sort((a, b) => a - b);
  const refused = fake.quotaRefusals.length;
  const span = times.length ? times.at(-1)! - times[0]! : NaN;
  const fraction = (times.length * 1000) / ((span + 1000) * APP_PER_SECOND);
  const maxInSecond = Math.max(0, ...times.map((t) => times.filter((x) => x >= t && x < t + 1000).length));
  return {
    lines: [
      `queued:             ${pending.length} reminders from ${tick.ran.length} slots of the real reminder jobs`,
      `reminder burst:     ${times.length}/${COMMUNITIES} communities reached in ${span.toFixed(0)} ms; ${refused} × 429 from the quota-enforcing fake; at most ${maxInSecond} arrivals in any second; drain ${fraction.toFixed(2)} of the ${APP_PER_SECOND}/s quota`,
    ],
    figures: [
      { name: 'reminder burst (100 communities): 429s', value: `${refused} × 429`, target: '0', met: refused === 0 && times.length === COMMUNITIES },
      { name: 'reminder burst drain / quota', value: fraction.toFixed(2), target: '≥ 0.90', met: fraction >= 0.9 && times.length === COMMUNITIES },
    ],
  };
}
