import type { Db } from '../db/connect.ts';
import type { CampaignInfo } from '../domain/campaign.ts';
import { listDepartments } from '../domain/campaign.ts';
import { loadConfirmedExamples, loadFallbackDepartment, loadRoutingRules } from '../domain/grievance-routing.ts';
import type { Logger } from '../logger.ts';
import type { RoutingAdvisor } from './advisor.ts';
import { GrievanceRouter, type RouteDecision } from './router.ts';

/** How many of the latest confirming events start-up reads (each grievance counts once, by its latest). */
const START_UP_EVENTS = 20_000;
/** How far below the highest event id seen a late commit is still looked for (ids, not events). */
const LATE_COMMIT_WINDOW = 500;

/**
 * The running bot's router, kept in step with the database: built at start-up (in the background, or by the first
 * grievance if that comes sooner) from the campaign's rules and phrasings and from every grievance a person
 * confirmed or rerouted, then, before each routing, taught the confirmations and corrections recorded since (by
 * any instance). Reading them in the routing transaction means a correction is used by the very next grievance,
 * and a restart retrains from the same rows.
 */
export class RoutingModel {
  private router: GrievanceRouter | null = null;
  private lastEventId = 0;
  /** Ids of learnt events within the late-commit window below `lastEventId`. */
  private readonly learnt = new Set<number>();
  /** A build in progress, and the connection or transaction it reads through. */
  private building: { db: Db; router: Promise<GrievanceRouter> } | null = null;

  constructor(
    private readonly campaign: CampaignInfo,
    private readonly log: Logger,
    /** The optional model asked when routing is unsure (LLM_BASE_URL and LLM_MODEL set); null when off. */
    readonly advisor: RoutingAdvisor | null = null,
  ) {}

  /** Whether an unsure routing is also put to the model (after its transaction, by a follow-up). */
  get asksModel(): boolean {
    return this.advisor !== null;
  }

  /** The router, with every confirmation committed so far learnt. */
  async current(db: Db): Promise<GrievanceRouter> {
    const router = this.router ?? (await this.build(db));
    // Concurrent writers (replicas on PostgreSQL) commit ids out of order: an event below the highest id seen
    // can appear later. Each read therefore looks back a window of ids and skips the events already learnt.
    const batch = await loadConfirmedExamples(db, this.campaign.id, { afterEventId: Math.max(0, this.lastEventId - LATE_COMMIT_WINDOW) });
    for (const example of batch.examples) {
      const id = example.eventId ?? 0;
      if (id <= this.lastEventId - LATE_COMMIT_WINDOW || this.learnt.has(id)) continue;
      this.learnt.add(id);
      router.learn(example);
    }
    if (batch.lastEventId !== null) this.lastEventId = Math.max(this.lastEventId, batch.lastEventId);
    for (const id of this.learnt) if (id <= this.lastEventId - LATE_COMMIT_WINDOW) this.learnt.delete(id);
    return router;
  }

  async route(db: Db, text: string, exclude: readonly string[]): Promise<RouteDecision> {
    return (await this.current(db)).route(text, exclude);
  }

  /** Builds the router ahead of the first grievance (start-up, in the background). */
  async warm(db: Db): Promise<void> {
    await this.current(db);
  }

  /**
   * Builds the router, sharing a build already under way only if it reads through the same handle: a handler's
   * transaction must never wait for a build that needs the connection the transaction holds.
   */
  private build(db: Db): Promise<GrievanceRouter> {
    if (this.building?.db === db) return this.building.router;
    const pending = (async () => {
      const def = this.campaign.definition;
      const t0 = performance.now();
      const rules = await loadRoutingRules(db, this.campaign.id);
      const departments = await listDepartments(db, this.campaign.id);
      const fallback = await loadFallbackDepartment(db, this.campaign.id, def.fallbackDepartment);
      const router = new GrievanceRouter(rules, departments, { id: fallback.departmentId, name: fallback.departmentName }, {
        minConfidence: def.routingClassifier?.minConfidence ?? 0.5,
        synonyms: def.routingClassifier?.synonyms ?? [],
      });
      const batch = await loadConfirmedExamples(db, this.campaign.id, { latest: START_UP_EVENTS });
      for (const example of batch.examples) router.learn(example);
      // Two builds through different handles may overlap; the first to finish is kept.
      if (this.router) return this.router;
      this.router = router;
      this.lastEventId = batch.lastEventId ?? 0;
      for (const example of batch.examples) this.learnt.add(example.eventId ?? 0);
      this.log.info({ rules: rules.length, learned: router.learnedCount, ms: Math.round(performance.now() - t0) }, 'grievance router trained');
      return router;
    })().finally(() => {
      if (this.building?.router === pending) this.building = null;
    });
    this.building = { db, router: pending };
    return pending;
  }
}
