import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import type { BotContext } from '../src/bot/context.ts';
import { hasAccess } from '../src/bot/dispatch.ts';
import { normalizeCommandWord } from '../src/bot/registry.ts';
import { describeRole } from '../src/auth/actor.ts';
import { askAdmins } from '../src/auth/scope.ts';
import { adminContacts } from '../src/domain/people.ts';
import { type CompoundView, listCompounds } from '../src/domain/compounds.ts';

/** Leaders and departments read; only they see the read-only wording of a command. */
const readsOnly = (ctx: BotContext) => ctx.actor.role === 'leader' || ctx.actor.role === 'department';

/**
 * Examples written for the asker: community staff see compounds of their own community instead of the notice's
 * examples (a compound of the same task list where there is one), and their community's name.
 */
function personalise(examples: readonly string[], all: CompoundView[], ctx: BotContext): string[] {
  if (ctx.actor.role !== 'community' || ctx.actor.communityId === null) return [...examples];
  const own = all.filter((c) => c.communityId === ctx.actor.communityId);
  if (!own.length) return [...examples];
  const words = all
    .flatMap((c) => [c.name, ...c.aliases].map((w) => ({ w, c })))
    .sort((a, b) => b.w.length - a.w.length);
  return examples.map((ex) => {
    let out = ex;
    const used: CompoundView[] = [];
    for (const { w, c } of words) {
      if (!out.includes(w) || c.communityId === ctx.actor.communityId) continue;
      const pick = own.find((o) => o.track === c.track && !used.includes(o)) ?? own.find((o) => !used.includes(o)) ?? own[0]!;
      used.push(pick);
      // A placeholder until the end, so a replacement is never matched again as another compound's alias.
      out = out.split(w).join(`\u0000${used.length - 1}\u0000`);
    }
    out = out.replace(/\u0000(\d+)\u0000/g, (_m, i: string) => used[Number(i)]!.name);
    for (const c of new Set(all.map((x) => x.community))) {
      if (c !== ctx.actor.communityName && out.includes(c)) out = out.split(c).join(ctx.actor.communityName ?? c);
    }
    return out;
  });
}
import { localDate } from '../src/calendar/dates.ts';
import { calendarWarningOnce } from '../src/domain/calendar-warning.ts';

export default defineCommand({
  name: '帮助',
  aliases: ['help', '?', '菜单'],
  summary: '查看您能使用的命令和示例',
  usage: '帮助 [命令]',
  examples: ['帮助', '帮助 入驻'],
  access: 'anyone',
  args: z.object({ words: z.array(z.string()) }).transform((i) => ({ topic: i.words[0] ?? null })),
  async handler(ctx, { topic }) {
    const allowed = (c: (typeof ctx.commands)[number]) => hasAccess(ctx.actor, c.access) && (!c.permits || c.permits(ctx.actor, ctx.campaign));
    const mine = ctx.commands.filter(allowed);
    const summary = (c: (typeof mine)[number]) => (readsOnly(ctx) && c.readOnlySummary ? c.readOnlySummary : c.summary);
    const compounds = ctx.actor.role === 'community' ? await listCompounds(ctx.db, ctx.campaign.id) : [];
    if (topic) {
      const key = normalizeCommandWord(topic);
      const c = ctx.commands.find((x) => [x.name, ...x.aliases].some((n) => normalizeCommandWord(n) === key));
      if (!c) {
        await ctx.reply({ type: 'text', text: `没有“${topic.slice(0, 12)}”这个命令。发送“帮助”查看全部命令。` });
        return;
      }
      const note = allowed(c) ? '' : '\n（您目前没有使用此命令的权限）';
      const examples = personalise(c.examples, compounds, ctx);
      await ctx.reply({
        type: 'text',
        text: `【${c.name}】${summary(c)}\n用法：${c.usage}\n别名：${c.aliases.join('、') || '无'}\n示例：\n${examples.map((e) => `  ${e}`).join('\n')}${note}`,
      });
      return;
    }
    const lines = mine.map((c) => `· ${c.usage}　${summary(c)}`);
    let head: string;
    if (!ctx.actor.role) {
      head = `您还没有绑定角色，目前只能使用以下命令。如需使用其他功能，请联系${askAdmins(await adminContacts(ctx.db, ctx.adminOpenIds))}为您绑定。`;
    } else {
      head = `您的身份：${describeRole(ctx.actor)}。${readsOnly(ctx) ? (ctx.actor.role === 'leader' ? '您可以查看全部数据（小区信息不能修改）。' : '您可以办理分派给本部门的诉求。') : ''}可以使用：`;
    }
    const samples = ctx.actor.role === 'community'
      ? personalise(['小区 福源公寓', '福源公寓已入驻，鑫安物业，外聘，9月20日进驻，负责人王强 13905321234', '投诉 福源公寓 3号楼电梯坏了'], compounds, ctx)
      : [];
    const sampleLines = samples.length ? `\n例如：\n${samples.map((s) => `  ${s}`).join('\n')}` : '';
    const tail = ctx.chat.type === 'group' ? '\n在群里请先 @我 再发命令。发送“帮助 命令名”查看详细说明。' : '\n发送“帮助 命令名”查看详细说明。';
    const warning = await calendarWarningOnce(ctx.db, {
      campaign: ctx.campaign, calendar: ctx.calendar, today: localDate(ctx.now, ctx.campaign.timezone), openId: ctx.actor.openId, isAdmin: ctx.actor.role === 'admin', now: ctx.now,
    });
    await ctx.reply({ type: 'text', text: `${head}\n${lines.join('\n')}${sampleLines}${tail}${warning ? `\n\n${warning}` : ''}` });
  },
});
