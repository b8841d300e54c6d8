/**
 * Words a takeover report is wrapped in that carry no field of their own: greetings, verbs of reporting,
 * connectors, labels (入驻时间：…). The reader accounts for them; any other word it cannot place makes the
 * reading uncertain.
 */

const GREETINGS = [
  '各位领导好', '各位领导', '领导好', '大家好', '你们好', '您好', '你好', '领导', '报告', '汇报', '报送', '通报', '反馈', '更新', '现将', '情况如下', '如下',
  '关于', '的报告', '报告如下', '情况报告', '谢谢', '多谢', '感谢', '辛苦了', '辛苦', '麻烦', '请', '帮忙', '帮我', '一下', '登记一下', '记录一下', '登记', '记录', '录入', '记一下', '录一下', '以上', '完毕', '特此报告', '收到', '好的',
];

const LABELS = [
  '入驻情况', '最新情况', '情况', '小区名称', '物业企业', '物业公司', '企业名称', '公司名称', '物业名称', '名称', '管理性质', '物业管理性质', '物业性质', '性质',
  '入驻时间', '进驻时间', '接管时间', '开始时间', '时间', '日期', '服务内容', '服务项目', '服务范围', '联系电话', '联系方式', '电话号码', '手机号码', '手机号', '电话', '手机',
  'tel', 'Tel', 'TEL', '座机', '固话', '办公电话', '联系', '负责人', '联系人', '姓名', '类别', '备注', '入驻', '具体日期', '具体时间', '具体',
  '经理', '主任', '书记', '站长', '网格员', '物业经理', '项目经理',
];

/** Words after a company's name that say it has left the compound (鑫安物业已撤出, 退出, 不干了). */
const LEFT_WORDS = ['撤出', '撤场', '撤离', '撤走', '撤了', '退出', '退场', '走了', '跑了', '不干了', '不管了', '解约', '终止合同', '合同到期', '到期'];
/** Right after a company's name: it is the one that left, not the one that manages the compound now. */
export const LEFT = new RegExp(`^[\\s,，]*(?:已经|已|都|也|现已|目前已)?(?:${LEFT_WORDS.join('|')})`);

const VERBS = [
  '已经入驻', '已入驻', '已进驻', '已接管', '已落实', '已经落实', '落实物业', '实现物业管理', '物业管理', '已经', '现已', '已于', '已', '进驻', '入驻了', '进驻了', '进场', '进来的', '进来',
  '接管了', '接管', '接手', '入住', '提供', '落实了', '落实', '开始服务', '提供服务', '正式', '开始', '起', '服务', '管理', '负责', '担任', '托管', '定下来了', '定下来', '定了', '确定',
  '换了物业', '换了', '新物业', '现由', '改由', '起由', '已实现', '实现', '实行', '实施', '采取', '采用', '管理方式', '管理模式', '方式', '模式', '形式',
  '业主大会', '已撤出', ...LEFT_WORDS, '原来没有', '以前没有', '之前没有', '承接', '签约了', '签订了', '新', '报', '引进', '签约', '签订合同', '签合同', '成立', '由', '于', '从', '自', '在', '目前', '现在', '这边', '暂由', '暂时', '上午', '下午', '中午', '晚上', '早上',
  '都有', '都是', '均为', '均是', '都', '均', '也', '还', '并', '且', '同时', '另外', '其中', '就', '和', '与', '及', '以及', '跟', '还有', '分别', '为', '是', '系', '了', '的', '呢', '啊', '哈',
  '物业', '小区', '社区', '公司', '企业', '那个', '这个', '该', '外聘的', '聘请了', '整体', '全部', '主要', '等',
  '包括', '包含', '属于', '属', '至今', '以来', '进行管理', '进行', '社区居委会', '居委会', '进的',
  '在管', '管着', '管的', '接的', '接手的', '接管的', '换物业了', '换物业', '原来的', '自己管',
  '签了物业', '签好了物业', '签下了物业', '已签物业', '签订了物业', '谈好了物业', '谈妥了物业', '定的是', '请的是', '找的是', '选的是', '选定了', '选定', '已和', '已与',
];

/** Words of a correction: they say a field changes, not what it is. */
export const CORRECTION_WORDS = [
  '更正为', '更正', '改为', '改成', '改成了', '变更为', '更改为', '更改', '修改为', '修改', '换成了', '换成', '换为', '调整为', '应该是', '应为', '写错了', '搞错了', '错了',
  '有误', '不对', '补充一下', '补充', '之前报的', '之前报', '上次报的', '报错了', '之前', '上次', '以前', '不是', '而是', '原来是', '原为', '之前是', '把', '将',
];

/** Every filler, longest first (a long word is claimed before the short ones inside it). */
export const FILLERS: readonly string[] = [...new Set([...GREETINGS, ...LABELS, ...VERBS, ...CORRECTION_WORDS])].sort((a, b) => b.length - a.length);
export const LONG_FILLERS = FILLERS.filter((w) => w.length >= 2);
export const SHORT_FILLERS = FILLERS.filter((w) => w.length < 2);

/** Words that say a value was written wrong, not that it changed (不是鑫安物业，是恒泰物业; 更正; 写错了). */
export const FIX_WORDS = /不是|更正|写错|有误|搞错|弄错|报错|错了|应该是|应为|不对/;

/** Words that mark a value as the old one in a correction (原来是鑫安物业, 不是9月20日). */
export const OLD_VALUE = /(?:不是|并非|原来是|原来的|原为|原是|之前是|以前是|原)\s*$/;
/** Words that mark the value before them as the old one (外聘改为自主). */
export const CHANGED_TO = /^\s*(?:改为|改成|换成|换为|变更为|更正为|调整为)/;
