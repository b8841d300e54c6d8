import type { FeatureModule } from '../../src/bot/command.ts';
import assess from '../assess.ts';
import assessmentResults from '../assessment-results.ts';
import subsidy from '../subsidy.ts';
import company from '../company.ts';
import companyRecord from '../company-record.ts';
import disclosure from '../disclosure.ts';
import committee from '../committee.ts';
import assessmentReminder from '../../src/jobs/assessment-reminder.ts';
import companyRecordsDigest from '../../src/jobs/company-records-digest.ts';
import { submitAssessment } from './assessment-flow.ts';
import interpreter from './interpreter.ts';

/** After coverage: 考核 and 奖补, the companies' credit file, 公示 and 业委会 (notice §三.2, §五.3, §六.3–4). */
export const afterCoverageFeature: FeatureModule = {
  commands: [assess, assessmentResults, subsidy, company, companyRecord, disclosure, committee],
  cardActions: [submitAssessment],
  jobs: [assessmentReminder, companyRecordsDigest],
};

/** The 公示 / 业委会 free-text reader, listed apart: it must be tried before the takeover and grievance readers. */
export const afterCoverageReader: FeatureModule = { interpreters: [interpreter] };
