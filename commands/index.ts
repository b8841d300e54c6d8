import type { FeatureModule } from '../src/bot/command.ts';
import help from './help.ts';
import whoami from './whoami.ts';
import progress from './progress.ts';
import bind from './bind.ts';
import unbind from './unbind.ts';
import bindchat from './bindchat.ts';
import grievance, { grievanceInterpreter, grievancePartAction } from './grievance.ts';
import accept from './accept.ts';
import transfer from './transfer.ts';
import resolve from './resolve.ts';
import todo from './todo.ts';
import { grievanceCardActions } from './grievances/card-actions.ts';
import { grievanceDigestJob } from '../src/jobs/grievance-digest.ts';
import report from './report.ts';
import periodClose from '../src/jobs/period-close.ts';
import confirm, { confirmButton } from './confirm.ts';
import missing from './missing.ts';
import deadlines from './deadlines.ts';
import { reminderJobs } from '../src/jobs/index.ts';
import { takeoverFeature } from './takeover-kit/module.ts';
import { understandingFeature } from './understand/module.ts';

/** Every chat feature, in the order 帮助 lists them. */
export const features: FeatureModule[] = [
  { commands: [help, whoami, progress] },
  { commands: [report], jobs: [periodClose] },
  { commands: [bind, unbind, bindchat] },
  // Each interpreter claims only the messages whose intent is its own (src/understanding/intent.ts).
  takeoverFeature,
  {
    commands: [grievance, accept, transfer, resolve, todo],
    cardActions: [...grievanceCardActions, grievancePartAction],
    interpreters: [grievanceInterpreter],
    jobs: [grievanceDigestJob],
  },
  { commands: [confirm, missing, deadlines], cardActions: [confirmButton], jobs: reminderJobs },
  // Questions, "not yet", chatter and messages that read two ways: answered, never written.
  understandingFeature,
];
