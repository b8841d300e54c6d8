/** The lines that describe a takeover, shared by the result, confirmation and compound cards. Pure. */
import { maskPhones } from '../src/logger.ts';
import { md } from './kit.ts';

export interface TakeoverLinesInput {
  company: string | null;
  nature: '自主' | '外聘' | null;
  startDate: string | null;
  services: string[];
  manager: string | null;
  phone: string | null;
  /** 备注 (how a self-run compound is run); shown when set. */
  remarks?: string | null;
}

/** Phone numbers are shown whole only in direct chats. */
export function showPhone(phone: string, maskPhone: boolean): string {
  return maskPhone ? maskPhones(phone) : phone;
}

export function takeoverLines(t: TakeoverLinesInput, opts: { maskPhone: boolean; natureNote?: string; missingMark?: string }): string[] {
  const gap = opts.missingMark ?? '—';
  return [
    `物业企业：${t.company ? md(t.company) : t.nature === '自主' ? '（自主管理）' : gap}`,
    `管理性质：${t.nature ?? gap}${t.nature && opts.natureNote ? `（${opts.natureNote}）` : ''}`,
    `入驻时间：${t.startDate ?? gap}`,
    `服务内容：${t.services.length ? md(t.services.join('、')) : gap}`,
    `负责人：${t.manager ? md(t.manager) : gap}`,
    `联系电话：${t.phone ? showPhone(t.phone, opts.maskPhone) : gap}`,
    ...(t.remarks ? [`备注：${md(t.remarks)}`] : []),
  ];
}

export const CATEGORY_LABELS: Record<number, string> = { 1: '一类', 2: '二类', 3: '三类' };
