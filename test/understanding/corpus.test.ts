/**
 * Issue 11, Must show 1 and 2 for the takeover reader: every message of the corpus goes through the real bot,
 * and none of them writes a wrong value, drops a field it gave, or loses a field from its card.
 * Slow by nature (about 500 messages, each on a fresh copy of a real database): one file, run once.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CORPUS_SETS, type CaseResult, corpusImage, evaluateSet, loadCorpus } from './takeover-eval.ts';

const metric = (r: Awaited<ReturnType<typeof evaluateSet>>['report'], name: string) => r.metrics.find((m) => m.name === name)!.value;
const listed = (results: CaseResult[], pick: (r: CaseResult) => boolean) =>
  results.filter(pick).map((r) => `${r.text} → ${r.problems.join('; ')}`).join('\n');

describe('the takeover reader on the corpus, through the real bot', () => {
  let image: Buffer;
  beforeAll(async () => {
    image = await corpusImage();
  });

  it('holds enough messages of each kind, each with its expected outcome', () => {
    const takeover = loadCorpus('takeover.json');
    const noWrite = loadCorpus('no-write.json');
    const intent = loadCorpus('intent.json');
    expect(takeover.length).toBeGreaterThanOrEqual(200);
    expect(noWrite.length).toBeGreaterThanOrEqual(40);
    expect(intent.filter((c) => c.expect.grievance).length).toBeGreaterThanOrEqual(40);
    // Several compounds, corrections, self-run, near names, cards and refusals are all represented.
    expect(takeover.filter((c) => (c.expect.card?.length ?? 0) > 1).length).toBeGreaterThanOrEqual(8);
    expect(takeover.filter((c) => c.before?.length).length).toBeGreaterThanOrEqual(20);
    expect(takeover.filter((c) => c.expect.write?.some((w) => w.takeover?.nature === '自主')).length).toBeGreaterThanOrEqual(30);
    expect(takeover.filter((c) => c.expect.refuse).length).toBeGreaterThanOrEqual(8);
  });

  it.each(CORPUS_SETS)('%s: no wrong or incomplete write, no field dropped from a card', async (set, file) => {
    const { report, results } = await evaluateSet(image, set, loadCorpus(file));
    expect(listed(results, (r) => r.wrong > 0), 'wrong writes').toBe('');
    expect(listed(results, (r) => r.incomplete > 0), 'incomplete writes').toBe('');
    expect(listed(results, (r) => r.dropped > 0), 'fields dropped from cards').toBe('');
    expect(metric(report, 'wrong writes')).toBe(0);
    expect(metric(report, 'incomplete writes')).toBe(0);
    // The corpus says what each message should do; the reader does that for (nearly) all of them.
    expect(metric(report, 'as expected'), listed(results, (r) => !r.ok)).toBeGreaterThanOrEqual(0.97);
    expect(metric(report, 'intent accuracy'), listed(results, (r) => r.intentExpected !== null && r.intentSeen !== r.intentExpected)).toBeGreaterThanOrEqual(0.97);
  }, 600_000);
});
