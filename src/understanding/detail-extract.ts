/** Services, the manager's name and the category, as staff write them in a takeover report. */

/** The services of the 调度表, with the words people use for them. */
const SERVICE_WORDS: Array<[string, RegExp]> = [
  ['保洁', /保洁|清洁|卫生清扫/],
  ['保安', /保安|安保|门卫/],
  ['护绿', /护绿|绿化/],
  ['维护秩序', /维护秩序|秩序维护|秩序管理/],
  ['设施维护', /设施维护|设施设备维护|设备维护|设施维修|维修养护/],
];
export const KNOWN_SERVICES = SERVICE_WORDS.map(([s]) => s);

/** 服务内容：保洁、保安、垃圾清运 — the list after a marker may add free-text services. */
const SERVICE_LIST = /(?:服务内容|服务项目|服务范围|提供|负责(?!人))[:：为是\s]*([^。;；\n]+)/;

function splitItems(list: string): string[] {
  return list
    .split(/[、,，/\s和及与+]+/)
    .map((x) => x.trim())
    .filter(Boolean);
}

const NOT_A_SERVICE = /负责人|联系人|经理|电话|手机|\d|物业|入驻|进驻|外聘|自主|自管|兜底/;

/** Services in the order of the 调度表 columns, then free-text ones in the order written. */
export function extractServices(text: string): string[] {
  const s = text.normalize('NFKC');
  const found = new Set<string>();
  for (const [name, re] of SERVICE_WORDS) if (re.test(s)) found.add(name);
  const list = SERVICE_LIST.exec(s);
  if (list) {
    for (const item of splitItems(list[1]!)) {
      if (SERVICE_WORDS.some(([, re]) => re.test(item))) continue;
      if (NOT_A_SERVICE.test(item) || item.length > 12) break;
      found.add(item);
    }
  }
  return [...found];
}

/** Reads a services field typed into a card: known words and free text, separated by 、 , or spaces. */
export function parseServicesField(value: string): string[] {
  const out = new Set<string>();
  for (const item of splitItems(value.normalize('NFKC'))) {
    const known = SERVICE_WORDS.find(([, re]) => re.test(item));
    out.add(known ? known[0] : item.slice(0, 20));
  }
  return [...out];
}

const MANAGER = /(?:负责人|联系人|项目经理|物业经理|经理)(?:姓名)?[:：\s]*(?:是|为|改为|改成|换成|变更为)?\s*([\u4e00-\u9fff·]{2,4}?)(?=[\s,，。;；、:：()（）\d]|电话|手机|联系|$)/;
/** 王经理 13905321234 */
const TITLED = /(?:^|[\s,，。;；、:：])([\u4e00-\u9fff](?:经理|主任|师傅))(?=[\s,，。;；、:：\d]|电话|手机|$)/;
const NOT_A_NAME = /^(?:电话|手机|联系|暂无|未定|待定|没有|不详)/;

/** The manager's name after 负责人 / 联系人 / 经理, or a titled surname such as 王经理. */
export function extractManager(text: string): string | null {
  const s = text.normalize('NFKC');
  const m = MANAGER.exec(s);
  if (m && !NOT_A_NAME.test(m[1]!)) return m[1]!;
  const t = TITLED.exec(s);
  return t ? t[1]! : null;
}

const CATEGORY = /(?:类别|分类|类型)[:：为是\s]*([1-3一二三])\s*类?|(?<!\d)([1-3一二三])\s*类(?!别|型)/;
const CATEGORY_WORD: Record<string, 1 | 2 | 3> = { '1': 1, '2': 2, '3': 3, 一: 1, 二: 2, 三: 3 };

/** 一类 / 二类 / 3类 / 类别2 → the category, or null. */
export function extractCategory(text: string): 1 | 2 | 3 | null {
  const m = CATEGORY.exec(text.normalize('NFKC'));
  if (!m) return null;
  return CATEGORY_WORD[(m[1] ?? m[2])!] ?? null;
}

/** A category given as a word: 1, 2, 3, 一类, 二类, 3类. */
export function parseCategoryWord(word: string): 1 | 2 | 3 | null {
  const m = /^(?:第)?([1-3一二三])(?:类)?$/.exec(word.normalize('NFKC').trim());
  return m ? CATEGORY_WORD[m[1]!]! : null;
}
