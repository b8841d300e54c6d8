/** The compound card: track, category, takeover, the four actions, recent history and an edit form. Pure. */
import { FIELD_LIMITS } from '../src/domain/field-limits.ts';
import { maskPhones } from '../src/logger.ts';
import { type Card, type Element, card, form, hr, input, markdown, md, select } from './kit.ts';
import { CATEGORY_LABELS, type TakeoverLinesInput, takeoverLines } from './takeover-lines.ts';
import { type CompoundAfterCoverage, afterCoverageMarkdown } from './after-coverage-lines.ts';

export interface CompoundCardHistory {
  when: string;
  who: string;
  /** What changed, in words. */
  text: string;
  undone: boolean;
}

export interface CompoundCardGrievance {
  code: string;
  text: string;
  department: string;
  status: string;
  /** `受理时限10月9日（含）`, `办结时限…` or `已办结：结果`. */
  limit: string;
  overdue: boolean;
}

export interface CompoundCardView {
  name: string;
  community: string;
  track: 'coverage' | 'upgrade';
  category: 1 | 2 | 3 | null;
  takeover: (TakeoverLinesInput & { remarks: string | null }) | null;
  actions: { name: string; state: string }[] | null;
  history: CompoundCardHistory[];
  /** Open grievances and those resolved lately, newest first. */
  grievances?: CompoundCardGrievance[];
  /** Open grievances not listed (the card stays short). */
  moreOpenGrievances?: number;
  /** 公示, 业委会, assessment and 奖补; omitted = not shown. */
  afterCoverage?: CompoundAfterCoverage;
  maskPhone: boolean;
  /** Present when the viewer may edit. */
  edit: { kind: string; token: string } | null;
}

const TRACK_LABELS = { coverage: '全覆盖任务（无物业管理，需入驻）', upgrade: '提升任务（已有物业，需完成四项攻坚行动）' };
const STATE_ICON: Record<string, string> = { 已完成: '✅', 进行中: '🔄', 未开始: '⬜' };
export const ACTION_STATE_OPTIONS = ['未开始', '进行中', '已完成'];

export function compoundCard(v: CompoundCardView): Card {
  const elements: Element[] = [];
  elements.push(markdown(`任务：${TRACK_LABELS[v.track]}\n类别：${v.category ? CATEGORY_LABELS[v.category] : '未设置'}`));
  if (v.takeover) {
    const lines = takeoverLines(v.takeover, { maskPhone: v.maskPhone });
    if (v.takeover.remarks) lines.push(`备注：${md(v.takeover.remarks)}`);
    elements.push(markdown(`**入驻情况**\n${lines.map((l) => `- ${l}`).join('\n')}`));
  } else {
    elements.push(markdown('**入驻情况**：未入驻'));
  }
  if (v.actions) {
    elements.push(markdown(`**攻坚行动**\n${v.actions.map((a) => `- ${a.name}：${STATE_ICON[a.state] ?? ''}${a.state}`).join('\n')}`));
  }
  if (v.grievances?.length) {
    const rows = v.grievances.map((g) => {
      const text = v.maskPhone ? maskPhones(g.text) : g.text;
      const late = g.overdue ? ` <font color='red'>已超期</font>` : '';
      return `- ${g.code} ${md(text)}｜${md(g.department)}｜${g.status}｜${md(v.maskPhone ? maskPhones(g.limit) : g.limit)}${late}`;
    });
    const more = v.moreOpenGrievances ? `\n- ……另有 ${v.moreOpenGrievances} 件未办结，发送“待办”查看` : '';
    elements.push(markdown(`**群众诉求**\n${rows.join('\n')}${more}`));
  } else if (v.grievances) {
    elements.push(markdown('**群众诉求**：暂无未办结诉求'));
  }
  if (v.afterCoverage) elements.push(markdown(afterCoverageMarkdown(v.afterCoverage)));
  if (v.history.length) {
    const rows = v.history.map((h) => {
      const text = v.maskPhone ? maskPhones(h.text) : h.text;
      return `- ${h.when} ${md(h.who)}：${md(text)}${h.undone ? '（已撤销）' : ''}`;
    });
    elements.push(markdown(`**最近修改**\n${rows.join('\n')}`));
  }
  if (v.edit) {
    elements.push(hr());
    const t = v.takeover;
    const fields: Element[] = [
      select('category', '类别', [1, 2, 3].map((n) => ({ text: CATEGORY_LABELS[n]!, value: String(n) })), v.category ? String(v.category) : undefined),
      select('nature', '管理性质', [{ text: '外聘', value: '外聘' }, { text: '自主', value: '自主' }], t?.nature ?? undefined),
      input('startDate', '入驻时间', { placeholder: '如 2020-09-20', value: t?.startDate ?? undefined }),
      input('company', '物业企业', { value: t?.company ?? undefined, maxLength: FIELD_LIMITS.company }),
      input('services', '服务内容', { placeholder: '保洁、保安、护绿、维护秩序、设施维护', value: t?.services.join('、') || undefined, maxLength: FIELD_LIMITS.services }),
      input('manager', '负责人', { value: t?.manager ?? undefined, maxLength: FIELD_LIMITS.manager }),
      input('phone', '联系电话', { value: t?.phone ? (v.maskPhone ? maskPhones(t.phone) : t.phone) : undefined }),
      input('remarks', '备注（调度表备注栏）', { value: t?.remarks ?? undefined }),
    ];
    v.actions?.forEach((a, i) => fields.push(select(`action${i}`, a.name, ACTION_STATE_OPTIONS.map((s) => ({ text: `${a.name}：${s}`, value: s })), a.state)));
    elements.push(markdown('**修改**（改好后点“保存”）'));
    elements.push(form('compound_form', fields, { text: '保存', kind: v.edit.kind, token: v.edit.token }));
  }
  return card(v.name, elements, { template: 'blue', subtitle: v.community, summary: `${v.name}（${v.community}）` });
}
