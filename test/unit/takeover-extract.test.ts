import { describe, expect, it } from 'vitest';
import { extractStartDate, findDates } from '../../src/understanding/date-extract.ts';
import { findPhones, parsePhoneField } from '../../src/understanding/phone-extract.ts';
import { extractCompany, extractNature } from '../../src/understanding/company-extract.ts';
import { extractCategory, extractManager, extractServices, parseCategoryWord } from '../../src/understanding/detail-extract.ts';
import { looksLikeTakeoverReport } from '../../src/understanding/takeover-report.ts';

const TODAY = '2020-09-28';

describe('dates', () => {
  it.each([
    ['2020-09-20', '2020-09-20'], ['2020/9/20', '2020-09-20'], ['2020.9.20', '2020-09-20'], ['2020年9月20日', '2020-09-20'],
    ['9月20日', '2020-09-20'], ['9月20号', '2020-09-20'], ['9.20', '2020-09-20'], ['9.1', '2020-09-01'],
    ['今天', '2020-09-28'], ['昨天', '2020-09-27'], ['前天', '2020-09-26'], ['２０２０年９月２０日'.normalize('NFKC'), '2020-09-20'],
  ])('%s → %s', (text, date) => {
    expect(extractStartDate(`福源公寓 ${text} 入驻`, TODAY)).toEqual({ date, raw: expect.any(String), problem: null });
  });

  it('reads the year from the message and refuses a future or impossible date', () => {
    expect(extractStartDate('10.8', '2020-10-09').date).toBe('2020-10-08');
    expect(extractStartDate('10.8', TODAY).problem).toContain('晚于今天');
    expect(extractStartDate('2月30日', TODAY).problem).toContain('不存在');
  });

  it('does not read amounts, building numbers or phone numbers as dates', () => {
    expect(findDates('物业费1.5元 梅园西24.25号楼 0632-8869917', TODAY)).toEqual([]);
  });

  it('prefers the date next to 入驻 when there are several', () => {
    expect(extractStartDate('9月1日签约，9月20日进驻', TODAY).date).toBe('2020-09-20');
  });
});

describe('phones', () => {
  it.each([
    ['13905321234', '13905321234'], ['139 0532 1234', '13905321234'], ['139-0532-1234', '13905321234'],
    ['0632-8869917', '0632-8869917'], ['(0632)8869917', '0632-8869917'],
  ])('%s → %s', (text, phone) => {
    expect(findPhones(`负责人王强 ${text}`).map((p) => p.phone)).toEqual([phone]);
  });
  it('refuses a form field that is not one phone number', () => {
    expect(parsePhoneField('12345').phone).toBeNull();
    expect(parsePhoneField('139 0532 1234').phone).toBe('13905321234');
  });
});

describe('company, nature, services, manager, category', () => {
  it.each([
    ['鑫安物业，外聘', '鑫安物业'], ['由山亭区鑫安物业服务有限公司入驻', '山亭区鑫安物业服务有限公司'],
    ['物业公司为华泰物业', '华泰物业'], ['鑫源物业服务中心', '鑫源物业服务中心'], ['外聘恒泰物业公司', '恒泰物业公司'],
  ])('%s → %s', (text, company) => {
    expect(extractCompany(text)?.company).toBe(company);
  });
  it('finds no company in 社区兜底 / 无物业 / 物业管理', () => {
    for (const t of ['社区兜底', '无物业，业委会自管', '物业管理全覆盖']) expect(extractCompany(t)).toBeNull();
  });
  it('reads the nature, infers 外聘 from a company, and notices a conflict', () => {
    expect(extractNature('选聘', null).nature).toBe('外聘');
    expect(extractNature('业委会自管', null).nature).toBe('自主');
    expect(extractNature('社区兜底', null).nature).toBe('自主');
    expect(extractNature('鑫安物业', '鑫安物业')).toEqual({ nature: '外聘', conflicting: false, inferred: true });
    expect(extractNature('9月20日', null).nature).toBeNull();
    expect(extractNature('外聘 兜底', null).conflicting).toBe(true);
  });
  it('reads services, the manager and the category', () => {
    expect(extractServices('服务内容：保洁、保安、护绿、垃圾清运')).toEqual(['保洁', '保安', '护绿', '垃圾清运']);
    expect(extractServices('秩序维护和设施维护')).toEqual(['维护秩序', '设施维护']);
    expect(extractManager('负责人王强13905321234')).toBe('王强');
    expect(extractManager('联系人：欧阳娜娜')).toBe('欧阳娜娜');
    expect(extractManager('王经理 13806321234')).toBe('王经理');
    expect(extractCategory('二类')).toBe(2);
    expect(extractCategory('类别：3')).toBe(3);
    expect(parseCategoryWord('一类')).toBe(1);
    expect(parseCategoryWord('4')).toBeNull();
  });
});

describe('which texts read like takeover reports', () => {
  it.each(['福源公寓已入驻，鑫安物业', '药材宿舍 社区兜底 10.8', '福源公寓 9月20日', '福源公寓 负责人王强'])('claims %s', (t) => {
    expect(looksLikeTakeoverReport(t)).toBe(true);
  });
  it.each(['福源公寓 电梯坏了', '锦绣花园 3号楼噪音', '投诉 福源公寓物业不作为', '福源公寓物业收费太高', '进度'])('leaves %s', (t) => {
    expect(looksLikeTakeoverReport(t)).toBe(false);
  });
});
