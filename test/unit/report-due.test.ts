import { describe, expect, it } from 'vitest';
import { loadCampaignFile } from '../../src/campaign/load.ts';
import { createWorkCalendar } from '../../src/calendar/workdays.ts';
import type { CampaignInfo } from '../../src/domain/campaign.ts';
import { defaultDue, resolveDue } from '../../src/report/due.ts';
import { changesMarkdown, newlyCoveredBetween, type PeriodChanges } from '../../src/report/changes.ts';
import type { ReportRow, ReportView } from '../../src/report/view.ts';

function campaign(over: Partial<CampaignInfo> = {}): CampaignInfo {
  const definition = loadCampaignFile();
  return {
    id: 1, code: definition.code, name: definition.name, district: definition.district, street: definition.street,
    timezone: definition.timezone, startsOn: definition.startsOn, endsOn: definition.endsOn, definition, ...over,
  };
}
const calendar = createWorkCalendar();
const at = (iso: string) => new Date(iso);

describe('report dates', () => {
  it('reads the forms people type, full-width digits included', () => {
    const c = campaign();
    const now = at('2020-10-08T10:00:00+08:00');
    for (const text of ['2020-10-01', '2020/10/1', '2020年10月1日', '10月1日', '10月1号', '10.1', '10/1', '１０月１日', ' 10-01 ']) {
      const r = resolveDue(c, calendar, text, now);
      expect(r.ok && r.period, text).toEqual({ due: '2020-10-01', effectiveDue: '2020-09-30' });
    }
  });

  it('maps an effective due day to its period and refuses other days, listing the report days', () => {
    const c = campaign();
    const now = at('2020-10-08T10:00:00+08:00');
    const r = resolveDue(c, calendar, '9.30', now);
    expect(r.ok && r.period.due).toBe('2020-10-01');
    const wrong = resolveDue(c, calendar, '2021年10月1日', now);
    expect(wrong.ok).toBe(false);
    expect(!wrong.ok && wrong.message).toContain('2021年10月1日不是报送日');
    expect(!wrong.ok && wrong.message).toContain('9月15日、10月1日、10月15日');
    expect(resolveDue(c, calendar, '2月30日', now).ok).toBe(false);
  });

  it('picks the year nearest to today when a campaign runs over New Year, and defaults to the current period', () => {
    const c = campaign({ startsOn: '2020-09-10', endsOn: '2021-10-20' });
    expect(resolveDue(c, calendar, '10月1日', at('2021-09-20T10:00:00+08:00'))).toMatchObject({ ok: true, period: { due: '2021-10-01' } });
    expect(resolveDue(c, calendar, '10月1日', at('2020-12-20T10:00:00+08:00'))).toMatchObject({ ok: true, period: { due: '2020-10-01' } });
    expect(defaultDue(c, calendar, at('2020-10-08T10:00:00+08:00'))).toBe('2020-10-15');
    expect(defaultDue(campaign(), calendar, at('2021-03-01T10:00:00+08:00'))).toBe('2020-12-15');
  });
});

describe('changes between two tables', () => {
  const row = (compound: string, covered: boolean): ReportRow => ({
    seq: 1, community: '梅园社区', compound, track: 'coverage', category: null,
    takeover: covered ? { company: '鑫安物业', nature: '外聘', startDate: '2020-10-05', services: [], manager: null, phone: null, remarks: null } : null,
  });
  const view = (rows: ReportRow[]) => ({ rows }) as unknown as ReportView;

  it('finds the compounds covered since the previous table, and keeps the summary short', () => {
    const prev = view([row('甲', true), row('乙', false), row('丙', false)]);
    const curr = view([row('甲', true), row('乙', true), row('丙', false)]);
    expect(newlyCoveredBetween(prev, curr).map((c) => c.compound)).toEqual(['乙']);
    expect(newlyCoveredBetween(null, curr).map((c) => c.compound)).toEqual(['甲', '乙']);
    // An upgrade compound's company being entered is not a new takeover.
    const upgraded = view([row('甲', true), { ...row('丁', true), track: 'upgrade' }]);
    expect(newlyCoveredBetween(view([row('甲', true)]), upgraded)).toEqual([]);

    const many = Array.from({ length: 30 }, (_, i) => ({ compound: `小区${i}`, community: 'x', company: null, nature: '自主' as const, startDate: '2020-10-05' }));
    const changes: PeriodChanges = {
      previous: { due: '2020-10-01', effectiveDue: '2020-09-30' }, current: { due: '2020-10-15', effectiveDue: '2020-10-15' },
      since: '', until: '', newlyCovered: many, newGrievances: [], resolvedGrievances: [],
    };
    const md = changesMarkdown(changes);
    expect(md).toContain('较上期（10月1日）变化');
    expect(md).toContain('新增入驻 30 个小区：小区0、');
    expect(md).toContain('小区7等');
    expect(md).not.toContain('项');
    expect(md).not.toContain('小区29');
    expect(md).toContain('新增诉求 0 件');
  });
});
