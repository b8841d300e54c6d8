import { it } from 'vitest';
import { createTestBot } from '../support/harness.ts';
it('times', async () => {
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const bot = await createTestBot();
    const t1 = performance.now();
    await bot.say('admin', '帮助');
    const t2 = performance.now();
    await bot.stop(); await bot.close();
    console.log(process.env.TEST_DB, 'start', (t1 - t).toFixed(0), 'say', (t2 - t1).toFixed(0), 'close', (performance.now() - t2).toFixed(0));
  }
});
