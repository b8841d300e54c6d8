/**
 * How long the text people give the bot may be, where it is stored. Above a limit the bot refuses clearly and
 * writes nothing, rather than cutting the text or storing something no card can show (Lark refuses a card over
 * 30 KB). Counted in characters as people see them.
 */
import { UserError } from '../errors.ts';

export const FIELD_LIMITS = {
  company: 50,
  manager: 30,
  /** All services together, as written (保洁、保安、护绿…). */
  services: 100,
  remarks: 200,
  grievanceText: 1000,
  grievanceResult: 1000,
  transferReason: 200,
  actionNote: 200,
} as const;

export type LimitedField = keyof typeof FIELD_LIMITS;

export const FIELD_LABELS: Record<LimitedField, string> = {
  company: '物业企业名称',
  manager: '物业负责人',
  services: '服务内容',
  remarks: '备注',
  grievanceText: '诉求内容',
  grievanceResult: '办理结果',
  transferReason: '转办理由',
  actionNote: '说明',
};

export const charCount = (text: string) => [...text].length;

/** The refusal for one value over its limit, or null. */
export function overLimit(field: LimitedField, value: string | null | undefined): string | null {
  if (!value) return null;
  const n = charCount(value);
  const max = FIELD_LIMITS[field];
  return n > max ? `${FIELD_LABELS[field]}过长（${n} 字，最多 ${max} 字）` : null;
}

/** Refuses when any of the values is over its limit; `what` ends the sentence (未作记录 / 未作登记 …). */
export function requireWithinLimits(values: Partial<Record<LimitedField, string | null | undefined>>, what = '未作记录'): void {
  const problems = (Object.entries(values) as [LimitedField, string | null | undefined][]).map(([f, v]) => overLimit(f, v)).filter((p): p is string => p !== null);
  if (problems.length) throw new UserError(`${problems.join('；')}，${what}。请精简后重新填写。`);
}

/** The takeover fields a person typed, checked together. */
export function requireTakeoverWithinLimits(t: { company?: string | null; manager?: string | null; services?: readonly string[]; remarks?: string | null }, what = '未作记录'): void {
  requireWithinLimits({ company: t.company, manager: t.manager, services: t.services?.join('、'), remarks: t.remarks }, what);
}
