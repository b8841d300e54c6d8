import crypto from 'node:crypto';
import Koa from 'koa';
import { Router } from '@koa/router';
import { pingDatabase } from '../db/health.ts';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/connect.ts';
import type { Logger } from '../logger.ts';
import type { CampaignInfo } from '../domain/campaign.ts';
import type { WorkCalendar } from '../calendar/workdays.ts';
import { computeProgress } from '../domain/progress.ts';
import { listCompounds } from '../domain/compounds.ts';
import { listGrievances } from '../domain/grievance-list.ts';
import { checkReportDue } from '../report/due.ts';
import { createRefusalLog } from './refusal-log.ts';
import { isValidDate } from '../calendar/dates.ts';
import { afterCoverageRoutes } from './after-coverage-api.ts';
import { EXPOSITION_CONTENT_TYPE } from '../metrics/exposition.ts';

export interface HttpDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  campaign: CampaignInfo;
  calendar: WorkCalendar;
  apiToken?: string;
  /** Lark's webhook; absent when events arrive over the long connection (the routes then answer 404). */
  webhook: Koa.Middleware | null;
  /** Extra /healthz fields of the long connection, e.g. { transport: 'ws', connected: true }. */
  transportHealth?: () => Record<string, unknown>;
  /** GET /metrics: the Prometheus exposition, behind the API token like the JSON API. */
  metrics?: () => Promise<string>;
  /** Observes how long each webhook request took (seconds), by route. */
  observeWebhook?: (route: 'event' | 'card', seconds: number) => void;
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

interface RefusalState {
  refusal?: string;
  refusalLogged?: boolean;
}

/** A reset, a broken pipe or a half-sent request: the other side is gone. */
function clientWentAway(err: Error & { code?: string }): boolean {
  const code = err.code ?? '';
  return code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED' || code.startsWith('HPE_') || err.message === 'aborted';
}

/** The HTTP surface: Lark webhooks, the health check and the read-only JSON API. */
export function createHttpApp(deps: HttpDeps): Koa {
  const app = new Koa();
  const router = new Router();
  const refused = createRefusalLog(deps.log, deps.clock);
  /** One refusal line per request at most, whichever notices first (the route, or a broken connection). */
  const noteRefusal = (ctx: Koa.Context, reason: string, status = ctx.status) => {
    const state = ctx.state as RefusalState;
    if (state.refusalLogged) return;
    state.refusalLogged = true;
    refused({ reason, status, path: ctx.path, ip: ctx.ip });
  };

  app.use(async (ctx, next) => {
    // Answers carry personal data (phones, grievance texts): never cached, never sniffed into another type.
    ctx.set('Cache-Control', 'no-store');
    ctx.set('X-Content-Type-Options', 'nosniff');
    try {
      await next();
    } catch (err) {
      deps.log.error({ err, path: ctx.path }, 'http request failed');
      ctx.status = 500;
      ctx.body = { error: 'internal error' };
    }
    // Routes say why they refused a request in ctx.state.refusal; one place writes the (rate-limited) line.
    const reason = (ctx.state as RefusalState).refusal;
    if (reason) noteRefusal(ctx, reason);
  });

  const webhook: Koa.Middleware = deps.webhook ?? ((ctx) => {
    ctx.status = 404;
    ctx.body = { error: 'webhook disabled: events arrive over the long connection (LARK_TRANSPORT=ws)' };
  });
  const timed = (route: 'event' | 'card'): Koa.Middleware => async (ctx, next) => {
    const started = performance.now();
    try {
      await webhook(ctx, next);
    } finally {
      // Real elapsed time, not the bot's clock: this is what Lark waits for.
      deps.observeWebhook?.(route, (performance.now() - started) / 1000);
    }
  };
  router.post('/webhook/event', timed('event'));
  router.post('/webhook/card', timed('card'));

  router.get('/healthz', async (ctx) => {
    try {
      await pingDatabase(deps.db);
      ctx.body = { ok: true, ...deps.transportHealth?.() };
    } catch {
      ctx.status = 503;
      ctx.body = { ok: false };
    }
  });

  /** The JSON API and /metrics: 404 when no API_TOKEN is configured, 401 without the right bearer token. */
  const requireApiToken: Koa.Middleware = async (ctx, next) => {
    if (!deps.apiToken) {
      ctx.status = 404;
      ctx.body = { error: 'not found' };
      return;
    }
    if (!bearerMatches(ctx.get('authorization'), deps.apiToken)) {
      ctx.state.refusal = ctx.get('authorization') ? 'wrong API token' : 'no API token';
      ctx.status = 401;
      ctx.set('WWW-Authenticate', 'Bearer');
      ctx.body = { error: 'unauthorized' };
      return;
    }
    await next();
  };
  router.get('/metrics', requireApiToken, async (ctx) => {
    if (!deps.metrics) {
      ctx.status = 404;
      ctx.body = { error: 'not found' };
      return;
    }
    ctx.type = EXPOSITION_CONTENT_TYPE;
    ctx.body = await deps.metrics();
  });

  const api = new Router({ prefix: '/api/v1' });
  api.use(requireApiToken);
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
    const raw = ctx.query.due;
    if (raw !== undefined && typeof raw !== 'string') {
      ctx.status = 400;
      ctx.body = { error: 'give due once, as YYYY-MM-DD' };
      return;
    }
    const due = raw ? raw : null;
    if (due !== null) {
      const check = checkReportDue(deps.campaign, deps.calendar, due);
      if (!check.ok) {
        ctx.status = 400;
        ctx.body = { error: check.message, dues: check.dues };
        return;
      }
    }
    const file = await deps.reportXlsx(due);
    ctx.set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`);
    ctx.type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    ctx.body = file.data;
  });

  app.use(router.routes()).use(router.allowedMethods());
  app.use(api.routes()).use(api.allowedMethods());
  // Koa's default prints the stack of every failed response to stderr; a client that hung up is not our fault
  // (and an easy way to flood the log), so it gets the refusal line, once per request.
  app.on('error', (err: Error & { code?: string }, ctx?: Koa.Context) => {
    if (clientWentAway(err)) {
      if (ctx) noteRefusal(ctx, 'connection closed by the client', 400);
      return;
    }
    deps.log.error({ err, path: ctx?.path }, 'http response failed');
  });
  return app;
}
