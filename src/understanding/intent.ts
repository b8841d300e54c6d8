/**
 * What an addressed message without a command word is: a takeover report, a grievance, an 攻坚 update, a
 * category, a question, a "not yet", chatter — or two readings that compete (a report that also complains),
 * which the person settles with a button. Pure and linear: a few regular expressions over at most
 * MAX_READ_CHARS characters.
 */
import { MAX_READ_CHARS, prepareText } from './text-fold.ts';

export type IntentKind = 'takeover' | 'grievance' | 'action' | 'category' | 'question' | 'not-yet' | 'chatter' | 'competing' | 'too-long' | 'none';

export interface Intent {
  kind: IntentKind;
}

/** Things going wrong, as residents and staff say it. Each hit weighs 2; two weak hints make one. */
const PROBLEM = new RegExp([
  '坏了', '坏掉', '损坏', '破损', '故障', '失灵', '停运', '不运行', '罢工', '又停', '停了', '断了', '断网', '掉线', '没信号', '信号差', '信号不好',
  '很差', '太差', '极差', '特别差', '差劲', '网速慢', '漏水', '渗水', '漏雨', '滴水', '积水', '冒水', '往外冒', '溢出', '堵了', '堵塞', '堵住', '堵得', '不通',
  '臭', '异味', '味道大', '味道很大', '气味', '呛', '熏', '脏', '乱扔', '乱倒', '乱堆', '堆满', '堆积', '堆成', '没人清', '没人扫', '没人打扫', '没人管',
  '没人修', '没人处理', '没人问', '没人说', '没人通知', '不管', '不修', '不处理', '不作为', '推诿', '拖延', '不公示', '不透明', '猫腻', '吵', '噪音', '噪声',
  '扰民', '打架', '斗殴', '偷', '被盗', '丢了', '丢失', '失窃', '陌生人', '可疑', '推销', '诈骗', '乱停', '乱放', '乱搭', '乱建', '私搭', '私建', '私自',
  '违建', '违章', '搭棚', '加盖', '占用', '占了', '占道', '挡住', '遮挡', '种菜', '养鸡', '狗叫', '烧烤', '油烟', '广场舞', '砸墙', '电钻', '老鼠', '鼠患',
  '蟑螂', '蚊子', '苍蝇', '蚊蝇', '白蚁', '泛滥', '不热', '不暖', '冰凉', '停水', '没水', '水压低', '发黄', '浑浊', '停电', '没电', '跳闸', '漏电', '漏气',
  '煤气味', '燃气味', '飞线', '危险', '隐患', '不安全', '太高', '太贵', '太多', '特别多', '乱收', '多收', '收得太', '涨价', '不合理', '意见', '不满', '投诉',
  '举报', '反映', '诉求', '纠纷', '矛盾', '欺负', '威胁', '担心', '害怕', '受不了', '睡不着', '不方便', '困人', '困在', '受伤', '塌', '裂缝', '开裂', '脱落',
  '掉下来', '全黑', '漆黑', '不亮', '停车难', '难停车', '很难', '太难', '坏', '卡住', '卡在', '不动', '动不了', '返水', '霉', '一股', '满了',
  '没人', '不来', '不给', '不清楚', '不明不白', '好久没', '吓着', '吓到', '咬人', '松动', '摇晃', '晃', '不稳', '漏', '渗', '裂', '乱', '丢', '被人',
  '私拉', '乱拉', '私接', '小广告', '违停', '不让', '不准', '刁难', '态度差', '态度不好', '不像样', '没法', '不行', '受够', '进不来', '出不去', '过不去', '要求', '希望能', '恳请', '请尽快', '尽快处理', '赶紧',
].join('|'), 'g');
const PROBLEM_HINT = /三天两头|老是|总是|经常|一直|天天|好几天|好多天|几个月|多次|反复|屡次|严重|又/g;
const PROBLEM_TOPIC = /电梯|暖气|水管|下水道|楼道|垃圾|路灯|井盖|单元门|门禁|监控|化粪池|燃气|电表|宽带|网络|有线|信号|车位|停车费|绿化带|楼顶|地库|车库|物业费|维修基金|维修资金|邻居|楼上|楼下|扶手/g;

/** How strongly a text reads as a complaint: 2 or more is a grievance. */
export function problemScore(s: string): number {
  const strong = (s.match(PROBLEM) ?? []).length;
  const weak = (s.match(PROBLEM_HINT) ?? []).length + (s.match(PROBLEM_TOPIC) ?? []).length;
  return strong * 2 + (strong ? weak : Math.min(weak, 1));
}

/** Words only a takeover report uses. */
const TAKEOVER_STRONG = /入驻|进驻|进场|接管|接手|落实物业|兜底|自管|外聘|聘请|选聘|业委会自|自主管理|居民自治|换了物业|新物业|物业公司|物业有限|物业服务有限|物业管理有限|物业服务中心|物管|物业[是为由]/;
/** A company's name ending a clause (鑫安物业，…), not 物业 in running text (福源公寓物业收费太高). */
const COMPANYISH = /[\u4e00-\u9fff]{2,8}物业(?=$|[\s,，。;；、:：()（）]|外聘|自主|入驻|进驻|于|已|\d)/;
const TAKEOVER_WEAK = /负责人|联系人|项目经理|服务内容|保洁|保安|护绿|更正|(?<!\d)1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)|0\d{2,3}-\d{7,8}|\d{1,2}月\d{1,2}[日号]?|20\d{2}[-/.年]|(?<![\d.])\d{1,2}\.\d{1,2}(?![\d.])/;
const NOT_A_COMPANY_HEAD = /(?:小区|社区|的|找|了|那个|这个|没有|无|有|引进|引入|实现|落实|聘请|选聘|换|新)物业/g;

const QUESTION_END = /(?:[?？]|吗|么|嘛|呢|没有|没|不|否)[\s。.!！~～]*$/;
const QUESTION_START = /^(?:请问|是否|有没有|能否|可否|能不能|是不是|哪些|哪个|几个|多少|什么时候)/;
const QUESTION_WORDS = /是不是|有没有|是否|哪些|哪个|哪家|哪位|哪里|哪儿|几个|多少|什么|啥|几类|何时|谁|怎么样|咋样|如何|查一下|查查|查询|帮我查|帮忙查|问一下|请问/;

const NOT_YET = /(?:还没有?|尚未|暂未|还未|未|没有?|暂无|尚无)(?:有)?(?:物业)?(?:正式)?(?:入驻|进驻|落实|接管|进场|确定|定下来|定|签)|(?:还没有|目前没有|暂无|尚无|没有|无)物业|还在(?:谈|洽谈|对接|找)|洽谈|商谈|谈判|协商中|对接中|正在(?:对接|招标|选聘|协调)|才(?:能)?(?:入驻|进驻|进场|接管)/;
/** A plan (计划, 下周进场 …) is "not yet" only in a message that reports no date, phone or manager. */
const PLAN = /计划|准备|打算|拟于|拟聘|预计|将于|(?:下周|下星期|下个?月|明天|后天|近期|即将|马上|不久|年底前|月底前)[\u4e00-\u9fff]{0,4}(?:入驻|进驻|进场|接管|签)/;
const NOT_YET_TOPIC = /物业|入驻|进驻|接管|进场|合同|签约|招标|选聘/;
/** Already done: a report, whatever else it says about before (原来无物业，现已入驻). */
const ALREADY = /已经?(?:入驻|进驻|接管|落实|进场)|现由|现在由|现已/;

const ACTION_NAME = '(?:环境卫生|道路设施|车辆停放|服务质量|环境|卫生|道路|停车|车辆)';
const ACTION_STATE = '(?:未开始|没开始|还没开始|尚未开始|未启动|没启动|没动|已经完成|已完成|完成了|完成|已办结|好了|搞定了|搞定|做完了|做完|弄好了|弄好|已整改|整改完成|完工|进行中|正在进行|推进中|正在推进|在推进|正在整治|正在|在做|施工中|整改中|开始了|已开始|已启动|已经开始|开始整治)';
const ACTION = new RegExp(`${ACTION_NAME}(?:[\\s,，:：]|整治|整改|提升|工作|行动|已经|都|也|的)*${ACTION_STATE}`);

const CATEGORY = /(?:类别|分类)[\s:：]*(?:为|是|改为|改成|定为|调整为)?[\s:：]*[1-3一二三]|(?<![\d一二三])[1-3一二三]\s*类(?!别|型)/;

const CHATTER = /^(?:好的|好滴|好嘞|好|收到|谢谢你?们?|谢谢您|多谢|感谢|辛苦了?|大家好|你好|您好|早上好|下午好|晚上好|哈+|嗯+|哦+|明白了?|知道了|了解|ok|OK|Ok|马上报|马上|稍等|在吗|在|你看一下|看一下|看看|麻烦了|不客气|没问题|👍|🙏|[\s,，。.!！~～]|\ufffd)+$/u;

const cache = new Map<string, Intent>();

function classify(text: string): Intent {
  const s = prepareText(text).trim();
  if (!s) return { kind: 'none' };
  if (s.length > MAX_READ_CHARS) return { kind: 'too-long' };
  if (CHATTER.test(s)) return { kind: 'chatter' };
  const problem = problemScore(s);
  const asks = QUESTION_END.test(s) || QUESTION_START.test(s) || QUESTION_WORDS.test(s);
  if (asks) return { kind: problem >= 2 ? 'grievance' : 'question' };
  const reportish = s.replace(NOT_A_COMPANY_HEAD, ' ');
  const strong = TAKEOVER_STRONG.test(s) || COMPANYISH.test(reportish);
  const notYet = NOT_YET.test(s) || (PLAN.test(s) && !TAKEOVER_WEAK.test(s) && !COMPANYISH.test(reportish));
  if (problem < 2 && notYet && NOT_YET_TOPIC.test(s) && !ALREADY.test(s)) return { kind: 'not-yet' };
  if (problem < 2 && ACTION.test(s) && !strong) return { kind: 'action' };
  if (problem >= 2) return { kind: strong ? 'competing' : 'grievance' };
  if (strong || TAKEOVER_WEAK.test(s)) return { kind: 'takeover' };
  if (CATEGORY.test(s)) return { kind: 'category' };
  return { kind: 'none' };
}

/** The intent of a message (cached: every interpreter asks about the same text). */
export function readIntent(text: string): Intent {
  let i = cache.get(text);
  if (!i) {
    i = classify(text);
    if (cache.size > 64) cache.clear();
    cache.set(text, i);
  }
  return i;
}
