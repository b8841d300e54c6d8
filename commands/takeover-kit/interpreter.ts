/** Understands takeover reports written without a command word (福源公寓已入驻，鑫安物业，…). */
import { defineInterpreter } from '../../src/bot/command.ts';
import { readIntent } from '../../src/understanding/intent.ts';
import { handleTakeoverText } from './flow.ts';

export default defineInterpreter({
  name: 'takeover-report',
  match: (text) => readIntent(text).kind === 'takeover',
  async handler(ctx, text) {
    await handleTakeoverText(ctx, text);
  },
});
