import type { FeatureModule } from '../src/bot/command.ts';
import help from './help.ts';
import whoami from './whoami.ts';
import progress from './progress.ts';
import bind from './bind.ts';
import unbind from './unbind.ts';
import bindchat from './bindchat.ts';
import report from './report.ts';
import periodClose from '../src/jobs/period-close.ts';

/** Every chat feature, in the order 帮助 lists them. */
export const features: FeatureModule[] = [
  { commands: [help, whoami, progress] },
  { commands: [report], jobs: [periodClose] },
  { commands: [bind, unbind, bindchat] },
];
