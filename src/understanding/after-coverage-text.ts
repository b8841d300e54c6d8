/**
 * Reads 公示 and 业委会 states, from command words (lenient: `已成立`, `成立`, `备案`) and from free text (strict:
 * `福源公寓业委会已成立`, `福源公寓收费标准已公示`). Free text is claimed only when it states exactly one thing
 * and reads like nothing else (a takeover, a grievance, a question). Pure.
 */
import { findPhones } from './phone-extract.ts';

export type CommitteeState = '未成立' | '筹备中' | '已成立' | '已备案';
export type DisclosureState = '已公示' | '未公示';
export interface DisclosureItemWords {
  name: string;
  aliases: string[];
}

/** One word of a command. */
const COMMITTEE_WORD: Array<[RegExp, CommitteeState]> = [
  [/^(?:未成立|没成立|没有成立|尚未成立|还没成立|暂未成立|无|没有)$/, '未成立'],
  [/^(?:筹备中?|正在筹备|筹建中?|正在筹建|准备中|筹备阶段)$/, '筹备中'],
  [/^(?:已?成立了?|已经成立|选举产生|已选举)$/, '已成立'],
  [/^(?:已?备案了?|已经备案|备案完成|完成备案)$/, '已备案'],
];
const DISCLOSURE_WORD: Array<[RegExp, DisclosureState]> = [
  [/^(?:已?公示了?|已经公示|已张贴|已上墙|已张榜|完成公示|公示完成)$/, '已公示'],
  [/^(?:未公示|没公示|没有公示|尚未公示|还没公示|暂未公示|撤下|已撤下)$/, '未公示'],
];

export function committeeWord(word: string): CommitteeState | null {
  const w = word.normalize('NFKC').trim();
  return COMMITTEE_WORD.find(([re]) => re.test(w))?.[1] ?? null;
}

export function disclosureWord(word: string): DisclosureState | null {
  const w = word.normalize('NFKC').trim();
  return DISCLOSURE_WORD.find(([re]) => re.test(w))?.[1] ?? null;
}

/** In running text: only explicit wording counts (a bare 成立 may be 筹备成立). */
const COMMITTEE_TEXT: Array<[RegExp, CommitteeState]> = [
  [/未成立|没有成立|没成立|尚未成立|还没成立|还没有成立|还未成立|暂未成立|未组建|没有业委会|无业委会/, '未成立'],
  [/筹备中|正在筹备|开始筹备|启动筹备|筹备阶段|筹建中|正在筹建|开始筹建|筹备组已成立/, '筹备中'],
  [/(?:已经?|正式|顺利|完成|宣告)\s*成立|成立了|\d+\s*[日号]\s*(?:正式)?成立|选举产生|(?:已经?|顺利)(?:完成)?选举/, '已成立'],
  [/已经?备案|完成备案|备案完成|办理了?备案|备案了|已登记备案/, '已备案'],
];
const DISCLOSURE_TEXT: Array<[RegExp, DisclosureState]> = [
  [/未公示|没有公示|没公示|尚未公示|还没公示|还没有公示|还未公示|暂未公示|未进行公示/, '未公示'],
  [/(?:已经?|完成|张贴|张榜|上墙|进行了?|全部|均已|都已)\s*公示|公示了|公示完成|已(?:张贴|上墙)/, '已公示'],
];

const TAKEOVER = /入驻|进驻|接管|兜底|自管|外聘|聘请|选聘|物业公司|物业服务有限|物业服务中心|物业管理有限|负责人|联系人|经理/;
/** Words of a grievance (投诉 is left out: 投诉渠道 is a 公示 item). */
const GRIEVANCE = /坏了|损坏|故障|漏水|渗水|停水|停电|老鼠|蟑螂|噪音|噪声|扰民|乱搭|违建|乱收|纠纷|矛盾|不满|太差|太贵|太高|拖欠|举报|反映|没人管/;
const QUESTION = /[?？]|吗|是否|有没有|什么时候|怎么|如何|哪些|多少/;
const ALL_ITEMS = /全部|所有|各项|四项|均已|都已/;

function statesIn<S>(text: string, table: Array<[RegExp, S]>): S[] {
  const found = table.filter(([re]) => re.test(text)).map(([, s]) => s);
  return [...new Set(found)];
}

function plain(text: string): string {
  return text.normalize('NFKC');
}

/** Free text that reads like something other than a plain statement of state. */
function otherwiseMeant(s: string): boolean {
  return TAKEOVER.test(s) || GRIEVANCE.test(s) || QUESTION.test(s) || findPhones(s).length > 0;
}

/** The committee state a text states, or null when it states none, or more than one, or means something else. */
export function readCommitteeText(text: string): CommitteeState | null {
  const s = plain(text);
  if (!/业委会|业主委员会/.test(s) || /公示/.test(s) || otherwiseMeant(s)) return null;
  let states = statesIn(s, COMMITTEE_TEXT);
  // 已成立并完成备案: the later state holds.
  if (states.length === 2 && states.includes('已成立') && states.includes('已备案')) states = ['已备案'];
  // 筹备组已成立 is still 筹备中.
  if (states.length === 2 && states.includes('筹备中') && states.includes('已成立') && /筹备组已成立/.test(s)) states = ['筹备中'];
  return states.length === 1 ? states[0]! : null;
}

/** The items a text names (in the standard's order), every item for 全部, or none. */
export function disclosureItemsIn(text: string, items: readonly DisclosureItemWords[]): string[] {
  const s = plain(text);
  if (ALL_ITEMS.test(s)) return items.map((i) => i.name);
  const words = items.flatMap((i) => [i.name, ...i.aliases].map((w) => ({ w, item: i.name }))).sort((a, b) => b.w.length - a.w.length);
  let rest = s;
  const found = new Set<string>();
  for (const { w, item } of words) {
    if (rest.includes(w)) {
      found.add(item);
      rest = rest.split(w).join(' ');
    }
  }
  return items.map((i) => i.name).filter((n) => found.has(n));
}

/** The 公示 state a text states plainly (one state, nothing else meant), or null. */
export function readDisclosureState(text: string): DisclosureState | null {
  const s = plain(text);
  if (!/公示/.test(s) || /业委会|业主委员会/.test(s) || otherwiseMeant(s)) return null;
  const states = statesIn(s, DISCLOSURE_TEXT);
  return states.length === 1 ? states[0]! : null;
}

/** What a 公示 text states: the items and the state, or null unless both are certain. */
export function readDisclosureText(text: string, items: readonly DisclosureItemWords[]): { items: string[]; state: DisclosureState } | null {
  const state = readDisclosureState(text);
  if (!state) return null;
  const named = disclosureItemsIn(plain(text), items);
  return named.length ? { items: named, state } : null;
}

/** Cuts the item words out of a text (so that what is left names the compound). */
export function withoutItemWords(text: string, items: readonly DisclosureItemWords[]): string {
  let out = plain(text);
  const words = items.flatMap((i) => [i.name, ...i.aliases]).sort((a, b) => b.length - a.length);
  for (const w of words) out = out.split(w).join(' ');
  return out.replace(ALL_ITEMS, ' ');
}
