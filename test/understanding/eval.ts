/** `npm run eval`: reads every message set of the corpus through the bot's reader and prints what came out. */
import { formatReports, type EvalSetReport } from './report.ts';
import { evaluateTakeoverSets } from './takeover-eval.ts';
import { evaluateRoutingSets } from './routing-eval.ts';

const verbose = process.argv.includes('--verbose');
const reports: EvalSetReport[] = [...(await evaluateTakeoverSets()), ...(await evaluateRoutingSets())];
console.log(formatReports(reports, verbose));
