import { describe, expect, it } from 'vitest';
import campaign from '../../campaigns/shanting-2020.json' with { type: 'json' };
import { extractStartDate, findDates, parseDateField } from '../../src/understanding/date-extract.ts';
import { findPhones, parsePhoneField } from '../../src/understanding/phone-extract.ts';
import { parseNatureWord } from '../../src/understanding/company-extract.ts';
import { extractCategory, parseCategoryWord, parseServicesField } from '../../src/understanding/detail-extract.ts';
import { isPersonName, nameAtStart } from '../../src/understanding/person-names.ts';
import type { MatchableCompound } from '../../src/understanding/compound-matcher.ts';
import { type TakeoverFields, readTakeoverReport } from '../../src/understanding/takeover-report.ts';
import { readIntent } from '../../src/understanding/intent.ts';

const TODAY = '2020-09-28';
const compounds: MatchableCompound[] = campaign.compounds.map((c, i) => ({
  id: i + 1, name: c.name, aliases: c.aliases ?? [], community: c.community, communityId: campaign.communities.findIndex((x) => x.name === c.community) + 1,
}));
const read = (text: string, today = TODAY) => readTakeoverReport(text, compounds, today);
const one = (text: string) => {
  const r = read(text);
  expect(r.readings).toHaveLength(1);
  return r.readings[0]!;
};
const fields = (text: string): Partial<TakeoverFields> => one(text).fields;

describe('dates', () => {
  it.each([
    ['2020-09-20', '2020-09-20'], ['2020/9/20', '2020-09-20'], ['2020.9.20', '2020-09-20'], ['2020年9月20日', '2020-09-20'],
    ['9月20日', '2020-09-20'], ['9月20号', '2020-09-20'], ['9月20', '2020-09-20'], ['9.20', '2020-09-20'], ['9.1', '2020-09-01'],
    ['今天', '2020-09-28'], ['昨天', '2020-09-27'], ['前天', '2020-09-26'], ['２０２０年９月２０日', '2020-09-20'],
    ['十月九号', null], ['九月二十日', '2020-09-20'], ['9-28', '2020-09-28'], ['9/23', '2020-09-23'], ['20200915', '2020-09-15'],
    ['2020.9.15', '2020-09-15'], ['19年5月1日', '2019-05-01'], ['二〇二〇年九月二十日', '2020-09-20'], ['上周五', '2020-09-25'],
    ['本月3号', '2020-09-03'], ['上个月20号', '2020-08-20'], ['本周一', '2020-09-28'], ['2020年09月20日', '2020-09-20'],
  ])('%s → %s', (text, date) => {
    const r = extractStartDate(`福源公寓 ${text} 入驻`, TODAY);
    // 十月九号 is after 9月28日: refused, not misread.
    if (date === null) expect(r.problem).toContain('晚于今天');
    else expect(r).toEqual({ date, raw: expect.any(String), problem: null });
  });

  it('reads the year from the message, a two-digit year as written, and refuses a future or impossible date', () => {
    expect(extractStartDate('10.8', '2020-10-09').date).toBe('2020-10-08');
    expect(extractStartDate('十月九号', '2020-10-10').date).toBe('2020-10-09');
    expect(extractStartDate('10.8', TODAY).problem).toContain('晚于今天');
    expect(extractStartDate('2月30日', TODAY).problem).toContain('不存在');
    expect(extractStartDate('13月5日', TODAY).problem).toContain('不存在');
    expect(extractStartDate('下周一', TODAY).problem).toContain('晚于今天');
  });

  it('does not read amounts, building numbers, rooms or phone numbers as dates', () => {
    expect(findDates('物业费1.5元 梅园西24.25号楼 3号楼 3-2-301室 0632-8869917 13905321234', TODAY)).toEqual([]);
  });

  it('knows a month or a festival is not a day', () => {
    expect(findDates('2019年6月', TODAY).map((d) => [d.kind, d.date])).toEqual([['vague', null]]);
    expect(findDates('9月底', TODAY).map((d) => d.kind)).toEqual(['vague']);
  });

  it('prefers the date next to 入驻 when there are several', () => {
    expect(extractStartDate('9月1日签约，9月20日进驻', TODAY).date).toBe('2020-09-20');
  });

  it('reads a form field only when it is one date', () => {
    expect(parseDateField('9月20日', TODAY).date).toBe('2020-09-20');
    expect(parseDateField('9月底', TODAY).date).toBeNull();
    expect(parseDateField('9月1日或9月2日', TODAY).date).toBeNull();
  });
});

describe('phones', () => {
  it.each([
    ['13905321234', '13905321234'], ['139 0532 1234', '13905321234'], ['139-0532-1234', '13905321234'], ['+86 139 0532 1234', '13905321234'],
    ['+86-13905321234', '13905321234'], ['139.0532.1234', '13905321234'], ['１３９０５３２１２３４', '13905321234'],
    ['0632-8869917', '0632-8869917'], ['(0632)8869917', '0632-8869917'], ['0632 8869917', '0632-8869917'], ['０６３２－８８６９９１７', '0632-8869917'],
  ])('%s → %s', (text, phone) => {
    expect(findPhones(`负责人王强 ${text}`).map((p) => p.phone)).toEqual([phone]);
  });
  it('refuses a form field that is not one phone number', () => {
    expect(parsePhoneField('12345').phone).toBeNull();
    expect(parsePhoneField('1390532123').phone).toBeNull();
    expect(parsePhoneField('139 0532 1234').phone).toBe('13905321234');
  });
});

describe('names, natures, services, categories', () => {
  it('knows a person’s name from the words around it', () => {
    for (const n of ['王强', '欧阳娜娜', '张晓明', '小李', '王经理', '李主任', '韩梅梅']) expect(isPersonName(n)).toBe(true);
    for (const n of ['电话', '物业', '社区主任', '合同', '鑫安']) expect(isPersonName(n)).toBe(false);
    expect(nameAtStart('王强电话')).toBe('王强');
    expect(nameAtStart('孙梅担任')).toBe('孙梅');
  });
  it('reads form words for the nature, services and category', () => {
    expect(parseNatureWord('社区兜底')).toBe('自主');
    expect(parseNatureWord('外聘')).toBe('外聘');
    expect(parseNatureWord('随便')).toBeNull();
    expect(parseServicesField('保洁、绿化 垃圾清运')).toEqual(['保洁', '护绿', '垃圾清运']);
    expect(extractCategory('二类小区')).toBe(2);
    expect(extractCategory('类别：3')).toBe(3);
    expect(parseCategoryWord('一类')).toBe(1);
    expect(parseCategoryWord('4')).toBeNull();
  });
});

describe('the reader accounts for every part of a report', () => {
  it('reads a complete report', () => {
    expect(fields('福源公寓已入驻，鑫安物业，外聘，9月20日进驻，负责人王强 13905321234')).toMatchObject({
      company: '鑫安物业', nature: '外聘', startDate: '2020-09-20', manager: '王强', phone: '13905321234', remarks: null,
    });
    expect(one('福源公寓已入驻，鑫安物业，外聘，9月20日进驻，负责人王强 13905321234')).toMatchObject({ doubts: [], leftovers: [] });
  });

  it.each([
    ['书香花苑和福临公寓都是阳光物业，9月15日入驻', '阳光物业'],
    ['教育宿舍今天入驻了金盾物业', '金盾物业'],
    ['安居小区 昨天换了物业 新物业是康馨物业', '康馨物业'],
    ['四十中宿舍已经落实物业，山城街道物业服务中心，自主管理', '山城街道物业服务中心'],
    ['福源公寓 枣庄龙珠物业管理有限公司 外聘 2020年9月1日', '枣庄龙珠物业管理有限公司'],
    ['医院宿舍 外聘 紫薇物业 9月10日', '紫薇物业'],
    ['桂花园 欧亚城物业 9月1日', '欧亚城物业'],
    ['医院宿舍由华泰物业管理，9月15日入驻', '华泰物业'],
    ['福临公寓那个物业是恒泰物业，9.22进来的', '恒泰物业'],
    ['福源公寓鑫安物业外聘9月20日', '鑫安物业'],
  ])('bounds the company in %s', (text, company) => {
    const r = read(text);
    for (const x of r.readings) expect(x.fields.company).toBe(company);
  });

  it('takes a company named after a place for a company, not for the compound', () => {
    expect(one('医院宿舍 外聘 紫薇物业 9月10日').mention!.candidates[0]!.compound.name).toBe('医院宿舍');
    expect(one('欧亚城 欧亚城物业 外聘 2018年5月1日').mention!.candidates[0]!.compound.name).toBe('欧亚城');
  });

  it('reads managers after titles, the title not being part of the name', () => {
    expect(fields('华润纸厂宿舍 社区兜底 9月5日 负责人是社区主任孙梅').manager).toBe('孙梅');
    expect(fields('银山小区 业委会自管 9月12日 负责人社区书记马丽').manager).toBe('马丽');
    expect(fields('福临公寓 社区兜底 9月20日 负责人：主任李华').manager).toBe('李华');
    expect(fields('福源公寓 鑫安物业 9.20 王强13905321234').manager).toBe('王强');
  });

  it('keeps how a self-run compound is run', () => {
    expect(fields('药材宿舍 社区兜底 10.8').remarks).toBe('社区兜底');
    expect(fields('安居小区 业委会自管 9月1日')).toMatchObject({ nature: '自主', remarks: '业委会自管' });
    expect(fields('四十中宿舍 街道兜底 9月20日').remarks).toBe('街道兜底');
  });

  it('shows words it did not understand, as written', () => {
    expect(one('福源公寓 鑫安物业 9月20日 合同签了三年').leftovers).toEqual(['合同签了三年']);
  });

  it('doubts a field written twice or a guess, and reads a chatty correction without inventing a company', () => {
    expect(one('福源公寓 鑫安物业 9月20日 电话13905321234 13605321111').doubts.join()).toContain('电话');
    expect(one('福源公寓 鑫安物业 9月1日 9月20日').doubts.join()).toContain('日期');
    const chatty = one('福源公寓那个物业是鑫安的外聘的九月二十号进来的负责人王强');
    expect(chatty).toMatchObject({ companyRef: '鑫安', leftovers: [], doubts: [] });
    expect(chatty.fields).toMatchObject({ company: null, nature: '外聘', startDate: '2020-09-20', manager: '王强', phone: null });
  });

  it('gives each compound of a message its own fields', () => {
    const r = read('福源公寓 鑫安物业 9月20日；建行宿舍 金盾物业 9月21日');
    expect(r.readings.map((x) => [x.mention!.candidates[0]!.compound.name, x.fields.company, x.fields.startDate])).toEqual([
      ['福源公寓', '鑫安物业', '2020-09-20'], ['建行宿舍', '金盾物业', '2020-09-21'],
    ]);
    const both = read('福源公寓和福临公寓分别由鑫安物业、恒泰物业入驻，9月20日');
    expect(both.readings.map((x) => x.fields.company)).toEqual(['鑫安物业', '恒泰物业']);
  });

  it('offers a near match instead of taking it', () => {
    const m = one('福缘公寓 鑫安物业 外聘 9月20日').mention!;
    expect(m.candidates[0]).toMatchObject({ fuzzy: true });
    expect(m.candidates[0]!.compound.name).toBe('福源公寓');
  });
});

describe('intent', () => {
  it.each([
    ['福源公寓已入驻，鑫安物业', 'takeover'], ['药材宿舍 社区兜底 10.8', 'takeover'], ['福源公寓 9月20日', 'takeover'],
    ['福源公寓 负责人王强', 'takeover'], ['福源公寓 电梯坏了', 'grievance'], ['锦绣花园 2号楼电梯三天两头停运', 'grievance'],
    ['福源公寓物业收费太高', 'grievance'], ['福源公寓停车难，联系人王强', 'grievance'], ['福源公寓入驻了吗？', 'question'],
    ['还有哪些小区没入驻', 'question'], ['福源公寓还没入驻', 'not-yet'], ['梅花园道路设施正在进行中', 'action'],
    ['福源公寓是二类小区', 'category'], ['福源公寓已入驻鑫安物业，但是3号楼电梯坏了', 'competing'], ['谢谢', 'chatter'], ['进度', 'none'],
  ])('%s → %s', (text, kind) => {
    expect(readIntent(text).kind).toBe(kind);
  });
  it('does not read a message longer than it can read', () => {
    expect(readIntent('福源公寓已入驻'.repeat(200)).kind).toBe('too-long');
  });
});
