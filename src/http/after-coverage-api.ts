/** GET /api/v1/assessments, /companies and /subsidies: the after-coverage data as JSON (shapes in README). */
import type { Router } from '@koa/router';
import { isQuarter } from '../calendar/quarters.ts';
import { assessmentsJson, companiesJson, subsidiesJson } from '../domain/after-coverage-json.ts';
import { SUBSIDY_STATES, type SubsidyState } from '../domain/subsidies.ts';
import type { HttpDeps } from './app.ts';

const one = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

export function afterCoverageRoutes(api: Router, deps: HttpDeps): void {
  api.get('/assessments', async (ctx) => {
    const period = one(ctx.query.period);
    if (period !== undefined && period !== 'once' && !isQuarter(period)) {
      ctx.status = 400;
      ctx.body = { error: 'period must be a quarter such as 2020Q4, or once' };
      return;
    }
    ctx.body = await assessmentsJson(deps.db, deps.campaign, deps.clock.now(), { period, kind: one(ctx.query.kind) });
  });
  api.get('/companies', async (ctx) => {
    ctx.body = await companiesJson(deps.db, deps.campaign, deps.clock.now());
  });
  api.get('/subsidies', async (ctx) => {
    const state = one(ctx.query.state);
    const period = one(ctx.query.period);
    if (state !== undefined && !(SUBSIDY_STATES as readonly string[]).includes(state)) {
      ctx.status = 400;
      ctx.body = { error: `state must be one of ${SUBSIDY_STATES.join(', ')}` };
      return;
    }
    ctx.body = await subsidiesJson(deps.db, deps.campaign, { ...(state ? { state: state as SubsidyState } : {}), ...(period ? { period } : {}) });
  });
}
