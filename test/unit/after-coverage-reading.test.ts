import { describe, expect, it } from 'vitest';
import { findQuarter, lastMonthStart, quarterLabel, quarterOf, quarterRange, quartersBetween } from '../../src/calendar/quarters.ts';
import { formatAmount, parseAmountWord } from '../../src/understanding/amount-extract.ts';
import { companyKey, findCompanies, groupCompanies, resolveCompany } from '../../src/understanding/company-matcher.ts';
import { committeeWord, disclosureWord, readCommitteeText, readDisclosureText } from '../../src/understanding/after-coverage-text.ts';
import { parseScore } from '../../src/domain/assessments.ts';

const ITEMS = [
  { name: '服务内容', aliases: ['服务项目', '服务标准', '服务'] },
  { name: '收费', aliases: ['收费标准', '收费项目', '物业费', '价格'] },
  { name: '公共收益', aliases: ['公共收益情况', '经营收益', '收益'] },
  { name: '投诉渠道', aliases: ['投诉电话', '投诉方式', '监督电话', '投诉'] },
];

describe('quarters', () => {
  it('names, bounds and steps quarters', () => {
    expect(quarterOf('2020-12-20')).toBe('2020Q4');
    expect(quarterOf('2021-01-01')).toBe('2021Q1');
    expect(quarterLabel('2020Q4')).toBe('2020年第四季度');
    expect(quarterRange('2020Q1')).toEqual({ first: '2020-01-01', last: '2020-03-31' });
    expect(quarterRange('2020Q4')).toEqual({ first: '2020-10-01', last: '2020-12-31' });
    expect(lastMonthStart('2021Q2')).toBe('2021-06-01');
    expect(quartersBetween('2020Q3', '2021Q2')).toEqual(['2020Q3', '2020Q4', '2021Q1', '2021Q2']);
  });

  it('reads the ways people write a quarter, a missing year as the latest such quarter begun', () => {
    const today = '2021-01-15';
    expect(findQuarter('考核 福源公寓 四季度', today)?.quarter).toBe('2020Q4');
    expect(findQuarter('第一季度', today)?.quarter).toBe('2021Q1');
    expect(findQuarter('2020年第三季度', today)?.quarter).toBe('2020Q3');
    expect(findQuarter('2020年4季度', today)?.quarter).toBe('2020Q4');
    expect(findQuarter('2020Q2', today)?.quarter).toBe('2020Q2');
    expect(findQuarter('q4', today)?.quarter).toBe('2020Q4');
    expect(findQuarter('本季度', today)?.quarter).toBe('2021Q1');
    expect(findQuarter('上季度', today)?.quarter).toBe('2020Q4');
    expect(findQuarter('2021年第二季度', today)).toMatchObject({ quarter: null, problem: '2021年第二季度还没有开始' });
    // A compound named 四季花园 is no quarter.
    expect(findQuarter('四季花园', today)).toBeNull();
  });
});

describe('amounts and scores', () => {
  it('reads amounts in 元 and 万元 into 分, and leaves small bare numbers alone', () => {
    expect(parseAmountWord('2万元')).toBe(2_000_000);
    expect(parseAmountWord('1.5万')).toBe(1_500_000);
    expect(parseAmountWord('2万5千')).toBe(2_500_000);
    expect(parseAmountWord('20000')).toBe(2_000_000);
    expect(parseAmountWord('18,000元')).toBe(1_800_000);
    expect(parseAmountWord('￥3000.5')).toBe(300_050);
    expect(parseAmountWord('３万元')).toBe(3_000_000);
    expect(parseAmountWord('18')).toBeNull();
    expect(parseAmountWord('12月18日')).toBeNull();
    expect(formatAmount(2_000_000)).toBe('2万元');
    expect(formatAmount(1_800_000)).toBe('18,000元');
    expect(formatAmount(0)).toBe('0元');
  });

  it('reads scores within the maximum', () => {
    expect(parseScore('18', 20)).toEqual({ score: 18, problem: null });
    expect(parseScore('17.5分', 20)).toEqual({ score: 17.5, problem: null });
    expect(parseScore('１８', 20).score).toBe(18);
    expect(parseScore('25', 20).problem).toBe('25分超过满分20分');
    expect(parseScore('优', 20).problem).toContain('不是分数');
    expect(parseScore('-1', 20).score).toBeNull();
  });
});

describe('company names', () => {
  const known = groupCompanies(['鑫安物业', '鑫安物业服务有限公司', '鑫达物业', '华夏物业管理有限公司']);

  it('groups the ways one company is written by its core name', () => {
    expect(companyKey('鑫安物业服务有限公司')).toBe('鑫安');
    expect(companyKey('鑫安物业')).toBe('鑫安');
    expect(known.map((c) => c.key).sort()).toEqual(['华夏', '鑫安', '鑫达'].sort());
    expect(known.find((c) => c.key === '鑫安')!.variants.sort()).toEqual(['鑫安物业', '鑫安物业服务有限公司'].sort());
  });

  it('finds a company by part of its name, pinyin initials or a one-character slip, and never picks among close ones', () => {
    const one = (q: string) => {
      const r = resolveCompany(findCompanies(q, known));
      return r.kind === 'one' ? r.candidate.company.key : r.kind;
    };
    expect(one('鑫安')).toBe('鑫安');
    expect(one('鑫安物业公司')).toBe('鑫安');
    expect(one('华夏物业')).toBe('华夏');
    expect(one('hx')).toBe('华夏');
    expect(one('鑫')).toBe('none');
    expect(one('恒大')).toBe('none');
    const near = groupCompanies(['鑫安物业', '鑫安达物业']);
    expect(resolveCompany(findCompanies('鑫安', near))).toMatchObject({ kind: 'one', candidate: { company: { key: '鑫安' } } });
    expect(resolveCompany(findCompanies('安达', near))).toMatchObject({ kind: 'one', candidate: { company: { key: '鑫安达' } } });
  });
});

describe('公示 and 业委会 wording', () => {
  it('reads command words', () => {
    expect(committeeWord('已成立')).toBe('已成立');
    expect(committeeWord('成立')).toBe('已成立');
    expect(committeeWord('备案')).toBe('已备案');
    expect(committeeWord('筹备')).toBe('筹备中');
    expect(committeeWord('未成立')).toBe('未成立');
    expect(committeeWord('福源公寓')).toBeNull();
    expect(disclosureWord('已公示')).toBe('已公示');
    expect(disclosureWord('未公示')).toBe('未公示');
  });

  it('claims a plain statement of one state, and nothing that could mean something else', () => {
    expect(readCommitteeText('福源公寓业委会已成立')).toBe('已成立');
    expect(readCommitteeText('福源公寓业主委员会于10月20日正式成立')).toBe('已成立');
    expect(readCommitteeText('福源公寓业委会已成立并完成备案')).toBe('已备案');
    expect(readCommitteeText('安居小区业委会筹备组已成立')).toBe('筹备中');
    expect(readCommitteeText('安居小区正在筹备成立业委会')).toBe('筹备中');
    expect(readCommitteeText('建行宿舍业委会尚未成立')).toBe('未成立');
    expect(readCommitteeText('福源公寓业委会成立了吗？')).toBeNull();
    expect(readCommitteeText('福源公寓业委会自管，10月8日')).toBeNull();
    expect(readCommitteeText('福源公寓已入驻，业委会已成立，负责人王强')).toBeNull();
    expect(readCommitteeText('业委会和物业有矛盾，业委会已成立')).toBeNull();
    expect(readCommitteeText('福源公寓成立了')).toBeNull();

    expect(readDisclosureText('福源公寓收费标准已公示', ITEMS)).toEqual({ items: ['收费'], state: '已公示' });
    expect(readDisclosureText('福源公寓已公示服务内容和投诉电话', ITEMS)).toEqual({ items: ['服务内容', '投诉渠道'], state: '已公示' });
    expect(readDisclosureText('福源公寓各项内容均已公示', ITEMS)).toEqual({ items: ['服务内容', '收费', '公共收益', '投诉渠道'], state: '已公示' });
    expect(readDisclosureText('福源公寓公共收益还没有公示', ITEMS)).toEqual({ items: ['公共收益'], state: '未公示' });
    expect(readDisclosureText('福源公寓已公示', ITEMS)).toBeNull();
    expect(readDisclosureText('福源公寓收费标准公示了吗', ITEMS)).toBeNull();
    expect(readDisclosureText('福源公寓物业费太贵，没有公示收费', ITEMS)).toBeNull();
  });
});
