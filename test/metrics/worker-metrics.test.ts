import { register as globalRegistry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { WorkerMetrics, type WorkerMetricsSource } from '../../src/metrics/worker-metrics.js';

/** A source whose values the test sets between scrapes. */
function fakeSource() {
  const state = {
    core: { reportsFused: 0, duplicates: 0, late: 0, evictedVessels: 0 },
    liveVessels: 0,
    heldReports: 0,
    lag: [] as { member: string; messages: number }[],
    sinks: { postgres: 0, kafka: 0 },
    watermarkMs: Number.NEGATIVE_INFINITY,
    paused: 0,
    readAheadPaused: [] as { member: string; partitions: number }[],
    postgresRetries: 0,
    detectorEvents: [] as { detector: string; event: string; count: number }[],
  };
  const source: WorkerMetricsSource = {
    coreCounts: () => ({ ...state.core }),
    detectorEvents: () => state.detectorEvents,
    liveVessels: () => state.liveVessels,
    heldReports: () => state.heldReports,
    consumerLag: () => state.lag,
    sinkQueueDepth: () => ({ ...state.sinks }),
    watermarkMs: () => state.watermarkMs,
    pausedPartitions: () => state.paused,
    readAheadPausedPartitions: () => state.readAheadPaused,
    postgresRetries: () => state.postgresRetries,
  };
  return { state, source };
}

/** Samples of an exposition text, keyed by `name{labels}` exactly as prom-client writes them. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

async function scrape(metrics: WorkerMetrics): Promise<Map<string, number>> {
  return samples(await metrics.metricsText());
}

function metricsWith(source = fakeSource().source): WorkerMetrics {
  return new WorkerMetrics(source, { defaultMetrics: false });
}

describe('WorkerMetrics', () => {
  it('counts decoded messages per member', async () => {
    const metrics = metricsWith();
    metrics.messageIn('ca', 3);
    metrics.messageIn('nz');
    const text = await metrics.metricsText();
    expect(text).toContain('tidewatch_messages_in_total{member="ca"} 3');
    metrics.messageIn('ca', 2);
    const after = await scrape(metrics);
    expect(after.get('tidewatch_messages_in_total{member="ca"}')).toBe(5);
    expect(after.get('tidewatch_messages_in_total{member="nz"}')).toBe(1);
  });

  it('counts rejected lines per member and reason', async () => {
    const metrics = metricsWith();
    metrics.rejected('ca', 'checksum', 4);
    metrics.rejected('ca', 'syntax');
    metrics.rejected('nz', 'checksum');
    const s = await scrape(metrics);
    expect(s.get('tidewatch_lines_rejected_total{member="ca",reason="checksum"}')).toBe(4);
    expect(s.get('tidewatch_lines_rejected_total{member="ca",reason="syntax"}')).toBe(1);
    expect(s.get('tidewatch_lines_rejected_total{member="nz",reason="checksum"}')).toBe(1);
  });

  it('counts Kafka messages and published tracks', async () => {
    const metrics = metricsWith();
    metrics.kafkaMessages(10);
    metrics.kafkaMessages(5);
    metrics.tracksPublished(7);
    const s = await scrape(metrics);
    expect(s.get('tidewatch_kafka_messages_total')).toBe(15);
    expect(s.get('tidewatch_tracks_published_total')).toBe(7);
  });

  it('tells new alerts from later revisions, per kind', async () => {
    const metrics = metricsWith();
    metrics.alert('dark_gap', 1);
    metrics.alert('dark_gap', 2);
    metrics.alert('dark_gap', 3);
    metrics.alert('rendezvous', 1);
    const s = await scrape(metrics);
    expect(s.get('tidewatch_alerts_total{kind="dark_gap"}')).toBe(1);
    expect(s.get('tidewatch_alert_revisions_total{kind="dark_gap"}')).toBe(2);
    expect(s.get('tidewatch_alerts_total{kind="rendezvous"}')).toBe(1);
    expect(s.has('tidewatch_alert_revisions_total{kind="rendezvous"}')).toBe(false);
  });

  it('refuses a revision that alert-book.ts never emits', () => {
    const metrics = metricsWith();
    expect(() => metrics.alert('dark_gap', 0)).toThrow(/revision: 0/);
    expect(() => metrics.alert('dark_gap', 1.5)).toThrow(/revision: 1.5/);
  });

  it('observes batch durations into buckets from 1 ms to 30 s', async () => {
    const metrics = metricsWith();
    metrics.batchDone(0.002);
    metrics.batchDone(0.2);
    metrics.batchDone(45);
    const s = await scrape(metrics);
    expect(s.get('tidewatch_batch_duration_seconds_bucket{le="0.001"}')).toBe(0);
    expect(s.get('tidewatch_batch_duration_seconds_bucket{le="0.0025"}')).toBe(1);
    expect(s.get('tidewatch_batch_duration_seconds_bucket{le="30"}')).toBe(2);
    expect(s.get('tidewatch_batch_duration_seconds_bucket{le="+Inf"}')).toBe(3);
    expect(s.get('tidewatch_batch_duration_seconds_count')).toBe(3);
    expect(s.get('tidewatch_batch_duration_seconds_sum')).toBeCloseTo(45.202, 9);
  });

  it('observes output latencies one by one and in bulk, up to the given count', async () => {
    const metrics = metricsWith();
    metrics.outputLatency(0.5);
    const flush = new Float64Array([0.01, 59, 120, 999]);
    metrics.outputLatencies(flush, 3); // the fourth slot is stale data of a reused array
    metrics.outputLatencies([2]);
    const s = await scrape(metrics);
    expect(s.get('tidewatch_output_latency_seconds_count')).toBe(5);
    expect(s.get('tidewatch_output_latency_seconds_bucket{le="60"}')).toBe(4);
    expect(s.get('tidewatch_output_latency_seconds_bucket{le="150"}')).toBe(5);
    expect(s.get('tidewatch_output_latency_seconds_bucket{le="+Inf"}')).toBe(5);
    expect(s.get('tidewatch_output_latency_seconds_sum')).toBeCloseTo(181.51, 9);
  });

  it('sums consumer lag per member and drops a member whose partitions are gone', async () => {
    const { state, source } = fakeSource();
    const metrics = metricsWith(source);
    state.lag = [
      { member: 'ca', messages: 10 },
      { member: 'ca', messages: 5 },
      { member: 'nz', messages: 7 },
    ];
    let s = await scrape(metrics);
    expect(s.get('tidewatch_consumer_lag_messages{member="ca"}')).toBe(15);
    expect(s.get('tidewatch_consumer_lag_messages{member="nz"}')).toBe(7);

    state.lag = [{ member: 'ca', messages: 1 }];
    s = await scrape(metrics);
    expect(s.get('tidewatch_consumer_lag_messages{member="ca"}')).toBe(1);
    expect(s.has('tidewatch_consumer_lag_messages{member="nz"}')).toBe(false);
  });

  it('feeds counters from cumulative core counts without ever decreasing them', async () => {
    const { state, source } = fakeSource();
    const metrics = metricsWith(source);
    state.core = { reportsFused: 10, duplicates: 3, late: 1, evictedVessels: 0 };
    let s = await scrape(metrics);
    expect(s.get('tidewatch_reports_fused_total')).toBe(10);
    expect(s.get('tidewatch_duplicates_total')).toBe(3);
    expect(s.get('tidewatch_late_reports_total')).toBe(1);
    expect(s.get('tidewatch_evicted_vessels_total')).toBe(0);

    state.core = { reportsFused: 15, duplicates: 3, late: 1, evictedVessels: 2 };
    s = await scrape(metrics);
    expect(s.get('tidewatch_reports_fused_total')).toBe(15);
    expect(s.get('tidewatch_evicted_vessels_total')).toBe(2);

    // A new core after an in-process restart counts from zero again: its 4 are all new.
    state.core = { reportsFused: 4, duplicates: 0, late: 0, evictedVessels: 0 };
    s = await scrape(metrics);
    expect(s.get('tidewatch_reports_fused_total')).toBe(19);
    expect(s.get('tidewatch_duplicates_total')).toBe(3);
    expect(s.get('tidewatch_evicted_vessels_total')).toBe(2);

    state.core = { reportsFused: 6, duplicates: 1, late: 0, evictedVessels: 0 };
    s = await scrape(metrics);
    expect(s.get('tidewatch_reports_fused_total')).toBe(21);
    expect(s.get('tidewatch_duplicates_total')).toBe(4);
  });

  it('counts detector events by detector and event, from zero, never decreasing', async () => {
    const { state, source } = fakeSource();
    const metrics = metricsWith(source);
    const events = (unknown: number, withdrawn: number) => [
      { detector: 'dark_gap', event: 'coverage_unknown', count: unknown },
      { detector: 'dark_gap', event: 'withdrawn', count: withdrawn },
    ];
    const unknown = 'tidewatch_detector_events_total{detector="dark_gap",event="coverage_unknown"}';
    const withdrawn = 'tidewatch_detector_events_total{detector="dark_gap",event="withdrawn"}';
    state.detectorEvents = events(0, 0);
    let s = await scrape(metrics);
    // Exported before the first event, so a rate() over it starts at once.
    expect(s.get(unknown)).toBe(0);
    expect(s.get(withdrawn)).toBe(0);
    state.detectorEvents = events(5, 2);
    s = await scrape(metrics);
    expect(s.get(unknown)).toBe(5);
    expect(s.get(withdrawn)).toBe(2);
    // A new state (in-process restart) counts from zero again: its 1 is new.
    state.detectorEvents = events(1, 2);
    s = await scrape(metrics);
    expect(s.get(unknown)).toBe(6);
    expect(s.get(withdrawn)).toBe(2);
  });

  it('feeds the Postgres retry counter from its cumulative source', async () => {
    const { state, source } = fakeSource();
    const metrics = metricsWith(source);
    state.postgresRetries = 2;
    await scrape(metrics);
    state.postgresRetries = 5;
    expect((await scrape(metrics)).get('tidewatch_postgres_retries_total')).toBe(5);
    // A scrape without change adds nothing.
    expect((await scrape(metrics)).get('tidewatch_postgres_retries_total')).toBe(5);
  });

  it('reads the gauges from the source at scrape time', async () => {
    const { state, source } = fakeSource();
    const metrics = metricsWith(source);
    state.liveVessels = 1234;
    state.heldReports = 56_789;
    state.sinks = { postgres: 500, kafka: 42 };
    state.paused = 3;
    state.readAheadPaused = [{ member: 'ca', partitions: 5 }];
    const s = await scrape(metrics);
    expect(s.get('tidewatch_live_vessels')).toBe(1234);
    expect(s.get('tidewatch_held_reports')).toBe(56_789);
    expect(s.get('tidewatch_sink_queue_depth{sink="postgres"}')).toBe(500);
    expect(s.get('tidewatch_sink_queue_depth{sink="kafka"}')).toBe(42);
    expect(s.get('tidewatch_paused_partitions')).toBe(3);
    expect(s.get('tidewatch_read_ahead_paused_partitions{member="ca"}')).toBe(5);
  });

  it('reports the watermark in epoch seconds, and no sample before the first report', async () => {
    const { state, source } = fakeSource();
    const metrics = metricsWith(source);
    const text = await metrics.metricsText();
    expect(text).toContain('# TYPE tidewatch_event_time_watermark_seconds gauge');
    expect(samples(text).has('tidewatch_event_time_watermark_seconds')).toBe(false);

    state.watermarkMs = Date.UTC(2024, 0, 1, 12, 0, 0, 500);
    const s = await scrape(metrics);
    expect(s.get('tidewatch_event_time_watermark_seconds')).toBe(1_704_110_400.5);
  });

  it('keeps its own registry: two workers in one process do not collide', async () => {
    const a = new WorkerMetrics(fakeSource().source);
    const b = new WorkerMetrics(fakeSource().source);
    a.messageIn('ca', 2);
    expect((await scrape(b)).has('tidewatch_messages_in_total{member="ca"}')).toBe(false);
    expect(await globalRegistry.metrics()).not.toContain('tidewatch_');
  });

  it('adds prefixed process metrics unless told not to', async () => {
    const withDefaults = await new WorkerMetrics(fakeSource().source).metricsText();
    expect(withDefaults).toContain('# TYPE tidewatch_process_cpu_user_seconds_total counter');
    const without = await metricsWith().metricsText();
    expect(without).not.toContain('tidewatch_process_');
  });

  it('names the Prometheus text content type', () => {
    expect(metricsWith().contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });
});
