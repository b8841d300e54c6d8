/**
 * Reads every message of the takeover, no-write and intent sets through the real bot (real migrations,
 * campaign, dispatcher, interpreters) and compares what it wrote to the database, or put on its card, with
 * the expected outcome written next to each message.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { z } from 'zod';
import { createLogger } from '../../src/logger.ts';
import { readIntent } from '../../src/understanding/intent.ts';
import { createTestBot, type TestBot } from '../support/harness.ts';
import { databaseFromImage, imageOf } from '../support/db-template.ts';
import { cardButtons, cardText, type Sent } from '../support/recording-messenger.ts';
import { count, ratio, type EvalSetReport } from './report.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

const takeoverFields = z.object({
  company: z.string().nullable(), nature: z.enum(['自主', '外聘']).nullable(), startDate: z.string().nullable(),
  services: z.array(z.string()), manager: z.string().nullable(), phone: z.string().nullable(), remarks: z.string().nullable(),
});
type TakeoverFields = z.infer<typeof takeoverFields>;
const FIELD_NAMES = ['company', 'nature', 'startDate', 'services', 'manager', 'phone', 'remarks'] as const;

const INTENTS = ['takeover', 'grievance', 'action', 'category', 'question', 'not-yet', 'chatter', 'competing'] as const;
type Intent = (typeof INTENTS)[number];

const expectation = z.object({
  /** Exactly these writes, nothing else. */
  write: z.array(z.object({ compound: z.string(), takeover: takeoverFields.optional(), category: z.number().int().min(1).max(3).optional() })).optional(),
  /** A card, nothing written; one reading per compound, each carrying at least these fields. */
  card: z.array(z.object({ compound: z.string().nullable(), choices: z.array(z.string()).optional(), fields: takeoverFields.partial().optional() })).optional(),
  /** Refused with this text, nothing written. */
  refuse: z.string().optional(),
  /** Nothing new written (the message repeats what is recorded). */
  unchanged: z.literal(true).optional(),
  /** An 攻坚 action set to a state, nothing else written. */
  action: z.object({ compound: z.string(), name: z.string(), state: z.string() }).optional(),
  /** A grievance recorded about this compound, no takeover written. */
  grievance: z.string().optional(),
  intent: z.enum(INTENTS).optional(),
  /** Text the reply must contain. */
  says: z.array(z.string()).optional(),
  /** Text the reply must not contain (e.g. 没有看懂 for a phrase the reader should account for). */
  never: z.array(z.string()).optional(),
});
const corpusCase = z.object({
  text: z.string().min(1),
  as: z.string().optional(),
  chat: z.enum(['group', 'p2p']).optional(),
  now: z.string().optional(),
  before: z.array(z.string()).optional(),
  note: z.string().optional(),
  expect: expectation,
});
export type CorpusCase = z.infer<typeof corpusCase>;

export function loadCorpus(file: string): CorpusCase[] {
  return z.array(corpusCase).parse(JSON.parse(fs.readFileSync(path.join(here, 'corpus', file), 'utf8')));
}

/** The people of the corpus: who they are bound as. */
export const PEOPLE: Record<string, string> = {
  张三: '社区 梅园社区', 赵六: '社区 紫薇社区', 孙七: '社区 丰泽社区', 钱八: '社区 东、西鲁社区', 王五: '街道', 周八: '领导',
};
const COMMUNITY_CHAT: Record<string, string> = { 张三: '梅园社区工作群', 赵六: '紫薇社区工作群', 孙七: '丰泽社区工作群', 钱八: '东西鲁社区工作群' };

/** The intent each interpreter or command stands for (the dispatcher logs which one took a message). */
const INTENT_OF: Record<string, Intent> = {
  'takeover-report': 'takeover', 入驻: 'takeover', grievance: 'grievance', 投诉: 'grievance', action: 'action', 攻坚: 'action',
  category: 'category', 类别: 'category', question: 'question', 'not-yet': 'not-yet', chatter: 'chatter', competing: 'competing',
  // Recognised as a grievance, but asked about before recording: right intent, not the expected outcome.
  'maybe-grievance': 'grievance',
};

interface State {
  takeovers: Map<string, { id: number; fields: TakeoverFields }>;
  categories: Map<string, number | null>;
  actions: Map<string, string>;
  grievances: Array<{ compound: string; text: string }>;
  audit: number;
}

async function stateOf(bot: TestBot): Promise<State> {
  const db = bot.db;
  const compounds = await db.selectFrom('compounds').select(['id', 'name', 'category']).execute();
  const name = new Map(compounds.map((c) => [c.id, c.name]));
  const rows = await db.selectFrom('takeovers').selectAll().where('superseded_at', 'is', null).execute();
  const takeovers = new Map(rows.map((r) => [name.get(r.compound_id)!, {
    id: r.id,
    fields: { company: r.company, nature: r.nature, startDate: r.start_date, services: JSON.parse(r.services) as string[], manager: r.manager, phone: r.phone, remarks: r.remarks },
  }]));
  const actions = await db.selectFrom('upgrade_actions').select(['compound_id', 'action', 'state']).execute();
  const grievances = await db.selectFrom('grievances').select(['compound_id', 'text']).orderBy('id').execute();
  const audit = await db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return {
    takeovers,
    categories: new Map(compounds.map((c) => [c.name, c.category ?? null])),
    actions: new Map(actions.map((a) => [`${name.get(a.compound_id)}:${a.action}`, a.state])),
    grievances: grievances.map((g) => ({ compound: name.get(g.compound_id)!, text: g.text })),
    audit: Number(audit.n),
  };
}

interface Diff {
  takeovers: Map<string, TakeoverFields>;
  categories: Map<string, number | null>;
  actions: Map<string, string>;
  grievances: Array<{ compound: string; text: string }>;
  anything: boolean;
}

function diffOf(a: State, b: State): Diff {
  const takeovers = new Map<string, TakeoverFields>();
  for (const [c, t] of b.takeovers) if (a.takeovers.get(c)?.id !== t.id) takeovers.set(c, t.fields);
  const categories = new Map<string, number | null>();
  for (const [c, v] of b.categories) if (a.categories.get(c) !== v) categories.set(c, v);
  const actions = new Map<string, string>();
  for (const [k, v] of b.actions) if (a.actions.get(k) !== v) actions.set(k, v);
  const grievances = b.grievances.slice(a.grievances.length);
  const anything = takeovers.size > 0 || categories.size > 0 || actions.size > 0 || grievances.length > 0 || b.audit !== a.audit ||
    [...a.takeovers.keys()].some((c) => !b.takeovers.has(c));
  return { takeovers, categories, actions, grievances, anything };
}

/** A reading on a card, as its button's single-use token carries it back. */
interface CardReading {
  compound: string | null;
  choices: string[];
  fields: Partial<TakeoverFields>;
}

async function cardReadings(bot: TestBot, sent: Sent[]): Promise<CardReading[]> {
  const names = new Map((await bot.db.selectFrom('compounds').select(['id', 'name']).execute()).map((c) => [c.id, c.name]));
  const out: CardReading[] = [];
  const seen = new Set<string>();
  for (const s of sent) {
    for (const b of cardButtons(s.card)) {
      const t = b.value.t;
      if (typeof t !== 'string') continue;
      const row = await bot.db.selectFrom('card_actions').select(['payload']).where('nonce', '=', t).executeTakeFirst();
      if (!row) continue;
      const p = JSON.parse(row.payload) as Record<string, unknown>;
      const drafts = Array.isArray(p.drafts) && typeof p.index === 'number' ? [p.drafts[p.index] as Record<string, unknown>] : 'choices' in p ? [p] : [];
      for (const d of drafts) {
        const key = JSON.stringify(d);
        if (seen.has(key)) continue;
        seen.add(key);
        const fields: Partial<TakeoverFields> = {};
        for (const f of FIELD_NAMES) if (f in d) (fields as Record<string, unknown>)[f] = d[f];
        out.push({
          compound: typeof d.compoundId === 'number' ? names.get(d.compoundId) ?? null : null,
          choices: ((d.choices as number[] | undefined) ?? []).map((id) => names.get(id) ?? String(id)),
          fields,
        });
      }
    }
  }
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const isEmpty = (v: unknown) => v === null || v === undefined || (Array.isArray(v) && v.length === 0);

export interface CaseResult {
  text: string;
  /** The outcome is the expected one in every respect. */
  ok: boolean;
  expectedWrite: boolean;
  /** Every expected field was written exactly. */
  exactWrite: boolean;
  wrong: number;
  incomplete: number;
  dropped: number;
  intentExpected: Intent | null;
  intentSeen: Intent | null;
  problems: string[];
}

function expectedIntent(c: CorpusCase, set: string): Intent | null {
  const e = c.expect;
  if (e.intent) return e.intent;
  if (e.grievance) return 'grievance';
  if (e.action) return 'action';
  if (e.write && e.write.every((w) => !w.takeover)) return 'category';
  if (e.refuse && /权限/.test(e.refuse)) return null; // refused before any reading: no intent to compare
  return set === 'intent' ? null : 'takeover';
}

async function evaluateCase(image: Buffer, c: CorpusCase, set: string): Promise<CaseResult> {
  const logLines: string[] = [];
  const sink = new Writable({ write(chunk: Buffer, _e, done) { logLines.push(...chunk.toString().split('\n').filter(Boolean)); done(); } });
  const database = databaseFromImage(image);
  const bot = await createTestBot({ now: c.now ?? '2020-09-28T10:00:00+08:00', database, log: createLogger('debug', sink) });
  const as = c.as ?? '张三';
  const chat = { once: true, ...(c.chat === 'group' && COMMUNITY_CHAT[as] ? { chat: COMMUNITY_CHAT[as] } : {}) };
  const problems: string[] = [];
  let wrong = 0;
  let incomplete = 0;
  let dropped = 0;
  let exactWrite = false;
  try {
    for (const m of c.before ?? []) await bot.say(as, m, chat);
    const before = await stateOf(bot);
    logLines.length = 0;
    const sent = await bot.say(as, c.text, chat);
    const after = await stateOf(bot);
    const d = diffOf(before, after);
    const replies = sent.filter((s) => s.op === 'reply');
    const replyText = replies.map((s) => s.text ?? cardText(s.card)).join('\n');
    const e = c.expect;
    const seenIntents = logLines
      .map((l) => JSON.parse(l) as { msg?: string; interpreter?: string; command?: string })
      .filter((l) => l.msg === 'interpreted' || l.msg === 'command')
      .map((l) => INTENT_OF[l.interpreter ?? l.command ?? ''] ?? null);
    // No interpreter took it: the dispatcher's "没有看懂" answer, which is how chatter it cannot place is met.
    const intentSeen = seenIntents.filter(Boolean).at(-1) ?? (replies.length && !d.anything ? 'chatter' : null);

    const unexpected = (what: string) => {
      wrong++;
      problems.push(`wrote ${what} unexpectedly`);
    };
    const expectedWrites = new Map((e.write ?? []).map((w) => [w.compound, w]));
    for (const [compound, t] of d.takeovers) {
      const w = expectedWrites.get(compound);
      if (!w?.takeover) {
        unexpected(`takeover of ${compound} ${JSON.stringify(t)}`);
        continue;
      }
      let fieldsRight = true;
      for (const f of FIELD_NAMES) {
        const want = w.takeover[f];
        const got = t[f];
        if (same(want, got)) continue;
        fieldsRight = false;
        if (isEmpty(got) && !isEmpty(want)) {
          incomplete++;
          problems.push(`${compound}.${f}: dropped (expected ${JSON.stringify(want)})`);
        } else {
          wrong++;
          problems.push(`${compound}.${f}: wrote ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
        }
      }
      if (fieldsRight) exactWrite = true;
    }
    for (const [compound, v] of d.categories) {
      const w = expectedWrites.get(compound);
      if (w?.category === undefined) unexpected(`category of ${compound}`);
      else if (w.category !== v) {
        wrong++;
        problems.push(`${compound} category ${v}, expected ${w.category}`);
      }
    }
    for (const [k, v] of d.actions) {
      if (!e.action || `${e.action.compound}:${e.action.name}` !== k || e.action.state !== v) unexpected(`action ${k}=${v}`);
    }
    for (const g of d.grievances) if (e.grievance !== g.compound) unexpected(`grievance about ${g.compound}`);

    let ok = problems.length === 0;
    const miss = (why: string) => {
      ok = false;
      problems.push(why);
    };
    if (e.write) {
      for (const w of e.write) {
        if (w.takeover && !d.takeovers.has(w.compound)) miss(`did not write the takeover of ${w.compound}`);
        if (w.category !== undefined && !d.categories.has(w.compound)) miss(`did not set the category of ${w.compound}`);
      }
      if (e.write.some((w) => w.takeover) && !d.takeovers.size) exactWrite = false;
      if (e.write.every((w) => !w.takeover)) exactWrite = e.write.every((w) => w.category === undefined || d.categories.get(w.compound) === w.category);
      // A card instead of a write is not a wrong write, but it must carry every field the message gave.
      if (!d.anything) {
        for (const r of await cardReadings(bot, replies)) {
          const w = e.write.find((x) => x.compound === r.compound || r.choices.includes(x.compound));
          if (!w?.takeover) continue;
          for (const f of FIELD_NAMES) {
            if (!isEmpty(w.takeover[f]) && isEmpty(r.fields[f])) {
              dropped++;
              problems.push(`card dropped ${w.compound}.${f}`);
            }
          }
        }
      }
    } else if (e.card) {
      if (d.anything) miss('wrote although a card was expected');
      const readings = await cardReadings(bot, replies);
      if (!readings.length) miss(`no confirmation card; replied: ${replyText.slice(0, 80)}`);
      for (const want of e.card) {
        const r = readings.find((x) => (want.compound !== null ? x.compound === want.compound || (x.compound === null && x.choices.length === 1 && x.choices[0] === want.compound) : want.choices ? same([...x.choices].sort(), [...want.choices].sort()) : x.compound === null));
        if (!r) {
          miss(`no reading for ${want.compound ?? want.choices?.join('|') ?? '(choose)'}; card has ${JSON.stringify(readings.map((x) => x.compound ?? x.choices))}`);
          continue;
        }
        for (const [f, v] of Object.entries(want.fields ?? {})) {
          const got = r.fields[f as keyof TakeoverFields];
          if (same(got, v)) continue;
          if (isEmpty(got)) {
            dropped++;
            problems.push(`card dropped ${want.compound ?? 'reading'}.${f} (expected ${JSON.stringify(v)})`);
          } else miss(`card has ${f}=${JSON.stringify(got)}, expected ${JSON.stringify(v)}`);
        }
      }
      if (readings.length > e.card.length) miss(`card has ${readings.length} readings, expected ${e.card.length}`);
    } else {
      if (e.refuse && !replyText.includes(e.refuse)) miss(`expected refusal “${e.refuse}”, replied: ${replyText.slice(0, 80)}`);
      if (e.unchanged && d.anything) miss('expected no change');
      if (e.action && !d.actions.size) miss(`did not set ${e.action.name}; replied: ${replyText.slice(0, 80)}`);
      if (e.grievance && !d.grievances.length) miss(`no grievance recorded; replied: ${replyText.slice(0, 80)}`);
      if (!e.action && !e.grievance && d.anything && !problems.length) miss('wrote although nothing was expected');
    }
    for (const s of e.says ?? []) if (!replyText.includes(s)) miss(`reply lacks “${s}”: ${replyText.slice(0, 100)}`);
    for (const s of e.never ?? []) if (replyText.includes(s)) miss(`reply contains “${s}”: ${replyText.slice(0, 100)}`);
    const intentExpected = expectedIntent(c, set);
    if (intentExpected && intentSeen !== intentExpected) miss(`intent ${intentSeen ?? 'none'}, expected ${intentExpected}`);
    if (dropped) ok = false;
    return { text: c.text, ok, expectedWrite: Boolean(e.write), exactWrite, wrong, incomplete, dropped, intentExpected, intentSeen, problems };
  } finally {
    await bot.stop();
    await bot.close();
  }
}

/** A database with the corpus's people bound, as an image each message starts from. */
export async function corpusImage(): Promise<Buffer> {
  const bot = await createTestBot();
  for (const [who, role] of Object.entries(PEOPLE)) await bot.bind(who, role);
  for (const [who, chat] of Object.entries(COMMUNITY_CHAT)) await bot.bindChat(chat, PEOPLE[who]!.replace(/^社区 /, ''));
  const image = imageOf(bot.database);
  await bot.stop();
  await bot.close();
  return image;
}

export async function evaluateSet(image: Buffer, set: string, cases: CorpusCase[]): Promise<{ report: EvalSetReport; results: CaseResult[] }> {
  const results: CaseResult[] = [];
  for (const c of cases) results.push(await evaluateCase(image, c, set));
  const writes = results.filter((r) => r.expectedWrite);
  const withIntent = results.filter((r) => r.intentExpected);
  const report: EvalSetReport = {
    set,
    size: results.length,
    metrics: [
      ratio('as expected', results.filter((r) => r.ok).length, results.length),
      ratio('exact-field accuracy', writes.filter((r) => r.exactWrite).length, writes.length),
      count('wrong writes', results.reduce((n, r) => n + r.wrong, 0)),
      count('incomplete writes', results.reduce((n, r) => n + r.incomplete, 0)),
      count('fields dropped from cards', results.reduce((n, r) => n + r.dropped, 0)),
      ratio('intent accuracy', withIntent.filter((r) => r.intentSeen === r.intentExpected).length, withIntent.length),
    ],
    failures: results.filter((r) => !r.ok).map((r) => `${r.text.replace(/\n/g, '⏎')}  →  ${r.problems.join('; ')}`),
  };
  return { report, results };
}

export const CORPUS_SETS: Array<[string, string]> = [['takeover', 'takeover.json'], ['no-write', 'no-write.json'], ['intent', 'intent.json']];

/**
 * The routing corpus (grievances.json, written by the routing work) read by the intent stage alone: each is a
 * grievance without a command word, so it should be taken for one (or at least asked about, never missed).
 */
export function grievanceIntentReport(): EvalSetReport | null {
  const file = path.join(here, 'corpus', 'grievances.json');
  if (!fs.existsSync(file)) return null;
  const items = z.array(z.object({ text: z.string() }).passthrough()).parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  const kinds = items.map((g) => ({ text: g.text, kind: readIntent(g.text).kind }));
  return {
    set: 'grievances.json, intent only',
    size: items.length,
    metrics: [
      ratio('taken for a grievance', kinds.filter((k) => k.kind === 'grievance').length, items.length),
      ratio('asked about with a card', kinds.filter((k) => k.kind === 'maybe-grievance' || k.kind === 'competing').length, items.length),
      count('read as something else', kinds.filter((k) => !['grievance', 'maybe-grievance', 'competing'].includes(k.kind)).length),
    ],
    failures: kinds.filter((k) => k.kind !== 'grievance').map((k) => `${k.text}  →  ${k.kind}`),
  };
}

export async function evaluateTakeoverSets(): Promise<EvalSetReport[]> {
  const image = await corpusImage();
  const out: EvalSetReport[] = [];
  for (const [set, file] of CORPUS_SETS) out.push((await evaluateSet(image, set, loadCorpus(file))).report);
  const grievances = grievanceIntentReport();
  if (grievances) out.push(grievances);
  return out;
}
