import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { KAFKA_AUTH_SCRIPT, kafkaAuthFiles } from '../../src/cli/kafka-auth-files.js';
import { memberUsername, passwordEnvName } from '../../src/coalition/kafka-acls.js';
import { SCRAM_MECHANISM } from '../../src/coalition/kafka-auth-script.js';
import { loadCoalitionFile } from '../../src/io/coalition-file.js';
import { loadWorkerConfig } from '../../src/worker/worker-config.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

type MetricType = 'counter' | 'gauge' | 'histogram';

/**
 * The worker's metrics: a contract with the dashboard and the alert rules, written down here on
 * its own (not imported from src/metrics) so that renaming a metric there fails this test until
 * the deploy files follow.
 */
const WORKER_METRICS: Readonly<Record<string, { type: MetricType; labels: readonly string[] }>> = {
  tidewatch_messages_in_total: { type: 'counter', labels: ['member'] },
  tidewatch_lines_rejected_total: { type: 'counter', labels: ['member', 'reason'] },
  tidewatch_kafka_messages_total: { type: 'counter', labels: [] },
  tidewatch_alerts_total: { type: 'counter', labels: ['kind'] },
  tidewatch_alert_revisions_total: { type: 'counter', labels: ['kind'] },
  tidewatch_tracks_published_total: { type: 'counter', labels: [] },
  tidewatch_batch_duration_seconds: { type: 'histogram', labels: [] },
  tidewatch_output_latency_seconds: { type: 'histogram', labels: [] },
  tidewatch_reports_fused_total: { type: 'counter', labels: [] },
  tidewatch_duplicates_total: { type: 'counter', labels: [] },
  tidewatch_late_reports_total: { type: 'counter', labels: [] },
  tidewatch_evicted_vessels_total: { type: 'counter', labels: [] },
  tidewatch_live_vessels: { type: 'gauge', labels: [] },
  tidewatch_held_reports: { type: 'gauge', labels: [] },
  tidewatch_consumer_lag_messages: { type: 'gauge', labels: ['member'] },
  tidewatch_sink_queue_depth: { type: 'gauge', labels: ['sink'] },
  tidewatch_event_time_watermark_seconds: { type: 'gauge', labels: [] },
  tidewatch_paused_partitions: { type: 'gauge', labels: [] },
  tidewatch_read_ahead_paused_partitions: { type: 'gauge', labels: ['member'] },
  tidewatch_postgres_retries_total: { type: 'counter', labels: [] },
  tidewatch_detector_events_total: { type: 'counter', labels: ['detector', 'event'] },
};

/** Labels Prometheus adds to every scraped series; `up` is recorded by Prometheus itself. */
const TARGET_LABELS = ['job', 'instance'];
const PROMETHEUS_SERIES = { up: { type: 'gauge' as MetricType, labels: [] } };

/** prom-client's default process metrics with the worker's prefix; any labels. */
async function defaultMetrics(): Promise<Map<string, MetricType>> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tidewatch_' });
  const metrics = await registry.getMetricsAsJSON();
  return new Map(metrics.map((m) => [m.name, String(m.type) as MetricType]));
}

const PROMQL_KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'inf',
  'nan',
]);

/** A metric name referenced by a PromQL expression, with the label names it uses on it. */
interface MetricReference {
  name: string;
  matchers: string[];
}

/**
 * The metric names of a PromQL expression and their label matchers, and the labels of its
 * `by (...)` / `without (...)` clauses. Enough for the expressions of these files: no strings
 * outside matchers, no subqueries.
 */
function promqlReferences(expr: string): { metrics: MetricReference[]; groupLabels: string[] } {
  const groupLabels: string[] = [];
  let rest = expr
    .replace(/\$__\w+/g, '1m') // Grafana's interval variables
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g, (_, labels) => {
      groupLabels.push(
        ...String(labels)
          .split(',')
          .map((l) => l.trim())
          .filter(Boolean),
      );
      return ' ';
    })
    .replace(/\[[^\]]*\]/g, ' '); // range selectors
  const metrics: MetricReference[] = [];
  rest = rest.replace(/([a-zA-Z_:][\w:]*)\s*\{([^}]*)\}/g, (_, name: string, body: string) => {
    const matchers = [...body.matchAll(/([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)/g)].map((m) => m[1]!);
    metrics.push({ name, matchers });
    return ' ';
  });
  for (const match of rest.matchAll(/(?<![\w.])([a-zA-Z_:][\w:]*)(?![\w:])(?!\s*\()/g)) {
    const name = match[1]!;
    if (PROMQL_KEYWORDS.has(name.toLowerCase())) continue;
    metrics.push({ name, matchers: [] });
  }
  return { metrics, groupLabels };
}

interface KnownMetric {
  type: MetricType;
  /** undefined: any label (prom-client's defaults). */
  labels: readonly string[] | undefined;
}

/** What is wrong with the metrics and labels an expression uses; empty when nothing. */
function promqlProblems(expr: string, defaults: ReadonlyMap<string, MetricType>): string[] {
  const lookup = (name: string): KnownMetric | undefined => {
    const fixed = WORKER_METRICS[name] ?? PROMETHEUS_SERIES[name as keyof typeof PROMETHEUS_SERIES];
    if (fixed !== undefined) return fixed;
    const type = defaults.get(name);
    return type === undefined ? undefined : { type, labels: undefined };
  };
  const problems: string[] = [];
  const { metrics, groupLabels } = promqlReferences(expr);
  const available = new Set(TARGET_LABELS);
  let anyLabel = false;
  for (const { name, matchers } of metrics) {
    let metric = lookup(name);
    let labels = metric?.labels;
    const histogram = /^(.*)_(bucket|sum|count)$/.exec(name);
    if (metric === undefined && histogram !== null) {
      metric = lookup(histogram[1]!);
      if (metric?.type !== 'histogram') metric = undefined;
      labels =
        metric?.labels === undefined
          ? undefined
          : [...metric.labels, ...(histogram[2] === 'bucket' ? ['le'] : [])];
    } else if (metric?.type === 'histogram') {
      problems.push(`${name} is a histogram: use ${name}_bucket, _sum or _count`);
    }
    if (metric === undefined) {
      problems.push(`unknown metric ${name}`);
      continue;
    }
    if (labels === undefined) {
      anyLabel = true;
      continue;
    }
    for (const label of labels) available.add(label);
    for (const label of matchers) {
      if (!labels.includes(label) && !TARGET_LABELS.includes(label)) {
        problems.push(`${name} has no label ${label}`);
      }
    }
  }
  if (!anyLabel) {
    for (const label of groupLabels) {
      if (!available.has(label)) problems.push(`no metric of the expression has label ${label}`);
    }
  }
  return problems;
}

/** As Compose reads it: YAML merge keys (`<<: *anchor`) applied. */
function readYaml(path: string): unknown {
  return parse(readFileSync(join(ROOT, path), 'utf8'), { merge: true });
}

// Shapes of the parts of the files the tests read.
interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[] | string;
  entrypoint?: string[];
  environment?: Record<string, string | number | null> | string[];
  depends_on?: string[] | Record<string, { condition: string }>;
  healthcheck?: { test: string[] | string };
  ports?: string[];
  volumes?: string[];
  restart?: string;
  network_mode?: string;
}
interface Compose {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}
interface RuleFile {
  groups: { name: string; rules: Record<string, unknown>[] }[];
}
interface DashboardPanel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type: string; uid: string };
  targets?: { expr: string; refId: string; datasource?: { uid: string } }[];
  panels?: DashboardPanel[];
}

const compose = readYaml('docker-compose.yml') as Compose;
const services = compose.services;

function dependencies(service: ComposeService): Record<string, string> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [d, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([d, v]) => [d, v.condition]));
}

function environment(service: ComposeService): Map<string, string | undefined> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return new Map(
      env.map((entry) => {
        const eq = entry.indexOf('=');
        return eq === -1 ? [entry, undefined] : [entry.slice(0, eq), entry.slice(eq + 1)];
      }),
    );
  }
  return new Map(
    Object.entries(env).map(([k, v]) => [k, v === null ? undefined : String(v)] as const),
  );
}

/** Bind mounts `./host:/container[:ro]` of a service, as [host, container]. */
function bindMounts(service: ComposeService): [string, string][] {
  return (service.volumes ?? [])
    .filter((v) => v.startsWith('./'))
    .map((v) => {
      const [host, container] = v.split(':');
      return [host!, container!];
    });
}

/** Where a container path of `service` comes from in the repository, through its bind mounts. */
function hostPath(service: ComposeService, containerPath: string): string | undefined {
  for (const [host, container] of bindMounts(service)) {
    if (containerPath === container || containerPath.startsWith(`${container}/`)) {
      return join(ROOT, host, containerPath.slice(container.length));
    }
  }
  return undefined;
}

describe('the PromQL checker of this test', () => {
  it('finds metric names, label matchers and grouping labels, and names what is wrong', async () => {
    expect(
      promqlReferences(
        'sum by (member) (rate(tidewatch_messages_in_total{member="ca"}[$__rate_interval])) / up',
      ),
    ).toEqual({
      metrics: [
        { name: 'tidewatch_messages_in_total', matchers: ['member'] },
        { name: 'up', matchers: [] },
      ],
      groupLabels: ['member'],
    });
    const defaults = await defaultMetrics();
    expect(promqlProblems('rate(tidewatch_mesages_in_total[5m])', defaults)).toEqual([
      'unknown metric tidewatch_mesages_in_total',
    ]);
    expect(promqlProblems('tidewatch_sink_queue_depth{queue="kafka"}', defaults)).toEqual([
      'tidewatch_sink_queue_depth has no label queue',
    ]);
    expect(promqlProblems('sum by (reason) (tidewatch_consumer_lag_messages)', defaults)).toEqual([
      'no metric of the expression has label reason',
    ]);
    expect(promqlProblems('rate(tidewatch_batch_duration_seconds[5m])', defaults)).toHaveLength(1);
    expect(
      promqlProblems(
        'histogram_quantile(0.99, sum by (le) (rate(tidewatch_batch_duration_seconds_bucket[5m])))',
        defaults,
      ),
    ).toEqual([]);
    expect(promqlProblems('tidewatch_process_resident_memory_bytes', defaults)).toEqual([]);
  });
});

describe('docker-compose.yml', () => {
  it('runs the stack: kafka, kafka-auth, postgres, migrate, scenario, worker, feed simulator, prometheus, grafana', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        'feed-simulator',
        'grafana',
        'kafka',
        'kafka-auth',
        'migrate',
        'postgres',
        'prometheus',
        'scenario',
        'worker',
      ].sort(),
    );
  });

  it('gives the worker the simulated scenario zones, and the feed simulator its feeds', () => {
    expect(services.scenario!.command).toEqual(['simulate', '--out', '/scenario']);
    expect(services.scenario!.volumes).toContainEqual('scenario:/scenario');
    expect(services.worker!.volumes).toContainEqual('scenario:/scenario:ro');
    expect(services['feed-simulator']!.volumes).toContainEqual('scenario:/scenario:ro');
    expect(dependencies(services['feed-simulator']!)).toMatchObject({
      scenario: 'service_completed_successfully',
    });
    // The default worker configuration is valid and names the scenario's zones.
    const config = loadWorkerConfig(join(ROOT, 'config', 'worker.compose.yaml'), {
      KAFKA_BROKERS: 'kafka:9092',
      TIDEWATCH_KAFKA_PASSWORD_TIDEWATCH_WORKER: 'worker-0123456789abcdef',
    });
    expect(config.zones).toEqual(['/scenario/zones.geojson']);
    // The image lets its unprivileged user write the scenario volume.
    expect(readFileSync(join(ROOT, 'Dockerfile'), 'utf8')).toMatch(/chown node:node \/scenario/);
  });

  it('starts the worker after kafka-auth and migrate have completed, and every dependency exists', () => {
    expect(dependencies(services.worker!)).toEqual({
      'kafka-auth': 'service_completed_successfully',
      migrate: 'service_completed_successfully',
      scenario: 'service_completed_successfully',
    });
    expect(dependencies(services.migrate!)).toEqual({ postgres: 'service_healthy' });
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, condition] of Object.entries(dependencies(service))) {
        expect(services, `${name} depends on ${dependency}`).toHaveProperty([dependency]);
        if (condition === 'service_healthy') {
          expect(
            services[dependency]!.healthcheck,
            `${dependency} needs a healthcheck`,
          ).toBeDefined();
        }
        if (condition === 'service_completed_successfully') {
          expect(services[dependency]!.restart, `${dependency} must run once`).toBe('no');
        }
      }
    }
  });

  it('gives the worker its brokers and database on the compose network, TIDEWATCH_CONFIG by default the compose one', () => {
    const env = environment(services.worker!);
    expect(env.get('KAFKA_BROKERS')).toBe('kafka:9092');
    const url = new URL(env.get('DATABASE_URL')!.replace(/\$\{(\w+):-([^}]*)\}/g, '$2'));
    expect([url.protocol, url.hostname, url.port, url.pathname]).toEqual([
      'postgresql:',
      'postgres',
      '5432',
      '/tidewatch',
    ]);
    expect(env.get('TIDEWATCH_CONFIG')).toMatch(
      /^\$\{TIDEWATCH_CONFIG:-\/app\/config\/worker\.compose\.yaml\}$/,
    );
    expect(services.worker!.command).toEqual(['run']);
    expect(services.worker!.ports).toContainEqual(expect.stringMatching(/:9464$/));
    expect(environment(services.migrate!).get('DATABASE_URL')).toBe(env.get('DATABASE_URL'));
  });

  it('builds worker, migrate and feed simulator from the Dockerfile, whose entrypoint is tidewatch', () => {
    for (const name of ['worker', 'migrate', 'feed-simulator']) {
      expect(services[name]!.build, name).toEqual({ context: '.', dockerfile: 'Dockerfile' });
      expect(services[name]!.image, name).toBe('tidewatch:local');
    }
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:20-bookworm\b/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["tidewatch"\]$/m);
    expect(dockerfile).toMatch(/^RUN npm ci\b/m);
    expect(dockerfile).toMatch(/npm run build/);
    // Everything the code reads relative to dist/ at run time is in the image.
    for (const dir of ['proto', 'migrations']) {
      expect(dockerfile).toMatch(new RegExp(`^COPY ${dir} \\./${dir}$`, 'm'));
    }
  });

  it('feeds every member file of the scenario to Kafka with tidewatch feed', () => {
    const simulator = services['feed-simulator']!;
    const script = [simulator.entrypoint, simulator.command].flat().join('\n');
    expect(script).toMatch(/for m in ca no au; do/);
    expect(script).toContain('tidewatch feed --member "$$m" --file "/scenario/$$m.nmea" --brokers');
    expect(environment(simulator).get('KAFKA_BROKERS')).toBe('kafka:9092');
    expect(dependencies(simulator)).toMatchObject({
      'kafka-auth': 'service_completed_successfully',
    });
  });

  it('runs Kafka 3.9 in KRaft mode with a listener for the network and one for the host', () => {
    const kafka = services.kafka!;
    expect(kafka.image).toMatch(/^apache\/kafka:3\.9\.\d+$/);
    const env = environment(kafka);
    expect(env.get('KAFKA_PROCESS_ROLES')).toBe('broker,controller');
    // Topics come from kafka-auth: no client may create one (issue 13).
    expect(env.get('KAFKA_AUTO_CREATE_TOPICS_ENABLE')).toBe('false');
    expect(env.get('KAFKA_NUM_PARTITIONS')).toBe('4');
    // A KRaft cluster id is 16 bytes, base64url without padding.
    expect(Buffer.from(env.get('CLUSTER_ID')!, 'base64url')).toHaveLength(16);
    expect(env.get('CLUSTER_ID')).toMatch(/^[\w-]{22}$/);
    const listeners = new Map(
      env
        .get('KAFKA_LISTENERS')!
        .split(',')
        .map((l) => {
          const [, name, port] = /^(\w+):\/\/[^:]*:(\d+)$/.exec(l)!;
          return [name!, port!];
        }),
    );
    const protocols = new Set(
      env
        .get('KAFKA_LISTENER_SECURITY_PROTOCOL_MAP')!
        .split(',')
        .map((p) => p.split(':')[0]),
    );
    const advertised = env.get('KAFKA_ADVERTISED_LISTENERS')!.split(',');
    expect(advertised).toContain('DOCKER://kafka:9092');
    for (const listener of [...advertised.map((a) => a.split(':')[0]!), 'CONTROLLER']) {
      expect(listeners.has(listener), listener).toBe(true);
      expect(protocols.has(listener), listener).toBe(true);
    }
    // The host listener's container port is the one published.
    const hostListenerPort = listeners.get('HOST');
    expect(kafka.ports).toContainEqual(expect.stringMatching(new RegExp(`:${hostListenerPort}$`)));
    expect(env.get('KAFKA_CONTROLLER_QUORUM_VOTERS')).toBe(
      `1@127.0.0.1:${listeners.get('CONTROLLER')}`,
    );
  });

  it('uses PostGIS 15-3.4, and every bind mount and named volume exists', () => {
    expect(services.postgres!.image).toBe('postgis/postgis:15-3.4');
    for (const [name, service] of Object.entries(services)) {
      for (const [host] of bindMounts(service)) {
        expect(existsSync(join(ROOT, host)), `${name}: ${host}`).toBe(true);
      }
      for (const volume of service.volumes ?? []) {
        if (volume.startsWith('./') || volume.startsWith('/')) continue;
        expect(compose.volumes, `${name}: ${volume}`).toHaveProperty([volume.split(':')[0]!]);
      }
    }
  });
});

describe('Prometheus', () => {
  const prometheus = services.prometheus!;
  const config = readYaml('deploy/prometheus/prometheus.yml') as {
    global: { scrape_interval: string };
    rule_files: string[];
    scrape_configs: {
      job_name: string;
      scrape_interval?: string;
      static_configs: { targets: string[] }[];
    }[];
  };

  it('scrapes the worker on the compose network every 5 s', () => {
    const job = config.scrape_configs.find((c) => c.job_name === 'tidewatch-worker')!;
    expect(job.scrape_interval ?? config.global.scrape_interval).toBe('5s');
    const targets = job.static_configs.flatMap((c) => c.targets);
    expect(targets).toEqual(['worker:9464']);
    expect(services).toHaveProperty(['worker']);
    expect(prometheus.command).toContain('--config.file=/etc/prometheus/prometheus.yml');
    expect(hostPath(prometheus, '/etc/prometheus/prometheus.yml')).toBe(
      join(ROOT, 'deploy/prometheus/prometheus.yml'),
    );
  });

  it('loads the alert rules from where compose mounts them', () => {
    expect(config.rule_files.length).toBeGreaterThan(0);
    for (const file of config.rule_files) {
      const path = hostPath(prometheus, file);
      expect(path !== undefined && existsSync(path), file).toBe(true);
    }
  });

  it('alerts on a worker down, growing lag, a high reject rate and Postgres retries, with known metrics', async () => {
    const rules = (readYaml('deploy/prometheus/rules.yml') as RuleFile).groups.flatMap(
      (g) => g.rules,
    );
    const defaults = await defaultMetrics();
    const referenced = new Set<string>();
    const names = new Set<string>();
    for (const rule of rules) {
      const name = String(rule.alert);
      expect(names.has(name), `duplicate alert ${name}`).toBe(false);
      names.add(name);
      expect(rule, name).toMatchObject({
        expr: expect.any(String),
        for: expect.stringMatching(/^\d+[smh]$/),
        labels: { severity: expect.stringMatching(/^(critical|warning)$/) },
        annotations: { summary: expect.any(String), description: expect.any(String) },
      });
      expect(promqlProblems(String(rule.expr), defaults), name).toEqual([]);
      for (const m of promqlReferences(String(rule.expr)).metrics) referenced.add(m.name);
    }
    expect(names.size).toBeGreaterThanOrEqual(4);
    for (const metric of [
      'up',
      'tidewatch_consumer_lag_messages',
      'tidewatch_lines_rejected_total',
      'tidewatch_postgres_retries_total',
    ]) {
      expect(referenced, metric).toContain(metric);
    }
  });
});

describe('Grafana', () => {
  const grafana = services.grafana!;
  const dashboard = JSON.parse(
    readFileSync(join(ROOT, 'deploy/grafana/dashboards/tidewatch.json'), 'utf8'),
  ) as { uid: string; title: string; panels: DashboardPanel[] };
  const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
  const datasources = (
    readYaml('deploy/grafana/provisioning/datasources/prometheus.yml') as {
      datasources: { uid: string; type: string; url: string }[];
    }
  ).datasources;

  it('provisions the Prometheus of the stack as a data source and the dashboards from where compose mounts them', () => {
    expect(datasources).toHaveLength(1);
    const source = datasources[0]!;
    expect(source.type).toBe('prometheus');
    const url = new URL(source.url);
    expect(services).toHaveProperty([url.hostname]);
    expect(services[url.hostname]!.ports).toContainEqual(
      expect.stringMatching(new RegExp(`:${url.port}$`)),
    );
    expect(hostPath(grafana, '/etc/grafana/provisioning/datasources/prometheus.yml')).toBe(
      join(ROOT, 'deploy/grafana/provisioning/datasources/prometheus.yml'),
    );
    const providers = (
      readYaml('deploy/grafana/provisioning/dashboards/tidewatch.yml') as {
        providers: { type: string; options: { path: string } }[];
      }
    ).providers;
    expect(hostPath(grafana, '/etc/grafana/provisioning/dashboards/tidewatch.yml')).toBeDefined();
    for (const provider of providers) {
      expect(hostPath(grafana, `${provider.options.path}/tidewatch.json`)).toBe(
        join(ROOT, 'deploy/grafana/dashboards/tidewatch.json'),
      );
    }
  });

  it('builds every panel query from the worker metrics, on the provisioned data source', async () => {
    const defaults = await defaultMetrics();
    const uid = datasources[0]!.uid;
    const ids = new Set<number>();
    for (const panel of panels) {
      expect(ids.has(panel.id), `duplicate panel id ${panel.id}`).toBe(false);
      ids.add(panel.id);
      expect(panel.gridPos.x + panel.gridPos.w, panel.title).toBeLessThanOrEqual(24);
      if (panel.type === 'row') continue;
      expect(panel.datasource?.uid, panel.title).toBe(uid);
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) {
        expect(target.datasource?.uid ?? uid, panel.title).toBe(uid);
        expect(promqlProblems(target.expr, defaults), `${panel.title}: ${target.expr}`).toEqual([]);
      }
    }
  });

  it('has the panels an operator needs', () => {
    const queries = panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
    const uses = (pattern: RegExp): boolean => queries.some((q) => pattern.test(q));
    const wanted: Record<string, RegExp> = {
      'messages in /s by member': /by \(member\) \(rate\(tidewatch_messages_in_total\[/,
      'rejects /s by reason': /by \(reason\) \(rate\(tidewatch_lines_rejected_total\[/,
      'reports fused /s': /rate\(tidewatch_reports_fused_total\[/,
      'duplicates /s': /rate\(tidewatch_duplicates_total\[/,
      'live vessels': /tidewatch_live_vessels\b/,
      'alerts by kind': /by \(kind\) \(\w+\(tidewatch_alerts_total\[/,
      'batch duration p50': /histogram_quantile\(0\.5, .*tidewatch_batch_duration_seconds_bucket/,
      'batch duration p99': /histogram_quantile\(0\.99, .*tidewatch_batch_duration_seconds_bucket/,
      'output latency p50': /histogram_quantile\(0\.5, .*tidewatch_output_latency_seconds_bucket/,
      'output latency p99': /histogram_quantile\(0\.99, .*tidewatch_output_latency_seconds_bucket/,
      'consumer lag by member': /by \(member\) \(tidewatch_consumer_lag_messages\)/,
      'sink queue depth': /by \(sink\) \(tidewatch_sink_queue_depth\)/,
      'paused partitions': /tidewatch_paused_partitions\b/,
      'event-time watermark lag': /time\(\) - \w*\(?tidewatch_event_time_watermark_seconds/,
      memory: /tidewatch_process_resident_memory_bytes\b/,
    };
    const missing = Object.entries(wanted)
      .filter(([, pattern]) => !uses(pattern))
      .map(([panel]) => panel);
    expect(missing).toEqual([]);
  });
});

describe('Kafka authorisation (issue 13)', () => {
  const kafka = services.kafka!;
  const env = environment(kafka);
  /** name → { host, port, protocol } of the broker's listeners. */
  const listeners = new Map(
    env
      .get('KAFKA_LISTENERS')!
      .split(',')
      .map((l) => {
        const [, name, host, port] = /^(\w+):\/\/([^:]*):(\d+)$/.exec(l)!;
        return [name!, { host: host!, port: port! }];
      }),
  );
  const protocols = new Map(
    env
      .get('KAFKA_LISTENER_SECURITY_PROTOCOL_MAP')!
      .split(',')
      .map((p) => p.split(':') as [string, string]),
  );
  const loopback = (host: string) => host === '127.0.0.1' || host === 'localhost';
  const EXAMPLE = 'config/coalition.example.yaml';
  const generated = kafkaAuthFiles(loadCoalitionFile(join(ROOT, EXAMPLE)), EXAMPLE);
  const principals = generated.authorisation.principals;
  /** `${VAR:?message}`: compose refuses to start without VAR; no default password. */
  const required = (variable: string) => new RegExp(`^\\$\\{${variable}:\\?[^}]+\\}$`);

  it('requires SASL/SCRAM on every listener reachable from outside the broker container', () => {
    for (const [name, { host }] of listeners) {
      const protocol = protocols.get(name);
      if (!loopback(host)) {
        expect(['SASL_PLAINTEXT', 'SASL_SSL'], `${name} is bound to "${host}"`).toContain(protocol);
      } else {
        expect(['PLAINTEXT', 'SASL_PLAINTEXT', 'SASL_SSL'], name).toContain(protocol);
      }
      if (protocol?.startsWith('SASL_')) {
        // The server side of SCRAM on the listener (the image reads "-" as "___").
        expect(
          env.get(`KAFKA_LISTENER_NAME_${name}_SCRAM___SHA___512_SASL_JAAS_CONFIG`),
          name,
        ).toBe('org.apache.kafka.common.security.scram.ScramLoginModule required;');
      }
    }
    expect(env.get('KAFKA_SASL_ENABLED_MECHANISMS')).toBe(SCRAM_MECHANISM);
    // No PLAINTEXT client listener: what the host and the other containers reach is SASL.
    for (const published of kafka.ports ?? []) {
      const containerPort = published.split(':').at(-1);
      const [name] = [...listeners].find(([, l]) => l.port === containerPort)!;
      expect(protocols.get(name), `published port ${published}`).toMatch(/^SASL_/);
    }
    for (const advertised of env.get('KAFKA_ADVERTISED_LISTENERS')!.split(',')) {
      const [, name, host] = /^(\w+):\/\/([^:]*):/.exec(advertised)!;
      if (!loopback(host!)) expect(protocols.get(name!), advertised).toMatch(/^SASL_/);
    }
    const interBroker = env.get('KAFKA_INTER_BROKER_LISTENER_NAME')!;
    expect(loopback(listeners.get(interBroker)!.host), interBroker).toBe(true);
    expect(env.get('KAFKA_CONTROLLER_QUORUM_VOTERS')).toMatch(/^1@127\.0\.0\.1:\d+$/);
  });

  it('denies what no ACL allows; super users are the administrator and the loopback listeners only', () => {
    expect(env.get('KAFKA_AUTHORIZER_CLASS_NAME')).toBe(
      'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    );
    expect(env.get('KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND')).toBe('false');
    const superUsers = env.get('KAFKA_SUPER_USERS')!.split(';');
    expect(superUsers).toEqual([...generated.authorisation.superUsers, 'User:ANONYMOUS']);
    // ANONYMOUS is the principal of a PLAINTEXT listener: all of them are on the loopback (above),
    // so only processes in the kafka container (and kafka-auth, in its network) are ANONYMOUS.
    for (const [name, { host }] of listeners) {
      if (protocols.get(name) === 'PLAINTEXT') expect(loopback(host), name).toBe(true);
    }
    expect(String(kafka.healthcheck!.test)).toContain(
      `--bootstrap-server 127.0.0.1:${listeners.get('LOCAL')!.port}`,
    );
  });

  it('applies the generated script once kafka is healthy, as the administrator, with every password', () => {
    const auth = services['kafka-auth']!;
    expect(auth.image).toBe(kafka.image);
    expect(auth.network_mode).toBe('service:kafka');
    expect(auth.restart).toBe('no');
    expect(dependencies(auth)).toEqual({ kafka: 'service_healthy' });
    const [shell, script] = auth.entrypoint!;
    expect(shell).toBe('/bin/sh');
    expect(hostPath(auth, script!)).toBe(join(ROOT, 'deploy/kafka', KAFKA_AUTH_SCRIPT));
    const authEnv = environment(auth);
    const local = listeners.get('LOCAL')!;
    expect(protocols.get('LOCAL')).toBe('PLAINTEXT');
    expect(authEnv.get('KAFKA_BOOTSTRAP_SERVER')).toBe(`${local.host}:${local.port}`);
    for (const principal of principals) {
      expect(authEnv.get(principal.passwordEnv), principal.passwordEnv).toMatch(
        required(principal.passwordEnv),
      );
    }
    // The README's way to set them is an .env file: never committed, never in the image.
    for (const ignore of ['.gitignore', '.dockerignore']) {
      expect(readFileSync(join(ROOT, ignore), 'utf8').split('\n'), ignore).toContain('.env');
    }
  });

  it('gives every service that connects to Kafka its own credentials', () => {
    const connecting = Object.entries(services)
      .filter(([, service]) => environment(service).has('KAFKA_BROKERS'))
      .map(([name]) => name)
      .sort();
    expect(connecting).toEqual(['feed-simulator', 'worker']);

    const worker = principals.find((p) => p.role === 'worker')!;
    const workerEnv = environment(services.worker!);
    expect(workerEnv.get(worker.passwordEnv)).toMatch(required(worker.passwordEnv));
    const config = loadWorkerConfig(join(ROOT, 'config', 'worker.compose.yaml'), {
      KAFKA_BROKERS: 'kafka:9092',
      [worker.passwordEnv]: 'worker-0123456789abcdef',
    });
    expect(config.kafka.sasl).toEqual({
      mechanism: SCRAM_MECHANISM,
      securityProtocol: 'SASL_PLAINTEXT',
      username: worker.username,
      passwordEnv: worker.passwordEnv,
    });
    expect(config.kafka.librdkafka).toMatchObject({
      'security.protocol': 'sasl_plaintext',
      'sasl.mechanisms': SCRAM_MECHANISM,
      'sasl.username': worker.username,
      'sasl.password': 'worker-0123456789abcdef',
    });
    expect(() =>
      loadWorkerConfig(join(ROOT, 'config', 'worker.compose.yaml'), {
        KAFKA_BROKERS: 'kafka:9092',
      }),
    ).toThrow(/kafka\.sasl\.passwordEnv: .*TIDEWATCH_KAFKA_PASSWORD_TIDEWATCH_WORKER .*is not set/);

    const simulator = services['feed-simulator']!;
    const script = [simulator.entrypoint, simulator.command].flat().join('\n');
    expect(script).toContain('--sasl-username "member-$$m"');
    const fed = /for m in ([\w -]+); do/.exec(script)![1]!.trim().split(/\s+/);
    const members = new Set(principals.map((p) => p.memberId));
    for (const member of fed) {
      expect(members.has(member), `${member} is a member of ${EXAMPLE}`).toBe(true);
      const variable = passwordEnvName(memberUsername(member));
      expect(environment(simulator).get(variable), variable).toMatch(required(variable));
    }
  });

  it('has the files `tidewatch coalition kafka-auth` generates now (npm run update:kafka-auth)', () => {
    const dir = join(ROOT, 'deploy/kafka');
    const onDisk = new Map<string, string>();
    const walk = (relative: string): void => {
      for (const entry of readdirSync(join(dir, relative))) {
        const path = relative === '' ? entry : `${relative}/${entry}`;
        if (statSync(join(dir, path)).isDirectory()) walk(path);
        else onDisk.set(path, readFileSync(join(dir, path), 'utf8'));
      }
    };
    walk('');
    expect([...onDisk.keys()].sort(), 'run npm run update:kafka-auth').toEqual(
      [...generated.files.keys()].sort(),
    );
    for (const [path, content] of generated.files) {
      expect(onDisk.get(path), `${path}: run npm run update:kafka-auth`).toBe(content);
    }
  });

  it('gives every member of the example coalition a principal and exactly its ACLs', () => {
    const script = readFileSync(join(ROOT, 'deploy/kafka', KAFKA_AUTH_SCRIPT), 'utf8');
    const acls = /<<'ACLS'\n([\s\S]*?)\nACLS\n/
      .exec(script)![1]!
      .split('\n')
      .map((line) => line.split('\t'));
    const of = (principal: string) =>
      acls.filter((f) => f[3] === principal).map((f) => [f[0], f[1], f[2], f[5]].join(' '));
    const coalition = loadCoalitionFile(join(ROOT, EXAMPLE));
    expect(coalition.members.map((m) => m.id)).toEqual(['au', 'ca', 'ca-kb', 'no']);
    for (const { id } of coalition.members) {
      expect(of(`User:member-${id}`), id).toEqual([
        `TOPIC LITERAL ais.raw.${id} WRITE`,
        `TOPIC LITERAL ais.raw.${id} DESCRIBE`,
        `TOPIC LITERAL tracks.fused.${id} READ`,
        `TOPIC LITERAL tracks.fused.${id} DESCRIBE`,
        `TOPIC LITERAL alerts.${id} READ`,
        `TOPIC LITERAL alerts.${id} DESCRIBE`,
        `GROUP PREFIXED member-${id}. READ`,
      ]);
    }
    // Nothing for anybody else but the worker; every ACL allows, from any host.
    const known = new Set([
      'User:tidewatch-worker',
      ...coalition.members.map((m) => `User:member-${m.id}`),
    ]);
    for (const fields of acls) {
      expect(known.has(fields[3]!), fields.join(' ')).toBe(true);
      expect([fields[4], fields[6]], fields.join(' ')).toEqual(['*', 'ALLOW']);
    }
    expect(of('User:tidewatch-worker')).toContain('TOPIC PREFIXED ais.raw. READ');
    expect(
      of('User:tidewatch-worker').filter((a) => a.startsWith('TOPIC LITERAL ais.raw.')),
    ).toEqual([]);
  });
});
