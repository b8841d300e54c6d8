import { describe, expect, it } from 'vitest';
import { progressCard, type ProgressCardView } from '../../cards/progress.ts';
import { cardText } from '../support/recording-messenger.ts';
import { checkCard, describeProblems } from '../support/card-rules.ts';

/** A city: 100 communities of 100 compounds each (10,000), half of each on each track, unevenly advanced. */
function cityView(): ProgressCardView {
  const communities = Array.from({ length: 100 }, (_, i) => ({
    name: `城关街道第${i + 1}社区居民委员会`,
    coverage: { total: 50, covered: (i * 7) % 51 },
    upgrade: { total: 50, done: (i * 13) % 51 },
    grievancesOpen: i * 3,
  }));
  const sum = (f: (c: (typeof communities)[number]) => number) => communities.reduce((n, c) => n + f(c), 0);
  return {
    title: '城关街道物业管理全覆盖进度',
    scopeLabel: '示范区城关街道',
    asOfLabel: '2020年10月12日 10:00',
    coverage: { total: sum((c) => c.coverage.total), covered: sum((c) => c.coverage.covered) },
    upgrade: { total: 5000, done: sum((c) => c.upgrade.done), actionsDone: 12345, actionsTotal: 20000 },
    grievances: { open: sum((c) => c.grievancesOpen), overdue: 321, resolved: 200000 },
    period: {
      dueLabel: '10月15日',
      effectiveDueLabel: '10月15日',
      confirmed: communities.slice(0, 30).map((c) => c.name),
      missing: communities.slice(30).map((c) => c.name),
    },
    communities,
    actions: ['环境卫生', '道路设施', '车辆停放', '服务质量'].map((action, i) => ({ action, done: 3000 + i, doing: 1000, todo: 1000 - i })),
  };
}

describe('进度 card at city scale', () => {
  it('stays under Lark’s 30 KB card limit by naming the largest gaps and summing the rest', () => {
    const v = cityView();
    expect(v.coverage.total + v.upgrade.total).toBe(10_000);
    const card = progressCard(v);
    const bytes = Buffer.byteLength(JSON.stringify(card), 'utf8');
    expect(bytes).toBeLessThan(30 * 1024);
    expect(describeProblems(checkCard(card))).toBe('');

    const text = cardText(card);
    expect(text).toContain(`已入驻 **${v.coverage.covered}/${v.coverage.total}**`);
    expect(text).toContain('其余 90 个社区');
    expect(text).toContain('等 70 个社区');
    // The communities with the largest gaps are the ones named.
    const gap = (c: ProgressCardView['communities'][number]) => c.coverage.total - c.coverage.covered + c.upgrade.total - c.upgrade.done;
    const worst = [...v.communities].sort((a, b) => gap(b) - gap(a))[0]!;
    const best = [...v.communities].sort((a, b) => gap(a) - gap(b))[0]!;
    expect(text).toContain(`**${worst.name}**`);
    expect(text).not.toContain(`**${best.name}**`);
    // Named communities and the 其余 line add up to the whole.
    const named = v.communities.filter((c) => text.includes(`**${c.name}**`));
    const rest = v.communities.filter((c) => !named.includes(c));
    const restCovered = rest.reduce((n, c) => n + c.coverage.covered, 0);
    expect(text).toContain(`其余 90 个社区：入驻 ${restCovered}/${rest.length * 50}`);

    const elements = (card.body as { elements: Record<string, unknown>[] }).elements;
    const chart = elements.find((e) => e.tag === 'chart') as { chart_spec: { data: { values: unknown[] } } };
    expect(chart.chart_spec.data.values).toHaveLength(20);
  });
});
