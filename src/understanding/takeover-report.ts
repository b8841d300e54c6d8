/**
 * Reads a takeover report as staff write it (福源公寓已入驻，鑫安物业，外聘，9月20日进驻，负责人王强 13905321234)
 * into the compound candidates and the fields it states. Pure: no database, no clock.
 */
import { type MatchCandidate, type MatchableCompound, findCompoundCandidates } from './compound-matcher.ts';
import { extractCompany, extractNature, type Nature } from './company-extract.ts';
import { extractStartDate, findDates, withoutDates } from './date-extract.ts';
import { extractCategory, extractManager, extractServices } from './detail-extract.ts';
import { findPhones, withoutPhones } from './phone-extract.ts';

export interface TakeoverFields {
  company: string | null;
  nature: Nature | null;
  startDate: string | null;
  services: string[];
  manager: string | null;
  phone: string | null;
  category: 1 | 2 | 3 | null;
}

export interface TakeoverReading {
  candidates: MatchCandidate[];
  fields: TakeoverFields;
  /** The nature was not written but inferred from the company's name. */
  natureInferred: boolean;
  /** Both 自主 and 外聘 were written: the person must choose. */
  natureConflict: boolean;
  /** Things that stop the report from being recorded at all (a date in the future, a day that does not exist). */
  problems: string[];
}

/** Words that only a grievance uses: a message with one of them is never taken for a takeover report. */
const GRIEVANCE = /投诉|诉求|纠纷|举报|反映|坏了|损坏|故障|不作为|扰民|噪音|噪声|漏水|渗水|堵塞|乱搭|违建|违章|油烟|老鼠|蟑螂|蚊蝇|停水|停电|停气|矛盾|不满|太差|拖欠|打架|吵/;
/** Topics of grievances that weak takeover signals (物业, 负责人) do not outweigh. */
const GRIEVANCE_TOPIC = /电梯|垃圾|消防|停车|收费|物业费|维修|安全隐患|卫生差|治安|绿化带|占用/;
const STRONG = /入驻|进驻|接管|兜底|自管|外聘|聘请|选聘|业委会|自主管理|物业服务有限公司|物业公司|物业服务中心/;
const WEAK = /物业|负责人|联系人|经理/;

/** Whether a text reads like a takeover report rather than a grievance or a question. */
export function looksLikeTakeoverReport(text: string): boolean {
  const s = text.normalize('NFKC');
  if (GRIEVANCE.test(s)) return false;
  if (STRONG.test(s)) return true;
  const weak = WEAK.test(s) || findPhones(s).length > 0 || findDates(withoutPhones(s), '2000-01-01').length > 0;
  return weak && !GRIEVANCE_TOPIC.test(s);
}

function withoutCompoundNames(text: string, candidates: MatchCandidate[]): string {
  let out = text;
  const names = candidates.flatMap((c) => [c.compound.name, ...c.compound.aliases, c.matched]).map((n) => n.normalize('NFKC'));
  for (const n of names.sort((a, b) => b.length - a.length)) if (n) out = out.split(n).join(' ');
  return out.replace(/[a-zA-Z]{3,}/g, ' ');
}

/** Reads a takeover report. `today` is the message's date in the campaign's time zone. */
export function readTakeoverReport(text: string, compounds: MatchableCompound[], today: string): TakeoverReading {
  const s = text.normalize('NFKC');
  const candidates = findCompoundCandidates(s, compounds);
  const problems: string[] = [];
  const phones = findPhones(s);
  const noPhones = withoutPhones(s);
  const start = extractStartDate(noPhones, today);
  if (start.problem) problems.push(start.problem);
  const plain = withoutDates(withoutCompoundNames(noPhones, candidates), today);
  const company = extractCompany(plain);
  const nature = extractNature(plain, company?.company ?? null);
  return {
    candidates,
    fields: {
      company: company?.company ?? null,
      nature: nature.nature,
      startDate: start.date,
      services: extractServices(plain),
      manager: extractManager(plain),
      phone: phones[0]?.phone ?? null,
      category: extractCategory(plain),
    },
    natureInferred: nature.inferred,
    natureConflict: nature.conflicting,
    problems,
  };
}
