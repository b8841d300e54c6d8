import type { FeatureModule } from '../src/bot/command.ts';
import help from './help.ts';
import whoami from './whoami.ts';
import progress, { communitiesButton, overviewButton } from './progress.ts';
import bind from './bind.ts';
import unbind from './unbind.ts';
import bindchat from './bindchat.ts';
import grievance, { grievanceInterpreter, grievancePartAction } from './grievance.ts';
import accept from './accept.ts';
import transfer from './transfer.ts';
import resolve from './resolve.ts';
import todo, { todoPageButton } from './todo.ts';
import { grievanceCardActions } from './grievances/card-actions.ts';
import { routingAdviceFollowUp } from './grievances/advice.ts';
import { grievanceDigestJob } from '../src/jobs/grievance-digest.ts';
import report from './report.ts';
import periodClose from '../src/jobs/period-close.ts';
import confirm, { confirmButton, pageButton } from './confirm.ts';
import missing from './missing.ts';
import deadlines from './deadlines.ts';
import calendar from './calendar.ts';
import { reminderJobs } from '../src/jobs/index.ts';
import leadersDigest from '../src/jobs/leaders-digest.ts';
import { deadlineDoneReaction } from '../src/jobs/deadline-overdue.ts';
import { takeoverFeature } from './takeover-kit/module.ts';
import compoundList from './compound-list.ts';
import remark from './remark.ts';
import withdraw from './withdraw.ts';
import { grievanceCodeInterpreter, grievanceDetail } from './grievance-detail.ts';
import { afterCoverageFeature, afterCoverageReader } from './after-coverage/module.ts';
import { understandingFeature } from './understand/module.ts';
import grievanceReply from './understand/grievance-reply.ts';

/** Every chat feature, in the order 帮助 lists them. */
export const features: FeatureModule[] = [
  { commands: [help, whoami, progress], cardActions: [communitiesButton, overviewButton], jobs: [leadersDigest] },
  { commands: [report], jobs: [periodClose] },
  { commands: [bind, unbind, bindchat] },
  // T0001 收到 / T0001 转给住建局 …: a reply about a grievance, before any reader takes its words for a report.
  { interpreters: [grievanceReply] },
  // Claims only plain 公示 / 业委会 statements (福源公寓业委会已成立), which would read like takeovers otherwise.
  afterCoverageReader,
  // Each interpreter claims only the messages whose intent is its own (src/understanding/intent.ts).
  takeoverFeature,
  { commands: [compoundList, remark] },
  {
    commands: [grievance, accept, transfer, resolve, todo],
    cardActions: [...grievanceCardActions, grievancePartAction, todoPageButton],
    interpreters: [grievanceInterpreter],
    jobs: [grievanceDigestJob],
    followUps: [routingAdviceFollowUp],
  },
  { commands: [grievanceDetail, withdraw], interpreters: [grievanceCodeInterpreter] },
  { commands: [confirm, missing, deadlines, calendar], cardActions: [confirmButton, pageButton], jobs: reminderJobs, reactions: [deadlineDoneReaction] },
  afterCoverageFeature,
  // Questions, "not yet", chatter and messages that read two ways: answered, never written.
  understandingFeature,
];
