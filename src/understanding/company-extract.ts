/**
 * The property company named in a message (…物业, …物业公司, …物业服务有限公司, …物业服务中心) and the
 * nature of the management (外聘 or 自主).
 */

export type Nature = '自主' | '外聘';

const COMPANY_SUFFIX = '(?:物业服务有限责任公司|物业管理有限责任公司|物业服务有限公司|物业管理有限公司|物业服务中心|物业管理中心|物业管理处|物业有限公司|物业公司|物业)';
const COMPANY = new RegExp(`([\\u4e00-\\u9fffA-Za-z0-9()（）]+?${COMPANY_SUFFIX})`, 'g');

/** Words that may precede a company's name in a clause but are not part of it. */
const LEAD = /^(?:已经|已|现|目前|由|是|为|系|请|聘请|外聘|选聘|聘用|委托|引进|引入|入驻|进驻|接管|物业企业|物业公司|物业|企业名称|公司名称|物业名称|名称|企业|公司|单位|改为|改成|变更为|更换为|换成|为)+/;

/** A "company" whose name is one of these is not a company (无物业, 社区兜底物业, 业委会自管物业). */
const NOT_A_NAME = /^(?:无|没有|暂无|尚无|未有|社区|兜底|社区兜底|自管|业委会|业委会自管|自主|自主管理|本|该|此|原|新|小区|无专业)$/;

export interface FoundCompany {
  company: string;
  raw: string;
}

/** The first span that names a property company, or null. */
export function extractCompany(text: string): FoundCompany | null {
  const clauses = text.normalize('NFKC').split(/[\s,，。;；、!！?？:：]+/);
  for (const clause of clauses) {
    for (const m of clause.matchAll(COMPANY)) {
      let name = m[1]!.replace(LEAD, '');
      // Management words glued on the front: 社区兜底由鑫安物业 → 鑫安物业.
      const inner = /(?:兜底|自管|外聘|聘请|选聘|委托|入驻|进驻|接管|已由|由)(.+)$/.exec(name);
      if (inner && inner[1]!.length > 2) name = inner[1]!.replace(LEAD, '');
      const suffix = new RegExp(`${COMPANY_SUFFIX}$`).exec(name)?.[0] ?? '';
      const head = name.slice(0, name.length - suffix.length);
      if (head.length < 2 || NOT_A_NAME.test(head)) continue;
      // 物业管理 / 物业费 in running text are not companies: the suffix must end the name.
      const after = clause.slice((m.index ?? 0) + m[0].length);
      if (suffix === '物业' && /^(?:管理|费|服务(?!中心)|用房)/.test(after)) continue;
      return { company: name, raw: m[0] };
    }
  }
  return null;
}

const HIRED = /外聘|聘请|选聘|聘用|委托/;
const SELF = /自主|自管|兜底|业委会|自治|社区代管|居委会代管/;

export interface NatureReading {
  nature: Nature | null;
  /** Both kinds of words were written: the person must say which. */
  conflicting: boolean;
  /** The nature was inferred from a named company rather than stated. */
  inferred: boolean;
}

/** 外聘/聘请/选聘 → 外聘; 自主/自管/兜底/业委会 → 自主; unstated with a named company → 外聘. */
export function extractNature(text: string, company: string | null): NatureReading {
  const s = text.normalize('NFKC');
  // The company's own name may contain a word like 自主 (xx自主物业): read the rest of the text.
  const rest = company ? s.split(company).join(' ') : s;
  const hired = HIRED.test(rest);
  const self = SELF.test(rest);
  if (hired && self) return { nature: null, conflicting: true, inferred: false };
  if (hired) return { nature: '外聘', conflicting: false, inferred: false };
  if (self) return { nature: '自主', conflicting: false, inferred: false };
  if (company) return { nature: '外聘', conflicting: false, inferred: true };
  return { nature: null, conflicting: false, inferred: false };
}

/** Reads 自主/外聘 from a form field or a word. */
export function parseNatureWord(value: string): Nature | null {
  const v = value.trim();
  if (v === '自主' || SELF.test(v)) return '自主';
  if (v === '外聘' || HIRED.test(v)) return '外聘';
  return null;
}
