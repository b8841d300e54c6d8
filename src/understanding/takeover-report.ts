/**
 * Reads a takeover report as staff write it (福源公寓已入驻，鑫安物业，外聘，9月20日进驻，负责人王强 13905321234)
 * into one reading per compound it names. Pure: no database, no clock.
 *
 * The reader accounts for every character: phones, dates, compound names, companies, nature words, managers,
 * categories, services and known filler words each claim their spans; a field written twice, a guess (a day
 * without its month, a name it cannot read) or a word left over makes the reading doubtful, and a doubtful
 * reading is never written without the person confirming it.
 */
import { type CompoundMention, type MatchableCompound, findCompoundMentions, isSureMention } from './compound-matcher.ts';
import { type Nature, SELF_MODE_NAMES, findCompanySpans, findNatureSpans, isSelfRunBody } from './company-extract.ts';
import { type FoundDate, findDates, isoWeekday, pickStartDate } from './date-extract.ts';
import { claimCategories, claimManagers, claimNameNextTo, claimServices, orderServices } from './detail-extract.ts';
import { CHANGED_TO, CORRECTION_WORDS, FIX_WORDS, LEFT, LONG_FILLERS, OLD_VALUE, SHORT_FILLERS } from './fillers.ts';
import { findPhones } from './phone-extract.ts';
import { Claims, type Span } from './spans.ts';
import { MAX_READ_CHARS, prepareText } from './text-fold.ts';

export interface TakeoverFields {
  company: string | null;
  nature: Nature | null;
  startDate: string | null;
  services: string[];
  manager: string | null;
  phone: string | null;
  category: 1 | 2 | 3 | null;
  /** How a self-run compound is run (社区兜底, 业委会自管 …), for the 调度表's 备注 when no company says it. */
  remarks: string | null;
}

export interface CompoundReading {
  /** Where the message names this compound; null when it names none. */
  mention: CompoundMention | null;
  /** The compound's name as written. */
  mentionText: string | null;
  fields: TakeoverFields;
  /** The nature was not written but inferred from the company's name. */
  natureInferred: boolean;
  /** Both 自主 and 外聘 were written: the person must choose. */
  natureConflict: boolean;
  /** A company named without its suffix (物业是鑫安的): the same as the recorded one, or to be confirmed. */
  companyRef: string | null;
  /** What the reader is unsure of, in words for the card. */
  doubts: string[];
  /** Words the reader did not understand, as written. */
  leftovers: string[];
  /** The message corrects an earlier record (更正, 改为, 不是…是…). */
  correction: boolean;
  /** The message says an earlier value was written wrong (不是…是…, 更正, 写错了): it changes only what it names. */
  fix: boolean;
}

export interface TakeoverReading {
  readings: CompoundReading[];
  /** Things that stop the report from being recorded at all (a date in the future, a day that does not exist). */
  problems: string[];
}

export { isSureMention };

const CONNECTOR = /^[\s、,，和与及跟以还有]*$/;
const RESPECTIVELY = /分别/;

function distinct<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/** Drops values the text marks as the old ones (不是鑫安物业, 外聘改为自主) when a new one is written too. */
function current<T extends { start: number; end: number }>(s: string, spans: T[]): T[] {
  if (spans.length < 2) return spans;
  const fresh = spans.filter((x) => !OLD_VALUE.test(s.slice(Math.max(0, x.start - 4), x.start)) && !CHANGED_TO.test(s.slice(x.end, x.end + 4)));
  return fresh.length ? fresh : spans;
}

interface Region {
  start: number;
  end: number;
  mentions: CompoundMention[];
}

/** Consecutive mentions joined only by 和 / 、 share one region; each region runs to the next one. */
function regionsOf(s: string, mentions: CompoundMention[]): Region[] {
  if (!mentions.length) return [{ start: 0, end: s.length, mentions: [] }];
  const groups: CompoundMention[][] = [];
  const key = (g: CompoundMention[]) => g.map((m) => m.candidates[0]!.compound.id).sort().join(',');
  for (const m of mentions) {
    const last = groups.at(-1);
    if (last && CONNECTOR.test(s.slice(last.at(-1)!.end, m.start))) last.push(m);
    else if (last && key(last) === key([m])) continue; // the same compound named again: one reading
    else groups.push([m]);
  }
  return groups.map((g, i) => ({ start: i === 0 ? 0 : g[0]!.start, end: i + 1 < groups.length ? groups[i + 1]![0]!.start : s.length, mentions: g }));
}

function within<T extends { start: number }>(xs: T[], r: Region): T[] {
  return xs.filter((x) => x.start >= r.start && x.start < r.end);
}

/** A time of day (上午9点, 14:30) says nothing the 调度表 keeps. */
const TIME_OF_DAY = /(?<![\d.])\d{1,2}\s*(?:点|时)(?:\s*\d{1,2}\s*分?|半)?|(?<![\d.:])\d{1,2}:\d{2}(?![\d:])/g;

/**
 * Reads a takeover report. `today` is the message's date in the campaign's time zone; `places` are the names
 * of the district and the street (山亭区, 山城街道), which may stand before a compound's name.
 */
export function readTakeoverReport(text: string, compounds: MatchableCompound[], today: string, places: string[] = []): TakeoverReading {
  const s = prepareText(text).slice(0, MAX_READ_CHARS);
  const claims = new Claims(s);

  const phones = findPhones(s).filter((p) => claims.claim('phone', p.index, p.index + p.raw.length));
  // 1.福源公寓 2.鑫安物业: list numbers.
  for (const m of s.matchAll(/(?<=^|[\s,，;；。])[(（]?\d{1,2}[.、)）](?=\D|(?:19|20)\d{2}\s*年)/g)) claims.claim('filler', m.index, m.index + m[0].length);
  const found = findDates(s, today);
  // 9月20日（周日）: the weekday of a date just written is that date again.
  const echoes = found.filter((d, i) => {
    const prev = found[i - 1];
    return d.kind === 'weekday' && prev?.date && /^[\s(（,，]*$/.test(s.slice(prev.end, d.index)) && isoWeekday(prev.date) === d.weekday;
  });
  for (const d of echoes) claims.claim('filler', d.index, d.end);
  const dates: FoundDate[] = found.filter((d) => !echoes.includes(d) && claims.claim(d.kind === 'vague' ? 'vague-date' : 'date', d.index, d.end));
  for (const m of s.matchAll(TIME_OF_DAY)) claims.claim('filler', m.index, m.index + m[0].length);
  let mentions = findCompoundMentions(s, compounds).filter((m) => claims.isFree(m.start, m.end));

  // Natures before companies: 外聘鑫安物业, 社区兜底物业 are split at the nature word.
  const natures = findNatureSpans(claims);
  const companies = findCompanySpans(claims, mentions.filter(isSureMention));
  const keptCompanies: typeof companies = [];
  const leavingCompanies: typeof companies = [];
  const ownManagement: Array<{ start: number; name: string }> = [];
  for (const c of companies) {
    const inside = mentions.filter((m) => m.start >= c.start && m.end <= c.end);
    const outside = mentions.filter((m) => m.end <= c.start || m.start >= c.end);
    // 欧亚城物业 is a company when the compound is named elsewhere (欧亚城 欧亚城物业 外聘), unless the message
    // names its company too (关于福源公寓物业入驻情况…鑫安物业进驻福源公寓): then it is the compound's 物业.
    const ownId = inside[0]?.candidates[0]?.compound.id;
    const otherCompany = companies.some((x) => x !== c && !x.afterCompound);
    const isCompany = outside.some((m) => m.candidates[0]!.compound.id !== ownId) || (outside.length > 0 && !otherCompany);
    if (c.afterCompound && !isCompany) {
      // 欧亚城物业已入驻: the compound's own 物业, or a company named after it; the person says which.
      ownManagement.push({ start: c.start, name: c.name });
      continue;
    }
    mentions = mentions.filter((m) => !inside.includes(m));
    if (!claims.claim('company', c.start, c.end)) continue;
    // 鑫安物业已撤出: the company that left, not the one that manages the compound now.
    if (LEFT.test(s.slice(c.end, c.end + 8))) leavingCompanies.push(c);
    else keptCompanies.push(c);
  }
  mentions = mentions.filter((m) => claims.claim('compound', m.start, m.end));

  // 不是鑫安，是鑫泰物业: the old company, written without its suffix, is marked as the one being replaced.
  if (keptCompanies.length) {
    for (const m of s.matchAll(/(?:不是|并非|原来是|原为|之前是|以前是)\s*([\u4e00-\u9fff]{2,6}?)(?=[\s,，、]*(?:而是|是|改为|改成|应为|应该是))/g)) {
      const start = m.index + m[0].length - m[1]!.length;
      claims.claim('filler', start, start + m[1]!.length);
    }
  }

  // 物业是鑫安的: a company written without its suffix.
  const refs: Span[] = [];
  for (const m of s.matchAll(/物业(?:公司|企业)?\s*(?:(?:是|为)\s*([\u4e00-\u9fff]{2,6}?)(?:的|家)|[:：]\s*([\u4e00-\u9fff]{2,6})(?=$|[\s,，。;；]))/g)) {
    // 物业：鑫安 (a label and a bare name) reads the same.
    const name = m[1] ?? m[2]!;
    const start = m.index + m[0].indexOf(name, 2);
    if (claims.claim('company-ref', start, start + name.length)) refs.push({ kind: 'company-ref', start, end: start + name.length, text: name });
  }

  const managers = claimManagers(claims);
  const categories = claimCategories(claims);
  const services = claimServices(claims);
  claims.claimWords('community', [...distinct(compounds.map((c) => c.community)).filter((n) => n.endsWith('社区')), ...places.filter((p) => p.length >= 2)]);
  claims.claimWords('filler', LONG_FILLERS);
  // 王强 13905321234: a name standing next to the phone is the manager.
  for (const p of phones) {
    const n = claimNameNextTo(claims, { start: p.index, end: p.index + p.raw.length });
    if (n) managers.push(n);
  }
  claims.claimWords('glue', SHORT_FILLERS);

  const problems: string[] = [];
  const readings: CompoundReading[] = [];
  for (const region of regionsOf(s, mentions)) {
    const doubts: string[] = [];
    const regionText = s.slice(region.start, region.end);

    const regionCompanies = current(s, within(keptCompanies, region));
    const left = within(leavingCompanies, region);
    const companyNames = distinct(regionCompanies.map((c) => c.name));
    const respectively = region.mentions.length > 1 && companyNames.length === region.mentions.length && RESPECTIVELY.test(regionText);
    if (companyNames.length > 1 && !respectively) doubts.push(`消息中写了几个物业企业（${companyNames.join('、')}），请核对`);
    const own = within(ownManagement, region);
    if (own.length && !companyNames.length) doubts.push(`“${own[0]!.name}”是物业企业的名称吗？如是，请在下方填写企业名称`);

    const regionNatures = current(s, within(natures, region));
    const hired = regionNatures.some((n) => n.nature === '外聘');
    const self = regionNatures.some((n) => n.nature === '自主');
    // The most telling mode: 社区兜底 over a general 自主管理.
    const mode = regionNatures.filter((n) => n.mode).sort((a, b) => SELF_MODE_NAMES.indexOf(a.mode!) - SELF_MODE_NAMES.indexOf(b.mode!))[0]?.mode ?? null;
    const natureConflict = hired && self;
    let nature: Nature | null = natureConflict ? null : hired ? '外聘' : self ? '自主' : null;
    let natureInferred = false;
    const company = companyNames[0] ?? null;
    if (!nature && !natureConflict && company) {
      if (isSelfRunBody(company)) doubts.push(`“${company}”是街道或社区设立的机构，请确认管理性质是“自主”还是“外聘”`);
      else {
        nature = '外聘';
        natureInferred = true;
      }
    }
    if (natureConflict) doubts.push('消息中同时写了“自主”和“外聘”，请选择管理性质');
    if (left.length && !company && !nature) doubts.push(`消息说${left[0]!.name}已撤出：现在由谁管理？请填写新的物业企业，或选择自主管理`);

    const regionDates = within(dates.map((d) => ({ ...d, start: d.index })), region);
    const start = pickStartDate(current(s, regionDates), s, today);
    if (start.problem) problems.push(start.problem);
    else if (start.uncertain) {
      const written = regionDates.map((d) => d.raw);
      doubts.push(written.length > 1 ? `消息中有几个日期（${written.join('、')}），请核对入驻时间` : `入驻时间“${start.raw}”不够具体，请写明年月日`);
    }

    const regionPhones = within(phones.map((p) => ({ ...p, start: p.index })), region);
    const phoneValues = distinct(regionPhones.map((p) => p.phone));
    if (phoneValues.length > 1) doubts.push(`消息中有几个电话（${phoneValues.length}个），请核对联系电话`);

    const regionManagers = current(s, within(managers, region));
    const named = distinct(regionManagers.filter((m) => m.name).map((m) => m.name!));
    if (named.length > 1) doubts.push(`消息中写了几位负责人（${named.join('、')}），请核对`);
    const unnamed = regionManagers.filter((m) => !m.name);
    if (unnamed.length && !named.length) doubts.push(unnamed[0]!.unread ? `没有看懂负责人“${unnamed[0]!.unread}”，请核对姓名` : '写了“负责人”但没有看到姓名，请补充');

    const cats = distinct(within(categories, region).map((c) => c.category));
    if (cats.length > 1) doubts.push('消息中写了几个类别，请核对');

    const leftovers = claims.leftovers(region.start, region.end).map((l) => l.text);
    const base: Omit<CompoundReading, 'mention' | 'mentionText'> = {
      fields: {
        company,
        nature,
        startDate: start.date,
        services: orderServices(within(services, region).map((x) => x.service)),
        manager: named[0] ?? null,
        phone: phoneValues[0] ?? null,
        category: cats[0] ?? null,
        remarks: nature === '自主' && !company ? mode : null,
      },
      natureInferred,
      natureConflict,
      companyRef: !company && within(refs, region)[0] ? within(refs, region)[0]!.text : null,
      doubts,
      leftovers,
      correction: CORRECTION_WORDS.some((w) => regionText.includes(w)),
      fix: FIX_WORDS.test(regionText),
    };
    if (!region.mentions.length) readings.push({ ...base, mention: null, mentionText: null });
    region.mentions.forEach((mention, i) => {
      const fields = { ...base.fields, services: [...base.fields.services] };
      if (respectively) {
        fields.company = companyNames[i]!;
      }
      readings.push({ ...base, fields, doubts: [...doubts], leftovers: [...leftovers], mention, mentionText: s.slice(mention.start, mention.end) });
    });
  }
  return { readings, problems: distinct(problems) };
}

/** The message is longer than the reader looks at. */
export function isTooLongToRead(text: string): boolean {
  return prepareText(text).length > MAX_READ_CHARS;
}
