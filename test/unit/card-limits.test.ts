import { describe, expect, it } from 'vitest';
import { compoundCard } from '../../cards/compound.ts';
import { grievanceCard, transferFormCard } from '../../cards/grievance.ts';
import { confirmCard } from '../../cards/takeover-confirm.ts';
import { recordedCard } from '../../cards/takeover-recorded.ts';
import { PROMPT_PAGE_SIZE, reportPromptCard } from '../../cards/report-prompt.ts';
import { FIELD_LIMITS } from '../../src/domain/field-limits.ts';
import type { CompoundView } from '../../src/domain/compounds.ts';
import { checkCard, describeProblems } from '../support/card-rules.ts';

/** The longest values the bot stores, made of characters markdown escaping makes longest. */
const longest = (n: number) => '*'.repeat(n);
const longestTakeover = {
  company: longest(FIELD_LIMITS.company), nature: '外聘' as const, startDate: '2020-09-20',
  services: [longest(FIELD_LIMITS.services)], manager: longest(FIELD_LIMITS.manager), phone: '0632-88699171',
};
const accepted = (card: Record<string, unknown>) => expect(describeProblems(checkCard(card))).toBe('');

describe('cards stay within Lark’s limits at the largest stored values', () => {
  it('the compound card with a full takeover, history and edit form', () => {
    accepted(compoundCard({
      name: '梅园（西24.25号楼）', community: '梅园社区', track: 'upgrade', category: 2,
      takeover: { ...longestTakeover, remarks: longest(FIELD_LIMITS.remarks) },
      actions: ['环境卫生', '道路设施', '车辆停放', '服务质量'].map((name) => ({ name, state: '进行中' })),
      history: Array.from({ length: 5 }, () => ({ when: '9月20日 10:00', who: '张三', text: `记录入驻：${longest(200)}`, undone: false })),
      maskPhone: true, edit: { kind: 'compound.edit', token: 'tok_123456789' },
    }));
  });

  it('the result and confirmation cards, the latter offering 100 compounds to choose from', () => {
    accepted(recordedCard({ compound: '福源公寓', community: '梅园社区', takeover: longestTakeover, correction: true, category: { before: 1, after: 2 }, maskPhone: true, undo: { kind: 'change.undo', token: 'tok_123456789' } }));
    accepted(confirmCard({
      compound: null, fields: { ...longestTakeover, category: 2 }, natureInferred: true, missing: ['选择小区', '入驻时间'], notes: ['没有从消息中找到小区名称，请选择'],
      choices: Array.from({ length: 100 }, (_, i) => ({ id: i + 1, name: `城关街道第${i + 1}社区幸福家园小区`, community: '城关街道第一社区居民委员会' })),
      maskPhone: true, confirm: { kind: 'takeover.confirm', token: 'tok_123456789' },
    }));
  });

  it('the grievance card with the longest text and result, and the transfer form', () => {
    const v = {
      code: 'T0001', compound: '锦绣花园', community: '紫薇社区', text: longest(FIELD_LIMITS.grievanceText), department: '区市场监管局',
      routedBy: '按职责分派：电梯', status: '处理中', result: longest(FIELD_LIMITS.grievanceResult), acceptDueLabel: '9月29日（含）', resolveDueLabel: '10月12日（含）', overdue: true, note: longest(200),
    };
    accepted(grievanceCard(v, { transferOpen: 'tok_1', resolve: 'tok_2' }));
    accepted(transferFormCard(v, Array.from({ length: 40 }, (_, i) => ({ id: i, name: `部门${i}` })), 'tok_3'));
    accepted(transferFormCard(v, [], 'tok_3'));
  });

  it('every page of the report prompt of a 100-compound community', () => {
    const compound = (i: number): CompoundView => ({
      id: i, name: `城关街道第一社区幸福家园${i}号院`, community: '城关街道第一社区', communityId: 1, track: 'coverage', category: 2, aliases: [],
      takeover: { ...longestTakeover, remarks: null }, actions: null,
    } as unknown as CompoundView);
    const pages = Math.ceil(100 / PROMPT_PAGE_SIZE);
    for (let page = 0; page < pages; page++) {
      accepted(reportPromptCard({
        communityId: 1, community: '城关街道第一社区', due: '2020-10-15', dueLabel: '10月15日', effectiveDueLabel: '10月15日',
        mentions: Array.from({ length: 10 }, (_, i) => `<at id=ou_staff_${i}></at>`).join(' '),
        compounds: Array.from({ length: 100 }, (_, i) => ({ compound: compound(i + 1), gaps: ['负责人', '联系电话'] })), page,
      }));
    }
  });
});
