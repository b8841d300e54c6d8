/**
 * A reply about a grievance written the way people answer in a chat, with its code first (T0001 转给住建局 电梯归住建管,
 * T0001 收到, T0001 已经联系维保单位修好了, t0001办结 已更换): which of 受理 / 转办 / 办结 it is, and its words.
 * Pure; the interpreter runs the command it names, with that command's own checks.
 */
import { prepareText } from './text-fold.ts';

export type GrievanceReply =
  | { op: 'accept'; code: string }
  | { op: 'transfer'; code: string; rest: string }
  | { op: 'resolve'; code: string; result: string };

/** The code at the start (诉求T0001, 【T0001】, t 0001), and what follows it. */
const LEAD = /^(?:诉求|编号|工单)?\s*[【\[(（]?\s*[Tt]\s?(\d{4})(?!\d)\s*[】\])）]?[\s,，:：。、]*(.*)$/s;
/** The command word written after the code instead of before it. */
const WORD_AFTER = /^(受理|转办|办结|accept|transfer|resolve)(?![\u4e00-\u9fff]{0,1}(?:吗|没))[\s,，:：]*(.*)$/s;
const ACCEPT = /^(?:我们|本单位|我单位)?(?:已经|已)?(?:收到|受理|接收|接单|签收|认领)(?:了|啦)?(?:[,，\s]*(?:马上|立即|尽快|正在)[\u4e00-\u9fff]{0,6})?[。.!！~～\s]*$/;
const TRANSFER = /^(?:请|建议|麻烦)?(?:转给|转到|转交给?|转至|转派给?|移交给?|交给|交由|改派给?|派给|转)\s*(.+)$/s;
/** Said of a grievance that has been dealt with (the whole sentence is kept as the result). */
const DONE = /已办结|办结了|已解决|解决了|解决好了|已处理|处理好了|处理完了|处理完毕|修好了|已修好|已修复|修复了|已维修|维修好了|已完成|完成了|搞定了|已整改|整改到位|整改完毕|已清理|清理干净|已疏通|疏通了|已恢复|恢复了/;

export function readGrievanceReply(text: string): GrievanceReply | null {
  const s = prepareText(text).trim();
  const lead = LEAD.exec(s);
  if (!lead) return null;
  const code = `T${lead[1]}`;
  let rest = lead[2]!.trim();
  const word = WORD_AFTER.exec(rest);
  if (word) {
    const w = word[1]!;
    rest = word[2]!.trim();
    if (w === '受理' || w === 'accept') return rest.length <= 12 ? { op: 'accept', code } : null;
    if (w === '转办' || w === 'transfer') return rest ? { op: 'transfer', code, rest } : null;
    return rest ? { op: 'resolve', code, result: rest } : null;
  }
  if (!rest) return null;
  if (ACCEPT.test(rest)) return { op: 'accept', code };
  const transfer = TRANSFER.exec(rest);
  if (transfer) return { op: 'transfer', code, rest: transfer[1]!.trim() };
  if (DONE.test(rest) && !/[?？吗]\s*$/.test(rest)) return { op: 'resolve', code, result: rest };
  return null;
}
