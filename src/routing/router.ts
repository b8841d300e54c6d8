import { NaiveBayes } from './naive-bayes.ts';
import { type KeywordRule, matchKeywordRule } from './rules.ts';
import { synonymRewriter } from './synonyms.ts';
import { blankNames, charNgrams, foldForRouting } from './text.ts';

/** A campaign rule with the phrasings that teach the classifier its department. */
export interface RoutingRuleSpec extends KeywordRule {
  phrasings: readonly string[];
}

export interface RoutingDepartment {
  id: number;
  name: string;
}

/** A grievance whose department a person confirmed (受理, 办结) or chose (转办, a button on the card). */
export interface ConfirmedExample {
  /** The grievance event that confirmed it (read from the database; absent in hand-made examples). */
  eventId?: number;
  grievanceId: number;
  code: string;
  text: string;
  departmentId: number;
  /** The compound's names, blanked before learning as they are before routing. */
  names: readonly string[];
}

export interface RouteCandidate {
  departmentId: number;
  departmentName: string;
  /** 0–1. */
  confidence: number;
}

/**
 * rule: a keyword of the campaign matched; learned: a grievance a person routed is nearly the same words, or
 * clearly the nearest; classifier: the classifier is sure enough; fallback: unsure, so the fallback department
 * chooses among the likeliest.
 */
export type RouteMethod = 'rule' | 'learned' | 'classifier' | 'fallback';

export interface RouteDecision {
  departmentId: number;
  departmentName: string;
  method: RouteMethod;
  /** 0–1: 1 for a rule. */
  confidence: number;
  /** Why, as the card and the reply say it: 匹配：电梯, 与 T0012 相似, 与“电动车老被偷”相似. */
  reason: string;
  rule: { code: string; topic: string; keyword: string } | null;
  /** The confirmed grievance the text resembles most, when that is why it went there. */
  similarCode: string | null;
  /** Every department the classifier knows, likeliest first. */
  ranked: RouteCandidate[];
  /** The three likeliest departments other than the fallback: the buttons when the fallback must choose. */
  candidates: RouteCandidate[];
}

export interface RouterSettings {
  /** Below this the classifier does not route alone (the campaign's routingClassifier.minConfidence). */
  minConfidence: number;
  synonyms: readonly (readonly string[])[];
  /** Similarity (0–1) at which a confirmed grievance decides over the rules: people's corrections win. */
  learnedOverride?: number;
  /** Softmax temperature over the classifier's summed evidence; smaller is more decisive. */
  temperature?: number;
  /** Confirmed grievances kept in the model (the most recent). */
  maxLearned?: number;
  /** Similarity at which a routed grievance may lead, when it is clearly closer than the classifier's pick… */
  learnedLead?: number;
  /** …by this factor over the most similar text of the department the classifier picked. */
  learnedMargin?: number;
  /** Naive Bayes smoothing. */
  alpha?: number;
  /** A document longer than this many features counts as that many (long complaints must not outweigh phrasings). */
  documentLength?: number;
  /**
   * When a matched keyword only names the place and the rest of the text is this sure of another department, the
   * keyword was incidental (有人把电瓶车推进电梯充电 is about charging, not the elevator) and the classifier decides.
   */
  incidentalKeyword?: number;
}

interface Doc {
  features: string[];
  departmentId: number;
  /** A campaign phrasing, or a confirmed grievance's code. */
  phrase: string | null;
  code: string | null;
}

const NGRAM = 2;

/** The keyword is where something happens, not what is wrong: 在电梯里, 进电梯, 电梯口, 楼道里. */
function namesAPlace(text: string, keyword: string): boolean {
  for (let at = text.indexOf(keyword); at >= 0; at = text.indexOf(keyword, at + 1)) {
    const before = text.slice(Math.max(0, at - 2), at);
    const after = text.charAt(at + keyword.length);
    if (/[在进到从往]$|推进$|带进$/.test(before) || /[里内口间旁前外]/.test(after)) return true;
  }
  return false;
}

/**
 * Stages (a) and (b) of routing: the campaign's keyword rules, then a classifier over character n-grams trained
 * from the campaign's phrasings and from every grievance a person routed; unsure texts go to the fallback
 * department with the three likeliest departments. Pure and deterministic: the same training gives the same
 * answers; `learn` and `forget` update it in place.
 */
export class GrievanceRouter {
  private readonly nb: NaiveBayes<number>;
  private readonly phrasingDocs: Doc[] = [];
  private readonly learned = new Map<number, Doc>();
  private readonly documentFrequency = new Map<string, number>();
  private readonly names: Map<number, string>;
  private readonly rewrite: (s: string) => string;
  private readonly settings: Required<RouterSettings>;

  constructor(
    private readonly rules: readonly RoutingRuleSpec[],
    departments: readonly RoutingDepartment[],
    private readonly fallback: RoutingDepartment,
    settings: RouterSettings,
  ) {
    this.settings = {
      learnedOverride: 0.7, learnedLead: 0.35, learnedMargin: 1.5, temperature: 1.2, maxLearned: 5000, alpha: 3, documentLength: 20,
      incidentalKeyword: 0.8, ...settings,
    };
    this.nb = new NaiveBayes<number>(this.settings.alpha);
    this.names = new Map(departments.map((d) => [d.id, d.name]));
    this.names.set(fallback.id, fallback.name);
    this.rewrite = synonymRewriter(settings.synonyms);
    for (const rule of rules) {
      for (const phrase of rule.phrasings) {
        const doc: Doc = { features: this.features(phrase, []), departmentId: rule.departmentId, phrase, code: null };
        this.phrasingDocs.push(doc);
        this.index(doc, 1);
      }
      for (const keyword of rule.keywords) this.nb.add(this.features(keyword, []), rule.departmentId);
    }
  }

  /** Teaches the router a person's routing; a later decision about the same grievance replaces the earlier. */
  learn(example: ConfirmedExample): void {
    const before = this.learned.get(example.grievanceId);
    if (before?.departmentId === example.departmentId) return;
    if (before) this.forget(example.grievanceId);
    const doc: Doc = { features: this.features(example.text, example.names), departmentId: example.departmentId, phrase: null, code: example.code };
    this.learned.set(example.grievanceId, doc);
    this.index(doc, 1);
    while (this.learned.size > this.settings.maxLearned) this.forget(this.learned.keys().next().value!);
  }

  forget(grievanceId: number): void {
    const doc = this.learned.get(grievanceId);
    if (!doc) return;
    this.learned.delete(grievanceId);
    this.index(doc, -1);
  }

  get learnedCount(): number {
    return this.learned.size;
  }

  /** Routes a grievance text; `exclude` are the compound's own names. */
  route(text: string, exclude: readonly string[] = []): RouteDecision {
    const blanked = blankNames(foldForRouting(text), exclude);
    const features = this.featuresOfBlanked(blanked);
    const ranked = this.rank(features);
    const candidates = ranked.filter((c) => c.departmentId !== this.fallback.id).slice(0, 3);
    const base = { ranked, candidates, rule: null, similarCode: null };

    const nearest = this.nearest(features, this.learned.values());
    if (nearest && nearest.similarity >= this.settings.learnedOverride) {
      return {
        ...base, ...this.target(nearest.doc.departmentId), method: 'learned', confidence: nearest.similarity,
        reason: `与 ${nearest.doc.code} 相似`, similarCode: nearest.doc.code,
      };
    }

    const match = matchKeywordRule(blanked, this.rules, foldForRouting);
    const incidental = match ? this.incidental(blanked, match.keyword, match.rule.departmentId) : null;
    if (incidental) {
      const like = this.nearest(features, this.docsOf(incidental.departmentId));
      return {
        ...base, ...this.target(incidental.departmentId), method: 'classifier', confidence: incidental.confidence,
        reason: this.likeReason(like, incidental.departmentName), similarCode: like?.doc.code ?? null,
      };
    }
    if (match) {
      return {
        ...base, ...this.target(match.rule.departmentId), method: 'rule', confidence: 1, reason: `匹配：${match.keyword}`,
        rule: { code: match.rule.code, topic: match.rule.topic, keyword: match.keyword },
      };
    }

    // A grievance a person routed that this text resembles clearly more than anything of the classifier's pick:
    // what people decided wins (few examples teach a naive Bayes little; their nearest neighbour says more).
    if (nearest && nearest.similarity >= this.settings.learnedLead && nearest.doc.departmentId !== ranked[0]?.departmentId) {
      const rival = ranked[0] ? this.nearest(features, this.docsOf(ranked[0].departmentId)) : null;
      if (!rival || nearest.similarity >= this.settings.learnedMargin * rival.similarity) {
        return {
          ...base, ...this.target(nearest.doc.departmentId), method: 'learned', confidence: nearest.similarity,
          reason: `与 ${nearest.doc.code} 相似`, similarCode: nearest.doc.code,
        };
      }
    }

    const top = ranked[0];
    if (top && top.confidence >= this.settings.minConfidence) {
      const like = this.nearest(features, this.docsOf(top.departmentId));
      return {
        ...base, ...this.target(top.departmentId), method: 'classifier', confidence: top.confidence,
        reason: this.likeReason(like, top.departmentName), similarCode: like?.doc.code ?? null,
      };
    }

    const guess = candidates.length ? `，可能是${candidates.map((c) => c.departmentName).join('、')}` : '';
    return { ...base, ...this.target(this.fallback.id), method: 'fallback', confidence: top?.confidence ?? 0, reason: `未能确定职责部门${guess}` };
  }

  private likeReason(like: { doc: Doc } | null, departmentName: string): string {
    if (like?.doc.code) return `与 ${like.doc.code} 相似`;
    if (like?.doc.phrase) return `与“${like.doc.phrase}”相似`;
    return `判断为${departmentName}`;
  }

  /**
   * The classifier's pick when the matched keyword only names the place where something else is wrong
   * (在电梯里打不出电话, 推进电梯带回家充电): the text without it is sure of another department, and no other
   * keyword of the rule's department is left in it.
   */
  private incidental(blanked: string, keyword: string, ruleDepartmentId: number): RouteCandidate | null {
    const k = foldForRouting(keyword);
    if (!namesAPlace(blanked, k)) return null;
    const rest = blanked.split(k).join('|');
    const again = matchKeywordRule(rest, this.rules, foldForRouting);
    if (again?.rule.departmentId === ruleDepartmentId) return null;
    const top = this.rank(this.featuresOfBlanked(rest))[0];
    if (!top || top.departmentId === ruleDepartmentId || top.confidence < this.settings.incidentalKeyword) return null;
    return top;
  }

  private target(departmentId: number): { departmentId: number; departmentName: string } {
    return { departmentId, departmentName: this.names.get(departmentId) ?? String(departmentId) };
  }

  private features(text: string, names: readonly string[]): string[] {
    return this.featuresOfBlanked(blankNames(foldForRouting(text), names));
  }

  private featuresOfBlanked(blanked: string): string[] {
    return charNgrams(this.rewrite(blanked), NGRAM);
  }

  private index(doc: Doc, sign: 1 | -1): void {
    const weight = Math.min(1, this.settings.documentLength / Math.max(1, doc.features.length));
    if (sign > 0) this.nb.add(doc.features, doc.departmentId, weight);
    else this.nb.remove(doc.features, doc.departmentId, weight);
    for (const f of doc.features) {
      const n = (this.documentFrequency.get(f) ?? 0) + sign;
      if (n > 0) this.documentFrequency.set(f, n);
      else this.documentFrequency.delete(f);
    }
  }

  private rank(features: readonly string[]): RouteCandidate[] {
    const { ranked, known, evidence } = this.nb.score(features);
    if (known === 0 || ranked.length === 0) return [];
    const best = ranked[0]!.score;
    // Scores are averages per unit of evidence; scaling back by the evidence makes a text that says little (few
    // telling words) less sure than a long, specific one.
    const temperature = this.settings.temperature / Math.max(evidence, 1e-9);
    const weights = ranked.map((r) => Math.exp((r.score - best) / temperature));
    const total = weights.reduce((a, b) => a + b, 0);
    return ranked.map((r, i) => ({ ...this.target(r.label), confidence: weights[i]! / total }));
  }

  private *docsOf(departmentId: number): Iterable<Doc> {
    for (const d of this.learned.values()) if (d.departmentId === departmentId) yield d;
    for (const d of this.phrasingDocs) if (d.departmentId === departmentId) yield d;
  }

  /** The most similar document (cosine over idf-weighted features); ties keep the first, learned before phrasings. */
  private nearest(features: readonly string[], docs: Iterable<Doc>): { doc: Doc; similarity: number } | null {
    const total = this.phrasingDocs.length + this.learned.size;
    const memo = new Map<string, number>();
    const idf = (f: string) => {
      let w = memo.get(f);
      if (w === undefined) memo.set(f, (w = Math.log(1 + total / (this.documentFrequency.get(f) ?? 1))));
      return w;
    };
    const query = new Map(features.map((f) => [f, idf(f)]));
    let queryNorm = 0;
    for (const w of query.values()) queryNorm += w * w;
    if (queryNorm === 0) return null;
    let best: { doc: Doc; similarity: number } | null = null;
    for (const doc of docs) {
      let dot = 0;
      let norm = 0;
      for (const f of doc.features) {
        const w = idf(f);
        norm += w * w;
        const q = query.get(f);
        if (q !== undefined) dot += q * w;
      }
      if (dot === 0 || norm === 0) continue;
      const similarity = dot / Math.sqrt(queryNorm * norm);
      if (!best || similarity > best.similarity) best = { doc, similarity };
    }
    return best;
  }
}
