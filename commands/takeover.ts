import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { handleTakeoverText } from './takeover-kit/flow.ts';

export default defineCommand({
  name: '入驻',
  aliases: ['takeover'],
  summary: '记录或更正小区的物业入驻信息',
  usage: '入驻 小区 物业企业 自主|外聘 入驻时间 [服务内容] [负责人 电话]',
  examples: ['入驻 福源公寓 鑫安物业 外聘 9月20日 保洁、保安 负责人王强 13905321234', '入驻 药材宿舍 社区兜底 10.8', '福源公寓已入驻，鑫安物业，外聘，9月20日进驻（不写命令也可以）'],
  access: ['admin', 'street', 'community'],
  args: z.object({ rest: z.string() }).refine((i) => i.rest.trim().length > 0, { message: '请写明小区和入驻信息' }),
  async handler(ctx, { rest }) {
    await handleTakeoverText(ctx, rest);
  },
});
