import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../src/io/free-port.js';

/** One sample of an instant-query answer: its labels and value. */
export interface Sample {
  readonly metric: Record<string, string>;
  readonly value: number;
}

/** An alert as Prometheus's /api/v1/alerts lists it. */
export interface PrometheusAlert {
  readonly labels: Record<string, string>;
  readonly state: 'pending' | 'firing' | 'inactive';
}

/** A rule as /api/v1/rules lists it, with the health of its last evaluation. */
export interface PrometheusRule {
  readonly name: string;
  readonly health: string;
  readonly lastError?: string;
}

/**
 * A real Prometheus (Debian's `prometheus` binary) in its own process and data directory,
 * scraping `targets` as job `job` every second and evaluating `ruleFiles` every second.
 */
export class PrometheusServer {
  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly url: string,
    private readonly log: () => string,
  ) {}

  static async start(options: {
    job: string;
    targets: readonly string[];
    ruleFiles: readonly string[];
  }): Promise<PrometheusServer> {
    try {
      execFileSync('prometheus', ['--version'], { stdio: 'ignore' });
    } catch {
      throw new Error(
        'the `prometheus` binary is missing: apt-get install -y prometheus (.ci/run does it)',
      );
    }
    const dir = mkdtempSync(join(tmpdir(), 'tidewatch-prometheus-'));
    const config = {
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      rule_files: options.ruleFiles,
      scrape_configs: [
        {
          job_name: options.job,
          scrape_interval: '1s',
          scrape_timeout: '900ms',
          static_configs: [{ targets: options.targets }],
        },
      ],
    };
    // JSON is YAML.
    writeFileSync(join(dir, 'prometheus.yml'), JSON.stringify(config));
    const port = await freePort();
    const child = spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let log = '';
    const collect = (chunk: Buffer): void => {
      log = (log + chunk.toString()).slice(-20_000);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    const server = new PrometheusServer(child, dir, `http://127.0.0.1:${port}`, () => log);
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`prometheus exited: ${log}`);
      try {
        if ((await fetch(`${server.url}/-/ready`)).ok) return server;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        await server.stop();
        throw new Error(`prometheus not ready within 30 s: ${log}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** Instant query: the samples of `expr` now. */
  async query(expr: string): Promise<Sample[]> {
    const data = await this.api<{ resultType: string; result: unknown[] }>(
      `/api/v1/query?query=${encodeURIComponent(expr)}`,
    );
    if (data.resultType !== 'vector')
      throw new Error(`${expr}: a ${data.resultType}, not a vector`);
    return (data.result as { metric: Record<string, string>; value: [number, string] }[]).map(
      (sample) => ({ metric: sample.metric, value: Number(sample.value[1]) }),
    );
  }

  async alerts(): Promise<PrometheusAlert[]> {
    return (await this.api<{ alerts: PrometheusAlert[] }>('/api/v1/alerts')).alerts;
  }

  async rules(): Promise<PrometheusRule[]> {
    const data = await this.api<{ groups: { rules: PrometheusRule[] }[] }>('/api/v1/rules');
    return data.groups.flatMap((group) => group.rules);
  }

  /** What Prometheus logged last (for failure messages). */
  logTail(): string {
    return this.log().slice(-3000);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async api<T>(path: string): Promise<T> {
    const response = await fetch(`${this.url}${path}`);
    const body = (await response.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`${path}: ${body.error ?? response.status}`);
    return body.data;
  }
}
