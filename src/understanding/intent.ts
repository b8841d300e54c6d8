/**
 * What an addressed message without a command word is: a takeover report, a grievance, an 攻坚 update, a
 * category, a question, a "not yet", chatter — or two readings that compete (a report that also complains),
 * which the person settles with a button. Pure and linear: a few regular expressions over at most
 * MAX_READ_CHARS characters.
 */
import { INQUIRY, PLACE, problemScore } from './grievance-words.ts';
import { MAX_READ_CHARS, prepareText } from './text-fold.ts';

export type IntentKind =
  | 'takeover' | 'grievance' | 'maybe-grievance' | 'action' | 'category' | 'question' | 'not-yet' | 'chatter' | 'competing' | 'too-long' | 'none';

export interface Intent {
  kind: IntentKind;
}

export { problemScore };

/** What a takeover report is made of: an event or a nature weighs 2, a company's name or a field 1. */
const EVENT = /入驻|进驻|进场|接管|接手|落实物业|换了物业|新物业|已落实/g;
const NATURE = /兜底|自管|自己管|自行管理|外聘|聘请|选聘|业委会自|自主管理|居民自治|单位自管|社区代管|自主/g;
const COMPANY_SUFFIX = /物业公司|物业有限|物业服务有限|物业管理有限|物业服务中心|物管|物业集团/;
/** A company's name ending a clause (鑫安物业，…), not 物业 in running text (福源公寓物业收费太高). */
const COMPANYISH = /[\u4e00-\u9fff]{2,8}物业(?=$|[\s,，。;；、:：()（）]|外聘|自主|入驻|进驻|于|已|\d)/;
const FIELDS = [
  /负责人|联系人|项目经理|物业经理|经理[\s:：]*[\u4e00-\u9fff]{2,3}|[\u4e00-\u9fff]经理/, /服务内容|保洁|保安|护绿/,
  /(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d[\s.-]?\d{4}[\s.-]?\d{4}(?!\d)|0\d{2,3}[-\s]\d{7,8}/,
  /\d{1,2}\s*月\s*\d{1,2}|[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}|(?:19|20)\d{2}\s*[-/.年]|(?<![\d.])\d{1,2}\.\d{1,2}(?![\d.])/,
];
const NOT_A_COMPANY_HEAD = /(?:小区|社区|的|找|了|那个|这个|没有|无|有|引进|引入|实现|落实|聘请|选聘|换|新)物业/g;
const CORRECTION = /更正|改为|改成|补充/;

/** How much of a takeover report a text carries: words (an event, a nature) and fields (a company, a date …). */
function takeoverScore(s: string): { score: number; fields: number } {
  const reportish = s.replace(NOT_A_COMPANY_HEAD, ' ');
  const events = (s.match(EVENT) ?? []).length ? 2 : 0;
  const nature = (s.match(NATURE) ?? []).length ? 2 : 0;
  const company = COMPANY_SUFFIX.test(s) || COMPANYISH.test(reportish) ? 1 : 0;
  // 更正 / 改为 make a report of a correction, unless what is corrected is the category alone.
  const correction = CORRECTION.test(s) && !CATEGORY.test(s) ? 1 : 0;
  const fields = company + FIELDS.filter((f) => f.test(s)).length;
  return { score: events + nature + correction + fields, fields };
}

const QUESTION_END = /(?:[?？]|吗|么|嘛|呢|了没有?|过没有?|没有呢|(?:入驻|进驻|落实|接管|定|好|完|报|到)没有?)[\s。.!！~～]*$/;
const QUESTION_START = /^(?:请问|是否|有没有|能否|可否|能不能|是不是|哪些|哪个|几个|多少|什么时候)/;
const QUESTION_WORDS = /几号(?!楼|院|门)|几月几|哪天|哪一天|什么时候|啥时候|多会儿|是不是|有没有|是否|哪些|哪个|哪家|哪位|哪里|哪儿|(?<!好)几个|(?<!好)多少|什么|啥|几类|何时|谁|怎么样|咋样|如何|查一下|查查|查询|帮我查|帮忙查|问一下|请问/;
/** What the bot itself knows and answers: takeovers, companies, managers, categories, actions, progress. */
const STATUS = /入驻|进驻|接管|落实|物业公司|物业企业|哪家物业|什么物业|物业是|是不是.{0,8}物业|没有物业|有物业|负责人|联系人|电话|类别|几类|攻坚|进度|报送|信息/;

const NOT_YET = /(?:还没有?|尚未|暂未|还未|未|没有?|暂无|尚无)(?:有)?(?:物业)?(?:正式)?(?:入驻|进驻|落实|接管|进场|确定|定下来|定|签)|(?:还没有|目前没有|暂无|尚无|没有|无)物业|(?:还没有?|尚未|暂未|还未|没有?)(?:谈好|谈妥|谈成|谈下来|签好|签下来|选好|找好|找到|定好|确定好|落实好|落实下来)|还在(?:谈|洽谈|对接|找|选)|洽谈|商谈|谈判|协商中|对接中|正在(?:对接|招标|选聘|协调)|才(?:能)?(?:入驻|进驻|进场|接管)/;
/** A look-up: 查一下 / 帮我看看 and a short name, nothing else asked. */
const LOOKUP = /^(?:请|麻烦|帮我|帮忙|麻烦你|你)?(?:帮我|帮忙)?(?:查一下|查一查|查查|查询一下|查询|看一下|看看|查下|搜一下)[\u4e00-\u9fff（）()\d.]{2,16}(?:的?(?:情况|信息|资料|入驻情况))?[\s。.!！~～]*$/;
/** Still talking to a company (还在谈, 正在洽谈): not yet, whatever the rest names. */
const STILL_TALKING = /还在(?:谈|洽谈|对接|找|选)|正在(?:谈|洽谈|对接|招标|选聘)|洽谈中|谈判中|协商中|对接中/;
/** The compound has no property management yet (the campaign's status, not a complaint in itself). */
const NO_MANAGER_YET = /(?:还没有|还没|目前没有|现在没有|暂时没有|暂无|尚无|尚未有)物业/;
/** A plan (计划, 下周进场 …) is "not yet" only in a message that reports no date, phone or manager. */
const PLAN = /计划|准备|打算|拟于|拟聘|预计|将于|(?:下周|下星期|下礼拜|下个?月|明天|后天|近期|即将|马上|不久|年底前|月底前)[\u4e00-\u9fff]{0,4}(?:入驻|进驻|进场|接管|签)/;
const NOT_YET_TOPIC = /物业|入驻|进驻|接管|进场|合同|签约|招标|选聘/;
/** Already done: a report, whatever else it says about before (原来无物业，现已入驻). */
const ALREADY = /已经?(?:入驻|进驻|接管|落实|进场)|现由|现在由|现已/;

const ACTION_NAME = '(?:环境卫生|道路设施|车辆停放|服务质量|环境|卫生|道路|停车|车辆)';
const ACTION_STATE = '(?:已经解决|已解决|解决了|处理好了|整改到位|已到位|到位了|未开始|没开始|还没开始|尚未开始|未启动|没启动|没动|已经完成|已完成|完成了|完成|已办结|好了|搞定了|搞定|做完了|做完|弄好了|弄好|已整改|整改完成|完工|进行中|正在进行|推进中|正在推进|在推进|正在整治|正在|在做|施工中|整改中|开始了|已开始|已启动|已经开始|开始整治)';
const ACTION = new RegExp(`${ACTION_NAME}(?:[\\s,，:：]|整治|整改|提升|工作|行动|问题|已经|都|也|的)*${ACTION_STATE}`);

const CATEGORY = /(?:类别|分类)[\s:：]*(?:为|是|改为|改成|定为|调整为)?[\s:：]*[1-3一二三]|(?<![\d一二三])[1-3一二三]\s*类(?!别|型)/;

const CHATTER = /^(?:好的|好滴|好嘞|好|收到|谢谢你?们?|谢谢您|多谢|感谢|辛苦了?|大家好|你好|您好|早上好|下午好|晚上好|哈+|嗯+|哦+|明白了?|知道了|了解|ok|OK|Ok|马上报|马上落实|尽快落实|抓紧落实|立即落实|马上办|尽快报|抓紧报|马上|尽快|抓紧|立即|这就|我们|稍等|在吗|在|你看一下|看一下|看看|麻烦了|不客气|没问题|👍|🙏|[\s,，。.!！~～]|\ufffd)+$/u;

/** A question about grievances already recorded (投诉处理得怎么样了, 还有哪些诉求没办): answered with 待办. */
export const ASKS_ABOUT_GRIEVANCES = /(?:投诉|诉求|工单)(?:的)?(?:都)?(?:处理|办理|办|受理|进展|进度)?(?:得|的)?(?:怎么样|咋样|如何|到哪|情况|进展|进度)|(?:哪些|多少|几个|几条|几件|还有).{0,4}(?:投诉|诉求|工单).{0,6}(?:没|未|还没|尚未|待)(?:有)?(?:办|处理|受理|办结|解决)|(?:投诉|诉求|工单).{0,4}(?:还有)?(?:哪些|多少|几个|几条|几件)(?:没|未|还没|尚未)?(?:有)?(?:办|处理|受理|办结|解决)?/;

const cache = new Map<string, Intent>();

function classify(text: string): Intent {
  const s = prepareText(text).trim();
  if (!s) return { kind: 'none' };
  if (s.length > MAX_READ_CHARS) return { kind: 'too-long' };
  if (CHATTER.test(s)) return { kind: 'chatter' };
  const problem = problemScore(s);
  const { score: report, fields: reportFields } = takeoverScore(s);
  const asks = QUESTION_END.test(s) || QUESTION_START.test(s) || QUESTION_WORDS.test(s);
  // 帮我查一下书香花苑: a look-up of a compound, answered with what the bot knows of it.
  if (LOOKUP.test(s) && problem === 0) return { kind: 'question' };
  if (asks) {
    if (ASKS_ABOUT_GRIEVANCES.test(s)) return { kind: 'question' };
    if ((STATUS.test(s) || report >= 2) && problem < 2) return { kind: 'question' };
    if (problem >= 2) return { kind: 'grievance' };
    return { kind: INQUIRY.test(s) && PLACE.test(s) ? 'maybe-grievance' : 'question' };
  }
  const fields = FIELDS.some((f) => f.test(s)) || COMPANYISH.test(s.replace(NOT_A_COMPANY_HEAD, ' '));
  const notYet = NOT_YET.test(s) || (PLAN.test(s) && !fields);
  // 宝徕花苑和樱花园还在谈: still negotiating needs no 物业 when a compound is named.
  if (problem < 2 && notYet && (NOT_YET_TOPIC.test(s) || (STILL_TALKING.test(s) && PLACE.test(s))) && !ALREADY.test(s)) return { kind: 'not-yet' };
  // 安居小区还没有物业，居民不愿意交钱: the status of the campaign and its reason, or a complaint to hand on; the
  // person says which (a grievance is a write, and a wrong one sends a department after nothing).
  if (problem >= 2 && NO_MANAGER_YET.test(s) && !ALREADY.test(s) && report < 2) return { kind: 'maybe-grievance' };
  if (problem < 2 && ACTION.test(s) && report < 2) return { kind: 'action' };
  // A report that also complains (福源公寓已入驻鑫安物业，但是3号楼电梯坏了) reads two ways; a complaint that only
  // mentions 物业 or 兜底 is a complaint.
  if (problem >= 2) return { kind: report >= 3 || reportFields >= 2 ? 'competing' : 'grievance' };
  // One field alone (a date, a phone) is a report only next to a place: 9月20日开会 is not one.
  if (report >= 2 || (report === 1 && PLACE.test(s))) return { kind: 'takeover' };
  if (CATEGORY.test(s)) return { kind: 'category' };
  if ((problem >= 1 || INQUIRY.test(s)) && PLACE.test(s) && s.length >= 8) return { kind: 'maybe-grievance' };
  return { kind: 'none' };
}

/** The intent of a message (cached: every interpreter asks about the same text). */
export function readIntent(text: string): Intent {
  // A message longer than the reader reads is answered as such; it is not worth keeping in memory.
  if (text.length > MAX_READ_CHARS * 2) return { kind: 'too-long' };
  let i = cache.get(text);
  if (!i) {
    i = classify(text);
    if (cache.size > 64) cache.clear();
    cache.set(text, i);
  }
  return i;
}
