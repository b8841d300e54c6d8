/**
 * The property company named in a message (…物业, …物管, …物业公司, …物业服务有限公司, …物业服务中心,
 * 枣庄龙珠物业管理有限公司) and the nature of the management (外聘, or 自主 and how: 社区兜底, 业委会自管 …).
 *
 * A company's name runs left from its suffix to the nearest boundary (punctuation, a space, a span already
 * understood), then loses the verbs and fillers people put in front (了, 是, 都是, 换了, 由, 新物业是, 那个).
 */
import type { Claims } from './spans.ts';

export type Nature = '自主' | '外聘';

const SUFFIX = /(?:物业|物管)(?:(?:服务|管理)?(?:集团)?(?:股份)?(?:有限责任公司|有限公司|公司|中心|服务站|管理处)|集团)?(?:\([\u4e00-\u9fff]{1,8}\)(?:有限责任公司|有限公司|公司))?(?:[\u4e00-\u9fff]{2,6}?分公司)?/y;

/**
 * Words written in front of a company's name that are not part of it (入驻了金盾物业, 开始由鑫安物业, 新物业是康馨物业).
 * The head is cut after the last of them that still leaves a name of two characters or more. One-character
 * words are only the function words: 新华联物业 and 都市花园物业 keep their first character.
 */
const LEAD_WORDS = [
  '新物业是', '新物业为', '物业企业为', '物业企业是', '物业公司为', '物业公司是', '物业名称', '企业名称', '公司名称', '物业企业', '物业公司',
  '这边', '那边', '这里', '我们', '咱们', '已经', '现已', '目前', '暂由', '均由', '都由', '都是', '均为', '均是', '也是', '那个', '这个', '那家', '这家', '原来', '现在', '换了', '换成', '换为',
  '改为', '改成', '变更为', '更换为', '更正为', '聘请了', '聘请', '外聘了', '外聘的', '外聘', '选聘', '聘用', '委托给', '委托', '引进了', '引进', '引入',
  '入驻了', '入驻', '进驻了', '进驻', '接管了', '接管', '落实了', '落实', '定了', '确定', '托管给', '交给', '找了', '请了', '签了', '市场化', '成立了', '成立',
  '分别由', '分别', '开始', '正式', '起由', '起', '现由', '改由', '名称', '企业', '公司', '单位', '物业', '性质', '为', '由', '是', '系', '了', '的', '给', '被',
  '请', '找', '让', '叫', '把', '跟', '同', '与', '向', '将', '号楼', '单元', '栋', '签约了', '签约', '签订了', '签订', '承接', '新进驻', '新',
  // 已和宏远物业签订合同: 和 alone stays part of a name (和谐家园物业), after 已 it is a connector.
  '已和', '已经和', '已与', '已经与', '已跟', '已同', '选定了', '选定', '定的是', '请的是', '选的是', '找的是',
];

const LEAD_BY_FIRST = new Map<string, string[]>();
for (const w of LEAD_WORDS) LEAD_BY_FIRST.set(w[0]!, [...(LEAD_BY_FIRST.get(w[0]!) ?? []), w]);

function cutLead(head: string): string {
  let cut = 0;
  for (let i = 0; i < head.length - 2; i++) {
    for (const w of LEAD_BY_FIRST.get(head[i]!) ?? []) {
      if (head.startsWith(w, i) && head.length - (i + w.length) >= 2) cut = Math.max(cut, i + w.length);
    }
  }
  return head.slice(cut);
}

/** A "company" whose name is one of these is not a company (无物业, 社区兜底物业, 小区物业). */
const NOT_A_NAME = /^(?:这边|那边|这里|那里|这儿|那儿|我们|咱们|你们|他们|大家|现在的|目前的|原来的|以前的|之前的|无|没有|暂无|尚无|未有|社区|兜底|社区兜底|自管|业委会|业委会自管|自主|自主管理|本|该|此|原|新|小区|本小区|无专业|专业|正规|街道|一家|这家|那家|哪家|其他|别的|好的|外来|前期|临时)$/;
/** A head that is a verb phrase: 已实现物业管理, 没有物业, 找了物业 are not companies. */
const VERB_HEAD = /^(?:已经|已|现已|还|也)?(?:实现|落实|引进|引入|聘请|选聘|入驻|进驻|接管|成立|没有|没|无|有|找|请|签|换|改|要|需要|联系|通知|告诉|让|叫)/;
/** A head that is a clause about people (业主在群里骂物业, 居民都说物业): not a company. */
const CLAUSE_HEAD = /业主|居民|住户|群众|大家|在群里|群里|骂|说|嫌|投诉|反映|找/;
/** Characters that cannot be part of a company name's head (they are sentence words). */
const NAME_CHAR = /[\u4e00-\u9fffA-Za-z]/;
const SENTENCE_CUT = /[的了是吗呢吧啊]/;

export interface CompanySpan {
  name: string;
  start: number;
  end: number;
  /** The name is a compound's name plus 物业 (欧亚城物业): it may be the compound's own management. */
  afterCompound: boolean;
}

/**
 * Company spans in the free parts of the text. The scan stops at the end of a compound's name that is sure
 * (福源公寓鑫安物业 → 鑫安物业); a name ending right before the suffix gives "欧亚城物业", marked `afterCompound`
 * for the caller to decide whether it is a company or the compound's own management.
 */
export function findCompanySpans(claims: Claims, sureMentions: Array<{ start: number; end: number }>): CompanySpan[] {
  const s = claims.text;
  const byEnd = new Map(sureMentions.map((m) => [m.end, m]));
  const mentionEnding = (i: number) => byEnd.get(i) ?? null;
  const out: CompanySpan[] = [];
  const suffixStart = /物业|物管/g;
  for (let found = suffixStart.exec(s); found; found = suffixStart.exec(s)) {
    const p = found.index;
    SUFFIX.lastIndex = p;
    const m = SUFFIX.exec(s);
    const suffixEnd = m ? p + m[0].length : p + 2;
    let start = p;
    while (start > 0 && p - start < 16 && !mentionEnding(start) && claims.isFree(start - 1, start) && NAME_CHAR.test(s[start - 1]!) && !SENTENCE_CUT.test(s[start - 1]!)) start--;
    let head = s.slice(start, p);
    const stripped = cutLead(head);
    start += head.length - stripped.length;
    head = stripped;
    const compound = head.length === 0 ? mentionEnding(p) : null;
    if (m && claims.isFree(p, suffixEnd)) {
      if (compound) {
        out.push({ name: s.slice(compound.start, suffixEnd), start: compound.start, end: suffixEnd, afterCompound: true });
      } else if (head.length >= 2 && !NOT_A_NAME.test(head) && !VERB_HEAD.test(head) && !CLAUSE_HEAD.test(head) && !LEAD_WORDS.includes(head) && !/^\d+$/.test(head)) {
        out.push({ name: s.slice(start, suffixEnd), start, end: suffixEnd, afterCompound: false });
      }
    }
    suffixStart.lastIndex = Math.max(suffixEnd, p + 2);
  }
  return out;
}

/** How a self-run compound is run, as the 调度表's 备注 says it; each with the words people use for it. */
const SELF_MODES: Array<[string, RegExp]> = [
  ['业委会自管', /业委会(?:自主管理|自管|管理)?|业主委员会(?:自主管理|自管|管理)?/g],
  ['业主自管', /业主(?:们)?(?:自管|自治|自主管理|自行管理|自己管理|自己管)/g],
  ['社区兜底', /社区兜底(?:管理)?|(?<!街道)兜底(?:管理)?/g],
  ['街道兜底', /街道兜底(?:管理)?/g],
  ['社区代管', /(?:社区|居委会)代管/g],
  ['单位自管', /(?:原|产权)?单位(?:自管|自主管理|管理)/g],
  ['居民自治', /(?:居民)?自治|居民(?:们)?(?:自管|自行管理|自己管理|自己管)/g],
  ['自主管理', /自主管理|自行管理|自己管理|自己管|自管/g],
];
const SELF_PLAIN = /自主/g;

/** The modes a 备注 may hold because the reader wrote it there (replaced when the nature changes). */
export const SELF_MODE_NAMES: readonly string[] = [...SELF_MODES.map(([m]) => m)];
const HIRED = /外聘|聘请|选聘|聘用|委托|市场化/g;

export interface NatureSpan {
  nature: Nature;
  /** 社区兜底, 业委会自管 …; null for a bare 自主 or 外聘. */
  mode: string | null;
  start: number;
  end: number;
}

/** Nature words in the free parts of the text, each with the mode it names. */
export function findNatureSpans(claims: Claims): NatureSpan[] {
  const s = claims.text;
  const out: NatureSpan[] = [];
  const take = (re: RegExp, nature: Nature, mode: string | null) => {
    for (const m of s.matchAll(re)) {
      if (claims.claim('nature', m.index, m.index + m[0].length)) out.push({ nature, mode, start: m.index, end: m.index + m[0].length });
    }
  };
  take(/街道兜底(?:管理)?/g, '自主', '街道兜底');
  for (const [mode, re] of SELF_MODES) if (mode !== '街道兜底') take(re, '自主', mode);
  take(SELF_PLAIN, '自主', null);
  take(HIRED, '外聘', null);
  return out.sort((a, b) => a.start - b.start);
}

/** Reads 自主/外聘 from a form field or a word. */
export function parseNatureWord(value: string): Nature | null {
  const v = value.trim();
  if (/^(?:外聘|聘请|选聘|聘用|委托)$/.test(v)) return '外聘';
  if (/^(?:自主|自管|兜底|社区兜底|业委会|业委会自管|自主管理|居民自治|自治)$/.test(v)) return '自主';
  if (/外聘|聘请|选聘/.test(v)) return '外聘';
  if (/自主|自管|兜底|业委会|自治/.test(v)) return '自主';
  return null;
}

/** A company run by the street or the community itself (山城街道物业服务中心): its nature is not obviously 外聘. */
export function isSelfRunBody(company: string): boolean {
  return /街道|社区|居委会|业委会|办事处/.test(company);
}
