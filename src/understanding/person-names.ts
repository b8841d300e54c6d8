/**
 * Whether a few characters read as a person's name (王强, 欧阳娜娜, 小李, 王经理): a known surname followed by one
 * or two given characters, or a surname with a title. A name that does not pass is not written without asking.
 */

/** Single-character surnames, the common ones of 百家姓 and of present-day Shandong. */
const SURNAMES = new Set([
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由'.split(''),
]);

const COMPOUND_SURNAMES = ['欧阳', '司马', '诸葛', '上官', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '令狐', '夏侯', '独孤', '南宫', '西门', '端木', '申屠', '轩辕'];

/** Titles that may follow a surname in place of a given name (王经理, 李主任). */
export const SURNAME_TITLES = ['经理', '主任', '书记', '师傅', '站长', '队长', '组长', '老师', '科长', '所长', '部长', '主管', '会长', '总'];

/** Characters that never end or fill a given name: they are the words around it (王强电话, 孙梅负责). */
const NOT_IN_NAME = /[的了是电话手机号码联系负责担物公司社区未无]/;

/** Everyday words that begin with a surname's character (包括, 安排, 管理): never a name. */
const COMMON_WORDS = /^(?:包括|包含|安全|安装|安排|管理|管道|文明|方便|方面|平时|明确|时间|全部|全天|全面|成立|应该|常规|通知|计划|向前|于是|和谐|高层|高楼|楼长|楼道|房屋|房子|门口|门卫|关于|关系|费用|邢台|司机|居民|公共|公司|公示|花园|田地|路灯|路面|单元|单位|水电|车辆|车位|车库|保安|保洁|保障|卫生|元旦)$/;

/** Whether the text is a name as staff write it in a report. */
export function isPersonName(s: string): boolean {
  if (!/^[\u4e00-\u9fff·]{2,5}$/.test(s)) return false;
  if (COMMON_WORDS.test(s)) return false;
  if (/^[小老][\u4e00-\u9fff]$/.test(s)) return SURNAMES.has(s[1]!);
  for (const t of SURNAME_TITLES) if (s.length === 1 + t.length && s.endsWith(t) && SURNAMES.has(s[0]!)) return true;
  const compound = COMPOUND_SURNAMES.find((c) => s.startsWith(c));
  const given = compound ? s.slice(2) : s.slice(1);
  if (!compound && !SURNAMES.has(s[0]!)) return false;
  if (given.length < 1 || given.length > 2) return false;
  return !NOT_IN_NAME.test(given);
}

/**
 * The longest name at the start of a run of characters (负责人王强电话… → 王强), or null. Tries three characters,
 * then two (four and three for compound surnames), preferring the longer when the rest is not a name char.
 */
export function nameAtStart(run: string): string | null {
  const lengths = COMPOUND_SURNAMES.some((c) => run.startsWith(c)) ? [4, 3] : [3, 2];
  for (const t of SURNAME_TITLES) if (SURNAMES.has(run[0] ?? '') && run.slice(1, 1 + t.length) === t) return run.slice(0, 1 + t.length);
  for (const n of lengths) {
    const cand = run.slice(0, n);
    if (cand.length === n && isPersonName(cand)) return cand;
  }
  return null;
}
