import type { z } from 'zod';
import { isValidDate } from '../calendar/dates.ts';
import { foldText } from '../understanding/text-fold.ts';

/** The parts of a campaign definition these checks read (the schema's output, before this refinement). */
interface Named {
  name: string;
  aliases?: string[];
}
interface CampaignShape {
  communities: Named[];
  compounds: (Named & { community: string })[];
  departments: Named[];
  people: { name: string }[];
  routing: { code: string }[];
  deadlines: { code: string }[];
  phases: { name: string; startsOn?: string; endsOn: string }[];
  reports: { days: number[] };
}

type Issue = { path: (string | number)[]; message: string };

/**
 * Names that would be merged on import (the importer matches rows by name or code) or make matching ambiguous
 * (the matchers fold full-width forms, case, spaces and punctuation): each folded name or alias may belong to one
 * entity of its kind only. An alias that repeats its own entity's name is harmless and allowed.
 */
function uniqueNames(kind: string, key: string, list: Named[], issues: Issue[]): void {
  const owner = new Map<string, { index: number; text: string }>();
  list.forEach((item, i) => {
    const forms: { text: string; path: (string | number)[] }[] = [
      { text: item.name, path: [key, i, 'name'] },
      ...(item.aliases ?? []).map((a, j) => ({ text: a, path: [key, i, 'aliases', j] })),
    ];
    const mine = new Set<string>();
    for (const f of forms) {
      const folded = foldText(f.text);
      if (!folded) {
        issues.push({ path: f.path, message: `${kind} name “${f.text}” has no letters or digits` });
        continue;
      }
      if (mine.has(folded)) continue;
      mine.add(folded);
      const seen = owner.get(folded);
      if (seen) {
        const what = f.path.includes('aliases') ? `alias “${f.text}”` : `${kind} “${f.text}”`;
        issues.push({ path: f.path, message: `duplicate ${what}: ${key}.${seen.index} is already called “${seen.text}” (重复的名称或别名)` });
      } else {
        owner.set(folded, { index: i, text: f.text });
      }
    }
  });
}

function uniqueValues(label: string, key: string, field: string, values: (string | number)[], issues: Issue[]): void {
  const first = new Map<string | number, number>();
  values.forEach((v, i) => {
    const seen = first.get(v);
    if (seen !== undefined) issues.push({ path: [key, i, field], message: `duplicate ${label} ${v} (also ${key}.${seen})` });
    else first.set(v, i);
  });
}

/**
 * Cross-checks of a campaign definition that one field cannot make alone: duplicate names and codes, ambiguous
 * aliases, phases that end before they start. References to unknown communities and departments are checked
 * next to the schema. Each problem names its path; a definition with any problem is not imported.
 */
export function checkCampaignIntegrity(c: CampaignShape, ctx: z.core.$RefinementCtx<unknown>): void {
  const issues: Issue[] = [];
  uniqueNames('community', 'communities', c.communities, issues);
  uniqueNames('compound', 'compounds', c.compounds, issues);
  uniqueNames('department', 'departments', c.departments, issues);
  uniqueValues('person', 'people', 'name', c.people.map((p) => p.name), issues);
  uniqueValues('routing rule code', 'routing', 'code', c.routing.map((r) => r.code), issues);
  uniqueValues('deadline code', 'deadlines', 'code', c.deadlines.map((d) => d.code), issues);
  uniqueValues('phase', 'phases', 'name', c.phases.map((p) => p.name), issues);
  c.reports.days.forEach((d, i) => {
    if (c.reports.days.indexOf(d) !== i) issues.push({ path: ['reports', 'days', i], message: `duplicate report day ${d}` });
  });
  c.phases.forEach((p, i) => {
    if (p.startsOn && isValidDate(p.startsOn) && isValidDate(p.endsOn) && p.startsOn > p.endsOn) issues.push({ path: ['phases', i, 'endsOn'], message: `phase ${p.name} ends (${p.endsOn}) before it starts (${p.startsOn})` });
  });
  for (const issue of issues) ctx.addIssue({ code: 'custom', ...issue });
}
