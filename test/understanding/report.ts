/** What one evaluated message set reports; `npm run eval` prints these and the suite asserts on them. */
export interface EvalMetric {
  name: string;
  /** A ratio in 0..1 or a count. */
  value: number;
  kind: 'ratio' | 'count';
}

export interface EvalSetReport {
  /** The message set, e.g. `takeover`, `no-write`, `grievance (held out)`. */
  set: string;
  size: number;
  metrics: EvalMetric[];
  /** One line per message that did not come out as expected (shown by `npm run eval -- --verbose`). */
  failures: string[];
}

export function ratio(name: string, hits: number, of: number): EvalMetric {
  return { name, value: of === 0 ? 1 : hits / of, kind: 'ratio' };
}

export function count(name: string, value: number): EvalMetric {
  return { name, value, kind: 'count' };
}

export function formatReports(reports: EvalSetReport[], verbose: boolean): string {
  const lines: string[] = [];
  for (const r of reports) {
    lines.push(`${r.set} (${r.size} messages)`);
    for (const m of r.metrics) {
      const v = m.kind === 'ratio' ? `${(m.value * 100).toFixed(1)}%` : String(m.value);
      lines.push(`  ${m.name.padEnd(28)} ${v}`);
    }
    if (verbose) for (const f of r.failures) lines.push(`    ✗ ${f}`);
    else if (r.failures.length) lines.push(`  (${r.failures.length} not as expected; --verbose lists them)`);
  }
  return lines.join('\n');
}
