/**
 * The after-coverage settings of a campaign, with the built-in defaults filled in for a campaign file that
 * has no such sections (or was imported before they existed).
 */
import type { CampaignDefinition } from './schema.ts';
import {
  type AssessmentKind, type AssessmentSettings, type CompanyRecordSettings, type DisclosureSettings, type SubsidySettings,
  assessmentSchema, companyRecordsSchema, disclosureSchema, subsidySchema,
} from './after-coverage-schema.ts';

/** The notice's own words (§三.2, §六.4), as a provisional standard: the district sets the real one later. */
const DEFAULT_ASSESSMENT = {
  provisional: true,
  note: '默认标准，依据实施方案第三、六部分拟定，待区里正式印发考核验收标准后替换。',
  kinds: [
    {
      code: 'quarterly',
      name: '季度考核',
      subject: 'compound',
      period: 'quarter',
      compounds: 'managed',
      passMark: 80,
      assessors: { roles: ['street'] },
      items: [
        { code: 'contract', name: '合同履约', max: 20, basis: '服务合同履约情况' },
        { code: 'standard', name: '服务标准执行', max: 20, basis: '保洁、保安、护绿、维护秩序、设施维护等服务标准执行情况' },
        { code: 'fees', name: '收费标准', max: 10, basis: '按核定标准收费、明码标价' },
        { code: 'sanitation', name: '环境卫生', max: 10 },
        { code: 'roads', name: '道路设施', max: 10 },
        { code: 'parking', name: '车辆停放', max: 10 },
        { code: 'service', name: '服务质量', max: 10 },
        { code: 'disclosure', name: '公示', max: 5, basis: '服务内容、收费、公共收益、投诉渠道公示' },
        { code: 'complaints', name: '投诉处理', max: 5, basis: '投诉及时受理、办结，矛盾纠纷化解' },
      ],
    },
  ],
};

const DEFAULT_DISCLOSURE = {
  items: [
    { name: '服务内容', aliases: ['服务项目', '服务标准', '服务'] },
    { name: '收费', aliases: ['收费标准', '收费项目', '物业费', '价格'] },
    { name: '公共收益', aliases: ['公共收益情况', '经营收益', '收益'] },
    { name: '投诉渠道', aliases: ['投诉电话', '投诉方式', '监督电话', '投诉'] },
  ],
};

export interface AfterCoverageSettings {
  assessment: AssessmentSettings;
  /** Null when the campaign has no compound assessment 奖补 could follow. */
  subsidy: (SubsidySettings & { kind: AssessmentKind }) | null;
  /** 老旧小区 in the campaign's sense (the 附件4 list by default). */
  oldCompounds: SubsidySettings['oldCompounds'];
  companyRecords: CompanyRecordSettings;
  disclosure: DisclosureSettings;
}

const cache = new WeakMap<object, AfterCoverageSettings>();

/** The after-coverage settings of a campaign definition (parsed once per definition object). */
export function afterCoverageSettings(def: CampaignDefinition): AfterCoverageSettings {
  let s = cache.get(def);
  if (s) return s;
  const assessment = assessmentSchema.parse(def.assessment ?? DEFAULT_ASSESSMENT);
  const subsidyDef = subsidySchema.parse(def.subsidy ?? { steps: { apply: { roles: ['street'] }, review: {}, pay: {} } });
  const kind = subsidyDef.assessment
    ? assessment.kinds.find((k) => k.code === subsidyDef.assessment && k.subject === 'compound')
    : assessment.kinds.find((k) => k.subject === 'compound' && k.period === 'quarter');
  s = {
    assessment,
    subsidy: kind ? { ...subsidyDef, kind } : null,
    oldCompounds: subsidyDef.oldCompounds,
    companyRecords: companyRecordsSchema.parse(def.companyRecords ?? { writers: { roles: ['street'] } }),
    disclosure: disclosureSchema.parse(def.disclosure ?? DEFAULT_DISCLOSURE),
  };
  cache.set(def, s);
  return s;
}

export function assessmentKind(settings: AfterCoverageSettings, code: string): AssessmentKind | undefined {
  return settings.assessment.kinds.find((k) => k.code === code);
}

export const maxTotal = (k: AssessmentKind): number => k.items.reduce((s, i) => s + i.max, 0);

/** Whether a compound is an old compound (老旧小区) in the campaign's sense. */
export function isOldCompound(settings: AfterCoverageSettings, c: { name: string; track: 'coverage' | 'upgrade' }): boolean {
  return settings.oldCompounds.tracks.includes(c.track) || settings.oldCompounds.compounds.includes(c.name);
}
