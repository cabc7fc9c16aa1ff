import { describe, expect, it } from 'vitest';
import { histogramQuantile, metricSum, readHistogram } from '../../bench/prometheus-text.js';
import { backlogMessages, countDecodable } from '../../bench/raw-feed-backlog.js';
import { stampReceiveTime } from '../../bench/tag-block-stamp.js';
import { nmeaChecksum } from '../../src/ais/sentence-writer.js';
import { StreamDecoder } from '../../src/ais/stream-decoder.js';
import { TagBlock } from '../../src/ais/tag-block.js';
import { WorkerMetrics } from '../../src/metrics/worker-metrics.js';
import { simulate } from '../../src/sim/simulate.js';

/** Decodes one line alone; the message's receive time, or the outcome when it is not one. */
function receivedAt(line: string): number | string {
  const decoder = new StreamDecoder({ requireTime: true });
  const bytes = Buffer.from(line, 'latin1');
  const outcome = decoder.decodeLine(bytes, 0, bytes.length);
  return outcome === 'message' ? decoder.message.receivedAt! : outcome;
}

/** `body` with its NMEA checksum. */
function checked(body: string): string {
  return `${body}*${nmeaChecksum(body)}`;
}

const SENTENCE = `!${checked('AIVDM,1,1,,A,13aEOK?P00PD2wVMdLDRhgvL289?,0')}`;

describe('stampReceiveTime (the latency runs stamp lines with their append time)', () => {
  const line = `\\${checked('s:ca7,c:1717200000')}\\${SENTENCE}`;

  it('decodes before stamping', () => {
    expect(receivedAt(line)).toBe(1_717_200_000_000);
  });

  it('sets c: in milliseconds with a valid tag-block checksum', () => {
    const stamped = stampReceiveTime(line, 1_795_734_305_123);
    expect(stamped).toMatch(/^\\s:ca7,c:1795734305123\*[0-9A-F]{2}\\!AIVDM/);
    expect(receivedAt(stamped)).toBe(1_795_734_305_123);
    const tagBlock = new TagBlock();
    const bytes = Buffer.from(stamped, 'latin1');
    expect(tagBlock.parse(bytes, 0, bytes.length)).toBe(stamped.indexOf('!'));
    // The decoder uses a tag block with a wrong checksum all the same: check it here.
    expect(tagBlock.checksumValid).toBe(true);
    expect(tagBlock.station).toBe('ca7');
  });

  it('keeps the other fields and the sentence', () => {
    const group = `\\${checked('g:1-2-42,s:no3,c:1717200000')}\\!AIVDM,2,1,3,B,55P5TL01VIaAL@7W,0*3E`;
    const stamped = stampReceiveTime(group, 1_000_000);
    expect(stamped.startsWith('\\g:1-2-42,s:no3,c:1000000*')).toBe(true);
    expect(stamped.slice(stamped.indexOf('!'))).toBe(group.slice(group.indexOf('!')));
  });

  it('leaves lines without a tag block or without c: alone', () => {
    const bare = SENTENCE;
    const second = `\\${checked('g:2-2-42')}\\!AIVDM,2,2,3,B,88888888880,2*25`;
    expect(stampReceiveTime(bare, 5)).toBe(bare);
    expect(stampReceiveTime(second, 5)).toBe(second);
  });
});

describe('backlogMessages (the throughput backlog)', () => {
  const scenario = simulate({ seed: 3, vessels: 20, hours: 6, intervalScale: 4 });
  const messages = backlogMessages(scenario.feeds, 'bench.raw.', 50, 4);

  it('carries every line once, each member round its partitions in order', () => {
    for (const feed of scenario.feeds) {
      const mine = messages.filter((m) => m.topic === `bench.raw.${feed.member}`);
      expect(mine.map((m) => m.partition).slice(0, 6)).toEqual([0, 1, 2, 3, 0, 1]);
      const lines = mine.flatMap((m) => m.value.toString('latin1').trimEnd().split('\n'));
      expect(lines).toEqual(feed.lines);
    }
  });

  it('never ends a message inside a multi-sentence group', () => {
    const decodedAlone = messages.reduce((sum, m) => {
      const decoder = new StreamDecoder({ requireTime: true });
      let n = 0;
      for (const line of m.value.toString('latin1').trimEnd().split('\n')) {
        const bytes = Buffer.from(line, 'latin1');
        if (decoder.decodeLine(bytes, 0, bytes.length) === 'message') n++;
      }
      return sum + n;
    }, 0);
    // Each message decoded on its own gives what the feeds give whole: no fragment was cut off.
    expect(decodedAlone).toBe(countDecodable(scenario.feeds));
    expect(scenario.feeds.some((feed) => feed.lines.some((l) => l.includes('g:1-2-')))).toBe(true);
  });
});

describe('prometheus-text (reading the worker /metrics)', () => {
  it('sums a counter over labels and estimates histogram quantiles as Prometheus does', async () => {
    const metrics = new WorkerMetrics(
      {
        coreCounts: () => ({ reportsFused: 0, duplicates: 0, late: 0, evictedVessels: 0 }),
        detectorEvents: () => [],
        liveVessels: () => 0,
        heldReports: () => 0,
        consumerLag: () => [],
        sinkQueueDepth: () => ({ postgres: 0, kafka: 0 }),
        watermarkMs: () => 0,
        pausedPartitions: () => 0,
        readAheadPausedPartitions: () => [],
        postgresRetries: () => 0,
      },
      { defaultMetrics: false },
    );
    metrics.messageIn('ca', 10);
    metrics.messageIn('no', 7);
    metrics.outputLatencies([0.3, 0.3, 0.4, 0.4, 2, 700]);
    const text = await metrics.metricsText();
    expect(metricSum(text, 'tidewatch_messages_in_total')).toBe(17);
    expect(metricSum(text, 'tidewatch_no_such_metric')).toBe(0);
    const histogram = readHistogram(text, 'tidewatch_output_latency_seconds');
    expect(histogram.count).toBe(6);
    expect(histogram.buckets.at(-1)).toEqual({ le: Infinity, count: 6 });
    // Rank 3 of 6 falls in (0.25, 0.5], which holds 4: 0.25 + 0.25 × 3/4.
    expect(histogramQuantile(histogram, 0.5)).toBeCloseTo(0.4375, 10);
    // In the +Inf bucket: the highest finite bound.
    expect(histogramQuantile(histogram, 0.99)).toBe(600);
  });
});
