import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { features } from '../../commands/index.ts';
import { createTestBot, textOf, type TestBot } from '../support/harness.ts';

/** DESIGN §4.7: only bound users change data, only within their scope; the refusal says why. */

const LOG_TABLES = new Set(['inbox_events', 'outbox_messages', 'bot_messages', 'kysely_migration', 'kysely_migration_lock']);

/** A digest of every data table (on either database): equal digests mean nothing was written. */
async function dataDigest(bot: TestBot): Promise<string> {
  const tables = (await bot.db.introspection.getTables()).map((t) => t.name).filter((t) => !LOG_TABLES.has(t)).sort();
  const h = crypto.createHash('sha256');
  for (const t of tables) {
    const rows = (await bot.db.selectFrom(t as 'campaigns').selectAll().execute()).map((r) => JSON.stringify(r)).sort();
    h.update(t).update(JSON.stringify(rows));
  }
  return h.digest('hex');
}

const commands = features.flatMap((f) => f.commands ?? []);
/** Arguments that would be valid for most commands, so the refusal is about who asks, not what was typed. */
const SAMPLE_ARGS = '梅花园 2';

let bot: TestBot;
beforeEach(async () => {
  bot = await createTestBot();
});
afterEach(async () => {
  await bot.stop();
  await bot.close();
});

describe('authorisation', () => {
  it('refuses every command that needs a role to an unbound person, says whom to ask, and writes nothing', async () => {
    const guarded = commands.filter((c) => c.access !== 'anyone');
    expect(guarded.length).toBeGreaterThan(0);
    for (const c of guarded) {
      const before = await dataDigest(bot);
      const reply = textOf(await bot.say('路人甲', `${c.name} ${SAMPLE_ARGS}`, { chat: '梅园社区' }));
      expect(reply, `${c.name} for an unbound person`).toContain('还没有使用此功能的权限');
      expect(reply).toContain('管理员');
      expect(await dataDigest(bot), `${c.name} wrote data for an unbound person`).toBe(before);
    }
  });

  it('refuses community staff the commands of other roles, saying which command is out of their scope, and writes nothing', async () => {
    await bot.bind('王芳', '社区 梅园社区');
    const notForCommunity = commands.filter((c) => Array.isArray(c.access) && !c.access.includes('community'));
    expect(notForCommunity.map((c) => c.name)).toContain('绑定');
    for (const c of notForCommunity) {
      const before = await dataDigest(bot);
      const reply = textOf(await bot.say('王芳', `${c.name} ${SAMPLE_ARGS}`, { chat: '梅园社区' }));
      expect(reply, `${c.name} for community staff`).toContain(`“${c.name}”不在您的权限范围内`);
      expect(await dataDigest(bot)).toBe(before);
    }
  });

  it('keeps community staff to their own community, and says so', async () => {
    await bot.bind('王芳', '社区 梅园社区');
    const before = await dataDigest(bot);
    expect(textOf(await bot.say('王芳', '进度 紫薇社区'))).toContain('您只能查看梅园社区的进度');
    expect(textOf(await bot.say('王芳', '绑定 @王芳 街道'))).toContain('不在您的权限范围内');
    expect(await dataDigest(bot)).toBe(before);
    expect(textOf(await bot.say('王芳', '我是谁'))).toContain('梅园社区');
  });
});
