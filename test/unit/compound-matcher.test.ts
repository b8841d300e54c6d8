import { describe, expect, it } from 'vitest';
import campaign from '../../campaigns/shanting-2020.json' with { type: 'json' };
import { type MatchableCompound, canonicalText, findCompoundCandidates, resolveCompound } from '../../src/understanding/compound-matcher.ts';

const compounds: MatchableCompound[] = campaign.compounds.map((c, i) => ({
  id: i + 1, name: c.name, aliases: c.aliases ?? [], community: c.community, communityId: campaign.communities.findIndex((x) => x.name === c.community) + 1,
}));
const names = (text: string) => findCompoundCandidates(text, compounds).map((c) => c.compound.name);
const resolved = (text: string) => {
  const r = resolveCompound(findCompoundCandidates(text, compounds));
  return r.kind === 'one' ? r.candidate.compound.name : r.kind === 'ambiguous' ? r.candidates.map((c) => c.compound.name).sort() : null;
};

describe('compound matcher', () => {
  it('folds full-width forms, punctuation and 栋 into one canonical text', () => {
    expect(canonicalText('梅园（西24、25号楼）')).toBe(canonicalText('梅园(西24.25号楼)'));
    expect(canonicalText('ＦＹＧＹ')).toBe('fygy');
    expect(canonicalText('西24栋')).toBe('西24号楼');
  });

  it.each([
    ['福源公寓已入驻', '福源公寓'],
    ['药材宿舍 兜底', '鑫盛公寓（药材宿舍）'],
    ['梅园西24栋', '梅园（西24.25号楼）'],
    ['梅园(西24、25号楼)', '梅园（西24.25号楼）'],
    ['安居 兜底', '安居小区'],
    ['fygy', '福源公寓'],
    ['ＦＹＧＹ 兜底', '福源公寓'],
    ['fuyuangongyu', '福源公寓'],
    ['福元公寓', '福源公寓'],
    ['40中宿舍', '四十中宿舍'],
    ['紫薇社区银山小区', '银山小区'],
    ['梅园社区福源公寓', '福源公寓'],
    ['裕升花园', '裕升山亭花园'],
  ])('%s → %s', (text, name) => {
    expect(resolved(text)).toBe(name);
  });

  it.each([
    ['欧情 外聘', ['欧情东苑', '欧情南苑', '欧情豪庭']],
    ['龙珠 已入驻', ['龙珠丽都', '龙珠百合']],
    ['梅园已入驻', ['梅园（西24.25号楼）', '梅花园']],
    ['福源公寓和福临公寓', ['福临公寓', '福源公寓']],
    ['福x公寓', ['福临公寓', '福地公寓', '福源公寓']],
  ])('never picks among close candidates: %s', (text, expected) => {
    expect(resolved(text)).toEqual(expected);
  });

  it('returns scored candidates, surest first', () => {
    const c = findCompoundCandidates('福元公寓', compounds);
    expect(c[0]!.compound.name).toBe('福源公寓');
    expect(c[0]!.score).toBeGreaterThan(c[1]?.score ?? 0);
    expect(c.every((x) => x.score > 0 && x.score <= 1)).toBe(true);
  });

  it('does not take the community 紫薇社区 for the compound when another compound is named, but offers it alone', () => {
    expect(names('紫薇社区银山小区')).toEqual(['银山小区']);
    const alone = findCompoundCandidates('紫薇社区已入驻', compounds);
    expect(alone.map((c) => c.compound.name)).toEqual(['紫薇社区']);
    expect(alone[0]!.score).toBeLessThan(0.8);
  });

  it('finds nothing in text without a compound', () => {
    expect(names('已入驻，鑫安物业，外聘')).toEqual([]);
    expect(resolveCompound([])).toEqual({ kind: 'none' });
  });
});
