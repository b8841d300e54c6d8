/** Text folding shared by the matchers and extractors: one canonical form for how people type. */

/** The most of a message the free-text reader looks at: a report is a few hundred characters; Lark allows ~150 KB. */
export const MAX_READ_CHARS = 1000;

const MENTION_KEY = /@_user_\d+|@_all/g;

const TRADITIONAL_CHARS = '駐業務進區東園號樓單費衛環設輛質報負責電話聯繫係經從開後時間鐘門閘燈層戶廳廠據員會說們這個裡麼為與無應對導嗎幾廣場書蘭葉劉張陳楊黃趙吳週孫馬鄭謝韓馮鄧蕭許羅鄒龍閻蘇盧錢湯陸錦鳳麗華寶國慶準備實際總辦處線網絡視臺熱氣燒遞熟識礦發顧處現還邊條過齊參將壞難願續轉輕變戰蟲鬧亂麵髒潔護綠鏈協調圍牆禮遷漲價錯誤';
const SIMPLIFIED = '驻业务进区东园号楼单费卫环设辆质报负责电话联系系经从开后时间钟门闸灯层户厅厂据员会说们这个里么为与无应对导吗几广场书兰叶刘张陈杨黄赵吴周孙马郑谢韩冯邓萧许罗邹龙阎苏卢钱汤陆锦凤丽华宝国庆准备实际总办处线网络视台热气烧递熟识矿发顾处现还边条过齐参将坏难愿续转轻变战虫闹乱面脏洁护绿链协调围墙礼迁涨价错误';
const TRADITIONAL = new RegExp(`[${TRADITIONAL_CHARS}]`, 'g');

/**
 * A message as the extractors read it: mention placeholders removed, NFKC (full-width digits, letters and
 * punctuation become half-width), ideographic spaces and long dashes made plain. Offsets of every span the
 * reader finds refer to this string.
 */
export function prepareText(raw: string): string {
  return raw
    .replace(MENTION_KEY, ' ')
    .normalize('NFKC')
    // A phone set to traditional characters writes 物業 for 物业: one character for one, so offsets hold.
    .replace(TRADITIONAL, (c) => SIMPLIFIED[TRADITIONAL_CHARS.indexOf(c)]!)
    .replace(/[\u3000\u00a0]/g, ' ')
    .replace(/[—–―‐‑⁃]/g, '-')
    // Emoji say nothing a field needs: 福源公寓👍 is 福源公寓.
    .replace(/\p{Extended_Pictographic}|[\uFE0F\u200D]/gu, ' ');
}

const DROPPED = /[\s()（）【】\[\]「」『』“”"'‘’、，,。.·:：;；!！?？\-—–_/\\|~～<>《》]/;

export interface FoldedText {
  /** The folded string. */
  text: string;
  /** For each UTF-16 unit of `text`, the index in the source string it came from. */
  from: number[];
  /** For each UTF-16 unit of `text`, the index in the source string just after it. */
  to: number[];
}

/**
 * Folds case, spaces and punctuation away and writes 栋/幢/# after a number as 号楼, keeping for every folded
 * character where it came from, so a match in the folded text maps back to the span of the source. Characters
 * outside the BMP become U+FFFD so that one folded unit is one character. The source should be NFKC already
 * (`prepareText`).
 */
export function foldWithMap(s: string): FoldedText {
  let text = '';
  const from: number[] = [];
  const to: number[] = [];
  const push = (t: string, start: number, end: number) => {
    for (const ch of t) {
      text += ch;
      from.push(start);
      to.push(end);
    }
  };
  let lastDigit = false;
  let i = 0;
  while (i < s.length) {
    const cp = s.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const ch = s.slice(i, i + width);
    if (width === 2) {
      push('\ufffd', i, i + 2);
      lastDigit = false;
    } else if (lastDigit && (ch === '栋' || ch === '幢' || ch === '#')) {
      push('号楼', i, i + 1);
      if (ch === '#' && s[i + 1] === '楼') {
        i += 1;
        to[to.length - 1] = i + 1;
        to[to.length - 2] = i + 1;
      }
      lastDigit = false;
    } else if (DROPPED.test(ch)) {
      // Spaces between a number and 栋 do not end the number.
      if (!/\s/.test(ch)) lastDigit = false;
    } else {
      push(ch.toLowerCase(), i, i + 1);
      lastDigit = /\d/.test(ch);
    }
    i += width;
  }
  return { text, from, to };
}

/** Folds full-width forms, case, spaces and punctuation, and writes 栋/幢/# as 号楼. */
export function foldText(s: string): string {
  return foldWithMap(s.normalize('NFKC')).text;
}

/** Levenshtein distance over code points. */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[y.length]!;
}
