import autocannon from 'autocannon';
import { ADMIN, createTestBot } from '../test/support/harness.ts';
import { FAKE_BOT_OPEN_ID, type FakeLarkApi } from '../test/support/fake-lark.ts';
import { messageEvent, signedRequest } from '../test/support/lark-events.ts';
import { openDatabase } from '../src/db/connect.ts';
import { computeProgress } from '../src/domain/progress.ts';
import { percentile } from './processes.ts';

/** One measured figure of DESIGN §5, with its target. */
export interface Figure {
  name: string;
  value: string;
  target: string;
  met: boolean | null;
}

const ms = (x: number) => `${x.toFixed(1)} ms`;

/** A group message that does not mention the bot: verified, decrypted, stored, then marked ignored. */
function storedEvent() {
  return signedRequest(messageEvent({ senderOpenId: ADMIN, text: '今天的巡查记录已上传', botOpenId: FAKE_BOT_OPEN_ID, mentionBot: false, chatId: 'oc_bench_group' }));
}

/** Load on POST /webhook/event with a new signed, encrypted event for every request. */
export async function hammer(base: string, seconds: number, connections = 20) {
  return autocannon({
    url: `${base}/webhook/event`,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const r = storedEvent();
          return { ...req, method: 'POST', path: '/webhook/event', body: r.body, headers: r.headers };
        },
      },
    ],
  });
}

/** Webhook req/s and p99 against the bare Koa route, same load, same machine, same run. */
export async function benchWebhook(bot: string, baseline: string, seconds: number): Promise<{ figures: Figure[]; lines: string[] }> {
  await hammer(baseline, 2);
  const bare = await hammer(baseline, seconds);
  await hammer(bot, 2);
  const full = await hammer(bot, seconds);
  const ratio = full.requests.average / bare.requests.average;
  const failures = full.non2xx + full.errors + full.timeouts;
  return {
    lines: [
      `bare Koa route:     ${bare.requests.average.toFixed(0)} req/s, p50 ${ms(bare.latency.p50)}, p99 ${ms(bare.latency.p99)}, non-2xx/errors ${bare.non2xx + bare.errors}`,
      `bot webhook:        ${full.requests.average.toFixed(0)} req/s, p50 ${ms(full.latency.p50)}, p99 ${ms(full.latency.p99)}, non-2xx/errors ${failures}`,
    ],
    figures: [
      { name: 'webhook throughput / bare Koa', value: `${ratio.toFixed(2)} (${full.requests.average.toFixed(0)} / ${bare.requests.average.toFixed(0)} req/s)`, target: '≥ 0.33', met: ratio >= 1 / 3 && failures === 0 },
      { name: 'webhook p99', value: ms(full.latency.p99), target: '< 20 ms', met: full.latency.p99 < 20 },
    ],
  };
}

/** Event in → reply at the fake Open API, at a steady 50 events/s spread over 50 group chats. */
export async function benchEndToEnd(bot: string, fake: FakeLarkApi, seconds: number, rate = 50): Promise<{ figures: Figure[]; lines: string[] }> {
  const total = seconds * rate;
  const sentAt = new Map<string, number>();
  const statuses: number[] = [];
  const start = Date.now();
  const posts: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const ev = messageEvent({ senderOpenId: ADMIN, text: i % 2 ? '帮助' : '进度', botOpenId: FAKE_BOT_OPEN_ID, chatId: `oc_bench_e2e_${i % 50}` });
    const req = signedRequest(ev);
    sentAt.set(ev.event.message.message_id, Date.now());
    posts.push(fetch(`${bot}/webhook/event`, { method: 'POST', ...req }).then((r) => void statuses.push(r.status)));
  }
  await Promise.all(posts);
  const deadline = Date.now() + 30_000;
  const replies = () => fake.deliveries.filter((d) => sentAt.has(d.target));
  while (replies().length < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const latencies = replies().map((d) => d.at - sentAt.get(d.target)!);
  const p95 = percentile(latencies, 95);
  const ok = statuses.filter((s) => s === 200).length;
  return {
    lines: [`end to end:         ${latencies.length}/${total} replies, ${ok}/${total} answered 200; p50 ${ms(percentile(latencies, 50))}, p95 ${ms(p95)}, max ${ms(Math.max(...latencies))}`],
    figures: [{ name: `event → reply p95 at ${rate} events/s`, value: ms(p95), target: '< 100 ms', met: p95 < 100 && latencies.length === total }],
  };
}

/** 进度 at city scale: computeProgress alone, and the whole command path (inbox → dispatcher → card → outbox → send). */
export async function benchProgress(cityFile: string, runs = 15): Promise<{ figures: Figure[]; lines: string[]; bot: Awaited<ReturnType<typeof createTestBot>> }> {
  const bot = await createTestBot({ now: '2020-09-28T09:00:00+08:00', database: openDatabase(cityFile) });
  const now = bot.clock.now();
  const compute: number[] = [];
  const command: number[] = [];
  let summary = '';
  for (let i = 0; i <= runs; i++) {
    let t = performance.now();
    const p = await computeProgress(bot.runtime.deps, now);
    const c = performance.now() - t;
    t = performance.now();
    const sent = await bot.say('admin', '进度');
    const d = performance.now() - t;
    if (i === 0) {
      summary = `coverage ${p.coverage.covered}/${p.coverage.total}, upgrade done ${p.upgrade.done}/${p.upgrade.total}, grievances open ${p.grievances.open} (overdue ${p.grievances.overdue}), resolved ${p.grievances.resolved}; reply: ${sent[0]?.msgType ?? 'none'}`;
      continue; // the first run warms caches and the JIT
    }
    compute.push(c);
    command.push(d);
  }
  const p95 = percentile(command, 95);
  return {
    bot,
    lines: [
      `city:               ${summary}`,
      `进度 (city):         computeProgress p50 ${ms(percentile(compute, 50))}, p95 ${ms(percentile(compute, 95))}; command path p50 ${ms(percentile(command, 50))}, p95 ${ms(p95)} over ${runs} runs`,
    ],
    figures: [{ name: '进度 at city scale (command path p95)', value: ms(p95), target: '< 50 ms', met: p95 < 50 }],
  };
}
