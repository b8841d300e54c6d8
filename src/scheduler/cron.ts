import cron from 'node-cron';
import type { Logger } from '../logger.ts';

/**
 * node-cron only ticks (every minute, Asia/Shanghai); what is due is decided from the clock and the ledger, so
 * a tick that comes late, twice, or on another instance changes nothing.
 */
export function startCronTicks(tick: () => Promise<unknown>, log: Logger, timezone = 'Asia/Shanghai'): { stop(): void } {
  const task = cron.schedule(
    '* * * * *',
    async () => {
      try {
        await tick();
      } catch (err) {
        log.error({ err }, 'scheduler tick failed');
      }
    },
    { timezone, noOverlap: true, name: 'coverage-bot-tick' },
  );
  return { stop: () => void task.stop() };
}
