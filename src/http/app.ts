import crypto from 'node:crypto';
import Koa from 'koa';
import { Router } from '@koa/router';
import { sql } from 'kysely';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/connect.ts';
import type { Logger } from '../logger.ts';
import type { CampaignInfo } from '../domain/campaign.ts';
import type { WorkCalendar } from '../calendar/workdays.ts';
import { computeProgress } from '../domain/progress.ts';
import { listCompounds } from '../domain/compounds.ts';
import { listGrievances } from '../domain/grievance-list.ts';
import { isValidDate } from '../calendar/dates.ts';
import { afterCoverageRoutes } from './after-coverage-api.ts';

export interface HttpDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  campaign: CampaignInfo;
  calendar: WorkCalendar;
  apiToken?: string;
  webhook: Koa.Middleware;
  /** GET /api/v1/report.xlsx, when the report feature is wired. */
  reportXlsx?: (due: string | null) => Promise<{ fileName: string; data: Buffer }>;
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!m) return false;
  const a = Buffer.from(m[1]!.trim());
  const b = Buffer.from(token);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** The HTTP surface: Lark webhooks, the health check and the read-only JSON API. */
export function createHttpApp(deps: HttpDeps): Koa {
  const app = new Koa();
  const router = new Router();

  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      deps.log.error({ err, path: ctx.path }, 'http request failed');
      ctx.status = 500;
      ctx.body = { error: 'internal error' };
    }
  });

  router.post('/webhook/event', deps.webhook);
  router.post('/webhook/card', deps.webhook);

  router.get('/healthz', async (ctx) => {
    try {
      await sql`select 1`.execute(deps.db);
      ctx.body = { ok: true };
    } catch {
      ctx.status = 503;
      ctx.body = { ok: false };
    }
  });

  const api = new Router({ prefix: '/api/v1' });
  api.use(async (ctx, next) => {
    if (!deps.apiToken) {
      ctx.status = 404;
      ctx.body = { error: 'not found' };
      return;
    }
    if (!bearerMatches(ctx.get('authorization'), deps.apiToken)) {
      ctx.status = 401;
      ctx.set('WWW-Authenticate', 'Bearer');
      ctx.body = { error: 'unauthorized' };
      return;
    }
    await next();
  });
  api.get('/progress', async (ctx) => {
    ctx.body = await computeProgress(deps, deps.clock.now());
  });
  api.get('/compounds', async (ctx) => {
    const compounds = await listCompounds(deps.db, deps.campaign.id);
    ctx.body = compounds.map((c) => ({
      name: c.name,
      community: c.community,
      track: c.track,
      category: c.category,
      takeover: c.takeover
        ? {
            company: c.takeover.company,
            nature: c.takeover.nature,
            startDate: c.takeover.startDate,
            services: c.takeover.services,
            manager: c.takeover.manager,
            phone: c.takeover.phone,
            remarks: c.takeover.remarks,
          }
        : null,
      actions: c.actions,
    }));
  });
  api.get('/grievances', async (ctx) => {
    const status = typeof ctx.query.status === 'string' ? ctx.query.status : undefined;
    ctx.body = await listGrievances(deps.db, deps.campaign.id, { status });
  });
  afterCoverageRoutes(api, deps);
  api.get('/report.xlsx', async (ctx) => {
    if (!deps.reportXlsx) {
      ctx.status = 404;
      ctx.body = { error: 'report not available' };
      return;
    }
    const due = typeof ctx.query.due === 'string' && ctx.query.due ? ctx.query.due : null;
    if (due !== null && !isValidDate(due)) {
      ctx.status = 400;
      ctx.body = { error: 'due must be a real date as YYYY-MM-DD' };
      return;
    }
    const file = await deps.reportXlsx(due);
    ctx.set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`);
    ctx.type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    ctx.body = file.data;
  });

  app.use(router.routes()).use(router.allowedMethods());
  app.use(api.routes()).use(api.allowedMethods());
  return app;
}
