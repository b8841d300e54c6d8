import crypto from 'node:crypto';
import type { Db } from '../db/connect.ts';
import { inTransaction } from '../db/transaction.ts';
import { type CampaignDefinition, UPGRADE_ACTIONS } from '../campaign/schema.ts';

export interface ImportResult {
  campaignId: number;
  created: boolean;
  changed: boolean;
}

function hashDefinition(def: CampaignDefinition): string {
  return crypto.createHash('sha256').update(JSON.stringify(def)).digest('hex');
}

/**
 * Imports a campaign definition. Idempotent: the same definition twice changes nothing; a changed one
 * adds and updates rows in place (matched by name/code) and never deletes anything that may carry data.
 */
export async function importCampaign(db: Db, def: CampaignDefinition, now: Date): Promise<ImportResult> {
  const hash = hashDefinition(def);
  return inTransaction(db, async (trx) => {
    const existing = await trx.selectFrom('campaigns').selectAll().where('code', '=', def.code).executeTakeFirst();
    if (existing && existing.definition_hash === hash) return { campaignId: existing.id, created: false, changed: false };

    const fields = {
      name: def.name,
      district: def.district,
      street: def.street,
      timezone: def.timezone,
      starts_on: def.startsOn,
      ends_on: def.endsOn,
      definition: JSON.stringify(def),
      definition_hash: hash,
      imported_at: now.toISOString(),
    };
    let campaignId: number;
    if (existing) {
      campaignId = existing.id;
      await trx.updateTable('campaigns').set(fields).where('id', '=', campaignId).execute();
    } else {
      const row = await trx.insertInto('campaigns').values({ code: def.code, ...fields }).returning('id').executeTakeFirstOrThrow();
      campaignId = row.id;
    }

    const communityIds = new Map<string, number>();
    for (const [ord, c] of def.communities.entries()) {
      const found = await trx.selectFrom('communities').select('id').where('campaign_id', '=', campaignId).where('name', '=', c.name).executeTakeFirst();
      const values = { ord, aliases: JSON.stringify(c.aliases) };
      if (found) {
        await trx.updateTable('communities').set(values).where('id', '=', found.id).execute();
        communityIds.set(c.name, found.id);
      } else {
        const row = await trx.insertInto('communities').values({ campaign_id: campaignId, name: c.name, ...values }).returning('id').executeTakeFirstOrThrow();
        communityIds.set(c.name, row.id);
      }
    }

    for (const [ord, c] of def.compounds.entries()) {
      const communityId = communityIds.get(c.community)!;
      const found = await trx.selectFrom('compounds').select('id').where('campaign_id', '=', campaignId).where('name', '=', c.name).executeTakeFirst();
      let compoundId: number;
      if (found) {
        compoundId = found.id;
        await trx.updateTable('compounds').set({ community_id: communityId, track: c.track, ord }).where('id', '=', compoundId).execute();
      } else {
        const row = await trx
          .insertInto('compounds')
          .values({ campaign_id: campaignId, community_id: communityId, name: c.name, track: c.track, ord, category: null, updated_at: null })
          .returning('id')
          .executeTakeFirstOrThrow();
        compoundId = row.id;
      }
      for (const alias of c.aliases) {
        await trx.insertInto('compound_aliases').values({ compound_id: compoundId, alias }).onConflict((oc) => oc.doNothing()).execute();
      }
      if (c.track === 'upgrade') {
        for (const action of UPGRADE_ACTIONS) {
          await trx
            .insertInto('upgrade_actions')
            .values({ compound_id: compoundId, action, state: '未开始', note: null, updated_at: null, updated_by: null, source_kind: null, source_ref: null })
            .onConflict((oc) => oc.doNothing())
            .execute();
        }
      }
    }

    const departmentIds = new Map<string, number>();
    for (const [ord, d] of def.departments.entries()) {
      const found = await trx.selectFrom('departments').select('id').where('campaign_id', '=', campaignId).where('name', '=', d.name).executeTakeFirst();
      const values = { kind: d.kind, duties: d.duties, aliases: JSON.stringify(d.aliases), ord };
      if (found) {
        await trx.updateTable('departments').set(values).where('id', '=', found.id).execute();
        departmentIds.set(d.name, found.id);
      } else {
        const row = await trx.insertInto('departments').values({ campaign_id: campaignId, name: d.name, ...values }).returning('id').executeTakeFirstOrThrow();
        departmentIds.set(d.name, row.id);
      }
    }

    await trx.deleteFrom('routing_rules').where('campaign_id', '=', campaignId).execute();
    for (const [priority, r] of def.routing.entries()) {
      await trx
        .insertInto('routing_rules')
        .values({ campaign_id: campaignId, code: r.code, topic: r.topic, department_id: departmentIds.get(r.department)!, keywords: JSON.stringify(r.keywords), phrasings: JSON.stringify(r.phrasings), priority })
        .execute();
    }

    for (const p of def.people) {
      const found = await trx.selectFrom('people').select('id').where('campaign_id', '=', campaignId).where('name', '=', p.name).executeTakeFirst();
      let personId: number;
      if (found) {
        personId = found.id;
        await trx.updateTable('people').set({ title: p.title }).where('id', '=', personId).execute();
      } else {
        personId = (await trx.insertInto('people').values({ campaign_id: campaignId, name: p.name, title: p.title }).returning('id').executeTakeFirstOrThrow()).id;
      }
      for (const [ord, post] of p.posts.entries()) {
        await trx.insertInto('person_posts').values({ person_id: personId, body: post.body, post: post.post, ord }).onConflict((oc) => oc.doNothing()).execute();
      }
    }

    await trx.deleteFrom('phases').where('campaign_id', '=', campaignId).execute();
    for (const [ord, ph] of def.phases.entries()) {
      await trx.insertInto('phases').values({ campaign_id: campaignId, name: ph.name, starts_on: ph.startsOn ?? null, ends_on: ph.endsOn, ord }).execute();
    }
    for (const [ord, d] of def.deadlines.entries()) {
      const found = await trx.selectFrom('deadlines').select('id').where('campaign_id', '=', campaignId).where('code', '=', d.code).executeTakeFirst();
      const values = { date: d.date, title: d.title, scope: d.scope, ord };
      if (found) await trx.updateTable('deadlines').set(values).where('id', '=', found.id).execute();
      else await trx.insertInto('deadlines').values({ campaign_id: campaignId, code: d.code, ...values }).execute();
    }
    return { campaignId, created: !existing, changed: true };
  });
}
