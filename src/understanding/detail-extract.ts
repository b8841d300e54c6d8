/** Services, the manager's name and the category, as staff write them in a takeover report. */
import { isPersonName, nameAtStart } from './person-names.ts';
import { FILLERS } from './fillers.ts';
import type { Claims } from './spans.ts';

const FILLER_SET = new Set(FILLERS);

/** The services of the 调度表, with the words people use for them (longest first within each). */
const SERVICE_WORDS: Array<[string, string[]]> = [
  ['保洁', ['卫生保洁', '打扫卫生', '卫生清扫', '保洁', '清洁', '清扫']],
  ['保安', ['安保', '保安', '门卫', '门岗']],
  ['护绿', ['绿化养护', '绿化管护', '养护绿化', '护绿', '绿化']],
  ['维护秩序', ['维护秩序', '秩序维护', '秩序管理', '维持秩序']],
  ['设施维护', ['设施设备维护', '设施设备维修', '设施维护', '设备维护', '设施维修', '维修养护', '维修']],
];
export const KNOWN_SERVICES = SERVICE_WORDS.map(([s]) => s);
const ORDER = new Map(KNOWN_SERVICES.map((s, i) => [s, i]));

function knownService(word: string): string | null {
  for (const [name, words] of SERVICE_WORDS) if (words.includes(word)) return name;
  return null;
}

/** The length of the match of a sticky pattern at position i (0 when it does not match there). */
function lengthAt(re: RegExp, s: string, i: number): number {
  re.lastIndex = i;
  const m = re.exec(s);
  return m ? m[0].length : 0;
}

/** In the order of the 调度表 columns, then free-text ones in the order written. */
export function orderServices(list: string[]): string[] {
  const uniq = [...new Set(list)];
  return [...uniq.filter((s) => ORDER.has(s)).sort((a, b) => ORDER.get(a)! - ORDER.get(b)!), ...uniq.filter((s) => !ORDER.has(s))];
}

export interface ServiceSpan {
  service: string;
  start: number;
  end: number;
}

const LIST_MARKER = /服务内容|服务项目|服务范围|提供|负责(?!人)|服务(?!中心|站|有限|公司|企业|单位|机构|集团|费|质量|时间|标准|电话)/g;
const ITEM_SEP = /[\s、,，/和及与+]+/y;

/** Services in the free parts of the text: the known words anywhere, free-text items after 服务内容 / 提供. */
export function claimServices(claims: Claims): ServiceSpan[] {
  const s = claims.text;
  const out: ServiceSpan[] = [];
  const words = SERVICE_WORDS.flatMap(([, w]) => w).sort((a, b) => b.length - a.length);
  for (const w of words) {
    for (let at = s.indexOf(w); at >= 0; at = s.indexOf(w, at + 1)) {
      if (claims.claim('service', at, at + w.length)) out.push({ service: knownService(w)!, start: at, end: at + w.length });
    }
  }
  for (const m of s.matchAll(LIST_MARKER)) {
    const markerEnd = m.index + m[0].length;
    if (!claims.isFree(m.index, markerEnd)) continue;
    let i = markerEnd + lengthAt(/[\s:：为是]*/y, s, markerEnd);
    const items: ServiceSpan[] = [];
    for (let n = 0; n < 12 && i < s.length; n++) {
      if (n > 0) i += lengthAt(ITEM_SEP, s, i);
      if (!claims.isFree(i, i + 1)) {
        if (claims.kindAt(i) === 'service') {
          while (i < s.length && claims.kindAt(i) === 'service') i++;
          continue;
        }
        break;
      }
      const runLength = lengthAt(/[\u4e00-\u9fff]{2,10}/y, s, i);
      if (!runLength) break;
      let item = s.slice(i, i + runLength);
      let end = i + item.length;
      // The run may stop at an understood span only: a free-text item ends at a separator or a known span.
      if (end < s.length && !claims.isBoundary(end)) break;
      const trail = /(?:服务|工作|等)+$/.exec(item);
      if (trail && item.length - trail[0].length >= 2) item = item.slice(0, item.length - trail[0].length);
      if (item.length > 8 || FILLER_SET.has(item) || /物业|负责|电话|联系|入驻|进驻|外聘|自主|兜底|小区|社区|企业|单位|公司|机构|费|时间|日期|人员|标准|质量/.test(item)) break;
      items.push({ service: knownService(item) ?? item, start: i, end });
      i = end;
    }
    for (const it of items) if (claims.claim('service', it.start, it.end)) out.push(it);
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Reads a services field typed into a card: known words and free text, separated by 、 , or spaces. */
export function parseServicesField(value: string): string[] {
  const out: string[] = [];
  for (const item of value.normalize('NFKC').split(/[、,，/\s和及与+]+/).map((x) => x.trim()).filter(Boolean)) {
    out.push(knownService(item) ?? SERVICE_WORDS.find(([, w]) => w.some((x) => item.includes(x)))?.[0] ?? item.slice(0, 20));
  }
  return orderServices(out);
}

/** Words that introduce the manager; the longer ones first. */
const MANAGER_MARKERS = ['物业负责人', '小区负责人', '现场负责人', '项目负责人', '负责人姓名', '联系人姓名', '负责人', '联系人', '项目经理', '物业经理', '管理员'];
/** Titles between a marker and the name, or before a name on their own (社区主任孙梅). */
const TITLES = ['社区党支部书记', '社区副主任', '社区副书记', '社区主任', '社区书记', '居委会主任', '物业经理', '项目经理', '副主任', '副书记', '网格员', '主任', '书记', '经理', '站长', '楼长', '队长', '组长', '主管', '工作人员'];
const MARKER_VERB = /[\s:：]*(?:是|为|由|叫做|叫|名叫|姓名是|改为|改成|换成了|换成|换为|变更为|更换为|更正为|调整为)?[\s:：]*/y;
/** Words that end a name run (王强电话…, 孙梅担任, 刘洋负责). */
const NAME_STOP = /电话|手机|联系|负责|担任|同志|先生|女士|兼任|的/;

export interface ManagerSpan {
  /** The name; null when a marker stands with no name after it. */
  name: string | null;
  /** What was written after the marker when it is not a name as far as the reader can tell. */
  unread: string | null;
  start: number;
  end: number;
}

/** A name right before position i, across spaces and an opening bracket (王强（项目经理）, 王强 负责人). */
function nameBefore(claims: Claims, i: number): ManagerSpan | null {
  const s = claims.text;
  let j = i;
  while (j > 0 && claims.isFree(j - 1, j) && /[\s(（]/.test(s[j - 1]!)) j--;
  let k = j;
  while (k > 0 && j - k < 4 && claims.isFree(k - 1, k) && /[\u4e00-\u9fff·]/.test(s[k - 1]!)) k--;
  const name = s.slice(k, j);
  if (!name || !claims.isBoundary(k - 1) || !isPersonName(name)) return null;
  claims.claim('manager', k, j);
  return { name, unread: null, start: k, end: j };
}

function titleAt(s: string, i: number): string | null {
  for (const t of TITLES) if (s.startsWith(t, i)) return t;
  return null;
}

function nameRun(claims: Claims, i: number): string {
  const s = claims.text;
  let j = i;
  while (j < s.length && j - i < 8 && claims.isFree(j, j + 1) && /[\u4e00-\u9fff·]/.test(s[j]!)) j++;
  const run = s.slice(i, j);
  const stop = NAME_STOP.exec(run);
  const cut = stop && stop.index >= 2 ? run.slice(0, stop.index) : run;
  // 王强和李四: two people; 李和平 is one name (the connector is its second character).
  const joined = /[和与及跟]/.exec(cut.slice(2));
  return joined ? cut.slice(0, 2 + joined.index) : cut;
}

/** The manager after 负责人 / 联系人 / 经理 (titles skipped: 负责人是社区主任孙梅 → 孙梅), or a titled surname (王经理). */
export function claimManagers(claims: Claims): ManagerSpan[] {
  const s = claims.text;
  const out: ManagerSpan[] = [];
  const markers = [...MANAGER_MARKERS].sort((a, b) => b.length - a.length);
  for (const marker of markers) {
    for (let at = s.indexOf(marker); at >= 0; at = s.indexOf(marker, at + 1)) {
      if (!claims.isFree(at, at + marker.length)) continue;
      let i = at + marker.length;
      i += lengthAt(MARKER_VERB, s, i);
      const title = titleAt(s, i);
      if (title) i += title.length;
      i += lengthAt(/[\s:：]*/y, s, i);
      const run = claims.isFree(i, i + 1) ? nameRun(claims, i) : '';
      const name = run ? nameAtStart(run) : null;
      claims.claim('marker', at, i);
      // 负责人电话13905321234: the manager's number, no name written; nothing to doubt.
      if (!name && /^(?:电话|手机|联系)/.test(s.slice(i, i + 4))) continue;
      // 王强（项目经理）: the name before the marker.
      const before = name ? null : nameBefore(claims, at);
      if (before) {
        out.push(before);
        continue;
      }
      if (name) {
        claims.claim('manager', i, i + name.length);
        out.push({ name, unread: null, start: at, end: i + name.length });
      } else {
        out.push({ name: null, unread: run || null, start: at, end: i });
      }
    }
  }
  // 社区主任孙梅, 网格员刘洋: a title followed by a name.
  for (const t of TITLES) {
    for (let at = s.indexOf(t); at >= 0; at = s.indexOf(t, at + 1)) {
      const i = at + t.length;
      if (!claims.isFree(at, i) || !claims.isFree(i, i + 1)) continue;
      const name = nameAtStart(nameRun(claims, i));
      if (!name) continue;
      claims.claim('marker', at, i);
      claims.claim('manager', i, i + name.length);
      out.push({ name, unread: null, start: at, end: i + name.length });
    }
  }
  // 王经理 13905321234, 李主任: a surname with a title, standing alone.
  for (let i = 0; i < s.length; i++) {
    if (!claims.isBoundary(i - 1) || !claims.isFree(i, i + 2)) continue;
    const name = nameAtStart(nameRun(claims, i));
    if (!name || isPlainName(name)) continue;
    const end = i + name.length;
    if (!claims.isBoundary(end)) continue;
    claims.claim('manager', i, end);
    out.push({ name, unread: null, start: i, end });
  }
  return out.sort((a, b) => a.start - b.start);
}

const isPlainName = (name: string) => !/(?:经理|主任|书记|师傅|站长|队长|组长|老师|科长|所长|部长|主管|会长|总)$/.test(name);

/**
 * A name standing next to a phone number with nothing else around it (王强 13905321234, 王强，13905321234):
 * the manager, unless a marker already named one.
 */
export function claimNameNextTo(claims: Claims, phone: { start: number; end: number }): ManagerSpan | null {
  const s = claims.text;
  // Separators and labels (电话, 手机 …) may stand between the name and the number.
  const skippable = (i: number) => (claims.isFree(i, i + 1) && /[\s,，:：/()]/.test(s[i]!)) || claims.kindAt(i) === 'filler';
  let j = phone.start;
  while (j > 0 && skippable(j - 1)) j--;
  let k = j;
  while (k > 0 && j - k < 4 && claims.isFree(k - 1, k) && /[\u4e00-\u9fff·]/.test(s[k - 1]!)) k--;
  const before = s.slice(k, j);
  if (before && claims.isBoundary(k - 1) && isPersonName(before)) {
    claims.claim('manager', k, j);
    return { name: before, unread: null, start: k, end: j };
  }
  // After the number only separators: a label there starts the next field (13905321234，服务内容包括保洁).
  let a = phone.end;
  while (a < s.length && claims.isFree(a, a + 1) && /[\s,，:：/()]/.test(s[a]!)) a++;
  let b = a;
  while (b < s.length && b - a < 4 && claims.isFree(b, b + 1) && /[\u4e00-\u9fff·]/.test(s[b]!)) b++;
  const after = s.slice(a, b);
  if (after && claims.isBoundary(b) && isPersonName(after)) {
    claims.claim('manager', a, b);
    return { name: after, unread: null, start: a, end: b };
  }
  return null;
}

const CATEGORY = /(?:类别|分类|类型)[\s:：]*(?:为|是|改为|改成|定为|调整为)?[\s:：]*(?:第)?([1-3一二三])\s*类?(?:小区)?|(?<![\d一二三])(?:第)?([1-3一二三])\s*类(?:小区)?(?!别|型)/g;
const CATEGORY_WORD: Record<string, 1 | 2 | 3> = { '1': 1, '2': 2, '3': 3, 一: 1, 二: 2, 三: 3 };

export interface CategorySpan {
  category: 1 | 2 | 3;
  start: number;
  end: number;
}

/** 一类 / 二类小区 / 3类 / 类别：2 / 类别改为一类 in the free parts of the text. */
export function claimCategories(claims: Claims): CategorySpan[] {
  const out: CategorySpan[] = [];
  for (const m of claims.text.matchAll(CATEGORY)) {
    if (claims.claim('category', m.index, m.index + m[0].length)) out.push({ category: CATEGORY_WORD[(m[1] ?? m[2])!]!, start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/** 一类 / 二类 / 3类 / 类别2 → the category, or null. */
export function extractCategory(text: string): 1 | 2 | 3 | null {
  CATEGORY.lastIndex = 0;
  const m = new RegExp(CATEGORY.source).exec(text.normalize('NFKC'));
  if (!m) return null;
  return CATEGORY_WORD[(m[1] ?? m[2])!] ?? null;
}

/** A category given as a word: 1, 2, 3, 一类, 二类, 3类. */
export function parseCategoryWord(word: string): 1 | 2 | 3 | null {
  const m = /^(?:第)?([1-3一二三])(?:类)?$/.exec(word.normalize('NFKC').trim());
  return m ? CATEGORY_WORD[m[1]!]! : null;
}
