import type { FeatureModule } from '../src/bot/command.ts';
import help from './help.ts';
import whoami from './whoami.ts';
import progress from './progress.ts';
import bind from './bind.ts';
import unbind from './unbind.ts';
import bindchat from './bindchat.ts';
import { takeoverFeature } from './takeover-kit/module.ts';

/** Every chat feature, in the order 帮助 lists them. */
export const features: FeatureModule[] = [
  { commands: [help, whoami, progress] },
  { commands: [bind, unbind, bindchat] },
  takeoverFeature,
];
