import { describe, expect, it } from 'vitest';
import { loadCampaignFile } from '../../src/campaign/load.ts';
import { parseCampaign } from '../../src/campaign/schema.ts';
import { afterCoverageSettings, isOldCompound, maxTotal } from '../../src/campaign/after-coverage.ts';

const base = () => loadCampaignFile();
/** The default campaign as it was before the after-coverage sections existed. */
function withoutSections() {
  const { assessment: _a, subsidy: _s, companyRecords: _c, disclosure: _d, ...rest } = base();
  return rest;
}

describe('after-coverage sections of a campaign', () => {
  it('the default campaign carries a provisional standard from the notice, with the notice’s departments', () => {
    const s = afterCoverageSettings(base());
    expect(s.assessment.provisional).toBe(true);
    expect(s.assessment.note).toContain('另行制定');
    const [quarterly, acceptance] = s.assessment.kinds;
    expect(quarterly).toMatchObject({ code: 'quarterly', subject: 'compound', period: 'quarter', passMark: 80, deadline: 'acceptance-done' });
    expect(quarterly!.items.map((i) => i.name)).toEqual(['合同履约', '服务标准执行', '收费标准', '环境卫生', '道路设施', '车辆停放', '服务质量', '公示', '投诉处理']);
    expect(maxTotal(quarterly!)).toBe(100);
    expect(quarterly!.assessors).toEqual({ roles: ['street'], departments: ['区住建局'] });
    expect(acceptance).toMatchObject({ code: 'acceptance', subject: 'street', period: 'once' });
    expect(s.subsidy!.steps.pay.departments).toEqual(['区财政局']);
    expect(s.subsidy!.kind.code).toBe('quarterly');
    expect(isOldCompound(s, { name: '福源公寓', track: 'coverage' })).toBe(true);
    expect(isOldCompound(s, { name: '梅花园', track: 'upgrade' })).toBe(false);
    expect(s.disclosure.items.map((i) => i.name)).toEqual(['服务内容', '收费', '公共收益', '投诉渠道']);
    expect(s.companyRecords.digest).toEqual({ day: 1, time: '09:00', to: ['专班', '领导小组'] });
  });

  it('a campaign file without the sections stays valid and gets the built-in default, naming no department', () => {
    const def = parseCampaign(withoutSections());
    expect(def.assessment).toBeUndefined();
    const s = afterCoverageSettings(def);
    expect(s.assessment.provisional).toBe(true);
    expect(s.assessment.kinds.map((k) => k.code)).toEqual(['quarterly']);
    expect(s.assessment.kinds[0]!.assessors).toEqual({ roles: ['street'], departments: [] });
    expect(s.subsidy!.steps).toEqual({ apply: { roles: ['street'], departments: [] }, review: { roles: [], departments: [] }, pay: { roles: [], departments: [] } });
    expect(s.companyRecords.writers).toEqual({ roles: ['street'], departments: [] });
  });

  it('refuses names and numbers that do not fit the rest of the campaign, saying where', () => {
    const def = base();
    const kinds = def.assessment!.kinds;
    const bad = {
      ...def,
      assessment: { ...def.assessment!, kinds: [{ ...kinds[0]!, passMark: 120, deadline: 'no-such-day', assessors: { roles: ['street'], departments: ['区房管局'] } }, kinds[1]!] },
      subsidy: { ...def.subsidy!, assessment: 'acceptance', oldCompounds: { tracks: [], compounds: ['不存在的小区'] } },
    };
    let message = '';
    try {
      parseCampaign(bad);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('assessment.kinds.0.passMark: pass mark 120 is above the maximum 100');
    expect(message).toContain('assessment.kinds.0.deadline: unknown deadline no-such-day');
    expect(message).toContain('assessment.kinds.0.assessors.departments.0: unknown department 区房管局');
    expect(message).toContain('subsidy.assessment: 奖补 follows a compound assessment');
    expect(message).toContain('subsidy.oldCompounds.compounds.0: unknown compound 不存在的小区');
    expect(() => parseCampaign({ ...def, assessment: { ...def.assessment!, kinds: [{ ...kinds[0]!, items: [] }] } })).toThrow(/items/);
    expect(() => parseCampaign({ ...def, assessment: { ...def.assessment!, kinds: [{ ...kinds[0]!, colour: 'red' }] } })).toThrow(/colour/);
  });
});
