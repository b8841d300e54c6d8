import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { hasAccess } from '../src/bot/dispatch.ts';
import { normalizeCommandWord } from '../src/bot/registry.ts';
import { describeRole } from '../src/auth/actor.ts';

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
    if (topic) {
      const key = normalizeCommandWord(topic);
      const c = ctx.commands.find((x) => [x.name, ...x.aliases].some((n) => normalizeCommandWord(n) === key));
      if (!c) {
        await ctx.reply({ type: 'text', text: `没有“${topic.slice(0, 12)}”这个命令。发送“帮助”查看全部命令。` });
        return;
      }
      const note = allowed(c) ? '' : '\n（您目前没有使用此命令的权限）';
      await ctx.reply({
        type: 'text',
        text: `【${c.name}】${c.summary}\n用法：${c.usage}\n别名：${c.aliases.join('、') || '无'}\n示例：\n${c.examples.map((e) => `  ${e}`).join('\n')}${note}`,
      });
      return;
    }
    const lines = mine.map((c) => `· ${c.usage}　${c.summary}`);
    const head = ctx.actor.role
      ? `您的身份：${describeRole(ctx.actor)}。可以使用：`
      : '您还没有绑定角色，目前只能使用以下命令；如需使用其他功能，请联系管理员绑定。';
    const tail = ctx.chat.type === 'group' ? '\n在群里请先 @我 再发命令。发送“帮助 命令名”查看详细说明。' : '\n发送“帮助 命令名”查看详细说明。';
    await ctx.reply({ type: 'text', text: `${head}\n${lines.join('\n')}${tail}` });
  },
});
