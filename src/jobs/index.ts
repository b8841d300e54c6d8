import type { JobDefinition } from '../scheduler/job.ts';
import reportPrompt from './report-prompt.ts';
import reportReminder from './report-reminder.ts';
import deadlineReminder from './deadline-reminder.ts';
import reportSummary from './report-summary.ts';
import reportEscalation from './report-escalation.ts';
import reportDirect from './report-direct.ts';
import reportUrgent from './report-urgent.ts';
import deadlineOverdue from './deadline-overdue.ts';

/** Prompts, reminders, the escalation ladder and summaries of DESIGN §2.4, in the order a tick runs them. */
export const reminderJobs: JobDefinition[] = [reportPrompt, reportReminder, deadlineReminder, deadlineOverdue, reportDirect, reportSummary, reportUrgent, reportEscalation];
