import { FIELD_LIMITS } from '../src/domain/field-limits.ts';
import { type Card, type Template, button, buttonRow, card, form, hr, input, markdown, md, select } from './kit.ts';

export const GRIEVANCE_ACTIONS = {
  accept: 'g-accept',
  transferOpen: 'g-xfer-open',
  transfer: 'g-xfer',
  resolve: 'g-resolve',
  pick: 'g-pick',
  route: 'g-route',
} as const;

/** A department offered when routing was unsure; `suggested` marks the optional model's pick. */
export interface RouteChoice {
  departmentId: number;
  departmentName: string;
  suggested: boolean;
}

export interface GrievanceCardView {
  code: string;
  compound: string;
  community: string;
  text: string;
  department: string;
  /** Why it went there, e.g. "匹配：电梯", "与 T0012 相似" or "未能确定职责部门，可能是…". */
  routedBy: string | null;
  /** When routing was unsure: the likeliest departments, for the fallback department to choose from. */
  routeChoices?: RouteChoice[];
  /** The optional model's suggestion and its reason, shown with the choices (a person still decides). */
  modelAdvice?: string | null;
  status: string;
  result: string | null;
  acceptDueLabel: string | null;
  resolveDueLabel: string | null;
  overdue: boolean;
  /** Note shown at the bottom (e.g. who acted last). */
  note?: string;
}

/** Single-use tokens for the buttons this card should offer; a missing token hides that button. */
export interface GrievanceCardTokens {
  accept?: string;
  transferOpen?: string;
  resolve?: string;
  /** One token for all the route-choice buttons (the first press uses it up). */
  route?: string;
}

const TEMPLATE: Record<string, Template> = { 待受理: 'orange', 已转办: 'orange', 处理中: 'blue', 已办结: 'green' };

/** The card a department's group gets for a routed grievance: 受理 / 转办, then 办结 once accepted. */
export function grievanceCard(v: GrievanceCardView, tokens: GrievanceCardTokens = {}): Card {
  const lines = [
    `**小区**：${md(v.compound)}（${md(v.community)}）`,
    `**诉求**：${md(v.text)}`,
    `**办理单位**：${md(v.department)}${v.routedBy ? `　<font color='grey'>${md(v.routedBy)}</font>` : ''}`,
    `**状态**：${v.status}${v.overdue ? "　<font color='red'>已超期</font>" : ''}`,
  ];
  if (v.status !== '已办结') {
    if (v.acceptDueLabel && (v.status === '待受理' || v.status === '已转办')) lines.push(`**受理时限**：${v.acceptDueLabel}`);
    if (v.resolveDueLabel) lines.push(`**办结时限**：${v.resolveDueLabel}`);
  }
  if (v.result) lines.push(`**办理结果**：${md(v.result)}`);
  const elements = [markdown(lines.join('\n'))];
  if (tokens.route && v.routeChoices?.length) {
    elements.push(hr());
    const advice = v.modelAdvice ? `\n<font color='grey'>${md(v.modelAdvice)}</font>` : '';
    elements.push(markdown(`**请选择职责部门**（按可能性排列，点选后即分派）：${advice}`));
    elements.push(
      buttonRow(
        v.routeChoices.map((c) =>
          button(`${c.suggested ? '建议：' : ''}转至${c.departmentName}`, { a: GRIEVANCE_ACTIONS.route, t: tokens.route!, d: c.departmentId }, c.suggested ? 'primary' : 'default'),
        ),
      ),
    );
  }
  const buttons = [];
  if (tokens.accept) buttons.push(button('受理', { a: GRIEVANCE_ACTIONS.accept, t: tokens.accept }, 'primary'));
  if (tokens.transferOpen) buttons.push(button('转办', { a: GRIEVANCE_ACTIONS.transferOpen, t: tokens.transferOpen }));
  if (tokens.resolve) {
    elements.push(hr());
    elements.push(
      form('resolve', [input('result', '办理结果', { placeholder: '例如：已更换电梯控制板，恢复运行', required: true, maxLength: FIELD_LIMITS.grievanceResult })], {
        text: '办结', kind: GRIEVANCE_ACTIONS.resolve, token: tokens.resolve,
      }),
    );
  }
  if (buttons.length) elements.push(buttonRow(buttons));
  if (v.note) elements.push(markdown(`<font color='grey'>${md(v.note)}</font>`));
  return card(`诉求 ${v.code}`, elements, { template: TEMPLATE[v.status] ?? 'blue', subtitle: v.status, summary: `诉求 ${v.code}：${v.compound}` });
}

/** The 转办 form: choose the department that should handle it and say why. */
export function transferFormCard(v: GrievanceCardView, departments: { id: number; name: string }[], token: string): Card {
  return card(
    `转办诉求 ${v.code}`,
    [
      markdown(`**小区**：${md(v.compound)}（${md(v.community)}）\n**诉求**：${md(v.text)}\n**当前办理单位**：${md(v.department)}`),
      form(
        'transfer',
        [
          select('department', '转办至', departments.map((d) => ({ text: d.name, value: String(d.id) }))),
          input('reason', '转办理由', { placeholder: '例如：属于维修资金使用问题', maxLength: FIELD_LIMITS.transferReason }),
        ],
        { text: '确认转办', kind: GRIEVANCE_ACTIONS.transfer, token },
      ),
    ],
    { template: 'orange' },
  );
}

/** Several compounds fit what was written: the person chooses; nothing is recorded until then. */
export function compoundChoiceCard(text: string, choices: { label: string; value: Record<string, unknown> }[]): Card {
  return card(
    '请选择诉求所在小区',
    [
      markdown(`您反映的诉求：${md(text)}\n可能涉及以下小区，请点选一个（选定后才会登记）：`),
      buttonRow(choices.map((c) => button(c.label, c.value))),
    ],
    { template: 'yellow' },
  );
}

/** The optional model's suggestion for an unsure grievance: a person presses one department (the suggested one first). */
export function routeAdviceCard(
  v: { code: string; compound: string; community: string; text: string; advice: string },
  choices: RouteChoice[],
  token: string,
): Card {
  return card(
    `诉求 ${v.code} 分派建议`,
    [
      markdown(`**小区**：${md(v.compound)}（${md(v.community)}）\n**诉求**：${md(v.text)}\n${md(v.advice)}`),
      buttonRow(
        choices.map((c) =>
          button(`${c.suggested ? '建议：' : ''}转至${c.departmentName}`, { a: GRIEVANCE_ACTIONS.route, t: token, d: c.departmentId }, c.suggested ? 'primary' : 'default'),
        ),
      ),
    ],
    { template: 'yellow', summary: `诉求 ${v.code} 分派建议` },
  );
}
