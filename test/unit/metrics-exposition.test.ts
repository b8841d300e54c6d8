import { describe, expect, it } from 'vitest';
import { Counter, Histogram, renderGauge } from '../../src/metrics/exposition.ts';

describe('Prometheus text exposition', () => {
  it('writes counters per label set, escaping label values', () => {
    const c = new Counter('x_total', 'Things.');
    c.inc({ result: 'sent' });
    c.inc({ result: 'sent' }, 2);
    c.inc({ result: 'a"b\\c\nd' });
    expect(c.render()).toEqual(['# HELP x_total Things.', '# TYPE x_total counter', 'x_total{result="sent"} 3', 'x_total{result="a\\"b\\\\c\\nd"} 1']);
  });

  it('writes histograms with cumulative buckets, +Inf, sum and count', () => {
    const h = new Histogram('d_seconds', 'Durations.', [0.1, 1]);
    h.observe({ route: 'event' }, 0.05);
    h.observe({ route: 'event' }, 0.5);
    h.observe({ route: 'event' }, 3);
    expect(h.render()).toEqual([
      '# HELP d_seconds Durations.',
      '# TYPE d_seconds histogram',
      'd_seconds_bucket{route="event",le="0.1"} 1',
      'd_seconds_bucket{route="event",le="1"} 2',
      'd_seconds_bucket{route="event",le="+Inf"} 3',
      'd_seconds_sum{route="event"} 3.55',
      'd_seconds_count{route="event"} 3',
    ]);
  });

  it('writes gauges, with or without labels', () => {
    expect(renderGauge('g', 'A gauge.', [{ value: 1 }, { labels: { status: 'new' }, value: 0 }])).toEqual(['# HELP g A gauge.', '# TYPE g gauge', 'g 1', 'g{status="new"} 0']);
  });
});
