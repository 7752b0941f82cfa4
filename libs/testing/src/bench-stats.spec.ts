import { describe, expect, it } from 'vitest';
import { parseHistogram } from './bench-stats';

const METRICS = [
  '# TYPE chat_ttft_seconds histogram',
  'chat_ttft_seconds_bucket{le="0.005",service="chat"} 3',
  'chat_ttft_seconds_bucket{le="+Inf",service="chat"} 4',
  'chat_ttft_seconds_sum{service="chat"} 0.025',
  'chat_ttft_seconds_count{service="chat"} 4',
  'plain_seconds_bucket{le="1"} 2',
  'plain_seconds_sum 1.5',
  'plain_seconds_count 2',
  'check_seconds_count{store="redis"} 7',
  'check_seconds_count{store="memory"} 9',
].join('\n');

describe('parseHistogram', () => {
  it('reads buckets, sum and count of a labelled series', () => {
    expect(parseHistogram(METRICS, 'chat_ttft_seconds')).toEqual({
      buckets: new Map([
        [0.005, 3],
        [Infinity, 4],
      ]),
      sum: 0.025,
      count: 4,
    });
  });

  it('reads a series without labels', () => {
    expect(parseHistogram(METRICS, 'plain_seconds')).toEqual({ buckets: new Map([[1, 2]]), sum: 1.5, count: 2 });
  });

  it('keeps to the series holding the label', () => {
    expect(parseHistogram(METRICS, 'check_seconds', 'store="redis"').count).toBe(7);
  });
});
