/**
 * How residents and staff say that something is wrong, for telling a grievance from a report. The words are
 * grouped by how they say it, not by department (routing is a separate stage): things broken or missing,
 * nuisances, danger, money, people not doing their job, requests and complaints. Each group is one regular
 * expression of plain alternatives: linear in the text.
 */

const alt = (words: string[]) => new RegExp(words.join('|'), 'g');

/** Something broken, stopped, leaking, dirty, dangerous or unfair: each hit weighs 2. */
export const TROUBLE = alt([
  // broken, stopped, not working
  '坏', '故障', '失灵', '停运', '不运行', '罢工', '又停', '停了', '断了', '断网', '断水', '断电', '掉线', '掉闸', '跳闸', '没信号', '信号差', '信号不好', '一格',
  '很差', '太差', '极差', '特别差', '差劲', '网速慢', '卡顿', '卡住', '卡在', '马赛克', '雪花', '转圈', '时有时无', '断断续续', '一闪一闪', '停不平', '差一大截',
  '不动', '动不了', '不走', '关在', '困人', '困在', '晃得', '摇晃', '松动', '不稳', '歪了', '要倒', '塌', '裂', '脱落', '掉下来', '掉石头', '锈', '老化', '冒火花',
  '冒烟', '冒黑烟', '嗞嗞', '过期', '超期', '到期了还', '没了', '都没了', '全是空的', '被拆', '丢了', '丢失', '不见了',
  // water, air, dirt, pests
  '漏', '渗', '返水', '积水', '进水', '淹', '冒水', '往外冒', '溢', '堵', '不通', '黄汤', '发黄', '浑浊', '霉', '臭', '异味', '味道', '气味', '刺鼻', '呛', '熏',
  '灌进', '浓烟', '烟尘', '黑烟', '油烟', '灰太大', '落一层', '焚烧', '排污', '污水', '脏', '乱扔', '乱倒', '乱堆', '堆满', '堆积', '堆成', '堆着', '满了',
  '老鼠', '鼠患', '蟑螂', '小强', '蚊子', '苍蝇', '蚊蝇', '飞虫', '虫子', '蜱虫', '白蚁', '死猫', '死老鼠', '泛滥', '灭鼠', '消杀',
  // nuisance, order, safety
  '吵', '闹', '噪音', '噪声', '扰民', '敲敲打打', '打桩', '震得', '唱到', '后半夜', '半夜', '广场舞', '狗叫', '没人牵', '吓着', '吓到', '咬人', '绊倒', '摔',
  '打架', '斗殴', '打人', '砸车', '偷', '被盗', '盗窃', '贼', '撬', '小偷', '陌生人', '可疑', '转悠', '赌', '诈骗', '骗', '推销', '要钱', '飞快', '撞了', '撞倒',
  '乱停', '乱放', '横在', '堵着', '占道', '占用', '占了', '摆摊', '小广告', '乱贴', '私拉', '乱拉', '飞线', '吊下来', '楼道里充电', '带回家里充电', '推进电梯',
  '危险', '隐患', '不安全', '担心', '害怕', '液化气罐', '汽油', '油漆桶', '稀料', '开不进来', '进不来', '出不去', '过不去',
  // building, land
  '乱搭', '乱建', '私搭', '私建', '违建', '违章', '搭棚', '加盖', '又盖', '彩钢瓦', '圈起来', '圈地', '往外扩', '挖了', '种菜', '种葱', '养鸡', '砸墙',
  '承重墙', '打通', '盖成了', '改成了', '挡光', '挡住', '遮挡', '楼间距', '没按规划', '合不合法', '没办执照', '无照', '没有执照',
  // money, rules, people not doing their job
  '太高', '太贵', '贵一倍', '乱收', '多收', '多交', '收得太', '涨价', '要再涨', '调到', '照收', '另收', '该不该', '不合理', '收费依据', '谁定的', '质疑',
  '挪去', '挪用', '擅自', '私自', '动用', '账目', '不公开', '不公示', '没公示', '没公布', '从来没公布', '不透明', '猫腻', '没兑现', '不兑现', '没到位', '不到位',
  '没拨', '一分没见', '迟迟', '没人', '不管', '不修', '不处理', '不作为', '推诿', '拖延', '扯皮', '形同虚设', '随便进', '锁了', '从来不', '不信任', '不认可',
  '不服', '不满', '意见很大', '有意见', '刁难', '态度差', '态度不好', '打官司', '评评理', '纠纷', '矛盾', '欺负', '威胁',
  // asking for help
  '投诉', '举报', '诉求', '要求', '希望', '恳请', '请尽快', '尽快处理', '赶紧', '不知道怎么', '想请',
  '受不了', '睡不着', '不方便', '没法', '受够', '停车难', '难停车', '很难', '太难', '难办',
  // utilities and more
  '停水', '没水', '水压低', '停电', '没电', '停气', '没气', '停暖', '不热', '不暖', '冰凉', '全黑', '漆黑', '不亮', '烧烤', '电钻', '太多', '特别多', '受伤',
  '不来', '不给', '不让', '不准', '不清楚', '不明不白', '好久没', '私接', '违停', '不像样', '不行', '乱七八糟', '一团糟',
  // people on duty and pets; a line nobody answers
  '高空抛物', '抛物', '往下扔', '往楼下扔', '骂', '不干活', '收了钱', '光收钱',
  '睡觉', '玩手机', '不牵绳', '不拴绳', '返味', '反味', '太卡', '很卡', '特别卡', '打不通', '没人接', '找不到人', '联系不上', '消防通道', '生命通道',
]);

/** A result that does not come (打不着, 收不到, 充不进, 上不去): weighs 2. */
export const NEGATED_RESULT = /[打收充上进出开听拧关修换装看用走通]不[着到进去出来清开动通上住了]/g;

/** Words that make a complaint of a description (老是, 三天两头, 到现在): one together weighs 1. */
export const HINT = alt(['反映', '三天两头', '老是', '总是', '经常', '一直', '天天', '每天', '好几天', '好多天', '好久', '几个月', '多次', '反复', '屡次', '严重', '到现在', '根本', '从来', '始终', '半天', '又']);

/** What grievances are about: a topic alone weighs 1. */
export const TOPIC = alt([
  '电梯', '直梯', '升降梯', '梯厢', '暖气', '暖片', '片子', '地暖', '取暖', '供热', '水管', '水龙头', '自来水', '水费', '水压', '下水道', '化粪池', '排水', '楼道', '垃圾',
  '路灯', '井盖', '单元门', '门禁', '门岗', '监控', '燃气', '天然气', '煤气', '气表', '灶', '电表', '电线', '线路', '配电', '电缆', '宽带', '网速', '网络', '光纤',
  '信号', '有线', '电视', '机顶盒', '车位', '停车', '车库', '绿地', '绿化带', '楼顶', '地下室', '物业费', '管理费', '维修基金', '维修金', '维修资金', '公维金',
  '业委会', '业主代表', '邻居', '楼上', '楼下', '对门', '扶手', '消防', '灭火', '消火栓', '喷淋', '规划', '开发商', '补助', '奖补', '经费', '补贴',
  '保安', '门卫', '遛狗', '宠物', '鸽子',
]);

/** A resident asking about something (想知道收费依据, 不知道找谁): an inquiry, which is a grievance too. */
export const INQUIRY = /想知道|想问|想查|查一下|找谁|问找谁|不知道找谁|谁定的|是谁|合理吗|合不合法|批了没有|到底|能不能用|该不该|怎么弄|怎么办|什么时候发|多少钱/;

/** Where a problem is: a word for a place in a compound. */
export const PLACE = /楼|单元|小区|门口|楼下|楼上|楼道|车库|地下室|院|花园|花苑|公寓|宿舍|家园|庄园|公馆|广场|嘉苑|佳苑|上城|国际/;

/**
 * How complaints are phrased whatever they are about: a negated verb (不给收据, 没上门, 也不说), something done
 * to someone (被人划了), too little (只出一点点, 才十三度, 还是一百兆). Each weighs 1.
 */
export const NEGATED = /(?:不|没有?|未|别)(?!是|对|错|客气|用谢|问题|物业|入驻|进驻|落实|接管|定|签|开始|启动|过|少|多|久|一样|同)[\u4e00-\u9fff]/g;
export const PASSIVE = /被人|被[\u4e00-\u9fff]/g;
export const TOO_LITTLE = /只(?:有|出|能|剩)|才[\d一二两三四五六七八九十几半]|还是|仍然|依然|一点点|一点都|都没|冰凉|冷得|黑了|没电|谈崩|不成|不一|手脚|耷拉/g;

const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

/** How strongly a text reads as a complaint: 2 or more is a grievance. */
export function problemScore(s: string): number {
  const strong = count(s, TROUBLE) + count(s, NEGATED_RESULT) + count(s, /被人/g);
  const phrasing = Math.min(2, count(s, NEGATED) + count(s, PASSIVE) + count(s, TOO_LITTLE));
  const context = count(s, HINT) + count(s, TOPIC);
  return strong * 2 + phrasing + Math.min(context, strong || phrasing ? 2 : 1);
}
